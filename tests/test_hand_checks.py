"""The hand checks under corpora/*_check, re-scored with the current extractors.

The corpus tests re-run the pipeline on every check sample (shared corpora,
shipped NER model) and fail when a number a check README quotes moved, or when
a prediction has no stored judgement; the failure says which number moved and
the command that refreshes it. The other tests pin the scoring on toy rows.
"""

import pytest

from pipeline import corpus_context as cc
from pipeline import hand_checks as hc
from pipeline.records import Document, Figure, Mention, Region


# --- the checks on the shared corpora ----------------------------------------------

@pytest.fixture(scope="module")
def rescored():
    """check -> its Rescored, each computed once (documents shared across checks)."""
    documents, done = hc.Documents(), {}

    def get(check: str) -> hc.Rescored:
        if check not in done:
            try:
                done[check] = hc.rescore(check, documents)
            except cc.CorpusMissing as exc:
                pytest.skip(str(exc))
        return done[check]

    return get


@pytest.mark.parametrize("check", hc.CHECKS)
def test_every_prediction_is_judged(rescored, check):
    result = rescored(check)
    assert result.failed == []
    assert result.unjudged == [], hc.unjudged_message(check, result)


@pytest.mark.parametrize("check", hc.CHECKS)
def test_readme_quotes_the_current_numbers(rescored, check):
    result = rescored(check)
    moved = hc.stale(hc.readme(check).read_text(encoding="utf-8"), result)
    assert moved == [], hc.stale_message(check, moved)


# --- the scoring, on toy rows ----------------------------------------------------------

def _mention(text: str, start: int = 0) -> Mention:
    return Mention(start=start, end=start + len(text), text=text, sentence=0)


def _figure(name: str, *titles: str) -> Figure:
    return Figure(name=name, titles=list(titles), mentions=[_mention(name)], method="rule", confidence=0.9)


def _row(name: str, gold, titles=()) -> dict:
    return {"doc": "d", "category": "时政", "name": name, "gold": gold, "titles_gold": list(titles)}


ROWS = [_row("张明华", "yes", ["县长"]), _row("李卫", "yes", ["副县长"]), _row("王建", "optional"),
        _row("钟声", "no")]


def _score_figures(*figures: Figure) -> hc.Rescored:
    result = hc.Rescored(("sample", *hc.FIGURES.columns))
    docs = {"d": Document(doc_id="d", figures=list(figures))}
    hc.score_gold(hc.FIGURES, "toy.json", docs, ROWS, result, "toy")
    return result


def test_gold_rows_are_scored_as_evaluate_scores():
    result = _score_figures(_figure("张明华", "宁海县县长"), _figure("王建"), _figure("钟声"))
    assert result.rows["toy"] == {"docs": "1", "gold": "2", "tp": "1", "fp": "1", "fn": "1",
                                  "precision": "0.500", "recall": "0.500", "titles right": "1/1"}
    assert result.unjudged == []


def test_a_name_no_row_covers_is_unjudged_with_a_row_to_fill():
    (u,) = _score_figures(_figure("张明华"), _figure("赵新")).unjudged
    assert (u.file, u.doc, u.start, u.end) == ("toy.json", "d", 0, 2)
    assert u.row == {"doc": "d", "category": "时政", "start": 0, "end": 2, "mention": "赵新", "name": "赵新",
                     "titles_gold": [], "gold": None, "added": True, "note": ""}


def test_a_row_left_unjudged_judges_nothing():
    rows = [{"doc": "d", "name": "汕尾市", "code": "441500", "gold": None}]
    region = Region(name="汕尾市", code="441500", level="prefecture", path=["广东省", "汕尾市"],
                    mentions=[_mention("汕尾")], method="gazetteer", confidence=0.9)
    result = hc.Rescored(("sample", *hc.REGIONS.columns))
    hc.score_gold(hc.REGIONS, "toy.json", {"d": Document(doc_id="d", regions=[region])}, rows, result, "toy")
    assert [u.what for u in result.unjudged] == ["region name=汕尾市, code=441500"]


@pytest.mark.parametrize("pred, stored, same", [
    ({"text": "超过了13%", "value": 13, "unit": "%", "upper": None},
     {"text": "13%", "value": 13, "unit": "%", "upper": None}, True),
    ({"text": "最多108个基点", "value": 108, "unit": "基点", "upper": None},
     {"text": "最多108个", "value": 108, "unit": "个", "upper": None}, False),
    ({"text": "3%-5%", "value": 3, "unit": "%", "upper": 5}, {"text": "3%", "value": 3, "unit": "%", "upper": None}, False),
    ({"text": "30人", "value": 30, "unit": "人", "upper": None}, {"text": "近30人", "value": 30, "unit": "人", "upper": None}, True),
    ({"text": "30人", "value": 30, "unit": "人", "upper": None}, {"text": "共30人", "value": 30, "unit": "名", "upper": None}, False),
], ids=["qualifier-taken-in", "unit-changed", "range", "qualifier-dropped", "other-unit"])
def test_same_count(pred, stored, same):
    assert hc.same_count(pred, stored) is same


def test_each_stored_verdict_covers_one_prediction():
    stored = [{"text": "3只", "value": 3, "unit": "只", "upper": None, "verdict": "correct"},
              {"text": "5只", "value": 5, "unit": "只", "upper": None, "verdict": None}]
    preds = [{"text": "3只", "value": 3, "unit": "只", "upper": None}] * 2 + [
        {"text": "5只", "value": 5, "unit": "只", "upper": None}]
    verdicts, new = hc._count_verdicts(preds, stored)
    assert verdicts == ["correct"] and [p["text"] for p in new] == ["3只", "5只"]


def _result() -> hc.Rescored:
    result = hc.Rescored(("sample", "gold", "precision"))
    result.rows = {"a.json PD": {"gold": "12", "precision": "1.000"}, "b.json": {"gold": "3", "precision": "n/a"}}
    return result


def test_readme_table_round_trips():
    text = "# Check\n\nprose\n\n" + hc.render(_result()) + "\n\nmore prose\n"
    assert hc.quoted(text) == _result().rows
    assert hc.stale(text, _result()) == []


def test_stale_names_each_number_that_moved():
    text = hc.render(_result())
    moved = _result()
    moved.rows["a.json PD"]["precision"] = "0.917"
    moved.rows["c.json"] = {"gold": "1", "precision": "1.000"}
    assert hc.stale(text, moved) == ["c.json: not in the README table", "a.json PD: precision 1.000 -> 0.917"]
    assert hc.stale("no table here", moved) == ["the README has no results table"]
    message = hc.stale_message("figures_check", hc.stale(text, moved))
    assert "corpora/figures_check/README.md" in message and hc.REFRESH in message and "a.json PD: precision" in message


def test_unjudged_message_says_how_to_add_verdicts():
    result = _score_figures(_figure("赵新"))
    message = hc.unjudged_message("figures_check", result)
    assert "toy.json d: figure name=赵新" in message and f"{hc.ADD} figures_check" in message


@pytest.mark.parametrize("check", hc.CHECKS)
def test_every_check_readme_has_a_results_table(check):
    assert hc.quoted(hc.readme(check).read_text(encoding="utf-8"))


def test_script_names_the_known_checks(capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("hand_checks_script", cc.REPO / "scripts" / "hand_checks.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    with pytest.raises(SystemExit):
        script.main(["no_such_check"])
    assert "unknown check no_such_check (known: counts_check, figures_check" in capsys.readouterr().err
