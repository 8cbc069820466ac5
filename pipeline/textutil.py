"""Small helpers on plain strings and offsets, shared by the extractors."""

from __future__ import annotations

import bisect
import re
from operator import attrgetter
from typing import Callable, Iterable, Sequence

_QUOTES = re.compile(r"[\s“”‘’\"'「」『』]")
_DOTS = re.compile(r"[·•・‧⋅∙]")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the white space at either end (empty spans stay empty)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def brand_key(name: str) -> str:
    """A brand name as the scorer compares it: no spaces or quote marks, one middle dot."""
    return _DOTS.sub("·", _QUOTES.sub("", name or ""))


def longest_common_substring(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` share."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0] * (len(b) + 1)
        for j, other in enumerate(b, 1):
            if ch == other:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


_ORDINAL = re.compile(r"第?([\d一二三四五六七八九十百]+)[届次期]")
_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")


def ordinals(name: str) -> list[str]:
    """The edition numbers of a meeting's name (第六届, 二次, 第3期), 第6届 and 第六届
    alike: simple numerals as digits (十 and above kept as written)."""
    return [n.translate(_DIGITS) for n in _ORDINAL.findall(name)]


def ordinal_digits(key: str) -> str:
    """The name with a one-numeral ordinal written as a digit (第六届 -> 第6届)."""
    return re.sub(r"(?<=第)[〇一二三四五六七八九](?=[届次期])", lambda m: m.group(0).translate(_DIGITS), key)


def merged_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, overlapping and touching ones joined (empty spans are
    kept: filter them first where they mean nothing)."""
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def starts_of(text: str, names: Iterable[str]) -> dict[str, list[int]]:
    """Every start offset of each name in the text, overlapping ones too, found in one
    pass over it (an Aho-Corasick automaton, not one search per name); names that do
    not occur are left out."""
    import ahocorasick

    names = list(names)
    if not names:
        return {}
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, name)
    automaton.make_automaton()
    out: dict[str, list[int]] = {}
    for end, name in automaton.iter(text):
        out.setdefault(name, []).append(end + 1 - len(name))
    return out


def not_overlapping(starts: Iterable[int], length: int) -> list[int]:
    """Of a name's sorted starts, those str.find and re.finditer would find: left to right, not overlapping."""
    out: list[int] = []
    for a in starts:
        if not out or a >= out[-1] + length:
            out.append(a)
    return out


def occurrences(text: str, names: Iterable[str]) -> dict[str, list[int]]:
    """Start offsets of each name in the text (left to right, not overlapping)."""
    return {name: not_overlapping(starts, len(name)) for name, starts in starts_of(text, names).items()}


class Intervals:
    """A fixed set of spans, for a quick 'does [start, end) touch one of them?'
    (overlapping spans are merged once, each question is a bisection)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged = merged_spans(spans)
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def covers(self, start: int, end: int) -> bool:
        """[start, end) lies within one of the (merged) spans."""
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end


class ByStart:
    """Items sorted by start (spans, or tuples with `start` pulling the start out),
    looked up by bisection on their starts."""

    def __init__(self, items: Sequence, start: Callable = attrgetter("start")):
        self.items = items
        self.starts = [start(x) for x in items]

    def starting_in(self, a: int, b: int) -> list:
        """The items that start in [a, b)."""
        return self.items[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]


class DisjointSpans:
    """Spans chosen one by one so that no two overlap (the same span may be
    chosen twice): `clashes` answers by bisection, not by a scan of all."""

    def __init__(self):
        self._starts: list[int] = []
        self._ends: list[int] = []

    def clashes(self, start: int, end: int) -> list[tuple[int, int]]:
        """The chosen spans that overlap [start, end)."""
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        return list(zip(self._starts[lo:hi], self._ends[lo:hi]))

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
