"""Sentences and jieba tokens of a normalized text.

One segmentation per document, reused by every extractor. Tokens come from
a `jieba.Tokenizer` instance that loads the project's own dictionary files
on top of jieba's main dictionary; the global `jieba.dt` is never touched.
"""

from __future__ import annotations

import bisect
import logging
from array import array
import tempfile
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Iterator, Optional, Sequence

from pipeline.data import data_lines
from pipeline.quotes import PAIRS, SPEECH_STYLES, QuoteTable, pair_quotes

_ENDS = set("。！？!?；;…")
_ASCII_ENDS = set("!?;")
_CLOSERS = set("”’」』)）》】\"'")
# A quote longer than this is not held open across sentence ends: a missing
# closing mark must not swallow the rest of a paragraph.
_MAX_QUOTE = 300

USER_DICTIONARIES = ("jieba_words.txt",)
# Frequency given to the gazetteer's official names: enough to keep 宁海县 and
# 汕尾市 whole, not enough to cut common words around them (上海|城市, not
# 上|海城市).
PLACE_FREQ = 300


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    index: int


class TokenIndex:
    """jieba tokens in text order, looked up by offset: the one idiom every
    extractor uses (`doc.tokens.ending_at(i)`, `.starting_at(i)`, `.holding(i)`,
    `.within(a, b)`, `.boundaries`)."""

    def __init__(self, tokens: Sequence[Span]):
        self.tokens = tuple(sorted(tokens, key=lambda t: t.start))
        self._starts = array("q", (t.start for t in self.tokens))
        self._ends = array("q", (t.end for t in self.tokens))

    def __iter__(self) -> Iterator[Span]:
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def starting_at(self, pos: int) -> Optional[Span]:
        i = bisect.bisect_left(self._starts, pos)
        return self.tokens[i] if i < len(self.tokens) and self._starts[i] == pos else None

    def ending_at(self, pos: int) -> Optional[Span]:
        i = bisect.bisect_left(self._ends, pos)
        return self.tokens[i] if i < len(self.tokens) and self._ends[i] == pos else None

    def holding(self, pos: int) -> Optional[Span]:
        """The token that holds the character at `pos`."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.tokens[i] if i >= 0 and self.tokens[i].end > pos else None

    def within(self, start: int, end: int) -> tuple[Span, ...]:
        """The tokens that lie inside [start, end)."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_right(self._ends, end)
        return tuple(t for t in self.tokens[lo:hi] if t.start >= start)

    @property
    def boundaries(self) -> "Boundaries":
        """Offsets where a token starts or ends (`i in doc.tokens.boundaries`)."""
        return Boundaries(self._starts, self._ends)


@dataclass(frozen=True)
class Boundaries:
    """Token edges, asked by bisection (no set of every offset is built)."""

    starts: Sequence[int]
    ends: Sequence[int]
    extra: frozenset[int] = frozenset()

    def __contains__(self, pos: int) -> bool:
        if pos in self.extra:
            return True
        for edges in (self.starts, self.ends):
            i = bisect.bisect_left(edges, pos)
            if i < len(edges) and edges[i] == pos:
                return True
        return False

    def __or__(self, other) -> "Boundaries":
        return Boundaries(self.starts, self.ends, self.extra | frozenset(other))


@dataclass(frozen=True)
class Segmentation:
    """Sentences and jieba's words of one text: `tokens` with jieba's HMM (new
    words and names found), `word_ends` where each word without it ends
    (dictionary words only)."""

    sentences: tuple[Sentence, ...]
    tokens: tuple[Span, ...]
    word_ends: Sequence[int] = ()  # where each word without the HMM ends, in order

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding `offset` (the nearest one before it)."""
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def index(self) -> TokenIndex:
        """The HMM tokens looked up by offset."""
        return TokenIndex(self.tokens)


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


def _sentence_ends(line: str, opens: dict[int, int]) -> list[int]:
    """End offsets of the sentences of one line. `opens` maps each opening
    quote mark of the line to its closing mark (len(line) when unpaired), both
    line offsets: a quote is kept whole."""
    ends, closing, opened_at = [], [], 0
    i = 0
    while i < len(line):
        if i in opens:
            closing.append(opens[i])
            opened_at = i
        elif closing and i == closing[-1]:
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


def _line_quotes(quotes: QuoteTable, start: int, end: int) -> dict[int, int]:
    """Quotation marks opened in text[start:end], as line offsets opener -> closer."""
    out = {p.open - start: p.close - start for p in quotes.pairs_in(start, end) if p.style in SPEECH_STYLES}
    out.update((i - start, end - start) for i in quotes.unpaired_in(start, end) if quotes.text[i] + PAIRS[quotes.text[i]] in SPEECH_STYLES)
    return out


def split_sentences(text: str, quotes: QuoteTable | None = None) -> list[Sentence]:
    """Sentences end at 。！？；… and at line breaks; blank ones are skipped.
    `quotes`: the text's quote table when the caller has it already."""
    quotes = quotes or pair_quotes(text)
    out: list[Sentence] = []
    line_start = 0
    for line in text.split("\n"):
        start = 0
        for end in _sentence_ends(line, _line_quotes(quotes, line_start, line_start + len(line))):
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
    """jieba's words of `text` with its HMM for unknown words (names, new words)."""
    return _cut(text)[0]


def plain_words(text: str) -> list[Span]:
    """jieba's dictionary words of `text`, without the HMM."""
    return _spans_ending(text, _cut(text, hmm=False)[1])


def _spans_ending(text: str, ends: array) -> list[Span]:
    return [Span(a, b, text[a:b]) for a, b in zip([0, *ends[:-1]], ends)]


def _cut(text: str, *, hmm: bool = True) -> tuple[list[Span], array]:
    """jieba's words with the HMM and without it, from one dictionary pass: the
    HMM tokens (none with ``hmm=False``), the same as
    `tokenizer().tokenize(text, HMM=True)`, and where each word without the HMM
    ends (an array: the plain view is read by offsets only), the same as
    `HMM=False`. Without the HMM, single characters that jieba's dictionary
    cannot join stay apart (a run of Latin letters and digits is one word)."""
    import jieba

    tk = tokenizer()
    with_hmm: list[Span] = []
    ends = array("q")
    pos = 0
    for block in jieba.re_han_default.split(text):
        if not block:
            continue
        if jieba.re_han_default.match(block):
            words = _route_words(tk, block)
            if hmm:
                _add_spans(with_hmm, pos, _hmm_words(tk, words))
            _add_ends(ends, pos, _joined_latin(words))
        else:
            rest = _skip_words(block)
            if hmm:
                _add_spans(with_hmm, pos, rest)
            _add_ends(ends, pos, rest)
        pos += len(block)
    return with_hmm, ends


def _add_spans(out: list[Span], pos: int, words) -> None:
    for w in words:
        start = out[-1].end if out else pos
        out.append(Span(start, start + len(w), w))


def _add_ends(ends: array, pos: int, words) -> None:
    for w in words:
        pos += len(w)
        ends.append(pos)


def _route_words(tk, block: str) -> list[str]:
    """The words of jieba's best path through its dictionary graph."""
    route: dict = {}
    tk.calc(block, tk.get_DAG(block), route)
    words, x = [], 0
    while x < len(block):
        y = route[x][1] + 1
        words.append(block[x:y])
        x = y
    return words


def _hmm_words(tk, words: list[str]):
    """Runs of single characters the dictionary does not know as one word are
    re-cut by jieba's HMM (finalseg), as jieba.cut(HMM=True) does."""
    from jieba import finalseg

    run = ""
    for word in [*words, None]:
        if word is not None and len(word) == 1:
            run += word
            continue
        if len(run) > 1 and not tk.FREQ.get(run):
            yield from finalseg.cut(run)
        else:
            yield from run
        run = ""
        if word is not None:
            yield word


def _joined_latin(words: list[str]):
    """Single Latin letters and digits joined, as jieba.cut(HMM=False) does."""
    import jieba

    run = ""
    for word in words:
        if len(word) == 1 and jieba.re_eng.match(word):
            run += word
            continue
        if run:
            yield run
            run = ""
        yield word
    if run:
        yield run


def _skip_words(block: str) -> list[str]:
    """Outside jieba's word characters: white space runs whole, other characters one by one."""
    import jieba

    out = []
    for part in jieba.re_skip_default.split(block):
        if jieba.re_skip_default.match(part):
            out.append(part)
        else:
            out.extend(part)
    return out


def segment(text: str, quotes: QuoteTable | None = None) -> Segmentation:
    """Sentences and both jieba views of `text` (see `_cut`)."""
    tokens, word_ends = _cut(text)
    return Segmentation(tuple(split_sentences(text, quotes)), tuple(tokens), word_ends)
