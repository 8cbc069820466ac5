"""Character-level helpers on plain strings: quote masking (on the pairs of
pipeline.quotes), name cleaning, and the marks that bound clauses and names."""

from __future__ import annotations

import re
from typing import Optional

from pipeline.normalize import MOJIBAKE
from pipeline.quotes import QuoteTable, pair_quotes

CLAUSE_END = set(",，;；。！？!?\n：:")
PUNCT = CLAUSE_END | set("、…—《》【】()（）[]")
OPENERS = {"“": "”", "‘": "’", "《": "》"}
MASKED_STYLES = tuple(o + c for o, c in OPENERS.items())
CLOSERS = {v: k for k, v in OPENERS.items()}
QUOTES = set("“”‘’\"")
MASK = "＿"
MAX_QUOTE = 200
_NUM = r"\d+|[一二两三四五六七八九十百千万几数多]+"
QUANT = re.compile(rf"(第|首)?\s?({_NUM})\s?[余多]?\s?(个|场|次|期|届|批|轮|项|类|度)$")
CJK = re.compile(r"[\u3400-\u9fff]")
GARBLED = re.compile(r"[?？\ufffd]|[A-Za-z]")
_GARBLE_MASK = "〓"


def quote_closers(quotes: QuoteTable) -> dict[int, int]:
    """Opener -> closer of the quotes the rules mask: innermost “” ‘’ 《》 pairs
    (no other opener before the closer) closing within MAX_QUOTE characters."""
    return {p.open: p.close for p in quotes.innermost(MASKED_STYLES, MAX_QUOTE)}


def masked_text(text: str, closers: dict[int, int]) -> str:
    chars = list(text)
    for m in MOJIBAKE.finditer(text):
        chars[m.start():m.end()] = _GARBLE_MASK * (m.end() - m.start())
    for i, j in closers.items():
        chars[i + 1:j] = MASK * (j - i - 1)
    return "".join(chars)


def closing_quote(text: str, i: int) -> Optional[int]:
    """The closer of the masked quote opened at text[i] (None when unpaired)."""
    return quote_closers(pair_quotes(text)).get(i)


def clean_name(raw: str) -> str:
    """A name as written, without spaces and without quotes that enclose all of it
    or are left unpaired (“ 深圳会议 -> 深圳会议; “6G星空”启动仪式 stays)."""
    name = _SPACES.sub(lambda m: _space(raw, m), raw)
    while name and name[0] in QUOTES and not _pairs_within(name, 0):
        name = name[1:]
    while name and name[-1] in QUOTES and name[-1] in CLOSERS and CLOSERS[name[-1]] not in name:
        name = name[:-1]
    if len(name) > 2 and name[0] in "“‘" and closing_quote(name, 0) == len(name) - 1:
        name = name[1:-1]
    return name


_SPACES = re.compile(r"\s+")


def _space(raw: str, m: re.Match) -> str:
    """A space between two words of a quoted theme stays, as written (“学延安精神
    强党性修养”专题培训班); any other space goes (“ 深圳会议; a line break)."""
    left, right = raw[m.start() - 1:m.start()], raw[m.end():m.end() + 1]
    quoted = raw.count("“", 0, m.start()) > raw.count("”", 0, m.start()) and "”" in raw[m.end():]
    words = CJK.match(left or "") and CJK.match(right or "")
    return " " if quoted and words and "\n" not in m.group() else ""


def _pairs_within(name: str, i: int) -> bool:
    return name[i] in OPENERS and closing_quote(name, i) is not None


def name_key(name: str) -> str:
    return re.sub(r"[\s“”‘’\"()（）]", "", name)


def space_joins(text: str, i: int) -> bool:
    """A space in a noisy copy (“ 深圳会议; 去年 11 月份) is crossed; one between two
    Chinese characters separates a dateline from the sentence."""
    left, right = text[i - 1:i], text[i + 1:i + 2]
    return not (CJK.match(left or "") and CJK.match(right or "")) and not (left.isspace() or right.isspace())
