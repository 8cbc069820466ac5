"""Sentences and jieba tokens of a normalized text.

One segmentation per document, reused by every extractor. Tokens come from
a `jieba.Tokenizer` instance that loads the project's own dictionary files
on top of jieba's main dictionary; the global `jieba.dt` is never touched.
"""

from __future__ import annotations

import bisect
import logging
import tempfile
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pipeline.data import data_lines

_ENDS = set("。！？!?；;…")
_ASCII_ENDS = set("!?;")
_CLOSERS = set("”’」』)）》】\"'")
_OPEN_QUOTE = {"“": "”", "‘": "’", "「": "」", "『": "』"}
# A quote longer than this is not held open across sentence ends: a missing
# closing mark must not swallow the rest of a paragraph.
_MAX_QUOTE = 300

USER_DICTIONARIES = ("jieba_words.txt",)
# Frequency given to the gazetteer's official names: enough to keep 宁海县 and
# 汕尾市 whole, not enough to cut common words around them (上海|城市, not
# 上|海城市).
PLACE_FREQ = 300


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence(Span):
    index: int


@dataclass(frozen=True)
class Segmentation:
    sentences: tuple[Sentence, ...]
    tokens: tuple[Span, ...]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding `offset` (the nearest one before it)."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def boundaries(self) -> frozenset[int]:
        """Offsets where a token starts or ends."""
        return frozenset(x for t in self.tokens for x in (t.start, t.end))


def _ends_sentence(line: str, i: int) -> bool:
    """ASCII ?!; end a sentence only before a space, a closer or the line end
    (a run such as 寧??h is mojibake, not two questions)."""
    if line[i] not in _ENDS:
        return False
    if line[i] not in _ASCII_ENDS:
        return True
    j = i
    while j < len(line) and line[j] in _ASCII_ENDS:
        j += 1
    return j == len(line) or line[j].isspace() or line[j] in _CLOSERS or line[j] in _ENDS


def _sentence_ends(line: str) -> list[int]:
    """End offsets of the sentences of one line (quotes kept whole)."""
    ends, closing, opened_at = [], [], 0
    i = 0
    while i < len(line):
        ch = line[i]
        if ch in _OPEN_QUOTE:
            closing.append(_OPEN_QUOTE[ch])
            opened_at = i
        elif closing and ch == closing[-1]:
            closing.pop()
            if not closing and i > 0 and line[i - 1] in _ENDS:
                ends.append(i + 1)  # “……。” closes a quoted sentence
        elif _ends_sentence(line, i) and (not closing or i - opened_at > _MAX_QUOTE):
            closing.clear()
            while i + 1 < len(line) and (line[i + 1] in _ENDS or line[i + 1] in _CLOSERS):
                i += 1
            ends.append(i + 1)
        i += 1
    if not ends or ends[-1] < len(line):
        ends.append(len(line))
    return ends


def split_sentences(text: str) -> list[Sentence]:
    """Sentences end at 。！？；… and at line breaks; blank ones are skipped."""
    out: list[Sentence] = []
    line_start = 0
    for line in text.split("\n"):
        start = 0
        for end in _sentence_ends(line):
            chunk = line[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            body = chunk.strip()
            if body:
                s = line_start + start + lead
                out.append(Sentence(s, s + len(body), body, len(out)))
            start = end
        line_start += len(line) + 1
    return out


@lru_cache(maxsize=1)
def tokenizer():
    """The process's jieba.Tokenizer with the project dictionaries loaded."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = tempfile.gettempdir()
    tk.initialize()
    for word, freq, tag in _user_words():
        tk.add_word(word, freq, tag)
    return tk


@lru_cache(maxsize=1)
def _user_words() -> tuple[tuple[str, int, str | None], ...]:
    words = []
    for name in USER_DICTIONARIES:
        for number, line in data_lines(name):
            parts = line.split()
            if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
                raise ValueError(f"{name}, line {number}: expected 'word [freq] [tag]', got {line!r}")
            freq = int(parts[1]) if len(parts) > 1 else 1000
            words.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return (*words, *_place_words())


def _place_words() -> list[tuple[str, int, str | None]]:
    """Gazetteer names, so that segmentation keeps place names whole."""
    from pipeline.gazetteer import gazetteer, place_words

    return [(word, PLACE_FREQ, "ns") for word in place_words(gazetteer())]


def tokenize(text: str) -> list[Span]:
    return [Span(s, e, w) for w, s, e in tokenizer().tokenize(text, HMM=True)]


def segment(text: str) -> Segmentation:
    return Segmentation(tuple(split_sentences(text)), tuple(tokenize(text)))
