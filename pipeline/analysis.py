"""The analysed document every extractor reads.

`analyze` runs the stages up to extraction once per document: normalize,
read the header, pair the quotes, segment, and (optionally) the spaCy
pipeline. Every extractor reads these pieces from the Analysis and never
recomputes them:

- `doc.text`            the normalized text all offsets refer to
- `doc.seg`             sentences (`seg.sentences`, `seg.sentence_at(i)`) and
                        jieba's words, with the HMM (`seg.tokens`) and without
                        (`seg.word_ends`), from one jieba pass
                        (pipeline.segment)
- `doc.tokens`          the HMM tokens by offset, the one look-up idiom:
                        `doc.tokens.ending_at(i)`, `.starting_at(i)`,
                        `.holding(i)`, `.within(a, b)`, `.boundaries`
- `doc.quotes`          the quote-pair table (pipeline.quotes)
- `doc.datelines`       news-agency datelines (新华社北京7月2日电); `doc.dateline`
                        the report's own (pipeline.dateline)
- `doc.header`          title, publication date, metadata lines (pipeline.header)
- `doc.entities`        the NER model's entities, read on windows around name cues (pipeline.nlp)

`Analysis.mention` turns a normalized span into a Mention on the original text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Optional

from pipeline.dateline import Dateline, find_datelines, report_dateline
from pipeline.header import Header, read_header
from pipeline.nlp import Entity
from pipeline.normalize import OffsetText, normalize
from pipeline.quotes import QuoteTable, pair_quotes
from pipeline.records import Mention, Notice
from pipeline.segment import Segmentation, TokenIndex, segment


@dataclass(frozen=True)
class Analysis:
    otext: OffsetText
    seg: Segmentation
    header: Header
    quotes: QuoteTable
    entities: tuple[Entity, ...] = ()
    published: Optional[dt.date] = None

    @property
    def tokens(self) -> TokenIndex:
        return self.seg.index

    @cached_property
    def datelines(self) -> tuple[Dateline, ...]:
        return find_datelines(self.text)

    @property
    def dateline(self) -> Optional[Dateline]:
        """The report's own dateline near the top (新华社北京7月2日电), if any."""
        return report_dateline(self.datelines)

    @property
    def text(self) -> str:
        """The normalized (simplified) text extractors search."""
        return self.otext.text

    def mention(self, start: int, end: int) -> Mention:
        """A Mention on the original text for the normalized span [start, end)."""
        a, b = self.otext.to_original(start, end)
        return Mention(start=a, end=b, text=self.otext.original[a:b], sentence=self.seg.sentence_at(start))

    def span_of(self, mention: Mention) -> tuple[int, int]:
        """The normalized span of a Mention (the inverse of `mention`)."""
        return self.otext.from_original(mention.start, mention.end)

    def sentence_of(self, offset: int):
        return self.seg.sentences[self.seg.sentence_at(offset)] if self.seg.sentences else None

    def in_metadata(self, offset: int) -> bool:
        """True inside a header metadata line (时间:..., 编辑:...)."""
        return any(a <= offset < b for a, b in self.header.meta_spans)

    def entities_of(self, label: str) -> list[Entity]:
        return [e for e in self.entities if e.label == label]


_PUBLISHED = re.compile(
    r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?"
    r"(?:[T\s]+(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?)?"
)


def parse_published(value) -> Optional[dt.date]:
    """A date or datetime from what a feed gives: 2024-02-05, 2024/2/5,
    20240205, 2024-02-05 8:42, 2024-02-05T08:42:24+08:00 (the local time is
    kept, the zone and fractions dropped). None when it is not a date."""
    if value is None or isinstance(value, dt.date):
        return value.replace(tzinfo=None, microsecond=0) if isinstance(value, dt.datetime) else value
    m = _PUBLISHED.match(str(value).strip())
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(x) if x else None for x in m.groups())
    try:
        return dt.datetime(y, mo, d, h, mi, sec or 0) if h is not None else dt.date(y, mo, d)
    except ValueError:
        return None


def analyze(original: str, *, published_at=None, nlp=None) -> Analysis:
    """Run normalize, header, segment and (when given) the spaCy pipeline."""
    from pipeline.nlp import entities

    otext = normalize(original)
    header: Header = read_header(otext.text)
    quotes = pair_quotes(otext.text)
    seg = segment(otext.text, quotes)
    ents = tuple(entities(nlp, otext.text, seg.tokens, sentences=seg.sentences)) if nlp is not None else ()
    published = parse_published(published_at) or parse_published(header.published_at)
    return Analysis(otext=otext, seg=seg, header=header, entities=ents, published=published, quotes=quotes)


def unreadable_date_notice(published_at) -> Optional[Notice]:
    """A notice when a given publication date cannot be read (it is then ignored)."""
    if published_at is None or parse_published(published_at) is not None:
        return None
    return Notice(code="bad_published_at",
                  message=f"published_at {published_at!r} is not a date (expected 2024-02-05 or 2024-02-05T08:42:24); ignored")
