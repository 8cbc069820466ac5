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
FRESH = _rows("regions_fresh.tsv")  # issue 14: written before tuning and kept aside (see its header)


@lru_cache(maxsize=None)
def _regions(text: str):
    return extract_regions(analyze(text))


# ---------------------------------------------------------------- the tables

def test_tables_well_formed():
    assert len(CASES) >= 130
    ids = [r["id"] for r in CASES + FRESH + MENTION_CASES]
    assert len(ids) == len(set(ids))
    assert len(FRESH) >= 20 and sum(1 for r in FRESH if not r["expected"]) >= 5


@pytest.mark.parametrize("row", CASES + FRESH + MENTION_CASES, ids=[r["id"] for r in CASES + FRESH + MENTION_CASES])
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


@pytest.mark.parametrize("row", FRESH, ids=[r["id"] for r in FRESH])
def test_fresh(row):
    """The fresh part of the issue-14 cases: 13 of 22 before the change, 22 after."""
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


# ---------------------------------------------------------------- data behind the short-form rule

def test_given_name_places_are_county_short_forms():
    """data/given_name_places.tsv: two-character county short forms that are frequent given names."""
    from pipeline.extract.region_guards import given_names

    surfaces = gazetteer().all_surfaces()
    forms = given_names()
    assert {"建华", "尚志", "卫东", "建平"} <= forms
    for form in forms:
        assert len(form) == 2 and {s.level for s in surfaces[form]} == {"county"}, form


def test_given_name_places_script_fails_clearly_without_the_corpora(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "scripts/given_name_places.py", "--data", str(tmp_path / "nope")],
                            capture_output=True, text=True, cwd=root, env={"PYTHONPATH": str(root)})
    assert result.returncode == 2 and "no such folder" in result.stderr


def test_given_name_places_rebuild_matches_the_data_file(tmp_path):
    """The committed list is what the script makes from the NER corpora (skipped without them)."""
    import subprocess
    import sys

    from pipeline.corpus_context import find_shared

    shared = find_shared()
    if shared is None or not (shared / "ner" / "cluener").is_dir():
        pytest.skip("the shared NER corpora are not beside the checkout (ZHNEWS_SHARED)")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "given.tsv"
    result = subprocess.run([sys.executable, "scripts/given_name_places.py", "--data", str(shared / "ner"),
                             "--out", str(out)], capture_output=True, text=True, cwd=root,
                            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == (root / "pipeline" / "data" / "given_name_places.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["苏州工业园区", "长春经济技术开发区", "横琴粤澳深度合作区", "深圳前海深港现代服务业合作区"])
def test_zones_are_core_areas(name):
    area = gazetteer().area_named(name)
    assert area is not None and area.tier == "core" and area.kind == "zone"


def test_zone_named_by_its_managing_body_stays_borderline():
    assert gazetteer().area_named("乌拉盖管委会").tier == "borderline"
