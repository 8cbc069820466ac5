"""Brand candidates over simplified text (ANNOTATION.md v1, Brands).

Three sources, each kept when unsure (a classifier decides later):

- quoted spans in “” ‘’ "" 「」 『』 (the pairs of ``pipeline.quotes``) that
  close within their sentence; a quoted
  core followed by words ending in a brand-like head is extended to it
  (“客时代”电商直播基地: core 客时代, full “客时代”电商直播基地);
- unquoted names ending in a head noun from ``data/brand_heads.txt``, their
  left edge found at punctuation, stop words and verbs (``data/brand_rules.txt``);
- 《》 titles, emitted with quote_style 《》 so that the classifier sees them;
  no other candidate is produced inside a title;
- unquoted names without a head listed before 等 and a head (同心义企行、
  同心义乡行、同心义路行等活动): the list's head says what each one is.
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
from pipeline.textutil import Intervals, starts_of, strip_span

GENERATOR_VERSION = "brand_candidates 2"

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
LIST_ENDS = ("等", "等等")   # a list of names ends here when a head follows (等活动)
LIST_JOINERS = ("、", "和", "及", "与", "以及")
LIST_ITEM_MIN = 3   # characters of a listed name without a head
NAME_CHARS = re.compile(r"^[\u3400-\u9fffA-Za-z0-9０-９Ａ-Ｚａ-ｚ·•+＋&.\-]+$")
NUMERAL = r"[0-9０-９一二三四五六七八九十百千万两几多数]+"
MEASURES = "个批家所座项名位类种支处条期届次年月日号"
COUNTED = re.compile(r"^%s[%s]$" % (NUMERAL, MEASURES))
COUNT_TAIL = re.compile(r"(?:%s[余多]?[%s场次人户]?)?" % (NUMERAL, MEASURES))  # 20余场, 36场, 8期
COUNT_TAIL_MAX = 8
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
        self.blocked = Intervals(())  # titles and quoted candidates, set once the quoted pass is done

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

    def head_at(self, end: int, scopes: tuple, lo: int = 0) -> Optional[str]:
        """The longest head ending at ``end`` (and starting at ``lo`` or after)."""
        if self.tokens.ending_at(end) is None or end == 0:
            return None
        for head in self.lex.heads_by_last_char.get(self.text[end - 1], ()):
            start = end - len(head)
            if (start >= lo and self.text.startswith(head, start) and self.lex.heads[head][1] in scopes
                    and not all(k in self.nothead for k in range(start, end))):
                return head
        return None

    def token_holding(self, pos: int, last: int) -> int:
        """Index of the token holding character ``pos``, searching back from token ``last``."""
        while last > 0 and self.tokens[last][0] > pos:
            last -= 1
        return last

    def is_blocked(self, start: int, end: int) -> bool:
        """Inside a title or a quoted candidate."""
        return self.blocked.overlaps(start, end)


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


def _covered(text: str, phrases: tuple[str, ...]) -> set[int]:
    """Offsets inside any occurrence of any of the phrases (overlaps included)."""
    return {k for phrase, starts in starts_of(text, phrases).items()
            for a in starts for k in range(a, a + len(phrase))}


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


def _extend_right(scan: _Scan, pos: int, stop: Optional[int] = None, lo: int = 0) -> Optional[tuple[int, str]]:
    """End and head of the longest run after a closing quote that ends in a head (before
    ``stop``, the head starting at ``lo`` or after)."""
    text = scan.text
    stop = len(text) if stop is None else stop
    while pos < stop and text[pos] in " \u3000":
        pos += 1
    best, limit = None, min(pos + MAX_EXTENSION, stop)
    i = scan.tokens.starting_at(pos)
    while i is not None and i < len(scan.tokens) and scan.tokens[i][1] <= limit:
        if scan.is_stop(i):
            break
        head = scan.head_at(scan.tokens[i][1], SCOPES, lo)
        if head:
            best = (scan.tokens[i][1], head)
        i += 1
    return best


@lru_cache(maxsize=4096)
def head_after(text: str, *, inside: bool = False) -> Optional[tuple[int, str]]:
    """End and head of the run of name words at the start of ``text`` when a head noun
    ends it (线上服务平台，; 系列活动36场): the words after a name that say what it is.
    A head inside the run (“荣登”联盟假摔王) counts only with ``inside`` (the longest
    run ending in a head, as a quoted core is extended: 等活动受到群众好评)."""
    scan = _Scan(text, _Spans(_token_spans(text, jieba_tokens)), lexicon())
    return _head_after(scan, 0, len(text), inside)


class Tails:
    """``head_after`` read in a document's own words (``Analysis.seg.word_ends``)
    rather than in a window segmented again."""

    def __init__(self, text: str, word_ends: Sequence[int]):
        self.scan = _Scan(text, _Spans(zip([0, *word_ends[:-1]], word_ends)), lexicon())

    def after(self, pos: int, limit: int, *, inside: bool = False) -> Optional[tuple[int, str]]:
        """``head_after(text[pos:limit], inside=inside)``, its offsets from ``pos``."""
        text, tokens = self.scan.text, self.scan.tokens
        start = pos
        while inside and start < limit and text[start] in " \u3000":
            start += 1
        if start < limit and tokens.starting_at(start) is None:
            return head_after(text[pos:limit], inside=inside)
        return _head_after(self.scan, pos, limit, inside)


def _head_after(scan: _Scan, pos: int, limit: int, inside: bool) -> Optional[tuple[int, str]]:
    """head_after over the words of ``scan`` from ``pos`` (a word's start) to ``limit``."""
    if inside:
        found = _extend_right(scan, pos, limit, pos)
        return (found[0] - pos, found[1]) if found else None
    first = i = scan.tokens.starting_at(pos)
    if i is None:
        return None
    while i < len(scan.tokens) and scan.tokens[i][0] < limit and not scan.is_stop(i):
        i += 1
    run_end = scan.tokens[i - 1][1] if i > first else pos
    for k in range(i, first, -1):  # the head may stand before a count (系列活动20余场)
        end = scan.tokens[k - 1][1]
        if run_end - end > COUNT_TAIL_MAX:
            break
        head = scan.head_at(end, SCOPES, pos) if end - pos <= MAX_EXTENSION and end <= limit else None
        if head and COUNT_TAIL.fullmatch(scan.text, end, run_end):
            return end - pos, head
    return None


def _quoted_candidates(scan: _Scan, titles: list, quotes: QuoteTable, blocked: list) -> list[Candidate]:
    """Quoted candidates; the span each one blocks (its quotes, its extension) is added to ``blocked``."""
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
        blocked.append((open_i, extension[0] if extension else close_i + 1))
    return found


def _core_head(scan: _Scan, start: int, end: int) -> Optional[str]:
    head = scan.head_at(end, SCOPES)
    return head if head and end - len(head) > start else None


def _left_edge(scan: _Scan, i: int, end: int) -> int:
    """Start of the name that ends at ``end`` and whose first known token is tokens[i]
    (the token holding the head's first character: a head of several tokens, 之+家,
    is part of the name even where one of its tokens is a stop word)."""
    start = scan.tokens[i][0]
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
        start = _left_edge(scan, scan.token_holding(end - len(head), i), end)
        name = scan.text[start:end]
        if len(name) >= len(head) + 2 and scan.name_like(start, end):
            found.append(Candidate(start, end, name, False, None, head=head))
    return found


def _list_tail(scan: _Scan, i: int) -> Optional[str]:
    """The head ending the words after 等 at token i (等活动, 等9个特色品牌), if any."""
    if i < len(scan.tokens) and re.fullmatch(NUMERAL, scan.word(i)):
        i += 1 + (i + 1 < len(scan.tokens) and scan.word(i + 1) in MEASURES)
    if i >= len(scan.tokens):
        return None
    found = _extend_right(scan, scan.tokens[i][0])
    return found[1] if found else None


def _list_items(scan: _Scan, i: int) -> list[tuple[int, int]]:
    """The names listed before token i, last first: runs of name words joined by 、/和/及/与."""
    items = []
    while i > 0 and not scan.is_stop(i - 1):
        end = scan.tokens[i - 1][1]
        start = _left_edge(scan, i - 1, end)
        items.append((start, end))
        i = scan.tokens.starting_at(start)
        if i == 0 or scan.word(i - 1) not in LIST_JOINERS:
            break
        i -= 1
    return items


def _listed_candidates(scan: _Scan, taken: list[Candidate]) -> list[Candidate]:
    """Unquoted names without a head, listed before 等 and a head (同心义企行、同心义乡行、
    同心义路行等活动; 形成甲、乙、丙等9个特色品牌): each is a candidate."""
    found, covered = [], {(c.start, c.end) for c in taken}
    for i in range(1, len(scan.tokens)):
        if scan.word(i) not in LIST_ENDS or _list_tail(scan, i + 1) is None:
            continue
        items = _list_items(scan, i)
        if len(items) < 2:
            continue
        for start, end in reversed(items):
            if (start, end) not in covered and _listable(scan, start, end):
                found.append(Candidate(start, end, scan.text[start:end], False, None))
    return found


def _listable(scan: _Scan, start: int, end: int) -> bool:
    size = len(scan.text[start:end])
    return (LIST_ITEM_MIN <= size <= MAX_NAME and scan.name_like(start, end)
            and scan.head_at(end, SCOPES) is None and not scan.is_blocked(start, end))


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
    blocked = list(titles)
    found += _quoted_candidates(scan, titles, quotes, blocked)
    scan.blocked = Intervals(blocked)
    found += _head_candidates(scan)
    found += _listed_candidates(scan, found)
    return sorted(found, key=lambda c: (c.start, -c.end, c.quote_style or ""))
