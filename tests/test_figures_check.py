"""The hand checks of the figures extractor under corpora/figures_check/: rows are
well formed and every mention sits at its offsets in the shared corpora."""

import json
from pathlib import Path

import pytest

from pipeline import corpus_context as cc

CHECKS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "figures_check").glob("*.json"))
VERDICTS = {"tp", "fp", "fn", "optional", "optional_missed", None}  # None: not predicted, not gold


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.name)
def test_rows_are_well_formed(path):
    for r in _rows(path):
        assert r["gold"] in ("yes", "optional", "no") and r["end"] - r["start"] == len(r["mention"]), r
        for run in ("before", "after"):
            if run in r:
                assert r[run]["verdict"] in VERDICTS and r[run]["found"] == (r[run]["method"] is not None), r
                assert (r[run]["verdict"] in ("tp", "fp", "optional")) == r[run]["found"], r
        assert (r["gold"] == "no") == any(r[run]["verdict"] == "fp" for run in ("before", "after") if run in r), r


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: p.name)
def test_mentions_rebuild(path):
    try:
        assert cc.misplaced(_rows(path)) == []
    except cc.CorpusMissing as exc:
        pytest.skip(str(exc))
