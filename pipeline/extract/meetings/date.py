"""The date governing a meeting, and whether it still lies ahead."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline.dates import DateMention, load_date_words
from pipeline.extract.meetings.candidates import Candidate, names_a_period
from pipeline.extract.meetings.document import Doc


def meeting_date(d: Doc, c: Candidate) -> Optional[DateMention]:
    """The date governing the meeting: one between the name and its trigger
    (X于5月17日召开), else the nearest before the name in the sentence."""
    usable = [m for m in d.dates if c.floor <= m.start < c.ceiling and _is_day_or_coarser(m)
              and not (c.start <= m.start < c.end)]
    if c.trigger and c.trigger[0] >= c.end:
        between = [m for m in usable if c.end <= m.start < c.trigger[0]]
        if between:
            return between[0]
    before = [m for m in usable if m.end <= c.start]
    if before:
        return before[-1]
    inside = [m for m in d.dates if c.start <= m.start < c.end and m.iso and not m.relative and _held_in(d, m)]
    return inside[0] if inside else None  # 1948年第一届世界卫生大会


def _held_in(d: Doc, m: DateMention) -> bool:
    """A date in the name that says when it was held (1948年第一届……大会), not the
    period it reviews (2023年度……总结会, 一季度……分析会)."""
    return not names_a_period(m) and not d.text.startswith("度", m.end) and not m.text.endswith("度")


@lru_cache(maxsize=1)
def _future_words() -> tuple[str, ...]:
    """Relative date words pointing ahead (明天, 下月, 明年), from the dates vocabulary."""
    data = load_date_words()
    tables = ("relative_days", "relative_months", "relative_weeks", "relative_years")
    return tuple(w for t in tables for w, entry in data[t].items() if entry["offset"] > 0)


def is_future(d: Doc, date: Optional[DateMention]) -> bool:
    """The governing date lies after publication: the meeting is still a plan."""
    if date is None:
        return False
    if any(w in date.text for w in _future_words()):
        return True
    pub, day = d.analysis.published, (date.iso or "")[:10]
    if pub is None or not re.match(r"\d{4}", day):
        return False
    return day > pub.isoformat()[: len(day)]


def _is_day_or_coarser(m: DateMention) -> bool:
    return not (m.iso or "").startswith("T") and (m.iso is not None or m.vague or m.relative)
