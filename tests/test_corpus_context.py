"""Finding the shared corpora (THUCNews sample, NER sentences) and cutting context back out."""

import json
from pathlib import Path

import pytest

from pipeline import corpus_context as cc


def test_env_names_the_shared_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    assert cc.find_shared() == tmp_path
    assert cc.sample_path() == tmp_path / "corpora" / "thucnews_sample.jsonl"


def test_missing_sample_names_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    with pytest.raises(cc.CorpusMissing, match=f"not found at {tmp_path}.*ZHNEWS_SHARED"):
        cc.thucnews_texts()


def test_texts_are_read_by_id(tmp_path):
    path = tmp_path / "sample.jsonl"
    docs = [{"id": "a", "category": "时政", "text": "第一篇。"}, {"id": "b", "category": "教育", "text": "第二篇"}]
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n\n", encoding="utf-8")
    assert cc.thucnews_texts(path) == {"a": "第一篇。", "b": "第二篇"}


@pytest.mark.parametrize("start, end, width, expected", [
    (2, 4, 2, ("甲乙", "戊")),
    (3, 4, 2, ("乙丙", "戊")),
    (0, 2, 5, ("", "丙丁戊")),
    (3, 5, 10, ("甲乙丙", "")),
])
def test_window(start, end, width, expected):
    assert cc.window("甲乙丙丁戊", start, end, width) == expected


# --- NER sentence files ----------------------------------------------------------

BIO = "中 B-ORG\n共 I-ORG\n\n１ O\n９ O\n『 O\n好 O\n』 O\n\n\n尾 O\n"


def _shared_with_ner(tmp_path, monkeypatch):
    for source, rel in cc.NER_SOURCES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BIO if source == "pd_dev" else "甲 O\n", encoding="utf-8")
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    return tmp_path


def test_bio_sentences_are_joined_characters(tmp_path):
    path = tmp_path / "x.bio"
    path.write_text(BIO, encoding="utf-8")
    assert cc.bio_sentences(path) == ["中共", "１９『好』", "尾"]


def test_ner_texts_are_normalized_like_an_article(tmp_path, monkeypatch):
    _shared_with_ner(tmp_path, monkeypatch)
    assert cc.ner_texts("pd_dev") == ["中共", "19‘好’", "尾"]


@pytest.mark.parametrize("doc, expected", [
    ("pd_dev:12", ("pd_dev", 12)), ("msra:0", ("msra", 0)), ("pd_test:7", ("pd_test", 7)),
    ("pd_dev:x", None), ("thucnews-0001", None), ("other:3", None), ("001_west_chengdu.txt", None),
])
def test_ner_doc(doc, expected):
    assert cc.ner_doc(doc) == expected


@pytest.mark.parametrize("doc, corpus", [
    ("thucnews-0001", "thucnews"), ("pd_dev:3", "peoples_daily"), ("pd_test:3", "peoples_daily"),
    ("msra:3", "msra"), ("003_hunan_review.txt", None),
])
def test_corpus_of(doc, corpus):
    assert cc.corpus_of(doc) == corpus


def test_texts_reads_each_corpus_by_id(tmp_path, monkeypatch):
    shared = _shared_with_ner(tmp_path, monkeypatch)
    sample = shared / "corpora" / "thucnews_sample.jsonl"
    sample.parent.mkdir(parents=True)
    sample.write_text(json.dumps({"id": "thucnews-9", "category": "时政", "text": "正文"}) + "\n", encoding="utf-8")
    docs = ["thucnews-9", "pd_dev:1", "pd_test:0", "msra:0", "pd_dev:99", "seed.txt"]
    assert cc.texts(docs) == {"thucnews-9": "正文", "pd_dev:1": "19‘好’", "pd_test:0": "甲", "msra:0": "甲"}


def test_missing_ner_file_names_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    with pytest.raises(cc.CorpusMissing, match="NER sentences 'msra' not found at"):
        cc.texts(["msra:1"])


def test_unknown_ner_source_is_an_error():
    with pytest.raises(KeyError, match="unknown NER source"):
        cc.ner_path("cluener")


# --- the hand checks and labels under corpora/ ---------------------------------

REPO = Path(__file__).resolve().parent.parent
COUNT_CHECKS = sorted((REPO / "corpora" / "counts_check").glob("*.json"))
REGION_CHECKS = sorted((REPO / "corpora" / "regions_check").glob("*.json"))
OWN_FILES = (REPO / "corpora" / "gold",)
# fields that hold our own words, or the annotated span itself
FREE_TEXT = {"note", "reason", "text", "full_text", "mention"}
MAX_STRING = 30


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _third_party_rows():
    for path in sorted((REPO / "corpora").rglob("*.json")):
        if any(path.is_relative_to(own) for own in OWN_FILES):
            continue
        rows = _rows(path)
        for row in rows if isinstance(rows, list) else []:
            corpus = cc.corpus_of(str(row.get("doc") or row.get("doc_id") or ""))
            if corpus:
                yield path, corpus, row


def test_no_third_party_text_is_stored_in_corpora():
    """Rows pointing into THUCNews or the NER sentences keep ids, offsets, labels and
    notes: no string longer than a short annotated span outside our own notes and the
    span itself."""
    rows = list(_third_party_rows())
    assert sum(corpus == "thucnews" for _, corpus, _ in rows) > 2000
    assert sum(corpus in ("peoples_daily", "msra") for _, corpus, _ in rows) >= 800
    long = [(p.name, k, v[:20]) for p, _, row in rows for k, v in _strings(row)
            if k not in FREE_TEXT and len(v) > MAX_STRING]
    assert long == []


@pytest.fixture(scope="module")
def texts():
    try:
        return cc.thucnews_texts()
    except cc.CorpusMissing as exc:
        pytest.skip(str(exc))


def _cases(paths, key):
    return [pytest.param(r, id=f"{p.name}:{key(r)}") for p in paths for r in _rows(p)]


COUNT_ROWS = _cases(COUNT_CHECKS, lambda r: r["id"])
REGION_ROWS = _cases(REGION_CHECKS, lambda r: f"{r['doc']}@{r['start']}")


@pytest.mark.parametrize("path", COUNT_CHECKS, ids=lambda p: p.name)
def test_count_check_ids(path):
    assert [r["id"] for r in _rows(path)] == list(range(200))


@pytest.mark.parametrize("row", COUNT_ROWS)
def test_count_check_row(row):
    assert set(row) == {"id", "doc_id", "category", "start", "end", "counts"}
    assert [c["text"] for c in row["counts"] if c["verdict"] not in ("correct", "wrong", "optional")] == []


@pytest.mark.parametrize("path", COUNT_CHECKS, ids=lambda p: p.name)
def test_count_check_sentences_rebuild(path, texts):
    """Each sentence rebuilds from its offsets and holds its counts (ids of the rows that do not)."""
    from pipeline.hand_checks import count_sentence

    def rebuilds(row):
        sentence = count_sentence(row, texts)
        return 6 <= len(sentence) and sentence == sentence.strip() and all(c["text"] in sentence for c in row["counts"])

    assert [r["id"] for r in _rows(path) if not rebuilds(r)] == []


@pytest.mark.parametrize("path", REGION_CHECKS, ids=lambda p: p.name)
def test_region_check_file_has_rows(path):
    assert _rows(path)


@pytest.mark.parametrize("row", REGION_ROWS)
def test_region_check_row(row):
    assert "context" not in row and row["end"] - row["start"] == len(row["mention"])
    judged_later = row.get("added") is True and row.get("gold") in ("yes", "optional", "no")
    assert row.get("verdict") or row.get("kind") or judged_later


@pytest.mark.parametrize("path", REGION_CHECKS, ids=lambda p: p.name)
def test_region_check_mentions_rebuild(path, texts):
    assert cc.misplaced(_rows(path)) == []


def test_misplaced_names_rows_whose_span_moved(texts):
    doc = sorted(texts)[0]
    right = {"doc": doc, "start": 0, "end": 4, "mention": texts[doc][:4]}
    moved = {**right, "start": 1, "end": 5}
    assert cc.misplaced([right, moved]) == [moved]
