"""One module per record type. Each extractor is a pure function of an
`Analysis` (plus the records found before it) returning a list of records.

Order matters only through arguments: regions first (others use them),
then figures, brands and counts, and meetings last (they reuse all four).
"""

from pipeline.extract.brands import explain_brands, extract_brands
from pipeline.extract.counts import extract_counts
from pipeline.extract.figures import extract_figures
from pipeline.extract.meetings import extract_meetings
from pipeline.extract.regions import extract_regions, primary_region

__all__ = [
    "explain_brands",
    "extract_brands",
    "extract_counts",
    "extract_figures",
    "extract_meetings",
    "extract_regions",
    "primary_region",
]
