"""News-agency datelines, read once per document (pipeline.dateline)."""

import pytest

from pipeline.analysis import analyze
from pipeline.dateline import dateline_from, find_datelines, report_dateline


@pytest.mark.parametrize(
    "text, month, day, outlet, span",
    [
        ("新华社北京7月2日电 记者张三报道", 7, 2, True, (2, 10)),
        ("本报北京5月18日讯（记者李四）", 5, 18, True, (1, 10)),
        ("中新网6月4日电 据报道", 6, 4, True, (2, 8)),
        ("中广网北京6月4日消息 今天", 6, 4, True, (2, 11)),
        ("新华社北京十二月二十三日电", 12, 23, True, (2, 13)),
        ("本报曼谷6月11日电记者张三", 6, 11, True, (1, 10)),
        ("据悉，11日电视台播出", None, 11, False, (3, 7)),  # 日电 of 电视台: read as a dateline
    ],
    ids=["xinhua", "own-paper", "website", "message", "chinese-numerals", "abroad", "bare-day"],
)
def test_datelines(text, month, day, outlet, span):
    (line,) = find_datelines(text)
    assert (line.month, line.day, line.outlet, (line.start, line.end)) == (month, day, outlet, span)


def test_report_dateline_is_near_the_top():
    near = "标题\n新华社北京7月2日电 正文"
    far = "标题\n" + "正文。" * 80 + "新华社北京7月2日电"
    assert report_dateline(find_datelines(near)).day == 2
    assert report_dateline(find_datelines(far)) is None
    assert report_dateline(find_datelines("据悉，11日电视台播出")) is None


def test_dateline_from_a_clause_start():
    text = "新华社北京5月20日电公安部召开会议"
    lines = find_datelines(text)
    assert dateline_from(lines, 0, len(text), reach=12).end == 11
    assert dateline_from(lines, 0, 8, reach=12) is None  # it must end inside the clause
    assert dateline_from(lines, 0, len(text), reach=3) is None


def test_analysis_reads_the_dateline_once():
    doc = analyze("新华社北京7月2日电 今日召开会议")
    assert doc.dateline is not None and (doc.dateline.month, doc.dateline.day) == (7, 2)
    assert doc.datelines is doc.datelines  # computed once


@pytest.mark.parametrize("numeral, value", [
    ("7", 7), ("十二", 12), ("二十三", 23), ("三十", 30), ("〇", 0),
    ("三三", None), ("二十十", None), ("十二十", None),
])
def test_day_and_month_numerals_come_from_the_dates_parser(numeral, value):
    from pipeline.dates import small_number

    assert small_number(numeral) == value
