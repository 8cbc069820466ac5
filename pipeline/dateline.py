"""News-agency datelines: 新华社北京7月2日电, 本报北京5月18日讯, 中新网6月4日电,
中广网北京6月4日消息. Read once per document (`Analysis.datelines`).

A dateline is a day (numerals then 日) followed by 电, 讯 or 消息; it may carry
a month before the day and an outlet before that (a name ending in 社, 网, 报
or 台, at most OUTLET_GAP characters of place between). The report's own
dateline (`report_dateline`) is the first one with an outlet and a month in
the first DATELINE_REACH characters: it gives the month and day of the report
but no year.

    >>> [(d.month, d.day, d.outlet) for d in find_datelines("新华社北京7月2日电 记者张三")]
    [(7, 2, True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from pipeline.dates import small_number

NUMERAL = r"(?:\d{1,2}|[〇零一二三四五六七八九十]{1,3})"
_MARK = re.compile(rf"(?P<day>{NUMERAL})日(?:电|讯|消息)")
_MONTH = re.compile(rf"{NUMERAL}月$")
# The outlet's last character and the place written after it (北京, 曼谷).
_OUTLET = re.compile(r"[社网报台][^\s，。：:、“”]{0,8}?$")
DATELINE_REACH = 200  # the report's dateline follows the headline, within the first lines


@dataclass(frozen=True)
class Dateline:
    start: int  # where it starts: the outlet's last character, else the month or the day
    end: int  # after 电 / 讯 / 消息
    day_start: int  # the day's first numeral
    day_end: int  # after 日
    month: Optional[int]
    day: Optional[int]
    outlet: bool  # an outlet (社, 网, 报, 台) stands before the date


def find_datelines(text: str) -> tuple[Dateline, ...]:
    """Every dateline in `text`, in order."""
    return tuple(_dateline(text, m) for m in _MARK.finditer(text))


def _dateline(text: str, m: re.Match) -> Dateline:
    date_start, month = m.start(), None
    before = text[max(0, m.start() - 4):m.start()]
    month_m = _MONTH.search(before)
    if month_m:
        date_start = m.start() - len(month_m.group())
        month = small_number(month_m.group()[:-1])
    outlet = _OUTLET.search(text, max(0, date_start - 9), date_start) if month else None
    start = outlet.start() if outlet else date_start
    return Dateline(start, m.end(), m.start(), m.end("day") + 1, month, small_number(m.group("day")), outlet is not None)


def report_dateline(datelines: Sequence[Dateline]) -> Optional[Dateline]:
    """The report's own dateline: the first with an outlet and a month near the top."""
    return next((d for d in datelines if d.outlet and d.end <= DATELINE_REACH), None)


def dateline_from(datelines: Sequence[Dateline], start: int, end: int, *, reach: int) -> Optional[Dateline]:
    """The first dateline inside [start, end) whose day starts at most `reach`
    characters after `start` (新华社北京5月20日电公安部: the clause's subject follows it)."""
    return next((d for d in datelines if start <= d.day_start <= start + reach and d.end <= end), None)
