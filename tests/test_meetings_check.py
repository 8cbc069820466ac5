"""The hand check of the meetings extractor under corpora/meetings_check/: rows are
well formed, verdicts agree with the stored names and values, and every mention
sits at its offsets in the shared corpora."""

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


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.name)
def test_rows_are_well_formed(path):
    for r in _rows(path):
        assert r["gold"] in ("yes", "optional", "no") and r["end"] - r["start"] == len(r["mention"]), r
        assert cc.corpus_of(r["doc"]) in ("thucnews", "peoples_daily"), r
        assert r["date_gold"] is None or DATE.fullmatch(r["date_gold"]), r
        assert r["location_gold"] is None or re.fullmatch(r"\d{6}", r["location_gold"]), r
        for run in RUNS:
            x = r[run]
            assert x["verdict"] in VERDICTS and x["found"] == (x["name"] is not None), r
            assert (x["verdict"] in ("tp", "fp", "optional")) == x["found"], r
            assert (x["verdict"] == "fn") == (r["gold"] == "yes" and not x["found"]), r
            assert x["verdict"] != "fp" or r["gold"] == "no", r


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.name)
def test_verdicts_follow_the_scorer(path):
    """A tp or optional row's predicted name matches the gold name as evaluate matches
    names, and the stored accuracy flags equal the compared values."""
    for r in _rows(path):
        for run in RUNS:
            x = r[run]
            if x["verdict"] in ("tp", "optional"):
                assert meeting_match({"name": x["name"]}, {"name": r["name"]}), (run, r)
            if x["verdict"] == "tp":
                assert x["date_ok"] == (x["date"] == r["date_gold"]), (run, r)
                assert x["location_ok"] == (x["location"] == r["location_gold"]), (run, r)
                assert x["participants_ok"] == (x["participants"] == r["participants_gold"]), (run, r)


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
    assert all(r["doc"] in ids for path in CHECKS for r in _rows(path))
