"""pipeline.numbers: the golden table, properties, and inputs that must not crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.numbers import CN_NUMERAL_CHARS, Number, parse_number

GOLDEN = Path(__file__).parent / "golden" / "numbers.tsv"


def _golden_rows():
    rows = []
    for number, line in enumerate(GOLDEN.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        span, value, upper, marks = line.split("\t")
        rows.append(pytest.param(span, value, upper, marks, id=f"{number}:{span}"))
    return rows


def _num(text: str):
    return float(text) if "." in text else int(text)


@pytest.mark.parametrize("span, value, upper, marks", _golden_rows())
def test_golden(span, value, upper, marks):
    got = parse_number(span)
    if value == "none":
        assert got is None
        return
    assert got is not None, span
    assert got.value == _num(value) and type(got.value) is type(_num(value))
    assert got.upper == (None if upper == "-" else _num(upper))
    flags = set() if marks == "-" else set(marks.split(","))
    assert got.percent == ("percent" in flags)
    assert got.permille == ("permille" in flags)
    assert got.approx == next((f for f in ("more_than", "about") if f in flags), None)


def test_golden_table_is_well_formed():
    rows = _golden_rows()
    assert len(rows) >= 100
    spans = [r.values[0] for r in rows]
    assert len(spans) == len(set(spans)), "a span is listed twice"


MUST_NOT_CRASH = [
    "", " ", "\n", "\u3000", "１２３４５６７８９０", "一二三四五六七八九十百千万亿" * 5, "%%%%", "‰",
    "百分之", "千分之", "近", "约有", "余多几", "1,", ",1", "1..2", "——", "0" * 100, "9" * 500,
    "1e10", "12万万亿亿", "十十十", "零零零", "🙂3", "３.５万人次", "100-", "-100", "~~~", "至至至",
    "1-2-3", "百分之百分之", "点", "点点", "廿廿", "两两", "〇〇", "1,000,00", "1，", "∞", "NaN",
    "inf", "1_000", "٣", "²", "½", "Ⅻ", "十" * 40, "1" * 41, None, 12, 3.5,
]


@pytest.mark.parametrize("span", MUST_NOT_CRASH, ids=lambda s: repr(s)[:20])
def test_does_not_crash(span):
    got = parse_number(span)
    assert got is None or isinstance(got, Number)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_gives_number_or_none(text):
    got = parse_number(text)
    assert got is None or isinstance(got.value, (int, float))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CN_NUMERAL_CHARS + "0123456789.,%余多几点-至~ ", max_size=12))
def test_numeral_soup_gives_number_or_none(text):
    got = parse_number(text)
    assert got is None or (got.upper is None or got.upper > got.value)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n):
    assert parse_number(str(n)).value == n
    assert parse_number(f"{n:,}").value == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_round_trip_with_cn2an(n):
    cn2an = pytest.importorskip("cn2an")
    written = cn2an.an2cn(n)
    got = parse_number(written)
    assert got is not None and got.value == n, written


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["万", "亿"]))
def test_multiplier(n, unit):
    scale = 10**4 if unit == "万" else 10**8
    assert parse_number(f"{n}{unit}").value == n * scale


def test_integral_results_are_int():
    assert isinstance(parse_number("3.5万").value, int)
    assert isinstance(parse_number("2.0").value, int)
    assert isinstance(parse_number("3.25").value, float)
