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
        ("北京市召开会议，全市各区参加，朝阳区和海淀区作交流发言。", ("北京市", "110000")),
        ("重庆市委召开会议，全市38个区县参加。", ("重庆市", "500000")),
        ("广西召开会议，全区各市参加，南宁市作交流发言。", ("广西壮族自治区", "450000")),
        ("恩施州召开推进会，全州各县市参加。", ("恩施土家族苗族自治州", "422800")),
        ("江苏省昆山市召开会议，全市各镇参加，昆山市委书记讲话。", ("昆山市", "320583")),
        ("委员会今日举行会议，讨论推动本港青年发展的工作。", ("香港特别行政区", "810000")),
        ("委员会听取了内地交流计划的汇报。\n2023年5月12日\n香港时间18时45分", ("香港特别行政区", "810000")),
        ("同乡会昨日举行座谈会，全澳各社团代表出席。", ("澳门特别行政区", "820000")),
    ],
    ids=["province-whole", "province-bare-shengwei", "city", "county", "municipality-whole",
         "municipality-shiwei", "autonomous-region", "autonomous-prefecture", "county-level-city",
         "hong-kong-benggang", "hong-kong-time-sign-off", "macao-quanao"],
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
        "上海金融论坛讨论资本市场，杭州企业参加。",  # 资本|市场 holds 本市 across two words
        "加拿大联邦及省政府出台新规，北京学生关注。",  # a foreign 省政府: no Chinese 省 named
        "天津和上海的银行收紧房贷，本市银行表示，天津、上海两地政策不同。",  # 天津 and 上海 tie
        "本港口今年吞吐量增长，宁波舟山港继续领跑。",  # 本|港口: not 本港
        "本港与本澳青年共同参加交流活动。",  # both SARs call themselves: no single one
    ],
    ids=["not-bare", "no-dominant", "no-word", "no-region", "inside-two-words", "no-such-division", "tie",
         "port-not-hong-kong", "two-sars"],
)
def test_no_primary_region_when_the_text_does_not_make_it_clear(text):
    assert primary(text) is None
