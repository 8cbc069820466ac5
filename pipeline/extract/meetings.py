"""Meetings: held events of the meeting kind, with date, place and people."""

from __future__ import annotations

from typing import Optional, Sequence

from pipeline.analysis import Analysis
from pipeline.records import Count, Figure, Location, Meeting, Region


def extract_meetings(
    doc: Analysis,
    *,
    regions: Sequence[Region] = (),
    figures: Sequence[Figure] = (),
    counts: Sequence[Count] = (),
    primary: Optional[Location] = None,
) -> list[Meeting]:
    return []
