"""No text makes the pipeline raise (quantulum3-style crash list + a property test).

`pipeline.extract` turns any failure into an error record, which would hide a
crash from these tests; they call the stages directly instead.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.analysis import analyze
from pipeline.extract import (
    extract_brands,
    extract_counts,
    extract_figures,
    extract_meetings,
    extract_regions,
    primary_region,
)

MUST_NOT_CRASH = [
    "",
    " ",
    "\n\n\n",
    "。。。！！！？？？",
    "“”“”‘’「」『』《》",
    "“未闭合的引号开始了，然后",
    "9" * 400 + "万亿元",
    "第" * 300,
    "一二三四五六七八九十百千万亿零〇" * 30,
    "寧??h寧??h\ufffd\ufffd???",
    "統(tǒng)(zhàn)(tǒng)",
    "&nbsp;&amp;&#12290;&#x4e00;&bogus;",
    "汕尾市汕尾市汕尾市" * 100,
    "召开召开会议会议暨暨座谈会" * 20,
    "2024年13月45日 25:61 去年  11  月份 今天(99日)",
    "编辑:\n关键词:\n时间:\n来源:",
    "a" * 5000,
    "\t中\t文\t",
    "编辑：李" + "晨" * 200,
]


def run_all(text: str) -> None:
    doc = analyze(text)
    regions = extract_regions(doc)
    primary = primary_region(doc, regions)
    figures = extract_figures(doc)
    counts = extract_counts(doc, regions=regions)
    extract_brands(doc, regions=regions)
    extract_meetings(doc, regions=regions, figures=figures, counts=counts, primary=primary)


@pytest.mark.parametrize("text", MUST_NOT_CRASH, ids=range(len(MUST_NOT_CRASH)))
def test_must_not_crash(text):
    run_all(text)


NEWSY = st.text(
    alphabet=st.sampled_from(list("汕尾市宁海县召开会议座谈会暨近约余多万亿元人名家个“”‘’《》，。、：；！？()（）0123456789第一二三十百千年月日上午记者编辑:张王李部长书记出席主持在于举行 \n?")),
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY)
def test_no_news_like_text_makes_an_extractor_raise(text):
    run_all(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_no_text_at_all_makes_an_extractor_raise(text):
    run_all(text)
