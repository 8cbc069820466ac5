"""Quote pairs of a text: one scan, one table, read by every extractor.

Marks pair line by line, each kind on its own stack (“ with ”, ‘ with ’,
《 with 》 ...; a closer with no opener of its kind waiting is ignored); the
ASCII double quote " opens and closes in turn. An opener left open at the end
of its line is unpaired. Readers filter the table for what their rule needs:

- sentences hold a quote whole (`pipeline.segment`);
- brand candidates are the closed “” ‘’ 「」 『』 "" quotes
  (`pipeline.extract.brand_candidates`);
- counts skip numerals inside short quoted names and 《》 titles
  (`pipeline.extract.counts`);
- meetings mask the inside of innermost “” ‘’ 《》 quotes
  (`pipeline.extract.meetings.text`).

    >>> table = pair_quotes("他说“要办好‘两会’”。")
    >>> [(p.open, p.close, p.style) for p in table.pairs]
    [(2, 10, '“”'), (6, 9, '‘’')]
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Optional

from pipeline.textutil import Intervals

# Every pair of marks the project reads, opener -> closer.
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
ASCII_QUOTE = '"'
CLOSERS = {c: o for o, c in PAIRS.items()}
# The quotation marks proper (《》 and 〈〉 are title marks).
SPEECH_STYLES = ("“”", "‘’", "「」", "『』")


@dataclass(frozen=True, slots=True)
class QuotePair:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    style: str  # the two marks, e.g. "“”"


@dataclass(frozen=True)
class QuoteTable:
    """The quote pairs of one text, in order of their opening mark."""

    text: str
    pairs: tuple[QuotePair, ...]
    unpaired: tuple[int, ...]  # openers left open at the end of their line

    @cached_property
    def _openers(self) -> list[int]:
        """Offsets of every opening mark (paired or not), sorted."""
        return sorted([p.open for p in self.pairs if p.style != '""'] + list(self.unpaired))

    @cached_property
    def _open_offsets(self) -> list[int]:
        return [p.open for p in self.pairs]

    def pairs_in(self, start: int, end: int) -> tuple[QuotePair, ...]:
        """Pairs whose opening mark lies in [start, end)."""
        lo, hi = (bisect.bisect_left(self._open_offsets, x) for x in (start, end))
        return self.pairs[lo:hi]

    def unpaired_in(self, start: int, end: int) -> tuple[int, ...]:
        lo, hi = (bisect.bisect_left(self.unpaired, x) for x in (start, end))
        return self.unpaired[lo:hi]

    def of(self, styles: Iterable[str]) -> list[QuotePair]:
        styles = set(styles)
        return [p for p in self.pairs if p.style in styles]

    def innermost(self, styles: Iterable[str], max_span: int) -> list[QuotePair]:
        """Pairs of `styles` shorter than `max_span` with no opening mark of
        `styles` between their marks (“a‘b’c”: only ‘b’)."""
        styles = tuple(styles)
        openers = sorted(i for i in self._openers if self.text[i] + PAIRS[self.text[i]] in styles)
        out = []
        for p in self.of(styles):
            k = bisect.bisect_right(openers, p.open)
            if p.close - p.open < max_span and (k == len(openers) or openers[k] > p.close):
                out.append(p)
        return out

    @cached_property
    def _titles(self) -> Intervals:
        return Intervals((p.open + 1, p.close) for p in self.of(["《》"]))

    def in_title(self, start: int, end: int) -> bool:
        """[start, end) lies between the marks of a title in 《》 (《林则徐》, 《毛泽东传》)."""
        return self._titles.covers(start, end)


def pair_quotes(text: str) -> QuoteTable:
    """The quote table of `text` (see the module docstring)."""
    pairs: list[QuotePair] = []
    unpaired: list[int] = []
    start = 0
    for line in text.split("\n"):
        _pair_line(line, start, pairs, unpaired)
        start += len(line) + 1
    pairs.sort(key=lambda p: p.open)
    return QuoteTable(text, tuple(pairs), tuple(sorted(unpaired)))


def _pair_line(line: str, offset: int, pairs: list[QuotePair], unpaired: list[int]) -> None:
    stacks: dict[str, list[int]] = {o: [] for o in PAIRS}
    ascii_open: Optional[int] = None
    for i, ch in enumerate(line):
        if ch in PAIRS:
            stacks[ch].append(i)
        elif ch in CLOSERS and stacks[CLOSERS[ch]]:
            pairs.append(QuotePair(offset + stacks[CLOSERS[ch]].pop(), offset + i, CLOSERS[ch] + ch))
        elif ch == ASCII_QUOTE:
            if ascii_open is None:
                ascii_open = i
            else:
                pairs.append(QuotePair(offset + ascii_open, offset + i, '""'))
                ascii_open = None
    unpaired.extend(offset + i for stack in stacks.values() for i in stack)
