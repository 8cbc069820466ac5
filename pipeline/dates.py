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
  (15) days after publication. Bare 上半年/一季度 follow the month rule, bare
  年底/月底 take the publication year/month. All such values are inferred=True.
- 年初/年底 keep year precision and 月初/月底 month precision (the text names
  no finer unit); 上旬/中旬/下旬 are day ranges; 上半年, 一季度, 前三季度 are month
  ranges (iso and end_iso).
- Ranges (9月14日至15日, 2023年12月至2024年1月, 1-5月, 上午9时至11时) fill
  end_iso; the second end takes what it leaves out from the first.
- A date listed after a fuller one (3月13日、14日; 去年11月、12月) and a
  bracketed gloss after a relative day (今天(28日)) take the stated parts; a
  relative day split by the day it names (昨（17）日, as Hong Kong and Macao
  releases write it) reads the same way.
- Two-digit years are read only when unambiguous: 09年 (leading zero) and
  98年3月 (a month follows); the pivot (50) picks the century.
- A time of day alone (上午) is not a date; neither are durations, counts,
  ordinals, numbers in names, recurring dates (每月15日) or anaphoric words
  (当天, 次日, 当年), which need another date to resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable

from pipeline.date_words import DateWordsError, Lexicon, lexicon, load_date_words

__all__ = ["DateMention", "DateWordsError", "find_dates", "load_date_words", "resolve"]

PRECISIONS = ("year", "month", "week", "day", "minute", "second")


@dataclass(frozen=True)
class DateMention:
    """One date or time expression: where it is, what it says, what it resolves to.

    start, end: offsets into the text passed to find_dates (text == text[start:end]).
    iso: ISO 8601 prefix at the precision stated, or None when nothing is resolvable.
    end_iso: the last value of a range or span (9月14日至15日, 上半年, 上旬), else None.
    precision: year | month | week | day | minute | second (of the start).
    relative: a deictic word (今天, 去年, 本月, 近日 ...) was used.
    inferred: the year or month comes from the publication date, not the text.
    vague: 近日, 日前, 近期, 目前 (resolved to the publication month).
    part_of_day: 上午, 下午, 晚上 ... when stated (of the start).
    """

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
    lex, pub = lexicon(), _as_date(published)
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
    first_end: int | None = None

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

    def settled(self) -> bool:
        """Nothing coarser than a time can follow: a day, a closed part or a week is read."""
        return self.day_level() or self.closed() or self.week_rel is not None


def _parse_range(lex: Lexicon, text: str, i: int) -> tuple[int, _Parts] | None:
    got = _parse(lex, text, i, tail=False)
    if got is None:
        return None
    end, parts = got
    conn = lex.connector.match(text, end)
    if parts.end is None and not parts.vague and conn:
        tail = _parse(lex, text, conn.end(), tail=True)
        if tail and _precision(tail[1]) == _precision(parts) and not tail[1].end:
            parts.end = replace(tail[1], from_start=not tail[1].has_year())
            parts.first_end, end = end, tail[0]
    return end, parts


def _parse_listed(lex, text, i, prev) -> tuple[int, _Parts] | None:
    """A date listed after a fuller one takes what it leaves out: 3月13日、14日; 去年11月、12月."""
    if prev is None or text[prev[0]:i] not in ("、", "和", "及", "与", "或"):
        return None
    first = prev[1]
    got = _parse(lex, text, i, tail=True)
    if got is None or first.end is not None or got[1].end is not None or got[1].has_year():
        return None
    end, parts = got
    year = dict(year=first.year, year_rel=first.year_rel)
    if parts.day is not None and not parts.has_month() and parts.day_rel is None and first.has_month():
        return end, replace(parts, month=first.month, month_rel=first.month_rel, **year)
    if parts.month is not None and first.has_year() and first.has_month():
        return end, replace(parts, **year)
    return None


def _parse(lex: Lexicon, text: str, i: int, *, tail: bool) -> tuple[int, _Parts] | None:
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


def _excluded(lex: Lexicon, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 4):start]
    if any(before.endswith(w) for w in lex.data["recurring_prefixes"]):
        return True
    if re.search(r"(?:每|逢)(?:年|月|周|星期)的?$", before):
        return True
    return any(text.startswith(w, start) for w in lex.data["blocked_compounds"])


def _word(lex: Lexicon, table: str, text: str, i: int) -> tuple[str, dict] | None:
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
    if s.isdigit() or "十" in s:
        return small_number(s, numerals)
    return int("".join(str(numerals[c]) for c in s))


def small_number(s: str, numerals: dict[str, int] | None = None) -> int | None:
    """A day, month or hour numeral: 7, １２, 三, 十二, 二十三, 三十 (`numerals`:
    date_words.json's table); None when malformed (三三, 二十三十, 十两十)."""
    numerals = lexicon().data["numerals"] if numerals is None else numerals
    if s.isdigit():
        return int(s)
    tens, ten, ones = s.partition("十")
    if not ten:
        return numerals.get(s) if len(s) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in numerals) or (ones and ones not in numerals):
        return None
    return (numerals[tens] if tens else 1) * 10 + (numerals[ones] if ones else 0)


def _value(lex: Lexicon, s: str) -> int:
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
        year = int(m["y"]) if m["y"] else _number(m["ycn"], lex.data["numerals"]) if m["ycn"] else _century(lex, int(m["yy"]))
        if not _year_in_context(lex, text, m, year):
            return None
        p.year = year
        return m.end()
    w = _word(lex, "relative_years", text, i)
    if w:
        p.year_rel = w[1]["offset"]
        return i + len(w[0])
    return None


def _century(lex: Lexicon, yy: int) -> int:
    """A two-digit year (09年, 98年3月) in the century its pivot puts it."""
    return (2000 if yy < lex.data["years"]["two_digit_pivot"] else 1900) + yy


def _year_ok(lex: Lexicon, year: int) -> bool:
    return lex.data["years"]["min"] <= year <= lex.data["years"]["max"]


def _year_in_context(lex: Lexicon, text: str, m: re.Match, year: int) -> bool:
    """A year number, not a count of years (距今2000年, 1000年前)."""
    cfg = lex.data["years"]
    before = text[max(0, m.start() - 4):m.start()]
    if not _year_ok(lex, year) or any(before.endswith(w) for w in cfg["count_words_before"]):
        return False
    if year <= 1900 and year % 100 == 0 and not lex.month.match(text, _skip_space(text, m.end())):
        return False  # 1000年, 1900年 alone are spans of years far more often than dates
    if year < 1900 or year % 100 == 0:
        return not any(text.startswith(w, m.end()) for w in cfg["duration_words_after"])
    return True


def _slot_year_part(lex, text, i, p, tail):
    if p.has_month() or p.settled():
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


def _bare_ok(lex: Lexicon, text: str, i: int) -> bool:
    return i == 0 or text[i - 1] not in lex.data["bare_edge_not_after"]


def _slot_month(lex, text, i, p, tail):
    if p.has_month() or p.settled():
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
    m = lex.month_pair.match(text, i)
    if m and _value(lex, m["m1"]) + 1 == _value(lex, m["m2"]):  # 七八月份: July and August
        p.month, p.month_fen = _value(lex, m["m1"]), bool(m["fen"])
        p.end = _Parts(month=p.month + 1, from_start=True)
        return m.end()
    m = lex.month.match(text, i)
    if m and 1 <= _value(lex, m["m"]) <= 12:
        p.month, p.month_fen = _value(lex, m["m"]), bool(m["fen"])
        p.month_cn = not m["m"][0].isdigit()
        return m.end()
    return None


def _slot_month_part(lex, text, i, p, tail):
    if p.settled():
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
    if p.settled():
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


def _bare_day_ok(lex: Lexicon, text: str, m: re.Match) -> bool:
    """A day with no month (14日): digits and 日 only, not a duration or an ordinal."""
    cfg = lex.data["bare_day"]
    numbers = [g for k, g in m.groupdict().items() if k != "unit" and g]
    if m["unit"] != "日" or not all(g.isdigit() for g in numbers) or re.search(r"\s", m.group()):
        return False  # 号, Chinese numerals and a space (亚洲区 11 日本...) need a month before
    if m.start() > 0 and text[m.start() - 1] in cfg["not_after"]:
        return False
    return not any(text.startswith(w, m.end()) for w in cfg["not_before"])


def _relative_day(lex, text, i, p):
    w = _word(lex, "relative_days", text, i)
    if w is None:
        return _split_day(lex, text, i, p)
    p.day_rel, p.pod = w[1]["offset"], w[1].get("part_of_day")
    return i + len(w[0])


def _split_day(lex, text, i, p):
    """A relative day word split by the day it names: 昨（17）日, 今（5）日."""
    m = lex.split_day.match(text, i)
    if m is None or not 1 <= _value(lex, m["d"]) <= 31:
        return None
    p.day_rel, p.day = lex.data["split_relative_days"][m["w"]]["offset"], _value(lex, m["d"])
    return m.end()


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


def _slot_gloss(lex, text, i, p, tail):
    """The date a relative day word glosses in brackets: 今天(28日), 昨日(9月8日)."""
    m = lex.gloss.match(text, i)
    if p.day_rel is None or p.day is not None or m is None:
        return None
    month, day = (_value(lex, m["m"]) if m["m"] else None), _value(lex, m["d"])
    if not (1 <= day <= 31 and (month is None or 1 <= month <= 12)):
        return None
    p.month, p.day = month, day
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
    _slot_day, _slot_gloss, _slot_weekday, _slot_pod, _slot_clock,
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


def _when(p: _Parts, pub: dt.date | None, lex: Lexicon) -> _When:
    if p.day_rel is not None:
        x = _plus(pub, days=p.day_rel)
        if p.day is None or (x is not None and (p.month, p.day) in ((None, x.day), (x.month, x.day))):
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


def _holiday_month_day(lex: Lexicon, name: str, year: int | None) -> tuple[int | None, int | None]:
    value = lex.data["holidays"][name]
    if value == "lunar_new_year":
        value = lex.data["lunar_new_year"].get(str(year)) if year is not None else None
        if value is None:
            return None, None
    return int(value[:2]), int(value[3:])


def _infer(p: _Parts, m, d, pub: dt.date, lex: Lexicon) -> _When:
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


def _hour(p: _Parts, lex: Lexicon) -> int | None:
    """The hour on a 24-hour clock: 下午3点 is 15."""
    if p.hour is not None and p.pod and p.hour in lex.data["parts_of_day"][p.pod]["add_12_for_hours"]:
        return p.hour + 12
    return p.hour


def _time(p: _Parts, lex: Lexicon) -> str | None:
    if p.hour is None:
        return None
    text = f"{_hour(p, lex):02d}:{p.minute or 0:02d}"
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


def _iso_pair(p: _Parts, w: _When, lex: Lexicon) -> tuple[str | None, str | None]:
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
    years_unknown = (w.year is None or we.year is None) and not end.from_start
    if not years_unknown and _before((we, filled), (w, first), lex):
        if not (end.from_start and end.has_month()):
            return None
        if we.year is not None:  # 12月30日至1月2日: the end is in the next year
            filled = replace(filled, year=we.year + 1)
            we = _when(filled, pub, lex)
    start, last = _iso_pair(filled, we, lex)
    return (last or start), w.inferred or we.inferred


def _before(b: tuple[_When, _Parts], a: tuple[_When, _Parts], lex: Lexicon) -> bool:
    """Whether b comes before a, comparing only the parts both of them know."""
    def key(w, p):
        return (w.year, w.month, w.day, _hour(p, lex), p.minute)
    pairs = [(x, y) for x, y in zip(key(*b), key(*a)) if x is not None and y is not None]
    return bool(pairs) and [x for x, _ in pairs] < [y for _, y in pairs]


def _mention(text, start, end, p: _Parts, w: _When, pub, lex) -> DateMention:
    iso, end_iso = _iso_pair(p, w, lex)
    inferred = w.inferred
    if p.end is not None:
        got = _range_end(p, w, p.end, pub, lex)
        if got is None:  # the second end comes first: keep the first part alone
            end = p.first_end if p.first_end is not None else end
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


def _is_relative(p: _Parts) -> bool:
    rel = (p.year_rel, p.month_rel, p.day_rel, p.week_rel)
    return p.vague or any(v is not None for v in rel)
