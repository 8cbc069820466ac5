"""When a reported meeting took place, as a window of days, to compare two reports.

A meeting record's date is an ISO prefix at the text's precision (2024,
2024-02, 2024-02-05, with a time or an end date), or without a year when the
publication date could not give one (--05-17, --11, ---12). 近日 and its kin
(the vague words of pipeline/data/date_words.json) mean "in the weeks before
publication", whatever month the extractor wrote for them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Optional

# A year, month or day, nothing more (2024, 2024-05, 2024-05-17): the date a
# filter takes (kb facts --since, the review page's since/until and its input pattern).
PLAIN_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
_PLAIN_DATE = re.compile(f"^{PLAIN_DATE}$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})?(?:-(\d{2}))?(?:T.*)?$")
_CLOCK = re.compile(r"^T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$")
VAGUE_DAYS = 31  # 近日: within a month before publication


@dataclass(frozen=True)
class When:
    """Either a window of days (year known) or a month and/or day without a year."""

    text: str
    lo: Optional[date] = None
    hi: Optional[date] = None
    month: Optional[int] = None
    day: Optional[int] = None

    @property
    def exact(self) -> bool:
        """A single day (or a span of days the text gives exactly)."""
        return self.lo is not None and not self.text.startswith("~") and _is_day(self.text)


def _is_day(text: str) -> bool:
    return bool(re.match(r"^\d{4}-\d{2}-\d{2}", text))


def when(value: Optional[str], *, end: Optional[str] = None, said: Optional[str] = None,
         published_at: Optional[str] = None) -> Optional[When]:
    """The window a meeting's date allows, or None when nothing is known."""
    if said and published_at and _vague(said):
        pub = _window(published_at[:10])
        if pub is not None:
            return When(f"~{said} before {published_at[:10]}", pub[0] - timedelta(days=VAGUE_DAYS), pub[1])
    if not value:
        return None
    window = _window(value)
    if window is not None:
        last = _window(end) if end else None
        return When(value, window[0], max(window[1], last[1]) if last else window[1])
    m = _no_year(value)
    return When(value, month=_int(m.group(1)), day=_int(m.group(2))) if m else None


def without_year(value: str) -> bool:
    """A schema date that names a month or day but no year: --07, --07-27, --07-27T09:00."""
    return _no_year(value) is not None


def _no_year(value: str) -> Optional[re.Match]:
    m = _NO_YEAR.match(value)
    return m if m and (m.group(1) or m.group(2)) else None


def plain_date(value: str) -> bool:
    """2024, 2024-05 or 2024-05-17 (PLAIN_DATE)."""
    return bool(_PLAIN_DATE.match(value))


def checked(value: object) -> When:
    """A meeting date typed by hand, in a form the extractor writes: 2024,
    2024-05, 2024-05-17, --05-17, --05 or ---17, each with a time of day or
    not (T09:00, T09:00:30). ValueError for another form, or for a day the
    calendar lacks (2024-02-30; --02-30, though --02-29 is one)."""
    if not _extractor_form(value):
        raise ValueError(f"expected 2024, 2024-05, 2024-05-17 or --05-17 (a time may follow: T09:00), got {value!r}")
    found = when(value)
    if found is None or (found.lo is None and not _on_calendar(2000, found.month or 1, found.day or 1)):
        raise ValueError(f"{value} is not a day of the calendar")
    return found


def _extractor_form(value: object) -> bool:
    if not isinstance(value, str):
        return False
    day, t, clock = value.partition("T")
    return bool((not t or _CLOCK.match(t + clock)) and (_ISO.match(day) or _no_year(day)))


def _on_calendar(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _int(value: Optional[str]) -> Optional[int]:
    return int(value) if value else None


def _window(value: str) -> Optional[tuple[date, date]]:
    m = _ISO.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), _int(m.group(2)), _int(m.group(3))
    try:
        if day:
            return date(year, month, day), date(year, month, day)
        if month:
            return date(year, month, 1), date(year, month, monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _vague_words() -> tuple[str, ...]:
    from pipeline.date_words import lexicon

    return tuple(lexicon().data["vague"])


def _vague(said: str) -> bool:
    return any(word in said for word in _vague_words())


# --- comparing two windows ----------------------------------------------------

SAME_DAY, OVERLAP, CONFLICT, UNKNOWN = "same day", "overlap", "conflict", "unknown"


def compare(a: Optional[When], b: Optional[When]) -> tuple[str, str]:
    """How two dates relate (SAME_DAY, OVERLAP, CONFLICT, UNKNOWN) and the reason."""
    if a is None or b is None:
        return UNKNOWN, "no date on one side"
    if a.lo is not None and b.lo is not None:
        return _both_years(a, b)
    if a.lo is None and b.lo is None:
        return _no_years(a, b)
    dated, other = (a, b) if a.lo is not None else (b, a)
    return _one_year(dated, other)


def _both_years(a: When, b: When) -> tuple[str, str]:
    if a.hi < b.lo or b.hi < a.lo:
        return CONFLICT, f"dates {a.text} and {b.text} do not overlap"
    if a.exact and b.exact:
        return SAME_DAY, f"same day {max(a.lo, b.lo).isoformat()}"
    return OVERLAP, f"dates {a.text} and {b.text} overlap"


def _no_years(a: When, b: When) -> tuple[str, str]:
    for part in ("month", "day"):
        x, y = getattr(a, part), getattr(b, part)
        if x and y and x != y:
            return CONFLICT, f"dates {a.text} and {b.text} differ"
    if (a.month and b.month) or (a.day and b.day):
        return OVERLAP, f"dates {a.text} and {b.text} agree, year unknown"
    return UNKNOWN, f"dates {a.text} and {b.text} cannot be compared"


def _one_year(dated: When, other: When) -> tuple[str, str]:
    if (dated.hi - dated.lo).days > 366:
        return UNKNOWN, f"dates {dated.text} and {other.text} cannot be compared"
    day = dated.lo
    while day <= dated.hi:
        if other.month in (None, day.month) and other.day in (None, day.day):
            return OVERLAP, f"dates {dated.text} and {other.text} agree, year unknown on one side"
        day += timedelta(days=1)
    return CONFLICT, f"dates {dated.text} and {other.text} differ"
