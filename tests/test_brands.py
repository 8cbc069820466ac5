"""Brand records: golden sentences, names, regions, mentions, explanations, fallback."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.analysis import analyze
from pipeline.brand_classifier import BRAND_LABELS, LABELS
from pipeline.extract import brands as brands_mod
from pipeline.extract.brands import clean_name, explain_brands, extract_brands
from pipeline.extract.regions import extract_regions
from pipeline.records import Region
from pipeline.textutil import brand_key

GOLDEN = Path(__file__).parent / "golden" / "brands.tsv"
# kept aside while the brand cues were tuned (issue 14): see the file's header
FRESH = Path(__file__).parent / "golden" / "brands_fresh.tsv"


def _golden_cases(path: Path = GOLDEN):
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        marks = [pytest.mark.xfail(strict=True, reason=row["known"])] if row.get("known") else []
        yield pytest.param(row, id=row["case"], marks=marks)


def _brands(text: str):
    doc = analyze(text)
    return doc, extract_brands(doc, regions=extract_regions(doc))


def _expected(row) -> list[str]:
    return [] if row["expect"] == "none" else row["expect"].split("|")


@pytest.mark.parametrize("row", list(_golden_cases()))
def test_golden(row):
    _, found = _brands(row["input"])
    assert sorted(b.name for b in found) == sorted(_expected(row))


@pytest.mark.parametrize("row", list(_golden_cases(FRESH)))
def test_golden_fresh(row):
    _, found = _brands(row["input"])
    assert sorted(b.name for b in found) == sorted(_expected(row))


def test_golden_table_is_big_enough():
    cases = list(_golden_cases())
    assert len(cases) >= 30
    assert sum(c.values[0]["expect"] == "none" for c in cases) >= 10


@pytest.mark.parametrize("raw, clean", [
    ("巴渝新锋 · 网络大 V 同心圆工程", "巴渝新锋·网络大V同心圆工程"),
    ("MFG 创客联邦", "MFG创客联邦"),
    ("数博大道 ‘1A+6S’ 新阶层工作圈", "数博大道‘1A+6S’新阶层工作圈"),
    ("MADE IN  ITALY", "MADE IN ITALY"),
    ("6 G星空", "6G星空"),
    ("‘1 A+6S’", "‘1A+6S’"),
    ("  同心驿站 ", "同心驿站"),
])
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


def test_brand_key_unifies_quotes_spaces_and_dots():
    assert brand_key("“6G星空”宁海县 服务中心") == brand_key("6G星空宁海县服务中心")
    assert brand_key("新英汇•创新工场") == brand_key("新英汇·创新工场")


def test_short_extension_keeps_the_core_as_name():
    _, found = _brands("会议期间，与会人员参观了海丰县联络站“客时代”电商直播基地。")
    (brand,) = [b for b in found if "客时代" in b.name]
    assert brand.name == "客时代"
    assert brand.full_name == "“客时代”电商直播基地"
    assert brand.mentions[0].text == "客时代"


def test_descriptive_extension_keeps_the_core():
    _, found = _brands("国庆期间，宏耐地板将举行“大悦宾”大型优惠促销活动。")
    assert [(b.name, b.full_name) for b in found] == [("大悦宾", "“大悦宾”大型优惠促销活动")]


def test_run_time_candidates_are_the_labelled_ones():
    """The classifier sees the candidates it was trained on (same tokenizer; the text
    differs only in spaces normalization drops)."""
    import json

    repo = Path(__file__).resolve().parent.parent
    rows = json.loads((repo / "corpora" / "brands" / "labelled.json").read_text(encoding="utf-8"))
    for path in sorted((repo / "corpora" / "seeds").glob("*.txt")):
        doc = analyze(path.read_text(encoding="utf-8"))
        found = {(brand_key(c.text), brand_key(c.full_text or "")) for c in brands_mod.candidates(doc)}
        labelled = {(brand_key(r["text"]), brand_key(r["full_text"] or "")) for r in rows if r["doc"] == path.name}
        assert labelled <= found, path.name


def test_long_extension_makes_the_full_name():
    text = "5月9日，新的社会阶层人士“金芙蓉”跃升行动计划专家服务团正式组建。"
    _, found = _brands(text)
    assert [b.name for b in found] == ["“金芙蓉”跃升行动计划专家服务团"]
    assert found[0].mentions[0].text == "“金芙蓉”跃升行动计划专家服务团"


def test_region_named_before_the_brand():
    _, found = _brands("又比如，成都 “MFG 创客联邦 ” ，依托 IFS 国际金融中心打造统战工作综合服务平台。")
    (brand,) = [b for b in found if b.name == "MFG创客联邦"]
    assert brand.region == "510100"


def test_one_brand_per_name_with_every_mention():
    text = "近年来，该市打造“同心驿站”服务品牌。目前，“同心驿站”已覆盖全部街道。"
    doc, found = _brands(text)
    (brand,) = found
    assert brand.name == "同心驿站"
    assert [m.text for m in brand.mentions] == ["同心驿站", "同心驿站"]
    assert all(doc.otext.original[m.start:m.end] == m.text for m in brand.mentions)


@pytest.mark.parametrize("text, method", [
    ("市律师协会组建“法润民心律师服务团”，深入社区开展免费法律咨询。", "cue:verb_head"),
    ("县委统战部着力打造“石门同心”统战工作品牌。", "cue:type"),
    ("全县已建成宁远县新的社会阶层人士实践创新基地。", "cue:facility"),
    ("比如杭州 “ 新联之家 ” ，依托市新的社会阶层人士联谊会经常开展联谊活动。", "classifier"),
])
def test_records_carry_kind_method_and_confidence(text, method):
    _, found = _brands(text)
    (brand,) = found
    assert brand.kind in BRAND_LABELS
    assert brand.method == method
    assert 0.0 <= brand.confidence <= 1.0


def test_mentions_point_into_traditional_original():
    text = "組建“同心律師服務團”，開展法律幫扶活動。"
    _, found = _brands(text)
    (brand,) = found
    assert brand.name == "同心律师服务团"
    assert brand.mentions[0].text == "同心律師服務團"
    assert text[brand.mentions[0].start:brand.mentions[0].end] == "同心律師服務團"


def test_mojibake_repaired_by_regions_is_repaired_in_names():
    text = "宁波市宁??h举行活动。为“6G星空”宁??h新的社会阶层人士统战服务中心揭牌。"
    doc = analyze(text)
    start = doc.text.index("宁??h")
    repaired = Region(name="宁海县", code="330226", level="county", path=["浙江省", "宁波市", "宁海县"],
                      mentions=[doc.mention(start, start + 4)], method="test", confidence=1.0)
    names = [b.name for b in extract_brands(doc, regions=[repaired])]
    assert "“6G星空”宁海县新的社会阶层人士统战服务中心" in names


def test_explain_lists_every_candidate_with_its_verdict():
    text = "要增强“四个意识”。该区打造“同心驿站”服务品牌。"
    doc = analyze(text)
    shown = explain_brands(doc)
    assert [c.text for c in shown] == ["四个意识", "同心驿站"]
    assert [c.accepted for c in shown] == [False, True]
    assert all(c.label in LABELS and 0.0 <= c.probability <= 1.0 for c in shown)
    assert shown[1].label in BRAND_LABELS
    assert [c.cue for c in shown] == ["formula: “四个意识”", "type: 打造“同心驿站”服务品牌"]
    assert {b.name for b in extract_brands(doc)} == {c.text for c in shown if c.accepted}


def test_explain_shows_the_models_strongest_feature():
    (shown,) = explain_brands(analyze("比如杭州 “ 新联之家 ” ，依托市新的社会阶层人士联谊会经常开展联谊活动。"))
    rule, evidence = shown.cue.split(": ", 1)
    assert rule == "model" and "brand p=" in evidence
    assert not evidence.startswith(("digits=", "latin="))


def test_quoted_core_with_a_descriptive_head_keeps_the_core():
    """“X”民营企业家志愿服务队 describes X's kind: the name is X (genre development set
    convention); an extension holding a programme or a place makes a name of its own."""
    _, found = _brands("组建“泡桐树下”民营企业家志愿服务队，深入开展帮扶。")
    assert [(b.name, b.full_name) for b in found] == [("泡桐树下", "“泡桐树下”民营企业家志愿服务队")]


def test_rules_when_no_model(monkeypatch):
    monkeypatch.setattr(brands_mod, "load_model", lambda: None)
    doc = analyze("该市有“同心律师服务团”。要增强“四个意识”。县里打造“石门同心”统战工作品牌。")
    found = extract_brands(doc)
    assert [(b.name, b.kind, b.method) for b in found] == [("同心律师服务团", "team", "rules"),
                                                           ("石门同心", "brand", "cue:type")]
    assert [c.accepted for c in explain_brands(doc)] == [True, False, True]


def test_header_metadata_is_not_searched():
    doc = analyze("时间: 2024-02-05 08:42:24 来源: “同心驿站”\n该区打造“同心驿站”服务品牌。")
    (brand,) = extract_brands(doc)
    assert [m.start for m in brand.mentions] == [doc.otext.original.rindex("同心驿站")]
    assert len(explain_brands(doc)) == 1


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="“”‘’《》「」·、，。同心驿站工程中心基地服务团活动计划行动 aA1?", max_size=60))
def test_never_raises(text):
    doc = analyze(text)
    for brand in extract_brands(doc, regions=extract_regions(doc)):
        assert brand.name and brand.mentions
    explain_brands(doc)
