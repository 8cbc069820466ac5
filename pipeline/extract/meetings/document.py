"""The document as the rules see it: normalized text, masked quotes, dates, the
other extractors' records as spans, and token and clause lookups."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Optional

from pipeline.analysis import Analysis
from pipeline.dates import DateMention, find_dates
from pipeline.extract.meetings.text import CLAUSE_END, GARBLED, clean_name, masked_text, quote_closers, space_joins
from pipeline.extract.meetings.words import Lexicon
from pipeline.records import Location
from pipeline.textutil import ByStart


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    item: object


@dataclass
class Doc:
    """Everything the rules look at, on the normalized text."""

    analysis: Analysis
    lex: Lexicon
    text: str
    masked: str
    closers: dict[int, int]  # opener -> closer of the masked quotes
    dates: list[DateMention]
    regions: list[Span]
    figures: list[Span]
    counts: list[Span]
    primary: Optional[Location]
    hit_starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Analysis, lex: Lexicon, regions, figures, counts, primary) -> "Doc":
        text = doc.text
        closers = quote_closers(doc.quotes)
        return cls(
            analysis=doc, lex=lex, text=text, masked=masked_text(text, closers), closers=closers,
            dates=_dates(doc),
            regions=_spans(doc, regions), figures=_spans(doc, figures), counts=_spans(doc, counts),
            primary=primary,
        )

    def token_before(self, pos: int) -> tuple[int, int]:
        """The token holding the character at pos-1, cut at pos (spaces skipped)."""
        while pos > 1 and self.masked[pos - 1].isspace():
            pos -= 1
        tok = self.analysis.tokens.holding(pos - 1)
        return (tok.start, pos) if tok is not None else (pos - 1, pos)

    def token_after(self, pos: int) -> tuple[int, int]:
        """The token holding the character at pos, from pos on."""
        tok = self.analysis.tokens.holding(pos)
        return (pos, tok.end) if tok is not None else (pos, min(pos + 1, len(self.text)))

    def is_token_start(self, pos: int) -> bool:
        tok = self.analysis.tokens.holding(pos)
        return tok is None or tok.start == pos

    def sentence(self, pos: int):
        return self.analysis.sentence_of(pos)

    def clause_start(self, pos: int, floor: int) -> int:
        i = pos
        while i > floor and not self._boundary(i - 1):
            i -= 1
        return i

    def clause_end(self, pos: int, ceiling: int) -> int:
        i = pos
        while i < ceiling and not self._boundary(i):
            i += 1
        return i

    def _boundary(self, i: int) -> bool:
        """Clause punctuation, or a space between two characters (a headline glued to
        its dateline: 八国集团峰会今起举行 将关注……)."""
        ch = self.masked[i]
        if ch in ":：" and self.text[i - 1:i].isdigit() and self.text[i + 1:i + 2].isdigit():
            return False  # 9:30 is a time
        return ch in CLAUSE_END or (ch.isspace() and not space_joins(self.text, i))

    def starting_in(self, items: str, a: int, b: int) -> list:
        """The `items` ("dates", "regions", "figures" or "counts") that start in [a, b),
        found by bisection on their sorted starts."""
        return self._by_start[items].starting_in(a, b)

    @cached_property
    def _by_start(self) -> dict[str, ByStart]:
        return {items: ByStart(getattr(self, items)) for items in ("dates", "regions", "figures", "counts")}

    @cached_property
    def _longest(self) -> dict[str, int]:
        """The length of the longest of each kind of `items`."""
        return {items: max((x.end - x.start for x in by.items), default=0) for items, by in self._by_start.items()}

    def holding(self, items: str, a: int, b: int) -> list:
        """The `items` whose span holds [a, b): only those starting within the longest
        one's length before b are looked at."""
        return [x for x in self.starting_in(items, b - self._longest[items], a + 1) if b <= x.end]

    def dates_ending_in(self, a: int, b: int) -> list[DateMention]:
        """The dates that end in [a, b): the one holding a-1 and those starting in [a, b)."""
        before = self.date_covering(a - 1) if a > 0 else None
        return [m for m in ([before] if before else []) + self.starting_in("dates", a, b) if a <= m.end < b]

    def date_covering(self, pos: int) -> Optional[DateMention]:
        """The date holding offset pos (dates do not overlap)."""
        i = bisect_right(self._by_start["dates"].starts, pos) - 1
        return self.dates[i] if i >= 0 and pos < self.dates[i].end else None

    def date_ending(self, pos: int) -> Optional[DateMention]:
        i = bisect_left(self._by_start["dates"].starts, pos) - 1
        while i >= 0 and self.dates[i].end >= pos:
            if self.dates[i].end == pos:
                return self.dates[i]
            i -= 1
        return None

    @cached_property
    def figure_ends(self) -> set[int]:
        return {f.end for f in self.figures}

    def hit_after(self, pos: int) -> Optional[int]:
        """The first kind word starting at or after pos."""
        i = bisect_left(self.hit_starts, pos)
        return self.hit_starts[i] if i < len(self.hit_starts) else None


def _spans(doc: Analysis, records) -> list[Span]:
    """Normalized spans of every mention of the given records."""
    out = []
    for record in records or ():
        for m in record.mentions:
            try:
                start, end = doc.span_of(m)
            except (ValueError, IndexError):
                continue
            if start < end:
                out.append(Span(start, end, record))
    return sorted(out, key=lambda s: (s.start, s.end))


def tokens_in(d: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The tokens covering [start, end), the first cut at start."""
    out, pos = [], end
    while pos > start:
        s, e = d.token_before(pos)
        s = max(s, start)
        out.append((s, e))
        pos = s
    return out[::-1]


def prepositions(d: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The place prepositions (在, 于, 假) in [start, end), in order: whole tokens, and a
    word right after a date that jieba glued to it (2023年5月6日假湾仔: 日假 is one token)."""
    found = [(s, e) for s, e in tokens_in(d, start, end) if d.lex.has("place_prep", d.masked[s:e])]
    for m in d.dates_ending_in(start, end):
        word = d.lex.starts("place_prep", d.masked[m.end:end])
        if word and not d.is_token_start(m.end):
            found.append((m.end, m.end + len(word)))
    return sorted(found)


def repaired(d: Doc, start: int, end: int) -> str:
    """The text of [start, end) with garbled region names replaced by the region's name.

    A lossy copy leaves mojibake in place names (寧??h for 寧海縣). When the regions
    extractor recognises such a span, its official name stands in for it here:
    宁波市宁??h委统战部 -> 宁波市宁海县委统战部. TODO(regions): relies on the regions
    extractor putting a mention on the garbled span; nothing is repaired without it.
    """
    parts, pos = [], start
    for r in d.starting_in("regions", start, end):
        if start <= r.start and r.end <= end and r.start >= pos and GARBLED.search(d.text[r.start:r.end]):
            parts.append(d.text[pos:r.start])
            parts.append(r.item.name)
            pos = r.end
    parts.append(d.text[pos:end])
    return clean_name("".join(parts))


SCRATCH_YEAR = 2000  # a leap year, so that a 2月29日 dateline resolves; never output


def _dates(doc: Analysis) -> list[DateMention]:
    """The text's dates; without a publication date, 今天, 21日 and 今年3月 resolve
    against the report's dateline (新华社北京7月2日电: month and day, no year) and
    keep no year (--07-21, --03)."""
    text, line = doc.text, doc.dateline
    if doc.published is not None or line is None:
        return find_dates(text, published=doc.published)
    try:
        ref = dt.date(SCRATCH_YEAR, line.month, line.day)
    except (TypeError, ValueError):
        return find_dates(text)
    return [_yearless(m) for m in find_dates(text, published=ref)]


# Weeks, weekdays and feasts fall on other days in other years: from a
# scratch year they are wrong, so they resolve to nothing.
CALENDAR_BOUND = re.compile(r"周|星期|礼拜|节|除夕|元宵|清明|端午|中秋|重阳")


def _yearless(m: DateMention) -> DateMention:
    """A date whose year came from the scratch anchor loses it (去年 alone: unknown)."""
    if not (m.inferred or m.relative):
        return m
    if m.precision == "week" or CALENDAR_BOUND.search(m.text):
        return replace(m, iso=None, end_iso=None)
    return replace(m, iso=_drop_year(m.iso), end_iso=_drop_year(m.end_iso))


def _drop_year(iso: Optional[str]) -> Optional[str]:
    """2000-07-11T09:00 -> --07-11T09:00; a bare scratch year or week -> None."""
    if not iso or not iso[:4].isdigit() or abs(int(iso[:4]) - SCRATCH_YEAR) > 1:
        return iso
    rest = iso[5:]
    return "--" + rest if re.match(r"\d\d", rest) else None
