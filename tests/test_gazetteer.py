"""Tests for pipeline.gazetteer: data well-formed, known facts, look-ups, validation errors."""
from __future__ import annotations

import gzip
import shutil
from collections import Counter
from pathlib import Path

import pytest

from pipeline.gazetteer import (DATA_DIR, Gazetteer, GazetteerDataError, expected_level,
                                gazetteer)

GOLDEN = Path(__file__).parent / "golden" / "gazetteer.tsv"


def golden_rows():
    lines = [ln for ln in GOLDEN.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"))) for ln in lines[1:]]


@pytest.fixture(scope="module")
def gaz():
    return gazetteer()


# ---------------------------------------------------------------- golden table

@pytest.mark.parametrize("case", golden_rows(),
                         ids=lambda c: f"{c['surface']}->{c['code']}")
def test_golden(gaz, case):
    matches = [c for c in gaz.candidates(case["surface"]) if c.division.code == case["code"]]
    assert matches, f"{case['surface']} does not offer {case['code']}"
    assert matches[0].how == case["how"]
    div = gaz.by_code(case["code"])
    assert (div.name, div.level) == (case["name"], case["level"])
    assert gaz.path(case["code"]) == case["path"].split(">")


# ---------------------------------------------------------------- data well formed

def test_level_counts(gaz):
    levels = Counter(d.level for d in gaz.divisions())
    assert levels["province"] == 34  # 31 mainland + Hong Kong, Macao, Taiwan
    assert levels["prefecture"] == 333  # the official count since 2019
    assert 2800 <= levels["county"] <= 2900


def test_codes_six_digits_unique_and_levels_fit(gaz):
    codes = [d.code for d in gaz.divisions()]
    assert len(codes) == len(set(codes))
    assert [d.code for d in gaz.divisions() if len(d.code) != 6 or not d.code.isdigit()] == []
    assert [(d.code, d.level) for d in gaz.divisions() if d.level != expected_level(d.code)] == []


def _parent_fits(gaz, div) -> bool:
    rank = {"province": 0, "prefecture": 1, "county": 2}
    if div.level == "province":
        return div.parent is None
    parent = gaz.by_code(div.parent)
    return parent is not None and rank[parent.level] < rank[div.level] and parent.code[:2] == div.code[:2]


def test_parents_exist_and_sit_above(gaz):
    assert [(d.code, d.parent) for d in gaz.divisions() if not _parent_fits(gaz, d)] == []


def test_no_single_character_or_province_clashing_alias(gaz):
    province_forms = {s for d in gaz.divisions() if d.level == "province"
                      for s in (d.name, *d.aliases)}
    assert [(d.code, a) for d in gaz.divisions() for a in d.aliases if len(a) < 2 or a == d.name] == []
    assert [(d.code, a) for d in gaz.divisions() if d.level != "province"
            for a in d.aliases if a in province_forms] == []


@pytest.mark.parametrize("stale", ["莱芜市", "临安市", "海门市", "郫县", "襄樊市", "湾里区",
                                   "澄江县", "无为县", "湟中县", "凤翔市", "下城区", "江干区"])
def test_stale_names_are_not_current_divisions(gaz, stale):
    assert not [c for c in gaz.candidates(stale) if c.how == "official"]


@pytest.mark.parametrize("name,code", [
    ("海门区", "320614"), ("新津区", "510118"), ("公主岭市", "220184"), ("凤翔区", "610305"),
    ("无为市", "340281"), ("横州市", "450181"), ("新星市", "659011"), ("崇川区", "320613")])
def test_codes_updated_after_2019(gaz, name, code):
    assert [c.division.code for c in gaz.candidates(name) if c.how == "official"] == [code]


# ---------------------------------------------------------------- hierarchy

def test_municipality_districts_sit_under_the_province(gaz):
    names = [d.name for d in gaz.children("110000")]
    assert "朝阳区" in names and "海淀区" in names and len(names) == 16
    assert gaz.by_code("500230").parent == "500000"  # 丰都县, 重庆


@pytest.mark.parametrize("code", ["441900", "442000", "460400", "620200"])
def test_prefecture_cities_without_counties(gaz, code):
    assert gaz.by_code(code).level == "prefecture"
    assert gaz.children(code) == []
    assert gaz.townships(code)


@pytest.mark.parametrize("code,province", [("429004", "420000"), ("419001", "410000"),
                                           ("659004", "650000"), ("469002", "460000")])
def test_province_governed_county_units(gaz, code, province):
    assert gaz.by_code(code).parent == province
    assert gaz.province_of(code).code == province


def test_province_of_and_children(gaz):
    assert gaz.province_of("441521").name == "广东省"
    assert gaz.province_of("440000").name == "广东省"
    assert gaz.province_of("999999") is None
    assert "海丰县" in [d.name for d in gaz.children("441500")]


# ---------------------------------------------------------------- candidates

@pytest.mark.parametrize("surface,codes", [
    ("朝阳区", {"110105", "220104"}),
    ("鼓楼区", {"320106", "320302", "350102", "410204"}),
    ("南山区", {"440305", "230404"}),
    ("新华区", {"130105", "130902", "410402"}),
])
def test_shared_names_give_every_division(gaz, surface, codes):
    found = {c.division.code for c in gaz.candidates(surface)}
    assert codes <= found


def test_candidates_order_official_before_alias_before_renamed(gaz):
    hows = [c.how for c in gaz.candidates("城区")]
    assert hows == sorted(hows, key=["official", "alias", "renamed"].index)
    assert "renamed" in hows  # 大同市城区 -> 平城区 (2018)


def test_renamed_candidate_carries_its_change(gaz):
    [cand] = gaz.candidates("襄樊")
    assert cand.change.old_name == "襄樊市" and cand.change.date.startswith("2010")


@pytest.mark.parametrize("surface", ["和平", "新华", "城关", "东方", "合作", "光明", "平安",
                                     "大方", "安宁", "长安", "同心", "朝阳", "城区"])
def test_common_word_surfaces_are_flagged(gaz, surface):
    cands = gaz.candidates(surface)
    assert cands and all(c.common for c in cands)


@pytest.mark.parametrize("surface", ["汕尾", "海丰", "炎陵", "宁海", "成华", "衡南", "石家庄",
                                     "大连", "保定", "常熟"])
def test_place_names_are_not_flagged(gaz, surface):
    cands = gaz.candidates(surface)
    assert cands and not any(c.common for c in cands)


def test_unknown_surface_has_no_candidates(gaz):
    assert gaz.candidates("统战部") == []
    assert gaz.by_code("000000") is None


# ---------------------------------------------------------------- townships

@pytest.mark.parametrize("town", ["岔路镇", "前童镇", "西店镇", "跃龙街道"])
def test_ninghai_townships(gaz, town):
    assert town in gaz.townships("330226")


def test_townships_of_unknown_county_are_empty(gaz):
    assert gaz.townships("999999") == frozenset()
    assert "岔路镇" not in gaz.townships("441521")


# ---------------------------------------------------------------- areas and foreign

@pytest.mark.parametrize("name,tier", [
    ("西部地区", "core"), ("粤港澳大湾区", "core"), ("大湾区", "core"), ("长三角", "core"),
    ("长江三角洲", "core"), ("东北地区", "core"), ("京津冀", "core"), ("雄安新区", "core"),
    ("边境地区", "borderline"), ("远东地区", "borderline"), ("沿海地区", "borderline")])
def test_areas(gaz, name, tier):
    [area] = [a for a in gaz.areas() if a.name == name]
    assert area.tier == tier


def test_xiongan_is_an_area_not_a_division(gaz):
    assert not gaz.candidates("雄安新区")
    [area] = [a for a in gaz.areas() if a.name == "雄安新区"]
    assert area.within == "130000"


@pytest.mark.parametrize("name,full", [("俄罗斯", "俄罗斯联邦"), ("蒙古", "蒙古国"),
                                       ("美国", "美利坚合众国"), ("韩国", "大韩民国"),
                                       ("日本", "日本国")])
def test_foreign_full_names(gaz, name, full):
    [row] = [f for f in gaz.foreign() if f.name == name]
    assert row.full_name == full and row.tier == "core"


def test_foreign_excludes_china_and_single_characters(gaz):
    forms = {s for f in gaz.foreign() for s in (f.name, f.full_name, *f.aliases) if s}
    assert "中国" not in forms and "中华人民共和国" not in forms
    assert sorted(s for s in forms if len(s) < 2) == []


@pytest.mark.parametrize("name", ["朝鲜", "中非", "海地"])
def test_ambiguous_foreign_names_are_flagged(gaz, name):
    [row] = [f for f in gaz.foreign() if f.name == name]
    assert name in row.common


def test_mongolia_is_not_flagged_longest_match_keeps_inner_mongolia_apart(gaz):
    [row] = [f for f in gaz.foreign() if f.name == "蒙古"]
    assert "蒙古" not in row.common
    assert gaz.candidates("内蒙古")[0].division.code == "150000"


# ---------------------------------------------------------------- all_surfaces

def test_all_surfaces_cover_every_kind(gaz):
    surfaces = gaz.all_surfaces()
    assert {(s.level, s.ref, s.how) for s in surfaces["汕尾"]} == {("prefecture", "441500", "alias")}
    assert ("area", "粤港澳大湾区") in {(s.level, s.ref) for s in surfaces["粤港澳大湾区"]}
    assert ("foreign", "俄罗斯") in {(s.level, s.ref) for s in surfaces["俄罗斯联邦"]}
    assert ("county", "510117", "renamed") in {(s.level, s.ref, s.how) for s in surfaces["郫县"]}
    assert sorted(text for text in surfaces if len(text) < 2) == []


def test_changes_point_at_current_divisions(gaz):
    assert [(c.new_code, c.new_name) for c in gaz.changes()
            if gaz.by_code(c.new_code) is None or gaz.by_code(c.new_code).name != c.new_name] == []


# ---------------------------------------------------------------- validation errors

def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old,new,message", [
    ("441500\t汕尾市\tprefecture", "44150\t汕尾市\tprefecture", "not 6 digits"),
    ("441500\t汕尾市\tprefecture", "441500\t汕尾市\tcounty", "does not fit code"),
    ("441521\t海丰县\tcounty\t441500", "441521\t海丰县\tcounty\t449900", "not in the file"),
    ("code\tname\tlevel", "code\tname\ttier", "header"),
    ("441521\t海丰县\tcounty\t441500\t", "441521\t海丰县\tcounty\t441500\t\t", "fields"),
])
def test_malformed_regions_file_names_file_and_line(tmp_path, old, new, message):
    data = copy_data(tmp_path)
    edit(data / "regions.tsv", old, new)
    with pytest.raises(GazetteerDataError, match=rf"regions\.tsv:\d+: .*{message}"):
        Gazetteer(data)


def test_change_to_unknown_division_is_rejected(tmp_path):
    data = copy_data(tmp_path)
    edit(data / "region_changes.tsv", "\t420600\t襄阳市\t", "\t420699\t襄阳市\t")
    with pytest.raises(GazetteerDataError, match=r"region_changes\.tsv:\d+: 420699"):
        Gazetteer(data)


def test_township_of_unknown_county_is_rejected(tmp_path):
    data = copy_data(tmp_path)
    path = data / "townships.tsv.gz"
    text = gzip.decompress(path.read_bytes()).decode("utf-8") + "999999\t某某镇\n"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    with pytest.raises(GazetteerDataError, match=r"townships\.tsv\.gz:\d+: unknown county"):
        Gazetteer(data).townships("330226")


def test_missing_file_is_reported(tmp_path):
    data = copy_data(tmp_path)
    (data / "areas.tsv").unlink()
    with pytest.raises(GazetteerDataError, match="areas.tsv: data file missing"):
        Gazetteer(data)
