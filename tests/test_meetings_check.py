"""The hand check of the meetings extractor under corpora/meetings_check/: rows are
well formed, verdicts agree with the stored names and values, and every mention
sits at its offsets in the shared corpora. (tests/test_hand_checks.py re-scores
the current extractor on them.)"""

import json
import re
from pathlib import Path

import pytest

from pipeline import corpus_context as cc
from pipeline.evaluate import meeting_match

CHECKS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "meetings_check").glob("heldout_*.json"))
RUNS = ("before", "after")
VERDICTS = {"tp", "fp", "fn", "optional", None}  # None: neither predicted nor gold
DATE = re.compile(r"\d{4}(-\d\d(-\d\d)?)?|--\d\d(-\d\d)?|---\d\d")


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _cases():
    return [pytest.param(r, id=f"{p.name}:{r['doc']}@{r['start']}") for p in CHECKS for r in _rows(p)]


@pytest.mark.parametrize("row", _cases())
def test_row_is_well_formed(row):
    assert row["gold"] in ("yes", "optional", "no") and row["end"] - row["start"] == len(row["mention"])
    assert cc.corpus_of(row["doc"]) in ("thucnews", "peoples_daily")
    assert row["date_gold"] is None or DATE.fullmatch(row["date_gold"])
    assert row["location_gold"] is None or re.fullmatch(r"\d{6}", row["location_gold"])
    runs = [row[run] for run in RUNS if run in row]
    assert len(runs) == 2 or (not runs and row.get("added") is True)  # a row judged after the check has none
    for x in runs:
        assert x["verdict"] in VERDICTS and x["found"] == (x["name"] is not None)
        assert (x["verdict"] in ("tp", "fp", "optional")) == x["found"]
        assert (x["verdict"] == "fn") == (row["gold"] == "yes" and not x["found"])
        assert x["verdict"] != "fp" or row["gold"] == "no"


@pytest.mark.parametrize("row", _cases())
def test_verdicts_follow_the_scorer(row):
    """A tp or optional run's predicted name matches the gold name as evaluate matches
    names, and the stored accuracy flags equal the compared values."""
    for run in RUNS:
        x = row.get(run, {})
        if x.get("verdict") in ("tp", "optional"):
            assert meeting_match({"name": x["name"]}, {"name": row["name"]}), run
        if x.get("verdict") == "tp":
            assert x["date_ok"] == (x["date"] == row["date_gold"]), run
            assert x["location_ok"] == (x["location"] == row["location_gold"]), run
            assert x["participants_ok"] == (x["participants"] == row["participants_gold"]), run


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.name)
def test_mentions_rebuild(path):
    try:
        assert cc.misplaced(_rows(path)) == []
    except cc.CorpusMissing as exc:
        pytest.skip(str(exc))


def test_rows_come_from_the_sample():
    folder = CHECKS[0].parent
    sample = json.loads((folder / "sample_60.json").read_text(encoding="utf-8"))
    assert len(sample["thucnews"]) == 30 and len(sample["pd_test"]) == 30
    ids = set(sample["thucnews"]) | set(sample["pd_test"])
    assert [(path.name, r["doc"]) for path in CHECKS for r in _rows(path) if r["doc"] not in ids] == []
