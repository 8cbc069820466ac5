"""Chinese date and time expressions: find them in text, resolve them to ISO 8601.

`find_dates(text, published=...)` scans simplified Chinese text for dates and
times (2024年2月5日, 5月17日, 去年11月份, 近日, 9月14日至15日, 下午3点 ...) and
returns `DateMention` records whose offsets index the string passed in.
`resolve(text)` parses one isolated expression.

`iso` is an ISO 8601 prefix at the precision the text gives: 2024, 2024-02,
2024-02-05, 2024-02-05T09:30, 2024-W21 (a week). Parts that the text leaves out
and the publication date cannot fix are dropped, as in the truncated forms of
ISO 8601:2000: --05-17 (month and day), --11 (a month), ---14 (a day), T10:00 (a
clock time with no date). A purely relative expression (近日, 昨天, 去年) with
no publication date has iso None.

Rules (vocabulary and parameters live in pipeline/data/date_words.json):
- Relative words (今天, 去年, 上个月, 本周 ...) count from the publication date.
- 近日, 日前, 近期, 目前 give the publication month (vague=True).
- A month (and day) with no year takes the publication year, or the year before
  when the publication year would put its start more than `month_future_days`
  (62) days after publication. A day with no month (14日) takes the publication
  month, or the month before when it would fall more than `day_future_days`
  (15) days after publication. Such values are flagged inferred=True; bare
  年底/月底/上半年 are inferred the same way.
- 年初/年底 keep year precision and 月初/月底 month precision (the text names
  no finer unit); 上旬/中旬/下旬 are day ranges; 上半年, 一季度, 前三季度 are month
  ranges (iso and end_iso).
- Ranges (9月14日至15日, 2023年12月至2024年1月, 1-5月, 上午9时至11时) fill
  end_iso; the second end takes what it leaves out from the first.
- A time of day alone (上午) is not a date; neither are durations, counts,
  ordinals, numbers in names, recurring dates (每月15日) or anaphoric words
  (当天, 次日, 当年), which need another date to resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

__all__ = ["DateMention", "DateWordsError", "find_dates", "load_date_words", "resolve"]

PRECISIONS = ("year", "month", "week", "day", "minute", "second")


@dataclass(frozen=True)
class DateMention:
    """One date or time expression: where it is, what it says, what it resolves to."""

    start: int
    end: int
    text: str
    iso: str | None
    end_iso: str | None = None
    precision: str = "day"
    relative: bool = False
    inferred: bool = False
    vague: bool = False
    part_of_day: str | None = None


def find_dates(
    text: str, *, published: dt.date | dt.datetime | None = None
) -> list[DateMention]:
    """Every date or time expression in `text`, left to right, resolved against `published`."""
    lex, pub = _lexicon(), _as_date(published)
    mentions: list[DateMention] = []
    prev: tuple[int, _Parts, _When] | None = None
    pos = 0
    while (hit := lex.trigger.search(text, pos)) is not None:
        start = hit.start()
        got = _parse_listed(lex, text, start, prev) or _parse_range(lex, text, start)
        if got is None or _excluded(lex, text, start, got[0]):
            pos = start + 1
            continue
        end, parts = got
        when = _when(parts, pub, lex)
        mentions.append(_mention(text, start, end, parts, when, pub, lex))
        prev, pos = (end, parts, when), end
    return mentions


def resolve(
    text: str, *, published: dt.date | dt.datetime | None = None
) -> DateMention | None:
    """Parse `text` as one date expression; None unless one mention covers all of it."""
    core = text.strip(_TRIM)
    lead = len(text) - len(text.lstrip(_TRIM))
    mentions = find_dates(text, published=published)
    if len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (lead, lead + len(core)):
        return mentions[0]
    return None


_TRIM = " \t\r\n\u3000\xa0，。、；：,.;:!！?？"


# --------------------------------------------------------------------------- data


class DateWordsError(ValueError):
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


_WORD_TABLES = ("relative_days", "relative_years", "relative_months", "relative_weeks")
_REQUIRED = _WORD_TABLES + (
    "numerals", "range_connectors", "weekdays", "vague", "parts_of_day", "year_parts",
    "year_edges", "month_parts", "month_edges", "bare_edge_not_after", "holidays",
    "lunar_new_year", "blocked_compounds", "recurring_prefixes", "years", "bare_day",
    "clock_not_before", "edge_not_before", "score_context", "inference",
)


def _validate(data: Any, name: str) -> None:
    if not isinstance(data, dict):
        _fail(name, "top level", "must be a JSON object")
    for key in _REQUIRED:
        if key not in data:
            _fail(name, key, "missing")
    for table in _WORD_TABLES:
        for word, entry in data[table].items():
            _check_word_entry(name, f"{table}.{word}", entry)
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
    return _safe_date(year, int(value[:2]), int(value[3:])) is not None


def _check_numbers(name: str, data: dict) -> None:
    if not all(isinstance(v, int) and 0 <= v <= 9 for v in data["numerals"].values()):
        _fail(name, "numerals", "values must be digits 0-9")
    if not all(isinstance(v, int) and 1 <= v <= 7 for v in data["weekdays"].values()):
        _fail(name, "weekdays", "values must be 1-7")
    years = data["years"]
    if not (isinstance(years.get("min"), int) and isinstance(years.get("max"), int)):
        _fail(name, "years", "needs integer 'min' and 'max'")
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
class _Lexicon:
    data: dict
    trigger: re.Pattern
    iso: re.Pattern
    year: re.Pattern
    year_range: re.Pattern
    month: re.Pattern
    month_range: re.Pattern
    day: re.Pattern
    day_range: re.Pattern
    clock_colon: re.Pattern
    clock_unit: re.Pattern
    connector: re.Pattern
    weekday: re.Pattern
    year_edge: re.Pattern
    year_edge_bare: re.Pattern
    month_edge: re.Pattern
    month_edge_bare: re.Pattern
    words: dict[str, re.Pattern]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _build(load_date_words())


def _build(data: dict) -> _Lexicon:
    conn = _alternation(data["range_connectors"])
    cny = "".join(data["numerals"])
    month_cn = "十[一二]?|[一二三四五六七八九]|元"
    day_cn = "[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
    num = lambda cn: rf"(?:(?<![{_DIG}.．])[{_DIG}]{{1,2}}|(?<![{_CN}])(?:{cn}))"
    tables = {k: data[k] for k in _WORD_TABLES + ("vague", "parts_of_day", "year_parts", "holidays")}
    words = {k: re.compile(_alternation(v)) for k, v in tables.items()}
    words["month_parts"] = re.compile(_alternation(data["month_parts"]))
    firsts = {w[0] for table in tables.values() for w in table} | set("年月第元")
    not_edge = f"(?![{re.escape(data['edge_not_before'])}])"
    year_edges, month_edges = _alternation(data["year_edges"]), _alternation(data["month_edges"])
    return _Lexicon(
        data=data,
        trigger=re.compile(f"[{_DIG}{re.escape(''.join(firsts))}〇○零一二三四五六七八九十两]"),
        iso=re.compile(
            rf"(?<![{_DIG}.．/／\-－])(?P<y>[{_DIG}]{{4}})(?P<sep>[-/.－．／])(?P<m>[{_DIG}]{{1,2}})"
            rf"(?P=sep)(?P<d>[{_DIG}]{{1,2}})(?![{_DIG}]|[-/.－．／][{_DIG}])"
        ),
        year=re.compile(
            rf"(?:(?<![{_DIG}.．])(?P<y>[{_DIG}]{{4}})|(?<![{re.escape(cny)}十])(?P<ycn>[一二][{re.escape(cny)}]{{3}}))"
            rf"{_SP}年(?:度)?(?!代)"
        ),
        year_range=re.compile(
            rf"(?<![{_DIG}.．])(?P<y1>[{_DIG}]{{4}}){_SP}(?:{conn}){_SP}(?P<y2>[{_DIG}]{{4}}){_SP}年(?!代)"
        ),
        month=re.compile(rf"(?P<m>{num(month_cn)}){_SP}月(?P<fen>份)?"),
        month_range=re.compile(rf"(?P<m1>{num(month_cn)}){_SP}(?:{conn}){_SP}(?P<m2>{num(month_cn)}){_SP}月(?P<fen>份)?"),
        day=re.compile(rf"(?P<d>{num(day_cn)}){_SP}(?P<unit>[日号])"),
        day_range=re.compile(rf"(?P<d1>{num(day_cn)}){_SP}(?:{conn}){_SP}(?P<d2>{num(day_cn)}){_SP}(?P<unit>[日号])"),
        clock_colon=re.compile(
            rf"(?<![{_DIG}.．:：])(?P<h>[{_DIG}]{{1,2}})[:：](?P<mi>[{_DIG}]{{2}})"
            rf"(?:[:：](?P<s>[{_DIG}]{{2}}))?(?![{_DIG}]|[:：][{_DIG}])"
        ),
        clock_unit=re.compile(
            rf"(?P<h>{num('二?十[一二三四]?|[零一二三四五六七八九两]')}){_SP}(?P<u>[时点])"
            rf"(?:{_SP}(?P<mi>{num('[一二三四五]?十[一二三四五六七八九]?|零?[一二三四五六七八九]')}){_SP}分"
            rf"|(?P<half>半)|(?P<whole>整|钟))?"
            rf"(?:{_SP}(?P<s>[{_DIG}]{{1,2}}){_SP}秒)?(?P<approx>许)?"
        ),
        connector=re.compile(rf"{_SP}(?:{conn}){_SP}"),
        weekday=re.compile(
            rf"[（(]{_SP}(?:星期|礼拜|周)[一二三四五六日天]{_SP}[)）]|(?:星期|礼拜|周)[一二三四五六日天]"
        ),
        year_edge=re.compile(f"年?(?:{year_edges}){not_edge}"),
        year_edge_bare=re.compile(f"年(?:{year_edges}){not_edge}"),
        month_edge=re.compile(f"(?:{month_edges}){not_edge}"),
        month_edge_bare=re.compile(f"月(?:{month_edges}){not_edge}"),
        words=words,
    )


# ---------------------------------------------------------------------- parsing


@dataclass
class _Parts:
    """What one expression states, before resolution."""

    year: int | None = None
    year_rel: int | None = None
    month: int | None = None
    month_rel: int | None = None
    month_cn: bool = False
    month_fen: bool = False
    day: int | None = None
    day_rel: int | None = None
    week_rel: int | None = None
    weekday: int | None = None
    holiday: str | None = None
    vague: bool = False
    month_span: tuple[int, int] | None = None
    day_span: tuple[int, int] | None = None
    coarse: str | None = None
    pod: str | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    end: _Parts | None = None
    from_start: bool = False

    def has_year(self) -> bool:
        return self.year is not None or self.year_rel is not None

    def has_month(self) -> bool:
        return self.month is not None or self.month_rel is not None

    def day_level(self) -> bool:
        week_day = self.week_rel is not None and self.weekday is not None
        return self.day is not None or self.day_rel is not None or week_day or bool(self.holiday)

    def has_date(self) -> bool:
        return (
            self.has_year() or self.has_month() or self.day_level() or self.vague
            or self.week_rel is not None or bool(self.month_span or self.day_span or self.coarse)
        )

    def closed(self) -> bool:
        """A part that ends the expression at its level (上半年, 月底, 上旬, 近日, a range)."""
        return bool(self.month_span or self.day_span or self.coarse or self.vague or self.end)


def _parse_range(lex: _Lexicon, text: str, i: int) -> tuple[int, _Parts] | None:
    got = _parse(lex, text, i, tail=False)
    if got is None:
        return None
    end, parts = got
    conn = lex.connector.match(text, end)
    if parts.end is None and not parts.vague and conn:
        tail = _parse(lex, text, conn.end(), tail=True)
        if tail and _precision(tail[1]) == _precision(parts) and not tail[1].end:
            parts.end = replace(tail[1], from_start=not tail[1].has_year())
            end = tail[0]
    return end, parts


def _parse_listed(lex, text, i, prev) -> tuple[int, _Parts] | None:
    """A bare day listed after a full date (3月13日、14日) takes its month and year."""
    if prev is None or text[prev[0]:i] not in ("、", "和", "及", "与"):
        return None
    first = prev[1]
    got = _parse(lex, text, i, tail=True)
    if got is None or first.end is not None or not first.has_month():
        return None
    end, parts = got
    if parts.day is None or parts.has_month() or parts.has_year() or parts.end is not None:
        return None
    inherited = dict(year=first.year, year_rel=first.year_rel, month=first.month, month_rel=first.month_rel)
    return end, replace(parts, **inherited)


def _parse(lex: _Lexicon, text: str, i: int, *, tail: bool) -> tuple[int, _Parts] | None:
    parts, end = _Parts(), i
    for slot in _SLOTS:
        at = end if end == i else _skip_space(text, end)
        got = slot(lex, text, at, parts, tail)
        if got is not None:
            end = got
    if end == i or not _acceptable(parts):
        return None
    return end, parts


def _skip_space(text: str, i: int) -> int:
    return i + 1 if i < len(text) and text[i] in " \u3000\xa0" else i


def _acceptable(p: _Parts) -> bool:
    if not p.has_date() and p.hour is None:
        return False
    bare_cn_month = p.month_cn and not (p.has_year() or p.day is not None or p.month_fen)
    return not (bare_cn_month and not (p.end or p.day_span or p.coarse))


def _excluded(lex: _Lexicon, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2):start]
    if any(before.endswith(w) for w in lex.data["recurring_prefixes"]):
        return True
    if re.search(r"(?:每|逢)(?:年|月|周|星期)$", text[max(0, start - 3):start]):
        return True
    return any(text.startswith(w, start) for w in lex.data["blocked_compounds"])


def _word(lex: _Lexicon, table: str, text: str, i: int) -> tuple[str, dict] | None:
    """The longest word of `table` at i, unless the characters around it bind it to another word."""
    m = lex.words[table].match(text, i)
    if m is None:
        return None
    word, entry = m.group(), lex.data[table][m.group()]
    if isinstance(entry, dict):
        if i > 0 and text[i - 1] in entry.get("not_after", ""):
            return None
        if m.end() < len(text) and text[m.end()] in entry.get("not_before", ""):
            return None
    return word, entry


def _number(s: str, numerals: dict[str, int]) -> int:
    """Arabic, full-width or Chinese numerals: 12, １２, 十二, 二十一, 二〇二四, 零五."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(numerals[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (numerals[tens] if tens else 1) * 10 + (numerals[ones] if ones else 0)


def _value(lex: _Lexicon, s: str) -> int:
    return 1 if s == "元" else _number(s.replace(" ", ""), lex.data["numerals"])


# Slots, in the order an expression states them. Each returns the new end or None.


def _slot_iso(lex, text, i, p, tail):
    m = lex.iso.match(text, i)
    if p.has_date() or m is None:
        return None
    y, mo, d = (int(m.group(k)) for k in ("y", "m", "d"))
    if _safe_date(y, mo, d) is None:
        return None
    p.year, p.month, p.day = y, mo, d
    return m.end()


def _slot_year(lex, text, i, p, tail):
    if p.has_date():
        return None
    m = lex.year_range.match(text, i)
    if m and _year_ok(lex, int(m["y1"])) and int(m["y1"]) < int(m["y2"]) and _year_ok(lex, int(m["y2"])):
        p.year, p.end = int(m["y1"]), _Parts(year=int(m["y2"]))
        return m.end()
    m = lex.year.match(text, i)
    if m:
        year = int(m["y"]) if m["y"] else _number(m["ycn"], lex.data["numerals"])
        if not _year_in_context(lex, text, m, year):
            return None
        p.year = year
        return m.end()
    w = _word(lex, "relative_years", text, i)
    if w:
        p.year_rel = w[1]["offset"]
        return i + len(w[0])
    return None


def _year_ok(lex: _Lexicon, year: int) -> bool:
    return lex.data["years"]["min"] <= year <= lex.data["years"]["max"]


def _year_in_context(lex: _Lexicon, text: str, m: re.Match, year: int) -> bool:
    """A year number, not a count of years (距今2000年, 1000年前)."""
    cfg = lex.data["years"]
    before = text[max(0, m.start() - 4):m.start()]
    if not _year_ok(lex, year) or any(before.endswith(w) for w in cfg["count_words_before"]):
        return False
    if year < 1900 or year % 1000 == 0:
        return not any(text.startswith(w, m.end()) for w in cfg["duration_words_after"])
    return True


def _slot_year_part(lex, text, i, p, tail):
    if p.has_month() or p.day_level() or p.closed() or p.week_rel is not None:
        return None
    bare = not p.has_year()
    if bare and not _bare_ok(lex, text, i):
        return None
    w = _word(lex, "year_parts", text, i)
    if w:
        p.month_span = tuple(w[1])
        return i + len(w[0])
    m = (lex.year_edge_bare if bare else lex.year_edge).match(text, i)
    if m:
        p.coarse = "year"
        return m.end()
    return None


def _bare_ok(lex: _Lexicon, text: str, i: int) -> bool:
    return i == 0 or text[i - 1] not in lex.data["bare_edge_not_after"]


def _slot_month(lex, text, i, p, tail):
    if p.has_month() or p.day_level() or p.closed() or p.week_rel is not None:
        return None
    if not p.has_year():
        w = _word(lex, "relative_months", text, i)
        if w:
            p.month_rel = w[1]["offset"]
            return i + len(w[0])
    m = lex.month_range.match(text, i)
    if m:
        m1, m2 = _value(lex, m["m1"]), _value(lex, m["m2"])
        if 1 <= m1 < m2 <= 12:
            p.month, p.month_fen, p.end = m1, bool(m["fen"]), _Parts(month=m2, from_start=True)
            return m.end()
    m = lex.month.match(text, i)
    if m and 1 <= _value(lex, m["m"]) <= 12:
        p.month, p.month_fen = _value(lex, m["m"]), bool(m["fen"])
        p.month_cn = not m["m"][0].isdigit()
        return m.end()
    return None


def _slot_month_part(lex, text, i, p, tail):
    if p.day_level() or p.closed() or p.week_rel is not None:
        return None
    if p.has_month():
        w = _word(lex, "month_parts", text, i)
        if w:
            p.day_span = tuple(lex.data["month_parts"][w[0]])
            return i + len(w[0])
        m = lex.month_edge.match(text, i)
    elif not p.has_date() and _bare_ok(lex, text, i):
        m = lex.month_edge_bare.match(text, i)
    else:
        return None
    if m:
        p.coarse = "month"
        return m.end()
    return None


def _slot_day(lex, text, i, p, tail):
    if p.day_level() or p.closed() or p.week_rel is not None:
        return None
    if p.has_month():
        return _abs_day(lex, text, i, p, bare=False)
    if p.has_year():
        return _holiday(lex, text, i, p)
    for slot in (_relative_day, _vague, _week, _holiday):
        got = slot(lex, text, i, p)
        if got is not None:
            return got
    return _abs_day(lex, text, i, p, bare=not tail)


def _abs_day(lex, text, i, p, *, bare):
    m = lex.day_range.match(text, i)
    if m:
        d1, d2 = _value(lex, m["d1"]), _value(lex, m["d2"])
        if 1 <= d1 < d2 <= 31 and (not bare or _bare_day_ok(lex, text, m)):
            p.day, p.end = d1, _Parts(day=d2)
            return m.end()
    m = lex.day.match(text, i)
    if m is None or not 1 <= _value(lex, m["d"]) <= 31:
        return None
    if bare and not _bare_day_ok(lex, text, m):
        return None
    p.day = _value(lex, m["d"])
    return m.end()


def _bare_day_ok(lex: _Lexicon, text: str, m: re.Match) -> bool:
    """A day with no month (14日): digits and 日 only, not a duration or an ordinal."""
    cfg = lex.data["bare_day"]
    if m["unit"] != "日" or not m.group()[0].isdigit():
        return False
    if m.start() > 0 and text[m.start() - 1] in cfg["not_after"]:
        return False
    return not any(text.startswith(w, m.end()) for w in cfg["not_before"])


def _relative_day(lex, text, i, p):
    w = _word(lex, "relative_days", text, i)
    if w is None:
        return None
    p.day_rel, p.pod = w[1]["offset"], w[1].get("part_of_day")
    return i + len(w[0])


def _vague(lex, text, i, p):
    w = _word(lex, "vague", text, i)
    if w is None:
        return None
    p.vague = True
    return i + len(w[0])


def _week(lex, text, i, p):
    w = _word(lex, "relative_weeks", text, i)
    if w is None:
        return None
    p.week_rel, end = w[1]["offset"], i + len(w[0])
    if end < len(text) and text[end] in lex.data["weekdays"]:
        p.weekday = lex.data["weekdays"][text[end]]
        end += 1
    return end


def _holiday(lex, text, i, p):
    m = lex.words["holidays"].match(text, i)
    if m is None:
        return None
    p.holiday = m.group()
    return m.end()


def _slot_weekday(lex, text, i, p, tail):
    if not p.day_level() or p.week_rel is not None:
        return None
    m = lex.weekday.match(text, i)
    return m.end() if m else None


def _slot_pod(lex, text, i, p, tail):
    if p.pod is not None or (p.has_date() and not p.day_level()):
        return None
    w = _word(lex, "parts_of_day", text, i)
    if w is None:
        return None
    p.pod = w[0]
    return i + len(w[0])


def _slot_clock(lex, text, i, p, tail):
    if p.hour is not None or (p.has_date() and not p.day_level()):
        return None
    got = _clock(lex, text, i)
    if got is None:
        return None
    end, hour, minute, second, kind = got
    standalone = not p.has_date() and p.pod is None and not tail
    if standalone and not _standalone_clock_ok(lex, text, i, end, kind):
        return None
    p.hour, p.minute, p.second = hour, minute, second
    return end


def _clock(lex, text, i):
    """(end, hour, minute, second, kind) of a clock time at i, kind: colon | shi | dian | cn."""
    m = lex.clock_colon.match(text, i)
    if m:
        h, mi = int(m["h"]), int(m["mi"])
        s = int(m["s"]) if m["s"] else None
        kind = "colon"
    else:
        m = lex.clock_unit.match(text, i)
        if m is None:
            return None
        h = _value(lex, m["h"])
        mi = 30 if m["half"] else (_value(lex, m["mi"]) if m["mi"] else 0)
        s = int(m["s"]) if m["s"] else None
        digits = m["h"][0].isdigit()
        kind = ("shi" if m["u"] == "时" else "dian") if digits else "cn"
        if m["u"] == "点" and not (m["mi"] or m["half"] or m["whole"]):
            kind += "-bare"
        if m.group().endswith("时") and m.end() < len(text) and text[m.end()] in lex.data["clock_not_before"]:
            return None
    if h > 24 or mi > 59 or (s is not None and s > 59) or (h == 24 and (mi or s)):
        return None
    return m.end(), h, mi, s, kind


def _standalone_clock_ok(lex, text, start, end, kind) -> bool:
    """A clock time with no date or part of day before it: digits, and not a score."""
    if kind in ("cn", "dian-bare", "cn-bare"):
        return False
    if start > 0 and text[start - 1] in lex.data["bare_day"]["not_after"]:
        return False
    if kind != "colon":
        return True
    score = lex.data["score_context"]
    before = text[max(0, start - 3):start]
    if any(before.endswith(w) for w in score["before"]):
        return False
    return not any(text.startswith(w, end) for w in score["after"])


_SLOTS: tuple[Callable, ...] = (
    _slot_iso, _slot_year, _slot_year_part, _slot_month, _slot_month_part,
    _slot_day, _slot_weekday, _slot_pod, _slot_clock,
)


# ------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class _When:
    """A resolved calendar position (any part may stay unknown)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    week: tuple[int, int] | None = None
    inferred: bool = False


def _as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"published must be a datetime.date, datetime.datetime or None, not {type(value).__name__}")


def _safe_date(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    try:
        return dt.date(y, m, d)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _plus(day: dt.date | None, *, days: int = 0, weeks: int = 0) -> dt.date | None:
    """`day` moved by days and weeks; None past the calendar's ends (year 1, year 9999)."""
    try:
        return day + dt.timedelta(days=days, weeks=weeks) if day else None
    except OverflowError:
        return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    n = year * 12 + month - 1 + by
    return n // 12, n % 12 + 1


def _when(p: _Parts, pub: dt.date | None, lex: _Lexicon) -> _When:
    if p.day_rel is not None:
        x = _plus(pub, days=p.day_rel)
        return _When(x.year, x.month, x.day) if x else _When()
    if p.week_rel is not None:
        return _week_when(p, pub)
    if p.vague:
        return _When(pub.year, pub.month) if pub else _When()
    y, m, d = p.year, p.month, p.day
    if p.year_rel is not None:
        y = pub.year + p.year_rel if pub else None
    if p.month_rel is not None:
        y, m = _shift_month(pub.year, pub.month, p.month_rel) if pub else (None, None)
    if p.holiday:
        m, d = _holiday_month_day(lex, p.holiday, y)
    if y is not None or pub is None or p.year_rel is not None or p.month_rel is not None:
        return _When(y, m, d)
    return _infer(p, m, d, pub, lex)


def _week_when(p: _Parts, pub: dt.date | None) -> _When:
    monday = _plus(pub, days=-pub.weekday(), weeks=p.week_rel) if pub else None
    if monday is None:
        return _When()
    if p.weekday is not None:
        x = _plus(monday, days=p.weekday - 1)
        return _When(x.year, x.month, x.day) if x else _When()
    iso_year, iso_week, _ = monday.isocalendar()
    return _When(week=(iso_year, iso_week))


def _holiday_month_day(lex: _Lexicon, name: str, year: int | None) -> tuple[int | None, int | None]:
    value = lex.data["holidays"][name]
    if value == "lunar_new_year":
        value = lex.data["lunar_new_year"].get(str(year)) if year is not None else None
        if value is None:
            return None, None
    return int(value[:2]), int(value[3:])


def _infer(p: _Parts, m, d, pub: dt.date, lex: _Lexicon) -> _When:
    """Fill the year (and month) the text leaves out from the publication date."""
    cfg = lex.data["inference"]
    if p.holiday:
        def first(y):
            hm, hd = _holiday_month_day(lex, p.holiday, y)
            return _safe_date(y, hm, hd)
    elif m is not None or p.month_span:
        def first(y):
            return _safe_date(y, m or p.month_span[0], d or 1)
    elif d is not None:
        ym = _infer_month(d, pub, cfg["day_future_days"])
        return _When(ym[0], ym[1], d, inferred=True) if ym else _When(None, None, d)
    elif p.coarse == "month":
        return _When(pub.year, pub.month, inferred=True)
    elif p.coarse == "year":
        return _When(pub.year, inferred=True)
    else:
        return _When()
    y = _infer_year(first, pub, cfg["month_future_days"])
    if y is None:
        return _When(None, m, d)
    if p.holiday:
        m, d = _holiday_month_day(lex, p.holiday, y)
    return _When(y, m, d, inferred=True)


def _infer_year(first: Callable[[int], dt.date | None], pub: dt.date, future_days: int) -> int | None:
    for year in (pub.year, pub.year - 1):
        start = first(year)
        if start is not None and (start - pub).days <= future_days:
            return year
    return None


def _infer_month(day: int, pub: dt.date, future_days: int) -> tuple[int, int] | None:
    for by in (0, -1):
        y, m = _shift_month(pub.year, pub.month, by)
        start = _safe_date(y, m, day)
        if start is not None and (start - pub).days <= future_days:
            return y, m
    return None


# ------------------------------------------------------------------ formatting


def _precision(p: _Parts) -> str:
    if p.hour is not None:
        return "second" if p.second is not None else "minute"
    if p.day_level() or p.day_span:
        return "day"
    if p.week_rel is not None:
        return "week"
    if p.has_month() or p.month_span or p.vague or p.coarse == "month":
        return "month"
    return "year"


def _time(p: _Parts, lex: _Lexicon) -> str | None:
    if p.hour is None:
        return None
    hour = p.hour
    if p.pod and hour in lex.data["parts_of_day"][p.pod]["add_12_for_hours"]:
        hour += 12
    text = f"{hour:02d}:{p.minute or 0:02d}"
    return text + (f":{p.second:02d}" if p.second is not None else "")


def _fmt(y: int | None, m: int | None, d: int | None, time: str | None = None) -> str | None:
    if y is not None:
        s = f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")
    elif m is not None:
        s = f"--{m:02d}" + (f"-{d:02d}" if d else "")
    elif d is not None:
        s = f"---{d:02d}"
    else:
        s = ""
    s += f"T{time}" if time else ""
    return s or None


def _iso_pair(p: _Parts, w: _When, lex: _Lexicon) -> tuple[str | None, str | None]:
    """(first, last) ISO of one expression; last is None unless it names a span."""
    if w.week is not None:
        return f"{w.week[0]}-W{w.week[1]:02d}", None
    if p.month_span:
        return _fmt(w.year, p.month_span[0], None), _fmt(w.year, p.month_span[1], None)
    if p.day_span:
        last = p.day_span[1]
        if w.month is not None:
            last = min(last, calendar.monthrange(w.year if w.year else 2000, w.month)[1])
        return _fmt(w.year, w.month, p.day_span[0]), _fmt(w.year, w.month, last)
    return _fmt(w.year, w.month, w.day, _time(p, lex)), None


def _end_parts(first: _Parts, w: _When, end: _Parts) -> _Parts:
    """The second end of a range, completed with what it leaves out from the first."""
    if not end.has_date():
        return replace(end, year=w.year, month=w.month, day=w.day, pod=end.pod or first.pod)
    own = (end.day_rel, end.week_rel, end.month_rel)
    if end.has_year() or end.vague or any(v is not None for v in own):
        return end
    if end.has_month() or end.month_span or end.holiday:
        return replace(end, year=w.year)
    return replace(end, year=w.year, month=w.month)


def _range_end(first: _Parts, w: _When, end: _Parts, pub, lex) -> tuple[str | None, bool] | None:
    """(end_iso, inferred) of a range, or None when the second end comes before the first."""
    filled = _end_parts(first, w, end)
    we = _when(filled, pub, lex)
    if _before(we, w, filled, first):
        if not (end.from_start and end.has_month()):
            return None
        if we.year is not None:  # 12月30日至1月2日: the end is in the next year
            filled = replace(filled, year=we.year + 1)
            we = _when(filled, pub, lex)
    start, last = _iso_pair(filled, we, lex)
    return (last or start), w.inferred or we.inferred


def _before(b: _When, a: _When, pb: _Parts, pa: _Parts) -> bool:
    key = lambda w, p: (w.year, w.month, w.day, p.hour, p.minute)
    ka, kb = key(a, pa), key(b, pb)
    pairs = [(x, y) for x, y in zip(kb, ka) if x is not None and y is not None]
    return bool(pairs) and [x for x, _ in pairs] < [y for _, y in pairs]


def _mention(text, start, end, p: _Parts, w: _When, pub, lex) -> DateMention:
    iso, end_iso = _iso_pair(p, w, lex)
    inferred = w.inferred
    if p.end is not None:
        got = _range_end(p, w, p.end, pub, lex)
        if got is None:
            end = _drop_range_end(text, start, end, p, lex)
        else:
            end_iso, inferred = got[0], got[1]
    return DateMention(
        start=start,
        end=end,
        text=text[start:end],
        iso=iso,
        end_iso=end_iso,
        precision=_precision(p),
        relative=_is_relative(p),
        inferred=inferred,
        vague=p.vague,
        part_of_day=p.pod,
    )


def _drop_range_end(text, start, end, p, lex) -> int:
    """The end offset of the first part alone, once its range end is rejected."""
    p.end = None
    got = _parse(lex, text, start, tail=False)
    return got[0] if got else end


def _is_relative(p: _Parts) -> bool:
    rel = (p.year_rel, p.month_rel, p.day_rel, p.week_rel)
    return p.vague or any(v is not None for v in rel)
