"""Small helpers on plain strings and offsets, shared by the extractors."""

from __future__ import annotations

import re

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
