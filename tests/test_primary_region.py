"""The document's own region: what 全省/省委/本市 refer to (issue 3)."""

import pytest

from pipeline.analysis import analyze
from pipeline.extract.regions import extract_regions, primary_region


def primary(text: str):
    doc = analyze(text)
    location = primary_region(doc, extract_regions(doc))
    return (location.name, location.code) if location else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("广东召开全省推进会。广东各地统战部参加，汕尾作交流。", ("广东省", "440000")),
        ("湖南省委统战部部署工作。全省各级统战部门每年举办培训班。", ("湖南省", "430000")),
        ("宁波市委召开会议，全市各区县参加。宁波新阶层人士代表发言。", ("宁波市", "330200")),
        ("海丰县召开会议，全县各镇参加，海丰县委书记讲话。", ("海丰县", "441521")),
    ],
    ids=["province-whole", "province-bare-shengwei", "city", "county"],
)
def test_bare_words_resolve_to_the_dominant_region(text, expected):
    assert primary(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "黑龙江省委统战部召开会议，哈尔滨市参加。",  # 省委 belongs to 黑龙江省委: not bare
        "重庆、四川、贵州、云南、西藏等省区市参加，全市发展凝心聚力。",  # no city dominates
        "会议在北京召开。",  # no bare 全省/本市 word at all
        "全省上下齐心协力。",  # the word, but no region named
    ],
    ids=["not-bare", "no-dominant", "no-word", "no-region"],
)
def test_no_primary_region_when_the_text_does_not_make_it_clear(text):
    assert primary(text) is None
