"""Finding place-name hits on characters, and the guards that drop false ones.

A hit is kept when it lines up with jieba's words (it neither starts inside
a word nor ends inside a word that began within it, 奥巴马 / 大同|市场),
unless what follows is a known continuation (汕尾市|委). A surface flagged
as a common word (和平, 东方, 中非) is kept only next to another place: right
after it (北京朝阳) or in a list with it (深圳、珠海、汕尾).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from pipeline.data import load_json
from pipeline.gazetteer import Surface, gazetteer
from pipeline.segment import Span

DIVISION_LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    options: tuple[Surface, ...]
    needs_context: bool = False

    @property
    def common(self) -> bool:
        return any(s.common for s in self.options)

    @property
    def division_codes(self) -> tuple[str, ...]:
        return tuple(s.ref for s in self.options if s.level in DIVISION_LEVELS)

    def overlaps(self, other: "Hit") -> bool:
        return self.start < other.end and other.start < self.end


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for text, surfaces in gazetteer().all_surfaces().items():
        if len(text) >= 2:
            automaton.add_word(text, (text, surfaces))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _context() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rules = load_json("region_context.json")
    return tuple(rules["continuations"]), tuple(rules["separators"])


def find_hits(text: str) -> list[Hit]:
    """Every gazetteer surface in the text, overlapping ones included."""
    hits = []
    for end, (surface, options) in _automaton().iter(text):
        hits.append(Hit(end + 1 - len(surface), end + 1, surface, options))
    return hits


def _token_index(tokens: Sequence[Span], length: int) -> tuple[list[int], list[int]]:
    starts, ends = list(range(length)), list(range(1, length + 1))
    for t in tokens:
        for i in range(t.start, t.end):
            starts[i], ends[i] = t.start, t.end
    return starts, ends


def _aligned(text: str, hit: Hit, starts: list[int], ends: list[int], spans: set) -> bool:
    word_start = starts[hit.start]
    if word_start != hit.start and (word_start, hit.start) not in spans:
        return False
    word_end = ends[hit.end - 1]
    if word_end == hit.end:
        return True
    continuations, _ = _context()
    return text[hit.end:word_end] in continuations or text[hit.end:].startswith(continuations[:1])


def _next_to_place(text: str, hit: Hit, places: list[Hit]) -> bool:
    """Right after another place (北京朝阳), or beside one in a list (朝阳、海淀)."""
    _, separators = _context()
    for other in places:
        if other.overlaps(hit):
            continue
        if other.end == hit.start:
            return True
        gap = text[other.end:hit.start] if other.end <= hit.start else text[hit.end:other.start]
        if gap in separators:
            return True
    return False


def accepted_hits(text: str, hits: list[Hit], tokens: Sequence[Span]) -> list[Hit]:
    """The hits that survive the guards, longest first, without overlaps, in text order."""
    starts, ends = _token_index(tokens, len(text))
    spans = {(h.start, h.end) for h in hits}
    aligned = [h for h in hits if _aligned(text, h, starts, ends, spans)]
    plain = [h for h in aligned if not h.common]
    kept = plain + [Hit(h.start, h.end, h.text, h.options, True)
                    for h in aligned if h.common and _next_to_place(text, h, plain)]
    chosen: list[Hit] = []
    for hit in sorted(kept, key=lambda h: (-(h.end - h.start), h.start)):
        if not any(hit.overlaps(c) for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)
