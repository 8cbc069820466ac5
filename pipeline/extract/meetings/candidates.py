"""Candidates: kind words found and grouped into names, and each name's left and
right edges (where a meeting's name is recognized)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.dates import DateMention
from pipeline.extract.meetings.document import Doc, Span
from pipeline.extract.meetings.text import (
    CJK, CLAUSE_END, CLOSERS, MASK, MAX_QUOTE, OPENERS, PUNCT, QUANT, clean_name, space_joins,
)


_DASHES = "—-－–"
_MAX_NAME = 60
_SINGLE = {"一", "首", "单"}
_PAREN = re.compile(r"[(（]([^()（）,，。;；:：、\s]{1,12})[)）]")
_PAREN_NOT = ("以下", "简称", "下称", "点击", "记者", "图", "全文", "见", "详见", "注")


@dataclass
class Candidate:
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
    place: Optional[Span] = None
    place_phrase: Optional[tuple[int, int]] = None
    venue: Optional[str] = None
    organizer: Optional[str] = None
    organizer_span: Optional[tuple[int, int]] = None


def kind_hits(d: Doc) -> list[tuple[int, int, str]]:
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


def _kind_ok(d: Doc, start: int, end: int, kind: str) -> bool:
    if d.analysis.in_metadata(start) or d.date_covering(start):
        return False
    for word in d.lex.words["not_kind"]:
        i = word.find(kind)
        if i >= 0 and d.text.startswith(word, start - i):
            return False
    after = d.text[end:end + 6].lstrip()
    return not d.lex.starts("not_after", after)


def kind_groups(d: Doc, hits) -> list[list[tuple[int, int, str]]]:
    groups: list[list[tuple[int, int, str]]] = []
    for hit in hits:
        if groups and _joins(d, groups[-1][-1], hit):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


def _joins(d: Doc, left, right) -> bool:
    """Two kind words belong to one name: adjacent (培训班结业式), joined by 暨, or
    an ordinal between (常委会第五次会议; 论坛2024年年会)."""
    between = d.masked[left[1]:right[0]]
    if any(ch in PUNCT or ch.isspace() for ch in between):
        return False
    if between == "" or between.startswith("暨"):
        return len(between) <= 40
    if len(between) > 14:
        return False
    return between.startswith("第") or bool(re.fullmatch(r"\d{4}年(度)?|[一二三四五六七八九十]+届", between))


def _head_kind(d: Doc, group) -> str:
    """The kind of a name: the head of its first 暨 part (推进会 of 推进会暨座谈会)."""
    kind = group[0][2]
    for prev, hit in zip(group, group[1:]):
        if d.masked[prev[1]:hit[0]].startswith("暨"):
            break
        kind = hit[2]
    return kind


def make_candidate(d: Doc, group) -> Optional[Candidate]:
    sent = d.sentence(group[0][0])
    if sent is None:
        return None
    floor, ceiling = sent.start, sent.end
    end = _right_edge(d, group[-1][1], ceiling)
    start, stop, stop_start, aggregate = _left_edge(d, group[0][0], floor)
    name = clean_name(d.text[start:end])
    if not name or not CJK.search(name):
        return None
    return Candidate(
        start=start, end=end, kind=_head_kind(d, group),
        tiers=tuple(d.lex.kinds[h[2]] for h in group), heads=tuple((h[0], h[1]) for h in group),
        name=name, floor=floor, ceiling=ceiling, stop=stop, stop_start=stop_start, aggregate=aggregate,
    )


def _right_edge(d: Doc, end: int, ceiling: int) -> int:
    """Past a closing quote the name sits in, and a short parenthesis (片会(西部地区))."""
    j = end
    while j < ceiling and d.text[j].isspace():
        j += 1
    if j < ceiling and d.text[j] in CLOSERS and _opened_before(d, j, end):
        end = j + 1
    j = end
    while j < ceiling and d.text[j].isspace():
        j += 1
    m = _PAREN.match(d.text, j)
    if m and m.end() <= ceiling and not m.group(1).startswith(_PAREN_NOT):
        end = m.end()
    return end


def _opened_before(d: Doc, closer: int, end: int) -> bool:
    opener = CLOSERS[d.text[closer]]
    i = d.text.rfind(opener, 0, end)
    return i >= 0 and d.text.find(d.text[closer], i, end) < 0


def _left_edge(d: Doc, head: int, floor: int) -> tuple[int, str, int, bool]:
    """Where the name starts, the word that stopped the walk, where that word starts,
    and whether it was a quantifier of several meetings (4个片会)."""
    edge = _walk_left(d, head, floor)
    about = _about_start(d, head, floor)
    if about is not None and about < edge[0]:
        return (about, *_word_before(d, about, floor))
    return edge


def _walk_left(d: Doc, head: int, floor: int) -> tuple[int, str, int, bool]:
    pos = _word_start(d, head, floor)
    inside = _open_quote_at(d, head, floor)
    view = d.text if inside is not None else d.masked
    lower = inside + 1 if inside is not None else floor
    while pos > floor and head - pos < _MAX_NAME:
        if pos == lower and inside is not None:
            return (inside, *_word_before(d, inside, floor))
        ch = view[pos - 1]
        if ch.isspace():
            if space_joins(d.text, pos - 1):
                pos -= 1
                continue
            return pos, " ", pos - 1, False
        if ch in OPENERS:
            if pos - 1 in d.closers:
                pos -= 1
                continue
            return (pos - 1, *_word_before(d, pos - 1, floor))
        if ch in CLOSERS or ch == '"' or ch == MASK:
            pos -= 1
            continue
        if ch in _DASHES and CJK.match(view[pos - 2:pos - 1] or "") and CJK.match(view[pos:pos + 1] or ""):
            pos -= 1
            continue
        if ch in ")）" and (opener := _org_parenthesis(d, view, pos - 1, lower)) is not None:
            pos = opener
            continue
        if ch in PUNCT:
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
        if _stops(d, word, s, e) and not (d.lex.has("cited_before", word) and _convened(d, view, s, lower)):
            return pos, word, s, False
        pos = s
    return pos, "", pos, False


_MAX_PAREN = 10


def _org_parenthesis(d: Doc, view: str, close: int, lower: int) -> Optional[int]:
    """The opener of a parenthesis that belongs to an organization's name, which the
    name crosses: 县工商联(总商会)第三次会员代表大会."""
    opener = max(view.rfind("(", lower, close), view.rfind("（", lower, close))
    inner = view[opener + 1:close]
    if opener < 0 or not 0 < len(inner) <= _MAX_PAREN or any(ch in PUNCT or ch.isspace() for ch in inner):
        return None
    s, e = d.token_before(opener)
    return opener if d.lex.org_word(inner) or d.lex.org_word(view[max(s, lower):e]) else None


def _convened(d: Doc, view: str, pos: int, lower: int) -> bool:
    """A citing verb inside a name: a trigger governs the stretch before it
    (召开理论学习中心组学习会议), so 学习 is the name's, not a citation of it."""
    while pos > lower:
        s, e = d.token_before(pos)
        word = view[max(s, lower):e]
        if any(ch in PUNCT or ch.isspace() for ch in word):
            return False
        if word in d.lex.stops and not d.lex.has("cited_before", word):
            return d.lex.has("pre", word)
        pos = max(s, lower)
    return False


def _about_start(d: Doc, head: int, floor: int) -> Optional[int]:
    """召开关于……的会议: the trigger's object names its topic whole, enumeration and
    all (召开关于做好……、庆祝……工作会议); the name runs from 关于 to the last kind
    word of the clause."""
    at = d.masked.rfind("关于", floor, head)
    end = d.clause_end(head, len(d.text))
    if at < 0 or head - at > _MAX_NAME or any(ch in CLAUSE_END for ch in d.masked[at:head]):
        return None
    nxt = d.hit_after(head + 1)
    if nxt is not None and nxt < end:
        return None
    word = _word_before(d, at, floor)[0]
    return at if d.lex.has("pre", word) else None


def _word_before(d: Doc, pos: int, floor: int) -> tuple[str, int, bool]:
    """The word before an unpaired opening quote, spaces skipped: the name starts at
    the quote, and the word still tells what governs it (去年11月份的 “ 深圳会议)."""
    while pos > floor and d.text[pos - 1].isspace():
        pos -= 1
    if pos <= floor:
        return "", pos, False
    s, e = d.token_before(pos)
    return d.masked[max(s, floor):e], max(s, floor), False


def _word_start(d: Doc, head: int, floor: int) -> int:
    """A kind word inside a longer word (成立大会) takes the whole word."""
    s, _ = d.token_before(head + 1)
    return head if s < floor or d.lex.has("pre", d.masked[s:head]) else s


def _open_quote_at(d: Doc, head: int, floor: int) -> Optional[int]:
    """The paired opener whose quote holds `head`, if any."""
    for i in range(head - 1, max(floor, head - MAX_QUOTE) - 1, -1):
        if d.text[i] in CLOSERS:
            return None
        if i in d.closers:
            return i
    return None


def _quantifier(view: str, lo: int, pos: int) -> Optional[tuple[int, Optional[bool]]]:
    """A numeral and classifier right before pos: (its start, several?), where several
    is None for an ordinal that belongs to the name (第五届, 十三届四次)."""
    m = QUANT.search(view, max(lo - 4, 0), pos)
    if not m or m.end() != pos:
        return None
    ordinal, number, unit = m.group(1), m.group(2), m.group(3)
    if ordinal or (unit == "届" and number not in ("两", "几", "数", "多")):
        return m.start(), None
    if unit == "次" and "届" in view[max(0, m.start() - 12):m.start()]:
        return m.start(), None
    return m.start(), number not in _SINGLE


def _stops(d: Doc, word: str, s: int, e: int) -> bool:
    lex = d.lex
    if lex.has("plan", word) and d.text[s - 1:s] in CLOSERS:
        return False  # “青年同心‧湾区行”计划启动礼: a named scheme, not a plan
    if word in lex.stops or lex.ends("pre", word) and len(word) > 2:
        return True
    date = d.date_covering(s)
    if date is not None and (date.relative or date.vague or date.precision != "year") and not names_a_period(date):
        return True
    if word == "的":
        return _de_ends(d, s)
    return False


def names_a_period(date: DateMention) -> bool:
    """A stretch of the year that a name reviews (一季度民营经济运行分析会, 上半年,
    1-5月): part of the name, not the day it was held."""
    return date.end_iso is not None and date.precision == "month" and not (date.relative or date.vague)


def _de_ends(d: Doc, de: int) -> bool:
    """的 ends a name (召开的X; 一年一度的X; 去年11月份的X) except after a few words that
    make fixed phrases with it (新的社会阶层; 党的建设) and inside 关于……的."""
    if d.date_ending(de) is not None:
        return True
    s, e = d.token_before(de)
    if d.lex.has("de_keep", d.masked[s:e]):
        return False
    start = d.clause_start(de, 0)
    return "关于" not in d.masked[start:de]
