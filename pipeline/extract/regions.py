"""Regions: administrative divisions, named areas and foreign countries."""

from __future__ import annotations

from typing import Optional

from pipeline.analysis import Analysis
from pipeline.records import Location, Region


def extract_regions(doc: Analysis) -> list[Region]:
    return []


def primary_region(doc: Analysis, regions: list[Region]) -> Optional[Location]:
    return None
