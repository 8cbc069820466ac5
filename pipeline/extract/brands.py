"""Brands: named programmes, platforms, bases, teams and activity series."""

from __future__ import annotations

from typing import Sequence

from pipeline.analysis import Analysis
from pipeline.records import Brand, BrandCandidate, Region


def extract_brands(doc: Analysis, *, regions: Sequence[Region] = ()) -> list[Brand]:
    return []


def explain_brands(doc: Analysis) -> list[BrandCandidate]:
    """Every candidate with its label and probability, kept or not."""
    return []
