"""The brand classifier: features, the stored model, loading, deterministic training."""

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from pipeline import brand_classifier as bcl
from pipeline.corpus_context import CorpusMissing
from pipeline.data import DataFileError
from pipeline.extract.brand_candidates import find_candidates

REPO = Path(__file__).resolve().parent.parent
# as stored: THUCNews rows without left/right (see the ``rows`` fixture)
ROWS = json.loads((REPO / "corpora" / "brands" / "labelled.json").read_text(encoding="utf-8"))
SEED_ROWS = [r for r in ROWS if r["category"] == "seed"]


@pytest.fixture(scope="module")
def rows():
    """The labelled rows with the context of THUCNews rows cut from the shared sample."""
    try:
        return bcl.with_context(ROWS)
    except CorpusMissing as exc:
        pytest.skip(str(exc))


def _row(text: str, name: str) -> dict:
    (cand,) = [c for c in find_candidates(text) if c.text == name]
    return bcl.candidate_row(text, cand)


def test_row_has_the_labelled_fields():
    row = _row("参观了海丰县联络站“客时代”电商直播基地。", "客时代")
    assert row["left"].endswith("“") and row["right"].startswith("”电商")
    assert row["full_text"] == "“客时代”电商直播基地" and row["head"] == "基地"


@pytest.mark.parametrize("text, name, feature", [
    ("比如兰州 “ 金城新浪花 ” ，依托联谊会开展活动。", "金城新浪花", "place_before"),
    ("比如兰州 “ 金城新浪花 ” ，依托联谊会开展活动。", "金城新浪花", "q=“”"),
    ("开展“感党恩、听党话”“看巨变·凝共识”等专题活动。", "看巨变·凝共识", "in_list"),
    ("开展“感党恩、听党话”“看巨变·凝共识”等专题活动。", "感党恩、听党话", "has:list"),
    ("开展“我讲党史小故事”短视频大赛。", "我讲党史小故事", "right_kind:activity"),
    ("着力打造“同心驿站”等平台。", "同心驿站", "verb:打造"),
    ("他说：“我们会努力。”", "我们会努力。", "after_colon"),
    ("成立官渡区自由职业人员统战工作示范基地。", "官渡区自由职业人员统战工作示范基地", "place_start"),
    ("发起“新力四促行动”。", "新力四促行动", "kind=program"),
    ("着力打造“同心驿站”等平台。", "同心驿站", "verb_near"),
    ("推出“新阶云客厅”线上服务平台。", "新阶云客厅", "tail:platform"),
    ("开展“新力助企”“新力惠民”系列行动。", "新力助企", "tail:program"),
    ("这是第二次“官方”促销活动。", "官方", "common_word"),
])
def test_features(text, name, feature):
    assert feature in bcl.features(_row(text, name))


def test_feature_words_load():
    words = bcl.feature_words()
    assert "打造" in words.verbs and "品牌" in words.followers and "研究" in words.institution
    assert set(words.right) == set(bcl.RIGHT_KINDS) and all(words.right.values())


@pytest.mark.parametrize("content, message", [
    ("verb\t打造\nnoun\t中心\n", "brand_features.tsv:2: unknown group 'noun'"),
    ("verb\t打造\nverb\t打造\n", "brand_features.tsv:2: duplicate verb '打造'"),
    ("verb\t打造\textra\n", "brand_features.tsv:1: expected 2"),
    ("verb\t打造\n", "no words for follower"),
])
def test_feature_words_errors_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "brand_features.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(bcl.BrandDataError, match=message):
        bcl.load_feature_words(path)


def test_no_colon_feature_at_sentence_start():
    assert "after_colon" not in bcl.features(_row("有作为。“寻美湖南·相约湖南”展示新形象。", "寻美湖南·相约湖南"))


def test_features_are_deterministic():
    assert [bcl.features(r) for r in SEED_ROWS[:50]] == [bcl.features(r) for r in SEED_ROWS[:50]]


def test_with_context_cuts_the_window_from_the_article():
    text = "甲" * 50 + "推进“百千万工程”。" + "乙" * 50
    start = text.index("百千万工程")
    row = {"id": f"x:{start}-{start + 5}", "doc": "x", "start": start, "end": start + 5, "text": "百千万工程"}
    (got,) = bcl.with_context([row], {"x": text})
    assert got["left"] == "甲" * 37 + "推进“" and got["right"] == "”。" + "乙" * 38
    assert "left" not in row  # the input row is left as it was


def test_with_context_keeps_stored_context():
    assert bcl.with_context(SEED_ROWS[:3], {}) == SEED_ROWS[:3]


def test_with_context_rejects_offsets_that_miss_the_candidate():
    row = {"id": "x:0-2", "doc": "x", "start": 0, "end": 2, "text": "工程"}
    with pytest.raises(ValueError, match="x:0-2"):
        bcl.with_context([row], {"x": "计划工程"})


def _toy_model() -> bcl.BrandModel:
    return bcl.BrandModel(classes=("program", "slogan"), intercept=(0.0, 0.5),
                          weights={"head=工程": (2.0, -1.0), "q=“”": (0.1, 0.3)}, threshold=0.3)


def test_strongest_feature_is_the_largest_weight_difference():
    row = _row("推进“百千万工程”。", "百千万工程")
    assert _toy_model().strongest(row, "program", "slogan") == ("head=工程", 3.0)
    feature, pull = _toy_model().strongest(row, "slogan", "program")
    assert feature == "q=“”" and pull == pytest.approx(0.2)


def test_predict_proba_is_a_softmax():
    probs = _toy_model().predict_proba(_row("推进“百千万工程”。", "百千万工程"))
    assert set(probs) == {"program", "slogan"}
    assert abs(sum(probs.values()) - 1) < 1e-9 and probs["program"] > probs["slogan"]
    assert bcl.brand_probability(probs) == probs["program"]


def test_json_round_trip(tmp_path):
    model = _toy_model()
    path = bcl.save_model(model, tmp_path)
    assert bcl.read_model(path) == bcl.BrandModel.from_json(model.to_json())
    first = path.read_bytes()
    bcl.save_model(model, tmp_path)
    assert path.read_bytes() == first  # no timestamp in the gzip header


@pytest.mark.parametrize("change, message", [
    ({"format": "pickle"}, "format"),
    ({"classes": ["program", "nonsense"]}, "classes"),
    ({"weights": {"x": [1.0]}}, "weight"),
])
def test_bad_model_json_is_rejected(change, message):
    data = {**_toy_model().to_json(), **change}
    with pytest.raises(ValueError, match=message):
        bcl.BrandModel.from_json(data)


def test_missing_model_warns_and_returns_none(tmp_path):
    bcl.load_model.cache_clear()
    with pytest.warns(UserWarning, match="fall back to rules"):
        assert bcl.load_model(tmp_path) is None


@pytest.mark.parametrize("content", [gzip.compress(b'{"format": "other"}'), b"not gzip at all"])
def test_unreadable_model_is_a_data_file_error(tmp_path, content):
    (tmp_path / bcl.MODEL_FILE).write_bytes(content)
    bcl.load_model.cache_clear()
    with pytest.raises(DataFileError, match="cannot read the brand classifier"):
        bcl.load_model(tmp_path)


def test_shipped_model_loads():
    bcl.load_model.cache_clear()
    model = bcl.load_model()
    assert model is not None
    assert set(model.classes) == set(bcl.LABELS)
    assert model.meta["rows"] == len(ROWS) and model.meta["sklearn_version"]
    assert 0 < model.threshold < 1


def test_card_reports_what_the_issue_asks():
    card = (bcl.MODELS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for words in ("Plain 5-fold", "GroupKFold by document", "brand vs not accuracy", "held out",
                  "python scripts/train_brand_classifier.py"):
        assert words in card


@pytest.fixture(scope="module")
def fresh(rows):
    """A model trained now on labelled.json with the installed scikit-learn."""
    return bcl.train(rows)


def test_training_is_deterministic(rows, fresh):
    assert bcl.train(rows) == fresh


def test_shipped_model_matches_the_labelled_data(rows, fresh):
    """Retraining on labelled.json (context rebuilt) gives the shipped model's predictions,
    whichever scikit-learn is installed: the model is plain weights applied in pure Python,
    scikit-learn only fits them (1.7.2 and 1.9.1 fit the same weights bit for bit). A
    difference means labelled.json or the features changed without a retrain."""
    import sklearn

    shipped = bcl.read_model(bcl.MODELS_DIR / bcl.MODEL_FILE)

    def agree(row):
        a, b = shipped.predict_proba(row), fresh.predict_proba(row)
        return bcl.best_label(a) == bcl.best_label(b) and abs(bcl.brand_probability(a) - bcl.brand_probability(b)) < 1e-3

    assert [r["id"] for r in rows[::7] if not agree(r)] == [], (
        f"shipped model fitted with scikit-learn {shipped.meta.get('sklearn_version')}, this one with "
        f"{sklearn.__version__}; retrain: python scripts/train_brand_classifier.py")


def _trainer():
    spec = importlib.util.spec_from_file_location("train", REPO / "scripts" / "train_brand_classifier.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_script_needs_its_data(tmp_path):
    with pytest.raises(SystemExit, match="no labelled brand candidates"):
        _trainer().main(["--data", str(tmp_path / "absent.json"), "--no-save"])


def test_training_script_needs_the_shared_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    with pytest.raises(SystemExit, match="THUCNews sample not found.*seed rows alone are not the training set"):
        _trainer().main(["--no-save", "--skip-cv"])


def test_training_script_rejects_unknown_labels(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(json.dumps([{**ROWS[0], "label": "nonsense"}]), encoding="utf-8")
    with pytest.raises(SystemExit, match="bad labels"):
        _trainer().main(["--data", str(path), "--no-save"])
