"""Brand candidates over simplified text (ANNOTATION.md v1, Brands).

Three sources, each kept when unsure (a classifier decides later):

- quoted spans in “” ‘’ "" 「」 『』 (the pairs of ``pipeline.quotes``) that
  close within their sentence; a quoted
  core followed by words ending in a brand-like head is extended to it
  (“客时代”电商直播基地: core 客时代, full “客时代”电商直播基地);
- unquoted names ending in a head noun from ``data/brand_heads.txt``, their
  left edge found at punctuation, stop words and verbs (``data/brand_rules.txt``);
- 《》 titles, emitted with quote_style 《》 so that the classifier sees them;
  no other candidate is produced inside a title.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence

from pipeline.data import DataFileError
from pipeline.quotes import QuoteTable, pair_quotes
from pipeline.textutil import Intervals, strip_span

GENERATOR_VERSION = "brand_candidates 1"

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KINDS = ("brand", "program", "platform", "base", "team", "activity", "other")
SCOPES = ("any", "quoted")
RULES = ("stop", "verb", "keep", "nothead")

# The quotes a quoted candidate may stand in (《》 titles are read apart).
QUOTE_STYLES = ("“”", "‘’", "「」", "『』", '""')
ASCII_QUOTE = '"'
BALANCED = ("“”", "‘’", "「」", "『』", "《》", "()", "（）", "【】")
SENTENCE_END = set("。！？!?；;")
MAX_QUOTED = 30     # characters of a quoted name, spaces not counted
MAX_TITLE = 60
MAX_NAME = 26       # characters of an unquoted name, head included
MAX_EXTENSION = 25  # characters after a quoted core up to the head
NAME_CHARS = re.compile(r"^[\u3400-\u9fffA-Za-z0-9０-９Ａ-Ｚａ-ｚ·•+＋&.\-]+$")
NUMERAL = r"[0-9０-９一二三四五六七八九十百千万两几多数]+"
MEASURES = "个批家所座项名位类种支处条期届次年月日号"
COUNTED = re.compile(r"^%s[%s]$" % (NUMERAL, MEASURES))
# a character lost in decoding: CJK, then "?"s, then the ASCII trail byte (宁??h)
MOJIBAKE = re.compile(r"(?<=[\u4e00-\u9fff])\?+(?=[A-Za-z])")

Tokenize = Callable[[str], Iterable[str]]


class BrandDataError(DataFileError):
    """A brand data file or the brand model is malformed; the message names the file (and line)."""


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    quoted: bool
    quote_style: Optional[str]
    full_start: Optional[int] = None
    full_end: Optional[int] = None
    full_text: Optional[str] = None
    head: Optional[str] = None


@dataclass(frozen=True)
class BrandLexicon:
    heads: dict  # head -> (kind hint, scope)
    stops: frozenset
    verbs: frozenset
    keeps: tuple
    notheads: tuple

    @cached_property
    def heads_by_last_char(self) -> dict:
        """Heads grouped by their last character, longest first."""
        return _group_heads(tuple(self.heads))


def rows_of(path: Path, ncols: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, columns) of a tab-separated data file, comments and blanks skipped."""
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != ncols or not all(c.strip() == c and c for c in cols):
            raise BrandDataError(f"{path.name}:{lineno}: expected {ncols} tab-separated non-empty columns: {line!r}")
        yield lineno, cols


def _check(ok: bool, path: Path, lineno: int, message: str) -> None:
    if not ok:
        raise BrandDataError(f"{path.name}:{lineno}: {message}")


def load_heads(path: Path) -> dict:
    heads = {}
    for lineno, (head, kind, scope) in rows_of(path, 3):
        _check(kind in KINDS, path, lineno, f"unknown kind {kind!r}")
        _check(scope in SCOPES, path, lineno, f"unknown scope {scope!r}")
        _check(head not in heads, path, lineno, f"duplicate head {head!r}")
        heads[head] = (kind, scope)
    return heads


def load_rules(path: Path, heads: dict) -> tuple[frozenset, frozenset, tuple, tuple]:
    found = {rule: [] for rule in RULES}
    for lineno, (rule, value) in rows_of(path, 2):
        _check(rule in RULES, path, lineno, f"unknown rule {rule!r}")
        _check(value not in found[rule], path, lineno, f"duplicate {rule} {value!r}")
        if rule == "nothead":
            _check(any(h in value for h in heads), path, lineno, f"{value!r} holds no head")
        found[rule].append(value)
    return (frozenset(found["stop"]), frozenset(found["verb"]), tuple(found["keep"]),
            tuple(found["nothead"]))


def _group_heads(heads: tuple) -> dict:
    groups: dict = {}
    for head in sorted(heads, key=len, reverse=True):
        groups.setdefault(head[-1], []).append(head)
    return groups


@lru_cache(maxsize=1)
def lexicon() -> BrandLexicon:
    heads = load_heads(DATA_DIR / "brand_heads.txt")
    stops, verbs, keeps, notheads = load_rules(DATA_DIR / "brand_rules.txt", heads)
    return BrandLexicon(heads, stops, verbs, keeps, notheads)


def jieba_tokens(text: str) -> list[str]:
    """The project's jieba dictionary without the HMM: the HMM's new words
    (20名有, 全联盟) would pull function words into names. On the THUCNews
    sample this gives the same candidates as a plain jieba.Tokenizer."""
    from pipeline.segment import plain_words

    return [w.text for w in plain_words(text)]


class _Scan:
    """One text with its token spans and the spans no candidate may enter."""

    def __init__(self, text: str, tokens: "_Spans", lex: BrandLexicon):
        self.text, self.lex = text, lex
        self.tokens = tokens
        self.kept = _covered(text, lex.keeps)
        self.nothead = _covered(text, lex.notheads)
        self.noise = {k for m in MOJIBAKE.finditer(text) for k in range(m.start(), m.end())}
        self.blocked: list[tuple[int, int]] = []
        self._blocked: Optional[Intervals] = None

    def word(self, i: int) -> str:
        return self.text[self.tokens[i][0]:self.tokens[i][1]]

    def is_stop(self, i: int) -> bool:
        """Whether token i ends a name."""
        start, end = self.tokens[i]
        word = self.word(i)
        if all(k in self.noise for k in range(start, end)):
            return False
        if not NAME_CHARS.match(word) or COUNTED.match(word) or self._counted(i):
            return True
        listed = word in self.lex.stops or word in self.lex.verbs
        return listed and not all(k in self.kept for k in range(start, end))

    def _counted(self, i: int) -> bool:
        return self.word(i) in MEASURES and i > 0 and re.fullmatch(NUMERAL, self.word(i - 1)) is not None

    def name_like(self, start: int, end: int) -> bool:
        kept = "".join(ch for k, ch in enumerate(self.text[start:end], start) if k not in self.noise)
        return NAME_CHARS.match(kept) is not None

    def head_at(self, end: int, scopes: tuple) -> Optional[str]:
        if self.tokens.ending_at(end) is None or end == 0:
            return None
        for head in self.lex.heads_by_last_char.get(self.text[end - 1], ()):
            start = end - len(head)
            if (self.text.startswith(head, start) and self.lex.heads[head][1] in scopes
                    and not all(k in self.nothead for k in range(start, end))):
                return head
        return None

    def is_blocked(self, start: int, end: int) -> bool:
        """Inside a title or a quoted candidate (asked once all are known)."""
        if self._blocked is None:
            self._blocked = Intervals(self.blocked)
        return self._blocked.overlaps(start, end)


class _Spans:
    """Word spans in text order as two arrays (not a tuple and two dicts a word),
    with the index of the word that starts or ends at an offset."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.starts, self.ends = array("q"), array("q")
        for a, b in spans:
            self.starts.append(a)
            self.ends.append(b)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self.starts[i], self.ends[i]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends)

    def starting_at(self, pos: int) -> Optional[int]:
        i = bisect.bisect_left(self.starts, pos)
        return i if i < len(self.starts) and self.starts[i] == pos else None

    def ending_at(self, pos: int) -> Optional[int]:
        i = bisect.bisect_left(self.ends, pos)
        return i if i < len(self.ends) and self.ends[i] == pos else None


def _token_spans(text: str, tokenize: Tokenize) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for token in tokenize(text):
        if not text.startswith(token, pos):
            raise ValueError(f"tokens do not cover the text at offset {pos}: {token!r}")
        spans.append((pos, pos + len(token)))
        pos += len(token)
    if pos != len(text):
        raise ValueError(f"tokens stop at offset {pos} of {len(text)}")
    return spans


def _covered(text: str, phrases: Iterable[str]) -> set[int]:
    covered: set[int] = set()
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase), text):
            covered.update(range(m.start(), m.end()))
    return covered


def _balanced(s: str) -> bool:
    if s.count(ASCII_QUOTE) % 2:
        return False
    return all(s.count(pair[0]) == s.count(pair[1]) for pair in BALANCED)


def _title_spans(quotes: QuoteTable) -> list[tuple[int, int]]:
    """《》 titles of 1 to MAX_TITLE characters with no 《 inside, marks included."""
    return [(p.open, p.close + 1) for p in quotes.innermost(("《》",), MAX_TITLE + 2) if p.close > p.open + 1]


def _quote_ok(scan: _Scan, start: int, end: int) -> bool:
    core = scan.text[start:end]
    if not core or len(re.sub(r"\s", "", core)) > MAX_QUOTED or "\n" in core:
        return False
    if any(ch in SENTENCE_END and k not in scan.noise for k, ch in enumerate(core[:-1], start)):
        return False
    return _balanced(core)


def _extend_right(scan: _Scan, pos: int) -> Optional[tuple[int, str]]:
    """End and head of the longest run after a closing quote that ends in a head."""
    text = scan.text
    while pos < len(text) and text[pos] in " \u3000":
        pos += 1
    best, limit = None, pos + MAX_EXTENSION
    i = scan.tokens.starting_at(pos)
    while i is not None and i < len(scan.tokens) and scan.tokens[i][1] <= limit:
        if scan.is_stop(i):
            break
        head = scan.head_at(scan.tokens[i][1], SCOPES)
        if head:
            best = (scan.tokens[i][1], head)
        i += 1
    return best


def _quoted_candidates(scan: _Scan, titles: list, quotes: QuoteTable) -> list[Candidate]:
    text, found, in_title = scan.text, [], Intervals(titles)
    for open_i, close_i, style in ((p.open, p.close, p.style) for p in quotes.of(QUOTE_STYLES)):
        if in_title.overlaps(open_i, open_i + 1):
            continue
        start, end = strip_span(text, open_i + 1, close_i)
        if not _quote_ok(scan, start, end):
            continue
        extension = _extend_right(scan, close_i + 1)
        full = (open_i, extension[0]) if extension else (None, None)
        found.append(Candidate(start, end, text[start:end], True, style, full[0], full[1],
                               text[full[0]:full[1]] if extension else None,
                               extension[1] if extension else _core_head(scan, start, end)))
        scan.blocked.append((open_i, extension[0] if extension else close_i + 1))
    return found


def _core_head(scan: _Scan, start: int, end: int) -> Optional[str]:
    head = scan.head_at(end, SCOPES)
    return head if head and end - len(head) > start else None


def _left_edge(scan: _Scan, i: int) -> int:
    """Start of the name whose last token is tokens[i]."""
    end, start = scan.tokens[i][1], scan.tokens[i][0]
    while i > 0 and not scan.is_stop(i - 1):
        prev_start = scan.tokens[i - 1][0]
        if end - prev_start > MAX_NAME or scan.is_blocked(prev_start, start):
            break
        start, i = prev_start, i - 1
    return start


def _head_candidates(scan: _Scan) -> list[Candidate]:
    found = []
    for i, (_, end) in enumerate(scan.tokens):
        head = scan.head_at(end, ("any",))
        if head is None or scan.is_blocked(end - len(head), end):
            continue
        start = _left_edge(scan, i)
        name = scan.text[start:end]
        if len(name) >= len(head) + 2 and scan.name_like(start, end):
            found.append(Candidate(start, end, name, False, None, head=head))
    return found


def find_candidates(text: str, *, tokenize: Optional[Tokenize] = None, word_ends: Optional[Sequence[int]] = None,
                    quotes: Optional[QuoteTable] = None) -> list[Candidate]:
    """Brand candidates in simplified ``text``, ordered by start, longest first.

    ``word_ends``: where the text's jieba words without the HMM end
    (``Analysis.seg.word_ends``), else ``tokenize`` splits the text into words
    that concatenate back to it (default: jieba without HMM). ``quotes``: the
    text's quote table (``Analysis.quotes``), else it is built here.
    """
    if word_ends:
        spans = zip([0, *word_ends[:-1]], word_ends)
    else:
        spans = _token_spans(text, tokenize or jieba_tokens)
    scan = _Scan(text, _Spans(spans), lexicon())
    quotes = quotes or pair_quotes(text)
    titles = _title_spans(quotes)
    found = []
    for t_start, t_end in titles:
        start, end = strip_span(text, t_start + 1, t_end - 1)
        if start < end:
            found.append(Candidate(start, end, text[start:end], True, "《》"))
    scan.blocked.extend(titles)
    found += _quoted_candidates(scan, titles, quotes)
    found += _head_candidates(scan)
    return sorted(found, key=lambda c: (c.start, -c.end, c.quote_style or ""))
