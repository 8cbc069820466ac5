"""The date vocabulary (pipeline/data/date_words.json): loaded, validated, compiled once.

`load_date_words()` reads and checks the file (errors name the file and the
entry); `lexicon()` compiles it, with the fixed number and clock patterns, into
the regular expressions pipeline.dates scans with.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.data import DataFileError

__all__ = ["DateWordsError", "Lexicon", "WORD_TABLES", "lexicon", "load_date_words"]


class DateWordsError(DataFileError):
    """The date vocabulary file is malformed; the message names the file and the entry."""


_DATA_FILE = "date_words.json"


def load_date_words(path: str | Path | None = None) -> dict[str, Any]:
    """Read and validate the date vocabulary (the packaged file unless `path` is given)."""
    if path is None:
        source = resources.files("pipeline").joinpath("data", _DATA_FILE)
        name, raw = f"pipeline/data/{_DATA_FILE}", source.read_text(encoding="utf-8")
    else:
        name, raw = str(path), Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise DateWordsError(f"{name}: line {err.lineno}, column {err.colno}: {err.msg}") from err
    _validate(data, name)
    return data


def _fail(name: str, where: str, what: str) -> None:
    raise DateWordsError(f"{name}: {where}: {what}")


WORD_TABLES = ("relative_days", "relative_years", "relative_months", "relative_weeks")
_REQUIRED = WORD_TABLES + (
    "numerals", "range_connectors", "weekdays", "vague", "parts_of_day", "year_parts",
    "year_edges", "month_parts", "month_edges", "bare_edge_not_after", "holidays",
    "lunar_new_year", "blocked_compounds", "recurring_prefixes", "years", "bare_day",
    "clock_not_before", "edge_not_before", "score_context", "inference", "split_relative_days",
)


def _validate(data: Any, name: str) -> None:
    if not isinstance(data, dict):
        _fail(name, "top level", "must be a JSON object")
    for key in _REQUIRED:
        if key not in data:
            _fail(name, key, "missing")
    for table in WORD_TABLES:
        for word, entry in data[table].items():
            _check_word_entry(name, f"{table}.{word}", entry)
    for word, entry in data["split_relative_days"].items():
        _check_word_entry(name, f"split_relative_days.{word}", entry)
        if len(word) != 1:
            _fail(name, f"split_relative_days.{word}", "must be one character")
    for word, entry in data["relative_days"].items():
        if entry.get("part_of_day", "上午") not in data["parts_of_day"]:
            _fail(name, f"relative_days.{word}.part_of_day", "must name an entry of parts_of_day")
    for word, entry in data["vague"].items():
        if entry.get("resolves_to") != "month":
            _fail(name, f"vague.{word}.resolves_to", "must be 'month'")
    for word, entry in data["parts_of_day"].items():
        hours = entry.get("add_12_for_hours")
        if not isinstance(hours, list) or not all(isinstance(h, int) and 0 <= h < 12 for h in hours):
            _fail(name, f"parts_of_day.{word}", "add_12_for_hours must list hours 0-11")
    _check_spans(name, "year_parts", data["year_parts"], 12)
    _check_spans(name, "month_parts", data["month_parts"], 31)
    _check_holidays(name, data)
    _check_numbers(name, data)


def _check_word_entry(name: str, where: str, entry: Any) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("offset"), int):
        _fail(name, where, "needs an integer 'offset'")
    for key in ("not_after", "not_before", "part_of_day"):
        if key in entry and not isinstance(entry[key], str):
            _fail(name, f"{where}.{key}", "must be a string")


def _check_spans(name: str, table: str, spans: dict, top: int) -> None:
    for word, span in spans.items():
        ok = isinstance(span, list) and len(span) == 2 and all(isinstance(v, int) for v in span)
        if not ok or not 1 <= span[0] <= span[1] <= top:
            _fail(name, f"{table}.{word}", f"must be [first, last] within 1-{top}")


def _check_holidays(name: str, data: dict) -> None:
    for word, value in data["holidays"].items():
        if value != "lunar_new_year" and not _month_day_ok(value):
            _fail(name, f"holidays.{word}", "must be 'MM-DD' or 'lunar_new_year'")
    for year, value in data["lunar_new_year"].items():
        if not (year.isdigit() and _month_day_ok(value, int(year))):
            _fail(name, f"lunar_new_year.{year}", "must map a year to a valid 'MM-DD'")


def _month_day_ok(value: Any, year: int = 2000) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d\d-\d\d", value):
        return False
    try:
        dt.date(year, int(value[:2]), int(value[3:]))
    except ValueError:
        return False
    return True


def _check_numbers(name: str, data: dict) -> None:
    if not all(isinstance(v, int) and 0 <= v <= 9 for v in data["numerals"].values()):
        _fail(name, "numerals", "values must be digits 0-9")
    if not all(isinstance(v, int) and 1 <= v <= 7 for v in data["weekdays"].values()):
        _fail(name, "weekdays", "values must be 1-7")
    years = data["years"]
    if not all(isinstance(years.get(k), int) for k in ("min", "max", "two_digit_pivot")):
        _fail(name, "years", "needs integer 'min', 'max' and 'two_digit_pivot'")
    for key in ("month_future_days", "day_future_days"):
        if not isinstance(data["inference"].get(key), int):
            _fail(name, f"inference.{key}", "must be an integer")
    if not all(isinstance(c, str) and c for c in data["range_connectors"]):
        _fail(name, "range_connectors", "must be non-empty strings")


# --------------------------------------------------------------------- lexicon


_DIG = "0-9０-９"
_CN = "〇○零一二三四五六七八九十两百千万亿"
_SP = "[ \u3000\xa0]?"


@dataclass(frozen=True)
class Lexicon:
    """The vocabulary as data plus the compiled patterns (all `match`ed at a position)."""

    data: dict
    trigger: re.Pattern
    iso: re.Pattern
    year: re.Pattern
    year_range: re.Pattern
    month: re.Pattern
    month_range: re.Pattern
    month_pair: re.Pattern
    day: re.Pattern
    day_range: re.Pattern
    clock_colon: re.Pattern
    clock_unit: re.Pattern
    connector: re.Pattern
    weekday: re.Pattern
    gloss: re.Pattern
    split_day: re.Pattern
    year_edge: re.Pattern
    year_edge_bare: re.Pattern
    month_edge: re.Pattern
    month_edge_bare: re.Pattern
    words: dict[str, re.Pattern]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged vocabulary, compiled once per process."""
    return _build(load_date_words())


def _build(data: dict) -> Lexicon:
    tables = {k: data[k] for k in WORD_TABLES + ("vague", "parts_of_day", "year_parts", "holidays", "month_parts")}
    firsts = {w[0] for table in tables.values() for w in table} | set("年月第元")
    return Lexicon(
        data=data,
        trigger=re.compile(f"[{_DIG}{re.escape(''.join(sorted(firsts)))}〇○零一二三四五六七八九十两]"),
        words={k: re.compile(_alternation(v)) for k, v in tables.items()},
        **_date_patterns(data),
        **_clock_patterns(),
        **_edge_patterns(data),
    )


_MONTH_CN = "十[一二]?|[一二三四五六七八九]|元"
_DAY_CN = "[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_HOUR_CN = "二?十[一二三四]?|[零一二三四五六七八九两]"
_MINUTE_CN = "[一二三四五]?十[一二三四五六七八九]?|零?[一二三四五六七八九]"


def _num(cn: str) -> str:
    """One or two digits, or a Chinese numeral matching `cn`, not inside a longer number."""
    return rf"(?:(?<![{_DIG}.．])[{_DIG}]{{1,2}}|(?<![{_CN}])(?:{cn}))"


def _date_patterns(data: dict) -> dict[str, re.Pattern]:
    conn, cny = _alternation(data["range_connectors"]), re.escape("".join(data["numerals"]))
    month, day = _num(_MONTH_CN), _num(_DAY_CN)
    year4 = rf"(?<![{_DIG}.．])(?P<y>[{_DIG}]{{4}})"
    year_cn = rf"(?<![{cny}十])(?P<ycn>[一二][{cny}]{{3}})"
    year2 = rf"(?<![{_DIG}.．])(?P<yy>[0０][{_DIG}]|[{_DIG}]{{2}}(?=年{_SP}(?:1[0-2]|0?[1-9]){_SP}月))"
    sep = "[-/.－．／]"
    return dict(
        iso=re.compile(
            rf"(?<![{_DIG}.．/／\-－])(?P<y>[{_DIG}]{{4}})(?P<sep>{sep})(?P<m>[{_DIG}]{{1,2}})"
            rf"(?P=sep)(?P<d>[{_DIG}]{{1,2}})(?![{_DIG}]|{sep}[{_DIG}])"
        ),
        year=re.compile(rf"(?:{year4}|{year_cn}|{year2}){_SP}年(?:度)?(?!代)"),
        year_range=re.compile(
            rf"(?<![{_DIG}.．])(?P<y1>[{_DIG}]{{4}}){_SP}(?:{conn}){_SP}(?P<y2>[{_DIG}]{{4}}){_SP}年(?!代)"
        ),
        month=re.compile(rf"(?P<m>{month}){_SP}月(?P<fen>份)?"),
        month_range=re.compile(rf"(?P<m1>{month}){_SP}(?:{conn}){_SP}(?P<m2>{month}){_SP}月(?P<fen>份)?"),
        month_pair=re.compile(rf"(?<![{_CN}])(?P<m1>[一二三四五六七八九])(?P<m2>[二三四五六七八九十])月(?P<fen>份)?"),
        day=re.compile(rf"(?P<d>{day}){_SP}(?P<unit>[日号])"),
        day_range=re.compile(rf"(?P<d1>{day}){_SP}(?:{conn}){_SP}(?P<d2>{day}){_SP}(?P<unit>[日号])"),
        connector=re.compile(rf"{_SP}(?:{conn}){_SP}"),
        gloss=re.compile(rf"[（(]{_SP}(?:(?P<m>{month})月)?(?P<d>{day})日{_SP}[)）]"),
        split_day=re.compile(
            rf"(?P<w>{_alternation(data['split_relative_days'])})[（(]{_SP}(?P<d>{day}){_SP}[)）]{_SP}日"
        ),
    )


def _clock_patterns() -> dict[str, re.Pattern]:
    weekday = "(?:星期|礼拜|周)[一二三四五六日天]"
    return dict(
        clock_colon=re.compile(
            rf"(?<![{_DIG}.．:：])(?P<h>[{_DIG}]{{1,2}})[:：](?P<mi>[{_DIG}]{{2}})"
            rf"(?:[:：](?P<s>[{_DIG}]{{2}}))?(?![{_DIG}]|[:：][{_DIG}])"
        ),
        clock_unit=re.compile(
            rf"(?P<h>{_num(_HOUR_CN)}){_SP}(?P<u>[时点])"
            rf"(?:{_SP}(?P<mi>{_num(_MINUTE_CN)}){_SP}分|(?P<half>半)|(?P<whole>整|钟))?"
            rf"(?:{_SP}(?P<s>[{_DIG}]{{1,2}}){_SP}秒)?(?P<approx>许)?"
        ),
        weekday=re.compile(rf"[（(]{_SP}{weekday}{_SP}[)）]|{weekday}"),
    )


def _edge_patterns(data: dict) -> dict[str, re.Pattern]:
    not_edge = f"(?![{re.escape(data['edge_not_before'])}])"
    years, months = _alternation(data["year_edges"]), _alternation(data["month_edges"])
    return dict(
        year_edge=re.compile(f"年?(?:{years}){not_edge}"),
        year_edge_bare=re.compile(f"年(?:{years}){not_edge}"),
        month_edge=re.compile(f"(?:{months}){not_edge}"),
        month_edge_bare=re.compile(f"月(?:{months}){not_edge}"),
    )
