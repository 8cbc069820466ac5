"""Normalize a decoded document into an offset-keeping simplified text.

Every character of the normalized text remembers the span of the original
text it came from, so a record found in normalized text can point an editor
at the exact original (possibly traditional) characters.

Steps, in order: drop zero-width characters and carriage returns, remove
pinyin annotations (統(tǒng) -> 統), decode HTML character references left in
web copies (&nbsp; &ldquo;), drop the padding web copies put inside quote
marks and the second of doubled spaces (“ 深圳会议 ”, 去年  11  月份), fold
full-width digits and letters,
unify 「」 quote marks with “”, convert traditional to simplified with OpenCC
when the text is traditional or mixed, fix OpenCC's 著/着 leftovers, and
report mojibake runs as warnings (they are kept in the text).
"""

from __future__ import annotations

import bisect
from array import array
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from pipeline.data import DataFileError, load_words
from pipeline.records import Notice
from pipeline.textutil import merged_spans

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A pinyin annotation: a CJK character followed by (pinyin) with at least one
# tone mark, so that real parentheses such as (tongzhanxinyu) stay.
_PINYIN = re.compile(
    rf"(?<=[{_CJK}])[(（](?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\r]")
# Lossy re-encoding leaves runs of ? between CJK characters (寧??h) or U+FFFD.
MOJIBAKE = re.compile(rf"(?<=[{_CJK}])\?+(?:[a-zA-Z](?=[{_CJK}])|(?=[{_CJK}]))|\ufffd+")
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
# Web copies pad quote marks with spaces (“ 深圳会议 ”) and double the spaces
# around numbers (去年  11  月份): the padding goes, a single space stays.
_NOISE_SPACE = re.compile(
    r"(?<=[“‘])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[”’])|(?<=[ \t\u00a0\u3000])[ \t\u00a0\u3000]+"
)
# HTML character references left in web copies (&nbsp; &ldquo; &#12290;).
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")


@dataclass(frozen=True)
class OffsetText:
    """A normalized text with a map from each character to the original."""

    original: str
    text: str
    starts: Sequence[int] = field(repr=False)  # an array("q"): 8 bytes a character
    ends: Sequence[int] = field(repr=False)
    script: str = "simplified"
    warnings: tuple[Notice, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to its original span."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}..{end} outside text of length {len(self.text)}")
        return self.starts[start], self.ends[end - 1]

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span back to the normalized span that covers it."""
        a = bisect.bisect_left(self.ends, start + 1)
        b = bisect.bisect_left(self.starts, end)
        if a >= b:
            raise ValueError(f"original span {start}..{end} has no normalized characters")
        return a, b

    def original_slice(self, start: int, end: int) -> str:
        a, b = self.to_original(start, end)
        return self.original[a:b]


class _Draft:
    """Text under construction with a start/end offset per character (arrays:
    8 bytes a character, not a Python object each)."""

    def __init__(self, original: str):
        self.text = original
        self.starts = array("q", range(len(original)))
        self.ends = array("q", range(1, len(original) + 1))

    def delete(self, spans: Iterable[tuple[int, int]]) -> None:
        runs = merged_spans(x for x in spans if x[0] < x[1])
        if not runs:
            return
        keep = [(b0, a1) for (_a0, b0), (a1, _b1) in zip([(0, 0), *runs], [*runs, (len(self.text), 0)])]
        self.text = "".join(self.text[a:b] for a, b in keep)
        self.starts = _gather(self.starts, keep)
        self.ends = _gather(self.ends, keep)

    def collapse(self, spans: Iterable[tuple[int, int, str]]) -> None:
        """Replace each span by one character that maps to the whole span."""
        spans = sorted(spans)
        if not spans:
            return
        pieces, pos = [], 0
        for a, b, ch in spans:
            pieces += [self.text[pos:a], ch]
            self.ends[a] = self.ends[b - 1]
            pos = a + 1
        self.text = "".join(pieces) + self.text[pos:]
        self.delete((a + 1, b) for a, b, _ch in spans)

    def replace_chars(self, new_text: str) -> None:
        """Replace the text with one of the same length, keeping offsets."""
        if len(new_text) != len(self.text):
            raise ValueError("a length-changing replacement needs replace_per_char")
        self.text = new_text


def _gather(values: array, keep: list[tuple[int, int]]) -> array:
    out = array("q")
    for a, b in keep:
        out.extend(values[a:b])
    return out


def _entities(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _ENTITY.finditer(text):
        ch = html.unescape(m.group())
        if len(ch) == 1:
            out.append((m.start(), m.end(), " " if ch == "\xa0" else ch))
    return out


def _fold_width(ch: str) -> str:
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if ch in "％．":
        return unicodedata.normalize("NFKC", ch)
    return ch


# Full-width digits and Latin letters, ％ and ． folded, and 「」『』 unified with “”‘’.
_FOLD = {**{c: _fold_width(chr(c)) for c in range(0xFF01, 0xFF5F) if _fold_width(chr(c)) != chr(c)}, **_QUOTES}


@lru_cache(maxsize=2)
def _converter(config: str):
    from opencc import OpenCC

    try:
        return OpenCC(config)
    except Exception:  # the official `opencc` wheel wants the .json name
        return OpenCC(f"{config}.json")


@lru_cache(maxsize=200_000)
def _char_kind(ch: str) -> str:
    """'t' if OpenCC simplifies the character, 's' if it has a traditional form."""
    if _converter("t2s").convert(ch) != ch:
        return "t"
    if _converter("s2t").convert(ch) != ch:
        return "s"
    return ""


def detect_script(text: str) -> str:
    """simplified, traditional or mixed, from characters that differ between the two."""
    trad = simp = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            kind = _char_kind(ch)
            trad += kind == "t"
            simp += kind == "s"
    if trad == 0:
        return "simplified"
    if trad >= 0.9 * (trad + simp):
        return "traditional"
    # A stray traditional character or two (乾隆, a quoted name) is not mixed text.
    return "mixed" if trad >= 3 and trad >= 0.1 * (trad + simp) else "simplified"


def to_simplified(text: str) -> str:
    """OpenCC t2s, falling back per character where a phrase changes length."""
    converted = _converter("t2s").convert(text)
    if len(converted) == len(text):
        return _fix_zhe(converted)
    lines = text.split("\n")
    out = []
    for line in lines:
        conv = _converter("t2s").convert(line)
        if len(conv) != len(line):
            conv = "".join(_converter("t2s").convert(ch)[:1] or ch for ch in line)
        out.append(conv)
    return _fix_zhe("\n".join(out))


def _fix_zhe(text: str) -> str:
    """著 -> 着 except in the words where it is read zhù (著名, 显著, 著有)."""
    if "著" not in text:
        return text
    keep = {i for m in _zhu_words().finditer(text) for i in range(m.start(), m.end())}
    return "".join("着" if ch == "著" and i not in keep else ch for i, ch in enumerate(text))


@lru_cache(maxsize=1)
def _zhu_words() -> re.Pattern:
    words = load_words("zhu_words.txt")
    bad = [w for w in words if "著" not in w]
    if bad:
        raise DataFileError(f"zhu_words.txt: every word must hold 著, not {bad[0]!r}")
    return re.compile("|".join(sorted(words, key=len, reverse=True)))


def _mojibake_warnings(draft: _Draft) -> list[Notice]:
    out = []
    for m in MOJIBAKE.finditer(draft.text):
        start, end = draft.starts[m.start()], draft.ends[m.end() - 1]
        out.append(
            Notice(
                code="mojibake",
                message=f"{m.end() - m.start()} unreadable character(s) left by a lossy encoding",
                start=start,
                end=end,
            )
        )
    return out


def normalize(original: str, *, convert: Callable[[str], str] | None = None) -> OffsetText:
    """Build the OffsetText of an original decoded document."""
    draft = _Draft(original)
    draft.delete(m.span() for m in _INVISIBLE.finditer(draft.text))
    draft.delete(m.span() for m in _PINYIN.finditer(draft.text))
    draft.collapse(_entities(draft.text))
    draft.delete(m.span() for m in _NOISE_SPACE.finditer(draft.text))
    draft.replace_chars(draft.text.translate(_FOLD))
    script = detect_script(draft.text)
    if script != "simplified":
        draft.replace_chars((convert or to_simplified)(draft.text))
    warnings = tuple(_mojibake_warnings(draft))
    return OffsetText(
        original=original,
        text=draft.text,
        starts=array("q", draft.starts),
        ends=array("q", draft.ends),
        script=script,
        warnings=warnings,
    )
