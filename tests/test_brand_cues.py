"""Context cues (pipeline.extract.brand_cues): golden rows per rule, the data file,
list runs, and the document rules as brands.extract_brands applies them."""

from pathlib import Path

import pytest

from pipeline.analysis import analyze
from pipeline.brand_classifier import BrandModel, candidate_row
from pipeline.extract import brand_cues as cues
from pipeline.extract.brand_candidates import find_candidates
from pipeline.extract.brands import brands_from, explain_brands, extract_brands, judge

GOLDEN = Path(__file__).parent / "golden" / "brand_cues.tsv"
RULES = {"title", "speech", "formula", "formula_name", "notname", "type", "since", "verb_head", "facility",
         "list", "list_heads", "family", "outer", "same_name", "model", "rules"}


def _golden_cases():
    lines = [l for l in GOLDEN.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    header = lines[0].split("\t")
    return [pytest.param(dict(zip(header, l.split("\t"))), id=l.split("\t")[0]) for l in lines[1:]]


def _row(text: str, name: str) -> dict:
    doc = analyze(text)
    (cand,) = [c for c in find_candidates(doc.text, word_ends=doc.seg.word_ends, quotes=doc.quotes) if c.text == name]
    return candidate_row(doc.text, cand)


@pytest.mark.parametrize("case", _golden_cases())
def test_golden(case):
    cue = cues.cue_of(_row(case["input"], case["candidate"]))
    if case["rule"] == "none":
        assert cue is None, str(cue)
    else:
        assert cue is not None and cue.rule == case["rule"], str(cue)
        assert cue.accept == (case["verdict"] == "accept") and cue.label == case["label"], str(cue)


def test_golden_table_covers_every_rule_both_ways():
    cases = [c.values[0] for c in _golden_cases()]
    assert {c["rule"] for c in cases} >= {"title", "speech", "formula", "formula_name", "notname", "type",
                                          "verb_head", "facility", "none"}
    assert sum(c["verdict"] == "accept" for c in cases) >= 10 and sum(c["rule"] == "none" for c in cases) >= 10


def test_cue_names_its_evidence():
    cue = cues.cue_of(_row("县委统战部着力打造“石湖同心”统战工作品牌。", "石湖同心"))
    assert str(cue) == "type: 打造“石湖同心”统战工作品牌"


def test_data_file_loads():
    words = cues.cue_words()
    assert "打造" in words.verbs and words.facilities["之家"] == "base" and "品牌" in words.trademarks
    assert words.notname["为主题"] == "meeting" and "研究" in words.institutions and "论坛" in words.events
    assert cues.place_start("稠城街道新阶层人士之家") == "稠城街道" and cues.place_start("镇上的之家") is None
    assert words.place.match("三元朱村乡村振兴实践教育基地")


@pytest.mark.parametrize("content, message", [
    ("verb\t打造\n", "brand_cues.tsv:1: expected 3"),
    ("noun\t打造\t-\n", "brand_cues.tsv:1: unknown group 'noun'"),
    ("verb\t打造\t-\nverb\t打造\t-\n", "brand_cues.tsv:2: duplicate verb '打造'"),
    ("formula\t^[一二\tslogan\n", "brand_cues.tsv:1: not a regular expression"),
    ("formula\t^两个\tbrand\n", "brand_cues.tsv:1: label 'brand' does not fit group formula"),
    ("facility\t之家\tslogan\n", "brand_cues.tsv:1: label 'slogan' does not fit group facility"),
    ("verb\t打造\t-\n", "no rows for formula"),
])
def test_data_file_errors_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "brand_cues.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(cues.BrandDataError, match=message):  # CueDataError, or the shared reader's
        cues.load_cue_words(path)


@pytest.mark.parametrize("text, spans, runs", [
    ("“甲乙”“丙丁”“戊己”", [(1, 3, True), (5, 7, True), (9, 11, True)], [[0, 1, 2]]),
    ("“甲乙”、“丙丁”和“戊己”", [(1, 3, True), (6, 8, True), (11, 13, True)], [[0, 1, 2]]),
    ("“甲乙”，“丙丁”", [(1, 3, True), (6, 8, True)], [[0, 1]]),
    ("甲乙之家、丙丁之家和戊己之家", [(0, 4, False), (5, 9, False), (10, 14, False)], [[0, 1, 2]]),
    ("甲乙之家，丙丁之家", [(0, 4, False), (5, 9, False)], []),
    ("甲乙联络站“丙丁”电商基地", [(0, 5, False), (6, 8, True)], []),
    ("“甲乙”的“丙丁”", [(1, 3, True), (6, 8, True)], []),
])
def test_list_runs(text, spans, runs):
    assert cues.list_runs(text, spans) == runs


@pytest.mark.parametrize("name, place", [
    ("义乌市新的社会阶层人士实践创新基地", "义乌市"),
    ("稠城街道新阶层人士之家", "稠城街道"),
    ("经开区网络人士联络点", "经开区"),
    ("民盟辽宁省委会盟史教育基地", "辽宁省"),
    ("偏远乡镇青少年之家", None),
    ("乡村振兴教育基地", None),
    ("东湖高新区网络人士之家", "东湖高新区"),
    ("三元朱村乡村振兴实践教育基地", "三元朱村"),
    ("青年返乡创业孵化基地", None),
    ("农民工返乡创业之家", None),
    ("送文化下乡服务驿站", None),
])
def test_place_start(name, place):
    assert cues.place_start(name) == place


def _explained(text: str) -> dict:
    return {c.text: c for c in explain_brands(analyze(text))}


def test_every_candidate_shows_the_cue_that_decided_it():
    shown = explain_brands(analyze("要增强“四个意识”。该区打造“同心驿站”服务品牌。据说“好”。"))
    assert [c.text for c in shown] == ["四个意识", "同心驿站", "好"]
    assert all(c.cue.split(":")[0] in RULES and c.cue.split(":", 1)[1].strip() for c in shown)
    assert [c.cue.split(":")[0] for c in shown] == ["formula", "type", "model"]


def test_same_name_keeps_its_type_in_the_document():
    shown = _explained("该县打造“徽韵同心”品牌。会上，“徽韵同心”被评为优秀案例。")
    brands = extract_brands(analyze("该县打造“徽韵同心”品牌。会上，“徽韵同心”被评为优秀案例。"))
    assert [(b.name, len(b.mentions)) for b in brands] == [("徽韵同心", 2)]
    assert shown["徽韵同心"].accepted


def test_later_mention_cue_names_the_rule():
    shown = explain_brands(analyze("该县打造“徽韵同心”品牌。会上，“徽韵同心”被评为优秀案例。"))
    assert [c.cue.split(":")[0] for c in shown] == ["type", "same_name"]


def _rejecting_model() -> BrandModel:
    """A model that rejects every candidate: what is accepted, the cues and the document
    rules accepted."""
    return BrandModel(classes=("program", "other"), intercept=(0.0, 9.0), weights={}, threshold=0.5)


@pytest.mark.parametrize("text, names, rule", [
    ("依托阵地开展同心助学行、同心助医行、同心助农行等活动。", ["同心助学行", "同心助医行", "同心助农行"], "family"),
    ("市律协先后组建青年律师服务团、巾帼律师服务团和银发律师服务团。",
     ["青年律师服务团", "巾帼律师服务团", "银发律师服务团"], "list_heads"),
    ("比如贵阳“数博大道‘1A+6S’新阶层工作圈”，成效初显。", ["数博大道‘1A+6S’新阶层工作圈"], "outer"),
])
def test_document_rules(text, names, rule):
    doc = analyze(text)
    judged = judge(doc, _rejecting_model())
    assert sorted(b.name for b in brands_from(doc, judged)) == sorted(names)
    assert rule in {j.cue.rule for j in judged if j.accepted}


@pytest.mark.parametrize("text", [
    "开设包括信息工程、生物工程、城市管理工程等研究生课程。",   # disciplines, not named programmes
    "目前有强力家具、马可波罗瓷砖、科勒卫浴等知名品牌入驻。",   # trademarks in a list
    "通过微信公众号、手机新闻软件等新媒体平台发布报道。",     # kinds of media
])
def test_lists_of_ordinary_things_stay_out(text):
    assert extract_brands(analyze(text)) == []
