"""The article cut into pieces at every mention boundary, so that the page can
colour each fact's characters where they stand in the ORIGINAL text.

Facts overlap (a region inside a meeting's name inside a brand): a piece
covered by several carries all of them, innermost first; it is coloured by
the innermost and underlined in the colour of the outermost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    fact: int        # the fact's index on the page
    type: str        # its record type (the colour)


@dataclass(frozen=True)
class Piece:
    start: int                 # offset of the piece in the original text (code points)
    text: str
    facts: tuple[int, ...]     # the facts covering it, innermost (shortest) first
    type: Optional[str]        # the innermost fact's type
    outer: Optional[str]       # the outermost fact's type when several cover it


def pieces(text: str, spans: Iterable[Span]) -> list[Piece]:
    """`text` cut at every span boundary (spans outside the text are dropped);
    concatenated, the pieces' texts give `text` back."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    return [_piece(text, a, b, spans) for a, b in zip(bounds, bounds[1:])]


def _piece(text: str, a: int, b: int, spans: list[Span]) -> Piece:
    covering = sorted((s for s in spans if s.start <= a and b <= s.end), key=lambda s: (s.end - s.start, s.fact))
    if not covering:
        return Piece(a, text[a:b], (), None, None)
    facts = tuple(dict.fromkeys(s.fact for s in covering))
    outer = covering[-1].type if len(facts) > 1 else None
    return Piece(a, text[a:b], facts, covering[0].type, outer)
