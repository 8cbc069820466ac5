"""Character-level helpers on plain strings: quote pairing and masking, name
cleaning, and the marks that bound clauses and names."""

from __future__ import annotations

import re
from typing import Optional

from pipeline.normalize import MOJIBAKE

CLAUSE_END = set(",，;；。！？!?\n：:")
PUNCT = CLAUSE_END | set("、…—《》【】()（）[]")
OPENERS = {"“": "”", "‘": "’", "《": "》"}
CLOSERS = {v: k for k, v in OPENERS.items()}
QUOTES = set("“”‘’\"")
MASK = "＿"
MAX_QUOTE = 200
_NUM = r"\d+|[一二两三四五六七八九十百千万几数多]+"
QUANT = re.compile(rf"(第|首)?\s?({_NUM})\s?[余多]?\s?(个|场|次|期|届|批|轮|项|类|度)$")
CJK = re.compile(r"[\u3400-\u9fff]")
GARBLED = re.compile(r"[?？\ufffd]|[A-Za-z]")
_GARBLE_MASK = "〓"


def mask_quotes(text: str) -> tuple[str, frozenset[int]]:
    """The text with the inside of paired quotes masked, and the paired openers.

    A quote pairs with the next closer on the same line when no other opener
    comes first; an unpaired opener (“ 深圳会议 ( ... ) stays as it is.
    """
    chars, paired = list(text), set()
    for m in MOJIBAKE.finditer(text):
        chars[m.start():m.end()] = _GARBLE_MASK * (m.end() - m.start())
    for i, ch in enumerate(text):
        if ch not in OPENERS:
            continue
        j = closing_quote(text, i)
        if j is not None:
            paired.add(i)
            chars[i + 1:j] = MASK * (j - i - 1)
    return "".join(chars), frozenset(paired)


def closing_quote(text: str, i: int) -> Optional[int]:
    close = OPENERS[text[i]]
    for j in range(i + 1, min(len(text), i + MAX_QUOTE)):
        if text[j] == close:
            return j
        if text[j] in OPENERS or text[j] == "\n":
            return None
    return None


def clean_name(raw: str) -> str:
    """A name as written, without spaces and without quotes that enclose all of it
    or are left unpaired (“ 深圳会议 -> 深圳会议; “6G星空”启动仪式 stays)."""
    name = re.sub(r"\s+", "", raw)
    while name and name[0] in QUOTES and not _pairs_within(name, 0):
        name = name[1:]
    while name and name[-1] in QUOTES and name[-1] in CLOSERS and CLOSERS[name[-1]] not in name:
        name = name[:-1]
    if len(name) > 2 and name[0] in "“‘" and closing_quote(name, 0) == len(name) - 1:
        name = name[1:-1]
    return name


def _pairs_within(name: str, i: int) -> bool:
    return name[i] in OPENERS and closing_quote(name, i) is not None


def name_key(name: str) -> str:
    return re.sub(r"[\s“”‘’\"()（）]", "", name)


def space_joins(text: str, i: int) -> bool:
    """A space in a noisy copy (“ 深圳会议; 去年 11 月份) is crossed; one between two
    Chinese characters separates a dateline from the sentence."""
    left, right = text[i - 1:i], text[i + 1:i + 2]
    return not (CJK.match(left or "") and CJK.match(right or "")) and not (left.isspace() or right.isspace())
