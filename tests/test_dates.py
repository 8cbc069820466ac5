"""Tests for pipeline.dates: golden tables, negatives, data file, properties."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import PRECISIONS, DateMention, find_dates, resolve

GOLDEN = Path(__file__).parent / "golden"


def _rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (GOLDEN / name).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _published(value: str) -> dt.date | dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)


POSITIVE = _rows("dates.tsv")
NEGATIVE = _rows("dates_negative.tsv")
TRICKY = json.loads((GOLDEN / "dates_tricky.json").read_text(encoding="utf-8"))["inputs"]


def test_golden_tables_are_big_enough_and_ids_unique():
    assert len(POSITIVE) >= 80 and len(NEGATIVE) >= 30
    ids = [r["id"] for r in POSITIVE + NEGATIVE]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", POSITIVE, ids=[r["id"] for r in POSITIVE])
def test_golden(row):
    mentions = find_dates(row["text"], published=_published(row["published"]))
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert m.text == row["surface"]
    assert row["text"][m.start:m.end] == m.text
    assert m.iso == (row["iso"] or None)
    assert m.end_iso == (row["end_iso"] or None)
    assert m.precision == row["precision"]
    assert m.part_of_day == (row["part_of_day"] or None)


@pytest.mark.parametrize("row", NEGATIVE, ids=[r["id"] for r in NEGATIVE])
def test_not_a_date(row):
    assert find_dates(row["text"]) == []
    assert find_dates(row["text"], published=dt.date(2024, 6, 1)) == []


# ------------------------------------------------------------------ flags


def test_relative_and_inferred_flags():
    pub = dt.date(2024, 6, 1)
    (qunian,) = find_dates("去年11月份", published=pub)
    assert qunian.relative and not qunian.inferred and not qunian.vague
    (md,) = find_dates("5月17日", published=pub)
    assert md.inferred and not md.relative
    (absolute,) = find_dates("2024年5月17日", published=pub)
    assert not absolute.inferred and not absolute.relative
    (jinri,) = find_dates("近日", published=pub)
    assert jinri.vague and jinri.relative


def test_no_publication_date_means_nothing_inferred():
    (md,) = find_dates("5月17日")
    assert md.iso == "--05-17" and not md.inferred


def test_published_must_be_a_date():
    with pytest.raises(TypeError):
        find_dates("今天", published="2024-05-17")  # type: ignore[arg-type]


def test_datetime_and_date_publication_agree():
    a = find_dates("昨天下午3点", published=dt.date(2024, 5, 17))
    b = find_dates("昨天下午3点", published=dt.datetime(2024, 5, 17, 23, 59))
    assert a == b


# --------------------------------------------------------------- documents


def test_several_dates_in_one_text_in_order():
    text = "9月9日，全省培训班结业式举行。7月21日，衡南县开展活动。5月9日，在湖南金融中心举行宣讲。"
    mentions = find_dates(text)
    assert [m.iso for m in mentions] == ["--09-09", "--07-21", "--05-09"]
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_headline_and_dateline():
    text = "全省推进会在汕尾召开\n\n时间: 2024-02-05 08:42:24 来源: 本网\n\n近日，全省推进会在汕尾召开。"
    mentions = find_dates(text, published=dt.date(2024, 2, 5))
    assert [(m.text, m.iso) for m in mentions] == [
        ("2024-02-05 08:42:24", "2024-02-05T08:42:24"),
        ("近日", "2024-02"),
    ]


def test_listed_day_takes_month_from_previous_date():
    mentions = find_dates("会议定于3月13日、14日举行", published=dt.date(2024, 3, 1))
    assert [(m.text, m.iso) for m in mentions] == [("3月13日", "2024-03-13"), ("14日", "2024-03-14")]


def test_listed_month_takes_year_from_previous_date():
    mentions = find_dates("封闭式基金自去年11月份、12月份到今年", published=dt.date(2009, 3, 1))
    assert [(m.text, m.iso) for m in mentions] == [("去年11月份", "2008-11"), ("12月份", "2008-12"), ("今年", "2009")]


def test_jinnian_next_to_anniversary():
    mentions = find_dates("今年是新中国成立75周年，也是实现“十四五”规划目标任务的关键一年。", published=dt.date(2024, 2, 5))
    assert [(m.text, m.iso) for m in mentions] == [("今年", "2024")]


def test_range_end_before_start_is_not_a_range():
    (m,) = find_dates("9月15日至14日")
    assert m.text == "9月15日" and m.end_iso is None


def test_cross_year_range_without_publication_keeps_truncated_forms():
    (m,) = find_dates("12月30日至1月2日")
    assert (m.iso, m.end_iso) == ("--12-30", "--01-02")


def test_anaphoric_words_are_not_resolved():
    for text in ("当天下午", "次日上午", "当年", "当月"):
        assert find_dates(text, published=dt.date(2024, 6, 1)) == [], text


# ------------------------------------------------------------------ resolve


@pytest.mark.parametrize(
    "text, published, iso",
    [
        ("近日", dt.date(2024, 2, 5), "2024-02"),
        (" 2024年2月5日 ", None, "2024-02-05"),
        ("去年11月份", None, "--11"),
        ("9月14日至15日", None, "--09-14"),
        ("下午3点", None, "T15:00"),
    ],
)
def test_resolve_one_expression(text, published, iso):
    m = resolve(text, published=published)
    assert m is not None and m.iso == iso


@pytest.mark.parametrize("text", ["上午", "5月17日在成都召开", "3年内", "", "2024年和2025年"])
def test_resolve_rejects_what_is_not_exactly_one_date(text):
    assert resolve(text) is None


def test_resolve_keeps_unresolvable_relative_expression():
    m = resolve("近日")
    assert m is not None and m.iso is None and m.precision == "month" and m.vague


# ---------------------------------------------------------------- properties


def _check(mentions: list[DateMention], text: str) -> None:
    last_end = -1
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end
        assert m.precision in PRECISIONS
        last_end = m.end


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_inputs_do_not_crash(text):
    for pub in (None, dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        _check(find_dates(text, published=pub), text)
        resolve(text, published=pub)


DATE_ALPHABET = "0123456789０１２３４５６７８９年月日号时分秒点半许至到-—~:：/. 〇○零一二三四五六七八九十两上下午晚今去明前昨本周星期旬初底末季度份近（）、"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.dates()))
def test_never_raises_on_any_text(text, pub):
    _check(find_dates(text, published=pub), text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=DATE_ALPHABET, max_size=40), st.one_of(st.none(), st.dates()))
def test_never_raises_on_date_like_text(text, pub):
    _check(find_dates(text, published=pub), text)
    resolve(text, published=pub)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_written_out_dates_round_trip(day):
    text = f"{day.year}年{day.month}月{day.day}日"
    assert resolve(text) is not None and resolve(text).iso == day.isoformat()
