"""Counts: how many or how much of something, with unit and qualifier."""

from __future__ import annotations

from typing import Sequence

from pipeline.analysis import Analysis
from pipeline.records import Count, Region


def extract_counts(doc: Analysis, *, regions: Sequence[Region] = ()) -> list[Count]:
    return []
