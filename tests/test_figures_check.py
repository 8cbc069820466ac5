"""The hand checks of the figures extractor under corpora/figures_check/: rows are
well formed and every mention sits at its offsets in the shared corpora.
(tests/test_hand_checks.py re-scores the current extractor on them.)"""

import json
from pathlib import Path

import pytest

from pipeline import corpus_context as cc

CHECKS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "figures_check").glob("*.json"))
RUNS = ("before", "after")
VERDICTS = {"tp", "fp", "fn", "optional", "optional_missed", None}  # None: not predicted, not gold


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _cases():
    return [pytest.param(r, id=f"{p.name}:{r['doc']}@{r['start']}") for p in CHECKS for r in _rows(p)]


@pytest.mark.parametrize("row", _cases())
def test_row_is_well_formed(row):
    assert row["gold"] in ("yes", "optional", "no") and row["end"] - row["start"] == len(row["mention"])
    runs = [row[run] for run in RUNS if run in row]
    assert runs or row.get("added") is True  # only a row judged after the check has no run
    for x in runs:
        assert x["verdict"] in VERDICTS and x["found"] == (x["method"] is not None)
        assert (x["verdict"] in ("tp", "fp", "optional")) == x["found"]
    if runs:
        assert (row["gold"] == "no") == any(x["verdict"] == "fp" for x in runs)


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.name)
def test_mentions_rebuild(path):
    try:
        assert cc.misplaced(_rows(path)) == []
    except cc.CorpusMissing as exc:
        pytest.skip(str(exc))
