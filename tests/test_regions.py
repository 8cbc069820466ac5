"""Golden tests for pipeline.extract.regions.

tests/golden/regions.tsv: each text's complete set of (name, code) regions, written from
ANNOTATION.md (Regions) and issue 3. tests/golden/regions_mentions.tsv: the mentions of one
region point at the original characters (traditional script, garbled runs, old names).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pytest

from pipeline.analysis import analyze
from pipeline.extract.regions import extract_regions
from pipeline.gazetteer import gazetteer

GOLDEN = Path(__file__).parent / "golden"
LEVELS = {"province", "prefecture", "county", "township", "area", "foreign"}


def _rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (GOLDEN / name).read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _item(value: str) -> tuple[str, Optional[str]]:
    name, _, code = value.rpartition("@")
    return name, None if code == "-" else code


def _expected(value: str) -> set[tuple[str, Optional[str]]]:
    return {_item(v) for v in value.split("|") if v}


CASES = _rows("regions.tsv")
MENTION_CASES = _rows("regions_mentions.tsv")


@lru_cache(maxsize=None)
def _regions(text: str):
    return extract_regions(analyze(text))


# ---------------------------------------------------------------- the tables

def test_tables_well_formed():
    assert len(CASES) >= 130
    ids = [r["id"] for r in CASES + MENTION_CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", CASES + MENTION_CASES, ids=[r["id"] for r in CASES + MENTION_CASES])
def test_table_row_well_formed(row):
    """No empty field; every name@code well written and naming that division (guards
    the table against typos)."""
    assert None not in row and [k for k, v in row.items() if v is None] == []
    assert row["text"].strip()
    items = row["expected"].split("|") if row.get("expected") else ()
    assert [item for item in items if not re.fullmatch(r"[^@|]+@(\d{6}|-)", item)] == []
    gaz = gazetteer()
    value = row["expected"] if "expected" in row else row["region"]
    assert [(name, code) for name, code in _expected(value)
            if code is not None and (gaz.by_code(code) is None or gaz.by_code(code).name != name)] == []


# ---------------------------------------------------------------- regions found

@pytest.mark.parametrize("row", CASES, ids=[r["id"] for r in CASES])
def test_golden(row):
    got = {(r.name, r.code) for r in _regions(row["text"])}
    assert got == _expected(row["expected"]), row["note"]


@pytest.mark.parametrize("row", CASES, ids=[r["id"] for r in CASES])
def test_records_are_well_formed(row):
    text = row["text"]
    for region in _regions(text):
        assert region.level in LEVELS
        assert (region.code is None) == (region.level in ("township", "area", "foreign"))
        assert 0.0 <= region.confidence <= 1.0 and region.method
        assert region.mentions
        for m in region.mentions:
            assert text[m.start:m.end] == m.text


def test_one_record_per_region():
    for row in CASES:
        keys = [(r.name, r.code) for r in _regions(row["text"])]
        assert len(keys) == len(set(keys)), row["id"]


# ---------------------------------------------------------------- mentions

@pytest.mark.parametrize("row", MENTION_CASES, ids=[r["id"] for r in MENTION_CASES])
def test_mentions_point_at_original_characters(row):
    text = row["text"]
    name, code = _item(row["region"])
    found = [r for r in _regions(text) if (r.name, r.code) == (name, code)]
    assert len(found) == 1, [(r.name, r.code) for r in _regions(text)]
    mentions = sorted(found[0].mentions, key=lambda m: m.start)
    assert [m.text for m in mentions] == row["mentions"].split("|"), row["note"]
    assert all(text[m.start:m.end] == m.text for m in mentions)
