"""Meetings: held events of the meeting kind, with date, place and people.

How a document is read (the words of every rule are data: meeting_kinds.tsv,
meeting_words.tsv, meeting_roles.tsv in pipeline/data/):

1. Kind words (推进会, 培训班, 启动仪式 ...) are found; adjacent ones and 暨
   joins make one name (培训班结业式; 推进会暨……座谈会); a short parenthesis
   after the name stays with it (片会(西部地区)).
2. The left edge of the name: walk left over jieba tokens until punctuation,
   a stop word (召开, 在, 这次, 学习贯彻 ...), a day or relative date, or a 的
   after a verb or a date (去年11月份的“深圳会议”). Quoted stretches are
   crossed whole, so inner quotes stay in the name.
3. Status: held (a trigger verb before or after it, the frame 在…上/期间, or
   its own earlier date), a reference (这次片会; bare 会议 with nothing of its
   own), or not a meeting (cited for its spirit, a plan, a standing body, an
   aggregate such as 每年举办……100多个班次, a document title).
4. Attributes from the sentence: the date governing it (pipeline.dates), the
   place (在…召开 -> region records, venue), the organizer, attendees with
   their role (figure records), the head count (count records).
5. Headline and body, short forms (西部地区片会), parts (启动仪式上) and
   references fold into one record per meeting; meetings with different
   dates stay apart.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from pipeline.analysis import Analysis
from pipeline.data import DataFileError, load_rows
from pipeline.dates import DateMention, find_dates, load_date_words
from pipeline.evaluate import longest_common_substring
from pipeline.records import Attendee, Count, Figure, Location, Meeting, Mention, Region

# --------------------------------------------------------------------- data

TIERS = ("core", "body", "attached", "verbal")
WORD_CLASSES = (
    "pre", "post", "filler", "frame", "plan", "negation", "cited_before", "cited_after",
    "standing_after", "not_after", "demonstrative", "aggregate", "stop", "de_keep", "adverb",
    "venue_suffix", "org_suffix", "org_not", "scope", "bare_org", "participate_self",
    "participate_verb", "participant_noun", "person_noun", "person_unit", "sponsor", "audience",
    "generic", "plan_after", "not_kind", "proper_kind",
)
# Every class whose words also end a name on the left.
STOPPING = ("stop", "pre", "plan", "negation", "cited_before", "demonstrative", "aggregate",
            "participate_verb")


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, str]
    words: dict[str, frozenset[str]]
    roles: tuple[tuple[str, str], ...]
    kind_re: re.Pattern
    stops: frozenset[str]

    def has(self, cls: str, word: str) -> bool:
        return word in self.words[cls]

    def starts(self, cls: str, text: str) -> Optional[str]:
        """The longest word of `cls` that `text` starts with."""
        return max((w for w in self.words[cls] if text.startswith(w)), key=len, default=None)

    def ends(self, cls: str, text: str) -> Optional[str]:
        return max((w for w in self.words[cls] if text.endswith(w)), key=len, default=None)


def _rows(name: str, columns: int, header: tuple[str, ...] = ()) -> list[list[str]]:
    rows = load_rows(name, columns)
    return rows[1:] if header and rows and tuple(rows[0][:columns]) == header else rows


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The meeting rules, read and validated once per process."""
    kinds = {}
    for kind, tier in _rows("meeting_kinds.tsv", 2, ("kind", "tier")):
        if tier not in TIERS:
            raise DataFileError(f"meeting_kinds.tsv: kind {kind!r} has unknown tier {tier!r}")
        kinds[kind] = tier
    words: dict[str, set[str]] = {cls: set() for cls in WORD_CLASSES}
    for cls, word in _rows("meeting_words.tsv", 2):
        if cls not in words:
            raise DataFileError(f"meeting_words.tsv: unknown class {cls!r} (word {word!r})")
        words[cls].add(word)
    roles = tuple(sorted(((p, r) for p, r in _rows("meeting_roles.tsv", 2, ("phrase", "role"))),
                         key=lambda pr: -len(pr[0])))
    alternation = "|".join(re.escape(k) for k in sorted(kinds, key=len, reverse=True))
    return Lexicon(
        kinds=kinds,
        words={cls: frozenset(ws) for cls, ws in words.items()},
        roles=roles,
        kind_re=re.compile(f"(?=({alternation}))"),
        stops=frozenset().union(*(words[c] for c in STOPPING)),
    )


# ------------------------------------------------------------ text helpers

_CLAUSE_END = set(",，;；。！？!?\n：:")
_PUNCT = _CLAUSE_END | set("、…—《》【】()（）[]")
_OPENERS = {"“": "”", "‘": "’", "《": "》"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_QUOTES = set("“”‘’\"")
_MASK = "＿"
_DASHES = "—-－–"
_MAX_QUOTE = 200
_MAX_NAME = 60
_NUM = r"\d+|[一二两三四五六七八九十百千万几数多]+"
_QUANT = re.compile(rf"(第|首)?\s?({_NUM})\s?[余多]?\s?(个|场|次|期|届|批|轮|项|类|度)$")
_SINGLE = {"一", "首", "单"}
_PAREN = re.compile(r"[(（]([^()（）,，。;；:：、\s]{1,12})[)）]")
_PAREN_NOT = ("以下", "简称", "下称", "点击", "记者", "图", "全文", "见", "详见", "注")
_CJK = re.compile(r"[\u3400-\u9fff]")
_GARBLED = re.compile(r"[?？\ufffd]|[A-Za-z]")
# Lossy re-encoding leaves ? runs inside words (寧??h): they are not question marks.
_MOJIBAKE = re.compile(r"(?<=[\u3400-\u9fff])\?+(?:[a-zA-Z](?=[\u3400-\u9fff])|(?=[\u3400-\u9fff]))|\ufffd+")
_GARBLE_MASK = "〓"


def mask_quotes(text: str) -> tuple[str, frozenset[int]]:
    """The text with the inside of paired quotes masked, and the paired openers.

    A quote pairs with the next closer on the same line when no other opener
    comes first; an unpaired opener (“ 深圳会议 ( ... ) stays as it is.
    """
    chars, paired = list(text), set()
    for m in _MOJIBAKE.finditer(text):
        chars[m.start():m.end()] = _GARBLE_MASK * (m.end() - m.start())
    for i, ch in enumerate(text):
        if ch not in _OPENERS:
            continue
        j = _closer(text, i)
        if j is not None:
            paired.add(i)
            chars[i + 1:j] = _MASK * (j - i - 1)
    return "".join(chars), frozenset(paired)


def _closer(text: str, i: int) -> Optional[int]:
    close = _OPENERS[text[i]]
    for j in range(i + 1, min(len(text), i + _MAX_QUOTE)):
        if text[j] == close:
            return j
        if text[j] in _OPENERS or text[j] == "\n":
            return None
    return None


def clean_name(raw: str) -> str:
    """A name as written, without spaces and without quotes that enclose all of it
    or are left unpaired (“ 深圳会议 -> 深圳会议; “6G星空”启动仪式 stays)."""
    name = re.sub(r"\s+", "", raw)
    while name and name[0] in _QUOTES and not _pairs_within(name, 0):
        name = name[1:]
    while name and name[-1] in _QUOTES and name[-1] in _CLOSERS and _CLOSERS[name[-1]] not in name:
        name = name[:-1]
    if len(name) > 2 and name[0] in "“‘" and _closer(name, 0) == len(name) - 1:
        name = name[1:-1]
    return name


def _pairs_within(name: str, i: int) -> bool:
    return name[i] in _OPENERS and _closer(name, i) is not None


def _key(name: str) -> str:
    return re.sub(r"[\s“”‘’\"()（）]", "", name)


# ------------------------------------------------------------ the document


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    item: object


@dataclass
class _Doc:
    """Everything the rules look at, on the normalized text."""

    analysis: Analysis
    lex: Lexicon
    text: str
    masked: str
    paired: frozenset[int]
    dates: list[DateMention]
    regions: list[_Span]
    figures: list[_Span]
    counts: list[_Span]
    primary: Optional[Location]
    tokens: list[tuple[int, int]]
    token_ends: list[int]
    hit_starts: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, doc: Analysis, lex: Lexicon, regions, figures, counts, primary) -> "_Doc":
        text = doc.text
        masked, paired = mask_quotes(text)
        tokens = sorted((t.start, t.end) for t in doc.seg.tokens) or [(0, len(text))]
        return cls(
            analysis=doc, lex=lex, text=text, masked=masked, paired=paired,
            dates=find_dates(text, published=doc.published),
            regions=_spans(doc, regions), figures=_spans(doc, figures), counts=_spans(doc, counts),
            primary=primary, tokens=tokens, token_ends=[e for _, e in tokens],
        )

    def token_before(self, pos: int) -> tuple[int, int]:
        """The token holding the character at pos-1, cut at pos (spaces skipped)."""
        while pos > 1 and self.masked[pos - 1].isspace():
            pos -= 1
        i = bisect_right(self.token_ends, pos - 1)
        if i < len(self.tokens) and self.tokens[i][0] < pos:
            return self.tokens[i][0], pos
        return pos - 1, pos

    def token_after(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.token_ends, pos)
        if i < len(self.tokens) and self.tokens[i][0] <= pos:
            return pos, self.tokens[i][1]
        return pos, min(pos + 1, len(self.text))

    def is_token_start(self, pos: int) -> bool:
        s, _ = self.token_after(pos)
        i = bisect_right(self.token_ends, pos)
        return i >= len(self.tokens) or self.tokens[i][0] == pos or s != pos

    def sentence(self, pos: int):
        return self.analysis.sentence_of(pos)

    def clause_start(self, pos: int, floor: int) -> int:
        i = pos
        while i > floor and not self._boundary(i - 1):
            i -= 1
        return i

    def clause_end(self, pos: int, ceiling: int) -> int:
        i = pos
        while i < ceiling and not self._boundary(i):
            i += 1
        return i

    def _boundary(self, i: int) -> bool:
        """Clause punctuation, or a space between two characters (a headline glued to
        its dateline: 八国集团峰会今起举行 将关注……)."""
        ch = self.masked[i]
        if ch in ":：" and self.text[i - 1:i].isdigit() and self.text[i + 1:i + 2].isdigit():
            return False  # 9:30 is a time
        return ch in _CLAUSE_END or (ch.isspace() and not _space_joins(self.text, i))

    def date_covering(self, pos: int) -> Optional[DateMention]:
        return next((m for m in self.dates if m.start <= pos < m.end), None)

    def date_ending(self, pos: int) -> Optional[DateMention]:
        return next((m for m in self.dates if m.end == pos), None)


def _spans(doc: Analysis, records) -> list[_Span]:
    """Normalized spans of every mention of the given records."""
    out = []
    for record in records or ():
        for m in record.mentions:
            try:
                start, end = doc.span_of(m)
            except (ValueError, IndexError):
                continue
            if start < end:
                out.append(_Span(start, end, record))
    return sorted(out, key=lambda s: (s.start, s.end))


# ------------------------------------------------------------ candidates


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    tiers: tuple[str, ...]
    heads: tuple[tuple[int, int], ...]
    name: str
    floor: int  # start of its sentence
    ceiling: int  # end of its sentence
    stop: str = ""
    stop_start: int = -1
    aggregate: bool = False
    status: str = ""
    how: str = ""
    trigger: Optional[tuple[int, int]] = None
    generic: bool = False
    date: Optional[DateMention] = None
    place: Optional[_Span] = None
    place_phrase: Optional[tuple[int, int]] = None
    venue: Optional[str] = None
    organizer: Optional[str] = None
    organizer_span: Optional[tuple[int, int]] = None


def _kind_hits(d: _Doc) -> list[tuple[int, int, str]]:
    """Kind words, the longest at each place; of two overlapping, the one ending later
    (扩大会议 is 会议, not 大会)."""
    hits = []
    for m in d.lex.kind_re.finditer(d.text):
        kind = m.group(1)
        start, end = m.start(), m.start() + len(kind)
        if hits and start < hits[-1][1]:
            if end > hits[-1][1]:
                hits[-1] = (start, end, kind)
            continue
        hits.append((start, end, kind))
    return [h for h in hits if _kind_ok(d, *h)]


def _kind_ok(d: _Doc, start: int, end: int, kind: str) -> bool:
    if d.analysis.in_metadata(start) or d.date_covering(start):
        return False
    for word in d.lex.words["not_kind"]:
        i = word.find(kind)
        if i >= 0 and d.text.startswith(word, start - i):
            return False
    after = d.text[end:end + 6].lstrip()
    return not d.lex.starts("not_after", after)


def _groups(d: _Doc, hits) -> list[list[tuple[int, int, str]]]:
    groups: list[list[tuple[int, int, str]]] = []
    for hit in hits:
        if groups and _joins(d, groups[-1][-1], hit):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


def _joins(d: _Doc, left, right) -> bool:
    """Two kind words belong to one name: adjacent (培训班结业式), joined by 暨, or
    an ordinal between (常委会第五次会议; 论坛2024年年会)."""
    between = d.masked[left[1]:right[0]]
    if any(ch in _PUNCT or ch.isspace() for ch in between):
        return False
    if between == "" or between.startswith("暨"):
        return len(between) <= 40
    if len(between) > 14:
        return False
    return between.startswith("第") or bool(re.fullmatch(r"\d{4}年(度)?|[一二三四五六七八九十]+届", between))


def _head_kind(d: _Doc, group) -> str:
    """The kind of a name: the head of its first 暨 part (推进会 of 推进会暨座谈会)."""
    kind = group[0][2]
    for prev, hit in zip(group, group[1:]):
        if d.masked[prev[1]:hit[0]].startswith("暨"):
            break
        kind = hit[2]
    return kind


def _candidate(d: _Doc, group) -> Optional[_Cand]:
    sent = d.sentence(group[0][0])
    if sent is None:
        return None
    floor, ceiling = sent.start, sent.end
    end = _right_edge(d, group[-1][1], ceiling)
    start, stop, stop_start, aggregate = _left_edge(d, group[0][0], floor)
    name = clean_name(d.text[start:end])
    if not name or not _CJK.search(name):
        return None
    return _Cand(
        start=start, end=end, kind=_head_kind(d, group),
        tiers=tuple(d.lex.kinds[h[2]] for h in group), heads=tuple((h[0], h[1]) for h in group),
        name=name, floor=floor, ceiling=ceiling, stop=stop, stop_start=stop_start, aggregate=aggregate,
    )


def _right_edge(d: _Doc, end: int, ceiling: int) -> int:
    """Past a closing quote the name sits in, and a short parenthesis (片会(西部地区))."""
    j = end
    while j < ceiling and d.text[j].isspace():
        j += 1
    if j < ceiling and d.text[j] in _CLOSERS and _opened_before(d, j, end):
        end = j + 1
    j = end
    while j < ceiling and d.text[j].isspace():
        j += 1
    m = _PAREN.match(d.text, j)
    if m and m.end() <= ceiling and not m.group(1).startswith(_PAREN_NOT):
        end = m.end()
    return end


def _opened_before(d: _Doc, closer: int, end: int) -> bool:
    opener = _CLOSERS[d.text[closer]]
    i = d.text.rfind(opener, 0, end)
    return i >= 0 and d.text.find(d.text[closer], i, end) < 0


def _left_edge(d: _Doc, head: int, floor: int) -> tuple[int, str, int, bool]:
    """Where the name starts, the word that stopped the walk, where that word starts,
    and whether it was a quantifier of several meetings (4个片会)."""
    edge = _walk_left(d, head, floor)
    about = _about_start(d, head, floor)
    if about is not None and about < edge[0]:
        return (about, *_word_before(d, about, floor))
    return edge


def _walk_left(d: _Doc, head: int, floor: int) -> tuple[int, str, int, bool]:
    pos = _word_start(d, head, floor)
    inside = _open_quote_at(d, head, floor)
    view = d.text if inside is not None else d.masked
    lower = inside + 1 if inside is not None else floor
    while pos > floor and head - pos < _MAX_NAME:
        if pos == lower and inside is not None:
            return (inside, *_word_before(d, inside, floor))
        ch = view[pos - 1]
        if ch.isspace():
            if _space_joins(d.text, pos - 1):
                pos -= 1
                continue
            return pos, " ", pos - 1, False
        if ch in _OPENERS:
            if pos - 1 in d.paired:
                pos -= 1
                continue
            return (pos - 1, *_word_before(d, pos - 1, floor))
        if ch in _CLOSERS or ch == '"' or ch == _MASK:
            pos -= 1
            continue
        if ch in _DASHES and _CJK.match(view[pos - 2:pos - 1] or "") and _CJK.match(view[pos:pos + 1] or ""):
            pos -= 1
            continue
        if ch in _PUNCT:
            return pos, ch, pos - 1, False
        quant = _quantifier(view, max(lower, pos - 10), pos)
        if quant is not None:
            qstart, several = quant
            if several is None:
                pos = qstart
                continue
            return pos, view[qstart:pos], qstart, several
        s, e = d.token_before(pos)
        s = max(s, lower)
        word = view[s:e]
        if _stops(d, word, s, e):
            return pos, word, s, False
        pos = s
    return pos, "", pos, False


def _about_start(d: _Doc, head: int, floor: int) -> Optional[int]:
    """召开关于……的会议: the trigger's object names its topic whole, enumeration and
    all (召开关于做好……、庆祝……工作会议); the name runs from 关于 to the last kind
    word of the clause."""
    at = d.masked.rfind("关于", floor, head)
    end = d.clause_end(head, len(d.text))
    if at < 0 or head - at > _MAX_NAME or any(ch in _CLAUSE_END for ch in d.masked[at:head]):
        return None
    if any(head < h < end for h in d.hit_starts):
        return None
    word = _word_before(d, at, floor)[0]
    return at if d.lex.has("pre", word) else None


def _word_before(d: _Doc, pos: int, floor: int) -> tuple[str, int, bool]:
    """The word before an unpaired opening quote, spaces skipped: the name starts at
    the quote, and the word still tells what governs it (去年11月份的 “ 深圳会议)."""
    while pos > floor and d.text[pos - 1].isspace():
        pos -= 1
    if pos <= floor:
        return "", pos, False
    s, e = d.token_before(pos)
    return d.masked[max(s, floor):e], max(s, floor), False


def _word_start(d: _Doc, head: int, floor: int) -> int:
    """A kind word inside a longer word (成立大会) takes the whole word."""
    s, _ = d.token_before(head + 1)
    return head if s < floor or d.lex.has("pre", d.masked[s:head]) else s


def _open_quote_at(d: _Doc, head: int, floor: int) -> Optional[int]:
    """The paired opener whose quote holds `head`, if any."""
    for i in range(head - 1, max(floor, head - _MAX_QUOTE) - 1, -1):
        if d.text[i] in _CLOSERS:
            return None
        if i in d.paired:
            return i
    return None


def _space_joins(text: str, i: int) -> bool:
    """A space in a noisy copy (“ 深圳会议; 去年 11 月份) is crossed; one between two
    Chinese characters separates a dateline from the sentence."""
    left, right = text[i - 1:i], text[i + 1:i + 2]
    return not (_CJK.match(left or "") and _CJK.match(right or "")) and not (left.isspace() or right.isspace())


def _quantifier(view: str, lo: int, pos: int) -> Optional[tuple[int, Optional[bool]]]:
    """A numeral and classifier right before pos: (its start, several?), where several
    is None for an ordinal that belongs to the name (第五届, 十三届四次)."""
    m = _QUANT.search(view, max(lo - 4, 0), pos)
    if not m or m.end() != pos:
        return None
    ordinal, number, unit = m.group(1), m.group(2), m.group(3)
    if ordinal or (unit == "届" and number not in ("两", "几", "数", "多")):
        return m.start(), None
    if unit == "次" and "届" in view[max(0, m.start() - 12):m.start()]:
        return m.start(), None
    return m.start(), number not in _SINGLE


def _stops(d: _Doc, word: str, s: int, e: int) -> bool:
    lex = d.lex
    if word in lex.stops or lex.ends("pre", word) and len(word) > 2:
        return True
    date = d.date_covering(s)
    if date is not None and (date.relative or date.vague or date.precision != "year"):
        return True
    if word == "的":
        return _de_ends(d, s)
    return False


def _de_ends(d: _Doc, de: int) -> bool:
    """的 ends a name (召开的X; 一年一度的X; 去年11月份的X) except after a few words that
    make fixed phrases with it (新的社会阶层; 党的建设) and inside 关于……的."""
    if d.date_ending(de) is not None:
        return True
    s, e = d.token_before(de)
    if d.lex.has("de_keep", d.masked[s:e]):
        return False
    start = d.clause_start(de, 0)
    return "关于" not in d.masked[start:de]


# ------------------------------------------------------------ status


def _classify(d: _Doc, c: _Cand) -> None:
    """Sets c.status (held, reference, mention, excluded, or '' to drop) and c.how."""
    lex = d.lex
    after = d.masked[c.end:c.end + 8].lstrip()
    if _in_title_marks(d, c) or lex.starts("cited_after", after) or after.startswith("上的"):
        c.status, c.how = "excluded", "cited"
        return
    if lex.starts("standing_after", after):
        c.status, c.how = "excluded", "standing"
        return
    if c.aggregate or after.startswith("等") or _aggregate_before(d, c):
        c.status, c.how = "excluded", "aggregate"
        return
    if lex.has("demonstrative", c.stop):
        c.status, c.how = "reference", "demonstrative"
        return
    if c.stop == "由":
        c.status, c.how = "mention", "sponsor"  # 由X组织召开的Y: X convened Y
        return
    if _cited_before(d, c):
        c.status, c.how = "excluded", "cited"
        return
    if not _tier_ok(d, c, after):
        c.status = ""
        return
    c.generic = _is_generic(d, c)
    c.status, c.how = _evidence(d, c)
    if c.status == "held":
        blocked = _blocked(d, d.clause_start(c.start, c.floor), c.start) or _plan_after(d, c)
        if blocked:
            c.status, c.how = "excluded", blocked


def _plan_after(d: _Doc, c: _Cand) -> str:
    """为X做准备: X is still to come."""
    tail = d.masked[c.end:d.clause_end(c.end, c.ceiling)]
    return "plan" if any(w in tail for w in d.lex.words["plan_after"]) else ""


def _frame_after(d: _Doc, end: int) -> bool:
    """The word right after the name is 上/期间/现场 (在X上), not 上海."""
    while end < len(d.text) and d.text[end].isspace():
        end += 1
    s, e = d.token_after(end)
    return d.lex.has("frame", d.masked[s:e])


def _in_title_marks(d: _Doc, c: _Cand) -> bool:
    """The kind word sits inside 《》: a document title (《……联席会议制度》)."""
    before = d.text[c.floor:c.heads[0][0]]
    return before.rfind("《") > before.rfind("》")


_SEVERAL_TIMES = re.compile(r"(?:[两三四五六七八九十几数多]|\d+)\s?[度次回](?:召开|举行|举办|参加|出席)")
_SEVERAL_PLACES = re.compile(r"(?:在|赴|到|于)[^,，。;；:：]*、[^,，。;；:：]*等")


def _several_places(d: _Doc, start: int, end: int) -> bool:
    """在A、B等地: a list of places, at least two of them region mentions
    (在张三、李四等陪同下 lists people, not places)."""
    m = _SEVERAL_PLACES.search(d.masked, start, end)
    return bool(m) and sum(m.start() <= r.start < m.end() for r in d.regions) >= 2


def _aggregate_before(d: _Doc, c: _Cand) -> bool:
    """每年举办X; 在黑河、抚远等边境市县举办X: many meetings, not one."""
    start = d.clause_start(c.start, c.floor)
    if _several_places(d, start, c.start):
        return True
    clause = d.masked[start:c.start]
    if any(len(w) >= 3 and w in clause for w in d.lex.words["aggregate"]) or _SEVERAL_TIMES.search(clause):
        return True
    return any(d.lex.has("aggregate", d.masked[s:e]) for s, e in _tokens_in(d, start, c.start))


def _cited_before(d: _Doc, c: _Cand) -> bool:
    """学习贯彻X / 按照X的要求: a citing verb before the name with no trigger between."""
    start = d.clause_start(c.start, c.floor)
    for s, e in reversed(_tokens_in(d, start, c.start)):
        word = d.masked[s:e]
        if d.lex.has("pre", word) or d.lex.has("post", word):
            return False
        if d.lex.has("cited_before", word):
            return True
    return False


def _tokens_in(d: _Doc, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], end
    while pos > start:
        s, e = d.token_before(pos)
        s = max(s, start)
        out.append((s, e))
        pos = s
    return out[::-1]


def _tier_ok(d: _Doc, c: _Cand, after: str) -> bool:
    if all(t == "attached" for t in c.tiers):
        return False
    if c.tiers[-1] == "verbal":
        bare = c.name == c.kind
        ends_phrase = not after or after[0] in _PUNCT or _frame_after(d, c.end)
        return not bare and ends_phrase
    return True


def _is_generic(d: _Doc, c: _Cand) -> bool:
    """Nothing but generic words before the kind: 会议, 专题会议, 新闻发布会 (a kind
    that is a proper name itself, 两会, never is)."""
    if d.lex.has("proper_kind", c.kind):
        return False
    rest = c.name[: len(c.name) - len(c.kind)] if c.name.endswith(c.kind) else c.name
    for word in sorted(d.lex.words["generic"], key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest == ""


def _evidence(d: _Doc, c: _Cand) -> tuple[str, str]:
    body = c.tiers[-1] == "body" and "core" not in c.tiers
    found = [(f, how) for f, how in ((_post_trigger(d, c), "post"), (_pre_trigger(d, c), "pre")) if f]
    blocked = next((f[2] for f, _ in found if f[2]), "")
    if blocked:
        return "excluded", blocked
    for (verb, span, _), how in found:
        if not body or verb in ("召开", "举行", "举办"):
            c.trigger = span
            return "held", how
    if body:
        return "mention", ""
    if c.stop == "的" and d.date_ending(c.stop_start) is not None:
        return "held", "dated"
    if _frame_after(d, c.end) and (c.stop in ("在", "于", "") or c.stop in _PUNCT):
        return "held", "frame"
    return "mention", ""


def _pre_trigger(d: _Doc, c: _Cand):
    """(verb, span, blocked) for a trigger before the name: 召开X, 举行了一场X,
    在京举行X, 召开的X, 刚刚闭幕的X, 举办优胜者的X; blocked names a plan or negation
    before the verb."""
    if c.stop in ("", " ") or c.stop in _PUNCT:
        return None
    s, e = c.stop_start, c.start
    word, crossed = d.masked[s:e].strip(), False
    while word and (d.lex.has("filler", word) or word == "的" or _QUANT.fullmatch(word)):
        crossed |= word == "的"
        s, e = d.token_before(s)
        word = d.masked[s:e]
        if s < c.floor:
            return None
    verb = d.lex.ends("pre", word)
    if crossed and not verb:
        verb = d.lex.ends("post", word) or (word if d.lex.has("sponsor", word) else None)
    if crossed and not verb:
        s, e, verb = _verb_before_modifier(d, s, c.floor)
    if not verb:
        return None
    return verb, (e - len(verb), e), _blocked(d, d.clause_start(s, c.floor), s)


def _verb_before_modifier(d: _Doc, pos: int, floor: int):
    """举办优胜者的颁奖典礼: a trigger a few words before an X的 modifier."""
    for s, e in reversed(_tokens_in(d, max(floor, pos - 8), pos)):
        word = d.masked[s:e]
        if any(ch in _PUNCT for ch in word):
            break
        if d.lex.has("pre", word):
            return s, e, word
    return pos, pos, None


def _post_trigger(d: _Doc, c: _Cand):
    """A trigger after the name in its clause: X在汕尾召开, X于5月17日开幕; not after
    X的<noun>, where a later verb belongs to the noun."""
    if d.masked[c.end:c.end + 2].strip().startswith("的"):
        return None
    end = d.clause_end(c.end, c.ceiling)
    nxt = next((h for h in d.hit_starts if h >= c.end), None)
    if nxt is not None and nxt < end:
        end = nxt
    for s, e in _tokens_in(d, c.end, end):
        word = d.masked[s:e]
        verb = d.lex.starts("post", d.masked[s:end])
        if verb and d.is_token_start(s) and not d.masked[c.end:s].strip().endswith(("的", "所")):
            if d.masked.startswith("的", s + len(verb)):
                return None  # X召开的意义: the convening as a topic, not a report
            if _ANNIVERSARY.match(d.masked, s + len(verb)):
                return verb, (s, s + len(verb)), "cited"  # X召开20周年: an anniversary
            return verb, (s, s + len(verb)), _blocked(d, c.end, s)
        if d.lex.has("pre", word):
            return None
    return None


_ANNIVERSARY = re.compile(r"\s?(?:\d+|[一二三四五六七八九十百]+)\s?周年")


def _blocked(d: _Doc, start: int, end: int) -> str:
    for s, e in _tokens_in(d, start, end):
        word = d.masked[s:e]
        if d.lex.has("negation", word):
            return "negated"
        if d.lex.has("plan", word):
            return "plan"
    return ""


# ------------------------------------------------------------ attributes


def _attributes(d: _Doc, c: _Cand) -> None:
    c.date = _date(d, c)
    c.place_phrase = _place_phrase(d, c)
    if c.place_phrase:
        c.place = _most_specific(d, *c.place_phrase)
        c.venue = _venue(d, *c.place_phrase)
    _organizer(d, c)
    if c.place is None:
        c.place = _name_region(d, c)


def _date(d: _Doc, c: _Cand) -> Optional[DateMention]:
    """The date governing the meeting: one between the name and its trigger
    (X于5月17日召开), else the nearest before the name in the sentence."""
    usable = [m for m in d.dates if c.floor <= m.start < c.ceiling and _is_day_or_coarser(m)
              and not (c.start <= m.start < c.end)]
    if c.trigger and c.trigger[0] >= c.end:
        between = [m for m in usable if c.end <= m.start < c.trigger[0]]
        if between:
            return between[0]
    before = [m for m in usable if m.end <= c.start]
    if before:
        return before[-1]
    inside = [m for m in d.dates if c.start <= m.start < c.end and m.iso and not m.relative]
    return inside[0] if inside else None  # 1948年第一届世界卫生大会


@lru_cache(maxsize=1)
def _future_words() -> tuple[str, ...]:
    """Relative date words pointing ahead (明天, 下月, 明年), from the dates vocabulary."""
    data = load_date_words()
    tables = ("relative_days", "relative_months", "relative_weeks", "relative_years")
    return tuple(w for t in tables for w, entry in data[t].items() if entry["offset"] > 0)


def _future(d: _Doc, date: Optional[DateMention]) -> bool:
    """The governing date lies after publication: the meeting is still a plan."""
    if date is None:
        return False
    if any(w in date.text for w in _future_words()):
        return True
    pub, day = d.analysis.published, (date.iso or "")[:10]
    if pub is None or not re.match(r"\d{4}", day):
        return False
    return day > pub.isoformat()[: len(day)]


def _is_day_or_coarser(m: DateMention) -> bool:
    return not (m.iso or "").startswith("T") and (m.iso is not None or m.vague or m.relative)


def _place_phrase(d: _Doc, c: _Cand) -> Optional[tuple[int, int]]:
    """The span after 在/于 naming where it was held: between name and trigger
    (X在汕尾召开), before a pre trigger (中央统战部在成都召开X), or a clause of its own
    earlier in the sentence (5月9日,在……会议厅,……)."""
    spans = []
    if c.trigger and c.trigger[0] >= c.end:
        spans.append((c.end, c.trigger[0]))
    elif c.trigger:
        spans.append((d.clause_start(c.trigger[0], c.floor), c.trigger[0]))
    elif c.stop == "的":
        spans.append((d.clause_start(c.stop_start, c.floor), c.stop_start))
    for start, end in spans:
        found = _zai(d, start, end)
        if found:
            return found
    return _zai_clause(d, c)


def _zai(d: _Doc, start: int, end: int) -> Optional[tuple[int, int]]:
    toks = _tokens_in(d, start, end)
    for i in range(len(toks) - 1, -1, -1):
        s, e = toks[i]
        if d.masked[s:e] in ("在", "于"):
            a = e
            while (m := d.date_covering(a)) is not None and a < end:
                a = m.end
            b = _trim_adverbs(d, a, end)
            return (a, b) if b > a and _is_place(d, a, b) else None
    return None


def _zai_clause(d: _Doc, c: _Cand) -> Optional[tuple[int, int]]:
    pos = c.floor
    while pos < c.start:
        end = d.clause_end(pos, c.start)
        s, e = d.token_after(pos)
        if d.masked[s:e] == "在" and end < c.start:
            a, b = e, _trim_adverbs(d, e, end)
            if b > a and _is_place(d, a, b):
                return a, b
        pos = end + 1
    return None


def _trim_adverbs(d: _Doc, a: int, b: int) -> int:
    while b > a:
        s, e = d.token_before(b)
        if not d.lex.has("adverb", d.masked[max(s, a):e]) and not d.masked[b - 1].isspace():
            return b
        b = max(s, a)
    return b


def _is_place(d: _Doc, a: int, b: int) -> bool:
    """A region or a venue, not a frame (在……基础上, 在思想碰撞中, 在此间)."""
    text = d.masked[a:b]
    if text[-1:] in ("上", "中", "下", "时", "后", "前", "间", "内") or text in ("此", "京"):
        return bool(_regions_in(d, a, b)) and text[-1:] not in ("上", "中", "下", "时", "后", "前")
    return bool(_regions_in(d, a, b)) or bool(d.lex.ends("venue_suffix", text))


_LEVEL_RANK = {"township": 4, "county": 3, "prefecture": 2, "province": 1, "area": 0, "foreign": 0}


def _regions_in(d: _Doc, a: int, b: int) -> list[_Span]:
    return [r for r in d.regions if a <= r.start and r.end <= b]


def _most_specific(d: _Doc, a: int, b: int) -> Optional[_Span]:
    """The lowest-level region in [a, b): 山东青岛 -> 青岛市; coded ones first."""
    found = _regions_in(d, a, b)
    if not found:
        return None
    best = max(found, key=lambda r: (r.item.code is not None, _LEVEL_RANK.get(r.item.level, 0), r.start))
    return best if all(_within(best.item, r.item) for r in found) else None


def _within(inner: Region, outer: Region) -> bool:
    """inner is outer or lies inside it, by code (山东省 ⊃ 青岛市); uncoded areas pass.
    Several sibling places (于宁波、长沙、成都举行) give no single place."""
    if not inner.code or not outer.code:
        return True
    prefix = outer.code.rstrip("0")
    prefix += "0" * (len(prefix) % 2)
    return inner.code.startswith(prefix)


def _venue(d: _Doc, a: int, b: int) -> Optional[str]:
    text = clean_name(d.text[a:b])
    return text if d.lex.ends("venue_suffix", text) else None


def _name_region(d: _Doc, c: _Cand) -> Optional[_Span]:
    """A region the name starts with (深圳会议; 宁波市宁海县……推进会)."""
    lead, pos = [], c.start
    while pos < c.end and d.text[pos] in _QUOTES | {" "}:
        if d.text[pos] in _OPENERS and (_closer(d.text, pos) or c.end) < c.heads[0][0]:
            return None  # “灵山杯”获奖者座谈会: a quoted prize or brand, not the place
        pos += 1
    for r in d.regions:
        if r.start == pos and r.end <= c.end and (not lead or _within(r.item, lead[-1].item)):
            lead.append(r)
            pos = r.end
    if not lead or _names_an_organization(d, pos, c.heads[0][0]):
        return None
    others = [r for r in _regions_in(d, pos, c.heads[0][0]) if not _within(lead[-1].item, r.item)]
    return None if others else lead[-1]  # 马来西亚—新西兰商务研讨会 names two countries


def _names_an_organization(d: _Doc, start: int, end: int) -> bool:
    """上海合作组织……会议: the region belongs to an organization's name, not the place."""
    return any(_org_word(d, d.masked[start:e]) for _, e in _tokens_in(d, start, end))


def _organizer(d: _Doc, c: _Cand) -> None:
    """The body that convened it: 由X主办; X主办的<name>; the subject of a trigger before
    the name (中央统战部在成都召开X); else the subject of an earlier clause when the
    trigger's clause has none (……专家服务团正式组建,为……开启X)."""
    span = _sponsor(d, c) or _subject(d, c)
    if span:
        c.organizer_span = span
        c.organizer = repaired(d, *span)


def _sponsor(d: _Doc, c: _Cand) -> Optional[tuple[int, int]]:
    """由X主办 / 由X举办 in the sentence."""
    verbs = "|".join(sorted(d.lex.words["sponsor"], key=len, reverse=True))
    for m in re.finditer(f"由([^由,，。;；:：]{{2,30}}?)(?:{verbs})", d.masked[c.floor:c.ceiling]):
        span = _org_np(d, c.floor + m.start(1), c.floor + m.end(1))
        if span:
            return span
    return None


def _subject(d: _Doc, c: _Cand) -> Optional[tuple[int, int]]:
    if c.how == "pre" and c.trigger:
        verb = c.trigger[0]
    elif c.stop == "的":
        verb = c.stop_start
    else:
        return None
    start = d.clause_start(verb, c.floor)
    span = _org_np(d, start, _zai_start(d, start, verb))
    if span is None and _starts_with_preposition(d, start):
        return _earlier_subject(d, c.floor, start)
    return span


def _zai_start(d: _Doc, start: int, end: int) -> int:
    for s, e in reversed(_tokens_in(d, start, end)):
        if d.masked[s:e] in ("在", "于"):
            return s
    return end


def _starts_with_preposition(d: _Doc, start: int) -> bool:
    s, e = d.token_after(start)
    return d.lex.has("audience", d.masked[s:e]) or d.masked[s:e] in ("在", "对", "由")


def _earlier_subject(d: _Doc, floor: int, before: int) -> Optional[tuple[int, int]]:
    """The leading organization of the nearest earlier clause that has one."""
    ends = [i for i in range(floor, before) if d.masked[i] in _CLAUSE_END]
    starts = [floor] + [i + 1 for i in ends]
    for a, b in reversed(list(zip(starts, ends))):
        span = _leading_org(d, a, b)
        if span:
            return span
    return None


def _leading_org(d: _Doc, a: int, b: int) -> Optional[tuple[int, int]]:
    best = None
    for s, e in _tokens_in(d, a, b):
        word = d.masked[s:e]
        if d.lex.has("stop", word) or d.lex.has("adverb", word) or d.date_covering(s):
            break
        if _org_word(d, word):
            best = (a, e)
    return best


def _org_np(d: _Doc, start: int, end: int) -> Optional[tuple[int, int]]:
    """[start, end) as an organization: leading dates and adverbs and trailing adverbs
    dropped; it must end with an organization word (统战部, 政府, 服务团)."""
    toks = _tokens_in(d, _after_dateline(d, start, end), end)
    while toks and _is_lead_filler(d, *toks[0]):
        toks.pop(0)
    while toks and _is_lead_filler(d, *toks[-1]):
        toks.pop()
    if not toks:
        return None
    a, b = toks[0][0], toks[-1][1]
    text = d.masked[a:b]
    if any(ch in _PUNCT for ch in text) or len(text) > 30 or not _org_word(d, d.masked[toks[-1][0]:b]):
        return None
    if any(a <= f.start < b for f in d.figures):
        return None
    return a, b


_DATELINE = re.compile(r"^.{0,12}?(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯)")


def _after_dateline(d: _Doc, start: int, end: int) -> int:
    """Past a dateline glued to the sentence (新华社北京5月20日电公安部 -> 公安部)."""
    m = _DATELINE.match(d.masked[start:end])
    return start + m.end() if m else start


def _is_lead_filler(d: _Doc, s: int, e: int) -> bool:
    word = d.masked[s:e]
    return (d.date_covering(s) is not None or d.lex.has("adverb", word) or word.isspace()
            or word in ("在", "于", "据悉", "记者", "本报讯", "讯", "电", "了"))


def _org_word(d: _Doc, word: str) -> bool:
    """A word naming an organization: 统战部, 服务团, 国务院; not bare 部 or 组织."""
    suffix = d.lex.ends("org_suffix", word)
    if not suffix or d.lex.ends("org_not", word):
        return False
    return len(word) > len(suffix) or len(suffix) >= 3


def repaired(d: _Doc, start: int, end: int) -> str:
    """The text of [start, end) with garbled region names replaced by the region's name.

    A lossy copy leaves mojibake in place names (寧??h for 寧海縣). When the regions
    extractor recognises such a span, its official name stands in for it here:
    宁波市宁??h委统战部 -> 宁波市宁海县委统战部. TODO(regions): relies on the regions
    extractor putting a mention on the garbled span; nothing is repaired without it.
    """
    parts, pos = [], start
    for r in d.regions:
        if start <= r.start and r.end <= end and r.start >= pos and _GARBLED.search(d.text[r.start:r.end]):
            parts.append(d.text[pos:r.start])
            parts.append(r.item.name)
            pos = r.end
    parts.append(d.text[pos:end])
    return clean_name("".join(parts))


# ------------------------------------------------------------ location


def _location(d: _Doc, c: _Cand) -> tuple[Optional[Location], Optional[_Span]]:
    """Where it was held: the 在 place or the region the name starts with; else the
    document's region for 全省/全市 names and for bare 省委/市委 organizers or venues;
    else the organizer's own region."""
    if c.place is not None:
        return _as_location(c.place.item), c.place
    scoped = any(w in c.name for w in d.lex.words["scope"])
    org = c.organizer or ""
    bare = bool(org) and not (c.organizer_span and _regions_in(d, *c.organizer_span)) and (
        d.lex.starts("bare_org", org) or org[:1] in "省市县区州")
    bare_venue = bool(c.venue and d.lex.starts("bare_org", c.venue))
    if (scoped or bare or bare_venue) and d.primary is not None:
        return d.primary, None
    if c.organizer_span:
        region = _most_specific(d, *c.organizer_span)
        if region is not None:
            if _garbled_below(d, c.organizer_span, region.item):
                return d.primary, None
            return _as_location(region.item), region
    return None, None


def _garbled_below(d: _Doc, span: tuple[int, int], region: Region) -> bool:
    """宁波市宁??h委统战部 with the garbled part unrecognised: the document's own
    region, when it lies inside the one recognised, is the better guess."""
    if d.primary is None or not d.primary.code or not region.code or not _MOJIBAKE.search(d.text, *span):
        return False
    prefix = region.code.rstrip("0")
    prefix += "0" * (len(prefix) % 2)
    return d.primary.code != region.code and d.primary.code.startswith(prefix)


def _as_location(region: Region) -> Location:
    return Location(name=region.name, code=region.code)


# ------------------------------------------------------------ people


def _roles_in(d: _Doc, a: int, b: int) -> list[tuple[int, int, str]]:
    """Role phrases in [a, b): (start, end, role), longest first at each place."""
    out, pos = [], a
    while pos < b:
        hit = next(((p, r) for p, r in d.lex.roles if d.masked.startswith(p, pos)), None)
        if hit:
            out.append((pos, pos + len(hit[0]), hit[1]))
            pos += len(hit[0])
        else:
            pos += 1
    return out


def _attendees(d: _Doc, sentences: list, spans: list[tuple[int, int]]) -> list[Attendee]:
    """Figures followed in their sentence by a role phrase (李四出席会议并讲话;
    卢文祥,娄黛敏出席会议; 出席<name>并讲话). `spans` are the meeting's own mentions:
    a bare 出席/参加 counts only when one of them follows it."""
    out: dict[str, str] = {}
    for sent in sentences:
        roles = _roles_in(d, sent.start, sent.end)
        for f in d.figures:
            if not (sent.start <= f.start < sent.end) or f.item.name in out or _in_brackets(d, f, sent):
                continue
            role = _role_after(d, f, roles, spans)
            if role:
                out[f.item.name] = role
    return [Attendee(name=n, role=r) for n, r in out.items()]


_AND_SPEAK = re.compile(r"并(?:发表)?(讲话|致辞)")
_BRACKETS = "()（）【】[]"


def _in_brackets(d: _Doc, f: _Span, sent) -> bool:
    """A byline or credit: (记者 刘东凯 王星桥)."""
    before = d.masked[sent.start:f.start]
    return max(before.rfind("("), before.rfind("（")) > max(before.rfind(")"), before.rfind("）"))


def _role_after(d: _Doc, f: _Span, roles, spans) -> Optional[str]:
    """The first role phrase after a person, reached over nothing but a list of other
    persons (卢文祥,宁海县委常委、统战部部长娄黛敏出席会议)."""
    role = next(((s, e, r) for s, e, r in roles if s >= f.end), None)
    if role is None or not _listed_up_to(d, f.end, role[0]):
        return None
    s, e, name = role
    if name in ("出席", "参加"):
        rest = d.clause_end(e, len(d.text))
        if not any(e <= a < rest for a, _ in spans):
            return None
        m = _AND_SPEAK.search(d.masked, e, rest) if name == "出席" else None
        return f"出席并{m.group(1)}" if m else name
    return name


def _listed_up_to(d: _Doc, pos: int, end: int) -> bool:
    between = d.masked[pos:end]
    if end - pos > 40 or any(ch in "。;；" or ch in _BRACKETS for ch in between):
        return False
    for i, ch in enumerate(between):
        if ch in ",，":
            nxt = next((j for j in range(i + 1, len(between)) if between[j] in ",，"), len(between))
            if not _figure_ends_near(d, pos + nxt):
                return False
    return True


def _figure_ends_near(d: _Doc, pos: int) -> bool:
    """A person's name ends at pos (allowing 同志 / 等 after it)."""
    for f in d.figures:
        tail = d.masked[f.end:pos]
        if f.end <= pos and tail in ("", "同志", "等", "等同志"):
            return True
    return False


def _participants(d: _Doc, sentences: list, c: _Cand) -> Optional[int]:
    """The head count: N人参会 / N人参加<meeting> in the meeting's sentences, or the
    audience of its trigger clause (为200多家企业负责人开启X)."""
    for sent in sentences:
        for cnt in d.counts:
            if sent.start <= cnt.start < sent.end and _counts_people(d, cnt) and _attends(d, cnt, sent.end):
                return int(cnt.item.value)
    if c.trigger:
        start = d.clause_start(c.trigger[0], c.floor)
        for cnt in d.counts:
            if start <= cnt.start < c.trigger[0] and _counts_people(d, cnt):
                s, e = d.token_before(cnt.start)
                if d.lex.has("audience", d.masked[s:e]):
                    return int(cnt.item.value)
    return None


def _counts_people(d: _Doc, cnt: _Span) -> bool:
    unit = cnt.item.unit or ""
    if d.lex.has("person_unit", unit):
        return True
    following = d.masked[cnt.end:cnt.end + 10]
    return unit in ("家", "个") and any(w in following for w in d.lex.words["person_noun"])


def _attends(d: _Doc, cnt: _Span, end: int) -> bool:
    clause_end = d.clause_end(cnt.end, end)
    tail = d.masked[cnt.end:clause_end]
    for i in range(len(tail)):
        if d.lex.starts("participate_self", tail[i:]):
            return i <= 12
        verb = d.lex.starts("participate_verb", tail[i:])
        if verb:
            rest = tail[i + len(verb):]
            return i <= 12 and (rest == "" or bool(d.lex.kind_re.match(rest)) or _names_meeting(d, rest))
    head = d.masked[d.clause_start(cnt.start, 0):cnt.start]
    return any(head.endswith(w) or w in head[-8:] for w in d.lex.words["participant_noun"])


def _names_meeting(d: _Doc, rest: str) -> bool:
    m = re.search("|".join(re.escape(k) for k in d.lex.kinds), rest)
    return bool(m)


# ------------------------------------------------------------ merging


@dataclass
class _Group:
    cands: list[_Cand] = field(default_factory=list)
    refs: list[_Cand] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(c.start for c in self.cands + self.refs)

    def best(self) -> _Cand:
        """The candidate giving the name: the longest specific one, then the one with
        most attributes, then the earliest."""
        pool = [c for c in self.cands if not c.generic] or self.cands
        return max(pool, key=lambda c: (len(c.name), c.date is not None, c.place is not None, -c.start))

    def value(self, attr: str):
        for c in self.ordered():
            if getattr(c, attr) is not None:
                return getattr(c, attr)
        return None

    def ordered(self) -> list[_Cand]:
        return [self.best()] + sorted(self.cands + self.refs, key=lambda c: c.start)

    def date(self) -> Optional[DateMention]:
        """The most precise date its mentions give (7月27日 over 今年)."""
        dates = [c.date for c in self.ordered() if c.date is not None]
        return max(dates, key=_date_rank, default=None)


def _same(a: _Cand, b: _Cand) -> bool:
    """One meeting under two names: one holds the other (工作推进会), the shorter's
    modifier is in the longer (西部地区片会), or, with the same kind and the same
    ordinals, they share most of the shorter (上合组织/上海合作组织……秘书会议)."""
    if _dates_conflict(a.date, b.date):
        return False
    ka, kb = _key(a.name), _key(b.name)
    if ka in kb or kb in ka:
        return True
    if a.kind != b.kind:
        return False
    short, long_ = sorted((ka, kb), key=len)
    modifier = short[: -len(a.kind)] if short.endswith(a.kind) else ""
    if len(modifier) >= 2 and modifier in long_:
        return True
    shared = longest_common_substring(_numerals(ka), _numerals(kb))
    return shared >= 4 and shared >= 0.6 * len(short) and _ordinals(ka) == _ordinals(kb)


_ORDINAL = re.compile(r"第?([\d一二三四五六七八九十百]+)[届次期]")


def _numerals(key: str) -> str:
    return re.sub(r"(?<=第)[〇一二三四五六七八九](?=[届次期])", lambda m: m.group(0).translate(_DIGITS), key)


_DIGITS = str.maketrans("〇一二三四五六七八九", "0123456789")


def _ordinals(name: str) -> list[str]:
    """第6届 and 第六届 alike: simple numerals as digits (十 and above kept as written)."""
    return [n.translate(_DIGITS) for n in _ORDINAL.findall(name)]


def _date_rank(m: DateMention) -> tuple[bool, int]:
    return m.iso is not None and not m.vague, len(m.iso or "")


def _dates_conflict(a: Optional[DateMention], b: Optional[DateMention]) -> bool:
    if a is None or b is None or a.iso is None or b.iso is None or a.vague or b.vague:
        return False
    n = min(len(a.iso), len(b.iso))
    return a.iso[:n] != b.iso[:n]


def _fold(cands: list[_Cand]) -> list[_Group]:
    groups: list[_Group] = []
    held = sorted((c for c in cands if c.status == "held"), key=lambda c: c.start)
    for c in (c for c in held if not c.generic):
        match = next((g for g in groups if _same(c, g.best())), None)
        if match:
            match.cands.append(c)
        else:
            groups.append(_Group([c]))
    for c in (c for c in held if c.generic):
        _fold_generic(groups, c)
    for c in cands:
        if c.status in ("reference", "mention"):
            _fold_reference(groups, c)
    plans = [c for c in cands if c.how == "plan" and not c.generic]
    kept = [g for g in _merge_groups(groups) if not any(_key(p.name) == _key(g.best().name) for p in plans)]
    return sorted(kept, key=lambda g: g.first)


def _merge_groups(groups: list[_Group]) -> list[_Group]:
    """Groups whose names turn out to be one meeting once each has its longest name."""
    merged: list[_Group] = []
    for g in sorted(groups, key=lambda g: -len(g.best().name)):
        home = next((m for m in merged if _same(g.best(), m.best())), None)
        if home is None:
            merged.append(g)
        else:
            home.cands += g.cands
            home.refs += g.refs
    return merged


def _fold_generic(groups: list[_Group], c: _Cand) -> None:
    """A bare held meeting (召开会议) refers to the meeting before it; alone, it is
    one of its own when its sentence gives a date, place or organizer."""
    before = [g for g in groups if g.first < c.start and not _dates_conflict(g.date(), c.date)]
    if before:
        max(before, key=lambda g: g.first).refs.append(c)
    elif c.organizer is not None and c.how == "pre":
        groups.append(_Group([c]))


def _fold_reference(groups: list[_Group], c: _Cand) -> None:
    if c.status == "mention" and not c.generic:
        match = next((g for g in groups if _same(c, g.best())), None)
        if match:
            match.refs.append(c)
        return
    before = [g for g in groups if g.first <= c.start]
    if before:
        max(before, key=lambda g: max(x.start for x in g.cands + g.refs if x.start <= c.start)).refs.append(c)


# ------------------------------------------------------------ records


def _record(d: _Doc, g: _Group, following: Optional[int]) -> Meeting:
    best = g.best()
    date = g.date()
    location, place = _group_location(d, g)
    sentences = _linked_sentences(d, g, following)
    return Meeting(
        name=_display_name(d, g, best),
        kind=best.kind,
        date=date.iso if date else None,
        date_end=date.end_iso if date else None,
        date_text=date.text if date else None,
        location=location,
        venue=g.value("venue"),
        organizer=g.value("organizer"),
        attendees=_attendees(d, sentences, [(c.start, c.end) for c in g.cands + g.refs]),
        participants=next((p for c in sorted(g.cands, key=lambda c: c.start)
                           if (p := _participants(d, sentences, c)) is not None), None),
        mentions=_mentions(d, g, best, date, place),
        method=f"meetings.rules:{best.how}",
        confidence=_confidence(best, date, location),
    )


def _display_name(d: _Doc, g: _Group, best: _Cand) -> str:
    name = repaired(d, best.start, best.end)
    organizer = g.value("organizer")
    if best.generic and organizer and len(organizer) <= 12 and "的" not in organizer and not name.startswith(organizer):
        return organizer + name
    return name


def _group_location(d: _Doc, g: _Group) -> tuple[Optional[Location], Optional[_Span]]:
    for c in [g.best()] + sorted(g.cands + g.refs, key=lambda c: c.start):
        if c.status == "held" or c.place is not None:
            location, span = _location(d, c)
            if location is not None:
                return location, span
    return None, None


def _linked_sentences(d: _Doc, g: _Group, following: Optional[int]) -> list:
    """The sentences of its mentions and, after each held mention, up to two more
    before the next meeting starts."""
    sents = d.analysis.seg.sentences
    idx = set()
    for c in g.cands + g.refs:
        i = d.analysis.seg.sentence_at(c.start)
        idx.add(i)
        if c.status == "held":
            for j in range(i + 1, min(i + 4, len(sents))):
                if following is not None and sents[j].start >= following:
                    break
                idx.add(j)
    return [sents[i] for i in sorted(idx)]


def _mentions(d: _Doc, g: _Group, best: _Cand, date, place: Optional[_Span]) -> list[Mention]:
    spans = [_trimmed(d, best.start, best.end)]
    if date is not None:
        spans.append((date.start, date.end))
    if place is not None:
        spans.append((place.start, place.end))
    spans += [_trimmed(d, c.start, c.end) for c in sorted(g.cands, key=lambda c: c.start) if c is not best]
    out, seen = [], set()
    for s, e in spans:
        if e > s and (s, e) not in seen:
            seen.add((s, e))
            out.append(d.analysis.mention(s, e))
    return out


def _trimmed(d: _Doc, s: int, e: int) -> tuple[int, int]:
    while s < e and d.text[s].isspace():
        s += 1
    while e > s and d.text[e - 1].isspace():
        e -= 1
    return s, e


def _confidence(best: _Cand, date, location) -> float:
    score = 0.55 + (0.15 if best.how in ("pre", "post") else 0.05)
    score += 0.1 if date is not None else 0.0
    score += 0.1 if location is not None else 0.0
    score -= 0.15 if best.generic else 0.0
    return round(min(score, 0.95), 2)


# ------------------------------------------------------------ entry point


def find_candidates(d: _Doc) -> list[_Cand]:
    """Every kind-word name in the document with its status and attributes."""
    out = []
    hits = _kind_hits(d)
    d.hit_starts = [h[0] for h in hits]
    for group in _groups(d, hits):
        c = _candidate(d, group)
        if c is None:
            continue
        _classify(d, c)
        if c.status == "held":
            _attributes(d, c)
            if _future(d, c.date):
                c.status, c.how = "excluded", "plan"
        if c.status in ("held", "reference", "mention") or c.how == "plan":
            out.append(c)
    return out


def extract_meetings(
    doc: Analysis,
    *,
    regions: Sequence[Region] = (),
    figures: Sequence[Figure] = (),
    counts: Sequence[Count] = (),
    primary: Optional[Location] = None,
) -> list[Meeting]:
    """Held meetings of the document, one record each (see the module docstring)."""
    if not doc.text.strip():
        return []
    d = _Doc.build(doc, lexicon(), regions, figures, counts, primary)
    groups = _fold(find_candidates(d))
    starts = [g.first for g in groups] + [None]
    return [_record(d, g, nxt) for g, nxt in zip(groups, starts[1:])]
