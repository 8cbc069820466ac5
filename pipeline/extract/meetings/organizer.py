"""Who convened a meeting: 由X主办, X主办的<name>, or the subject of the trigger."""

from __future__ import annotations

import re
from typing import Optional

from pipeline.dateline import dateline_from
from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.document import Doc, prepositions, repaired, tokens_in
from pipeline.extract.meetings.text import CLAUSE_END, PUNCT


def fill_organizer(d: Doc, c: Candidate) -> None:
    """The body that convened it: 由X主办; X主办的<name>; the subject of a trigger before
    the name (中央统战部在成都召开X); else the subject of an earlier clause when the
    trigger's clause has none (……专家服务团正式组建,为……开启X)."""
    span = _sponsor(d, c) or _subject(d, c)
    if span:
        c.organizer_span = span
        c.organizer = repaired(d, *span)


def _sponsor(d: Doc, c: Candidate) -> Optional[tuple[int, int]]:
    """由X主办 / 由X举办 in the sentence."""
    for m in d.lex.sponsor_re.finditer(d.masked[c.floor:c.ceiling]):
        span = _org_np(d, c.floor + m.start(1), c.floor + m.end(1))
        if span:
            return span
    return None


def _subject(d: Doc, c: Candidate) -> Optional[tuple[int, int]]:
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


def _zai_start(d: Doc, start: int, end: int) -> int:
    preps = prepositions(d, start, end)
    return preps[-1][0] if preps else end


def _starts_with_preposition(d: Doc, start: int) -> bool:
    s, e = d.token_after(start)
    return d.lex.has("audience", d.masked[s:e]) or d.masked[s:e] in ("在", "对", "由")


def _earlier_subject(d: Doc, floor: int, before: int) -> Optional[tuple[int, int]]:
    """The leading organization of the nearest earlier clause that has one."""
    ends = [i for i in range(floor, before) if d.masked[i] in CLAUSE_END]
    starts = [floor] + [i + 1 for i in ends]
    for a, b in reversed(list(zip(starts, ends))):
        span = _leading_org(d, a, b)
        if span:
            return span
    return None


def _leading_org(d: Doc, a: int, b: int) -> Optional[tuple[int, int]]:
    best = None
    for s, e in tokens_in(d, a, b):
        word = d.masked[s:e]
        if d.lex.has("stop", word) or d.lex.has("adverb", word) or d.date_covering(s):
            break
        if d.lex.org_word(word):
            best = (a, e)
    return best


def _org_np(d: Doc, start: int, end: int) -> Optional[tuple[int, int]]:
    """[start, end) as an organization: leading dates and adverbs and trailing adverbs
    dropped; it must end with an organization word (统战部, 政府, 服务团)."""
    toks = tokens_in(d, _after_dateline(d, start, end), end)
    while toks and _is_lead_filler(d, *toks[0]):
        toks.pop(0)
    while toks and _is_lead_filler(d, *toks[-1]):
        toks.pop()
    if not toks:
        return None
    a, b = toks[0][0], toks[-1][1]
    if d.masked[a] in _PREPOSITIONS and not any(r.start == a for r in d.regions):
        a += 1  # 从区: jieba glued the preposition to the organization (记者从区工商联获悉)
    text = d.masked[a:b]
    if len(text) > 30 or not _joined_orgs(d, text):
        return None
    if d.starting_in("figures", a, b):
        return None
    return a, b


_PREPOSITIONS = "从在于由对"
_NAME_PAREN = re.compile(r"[(（]([^()（）]{1,10})[)）]")


def _joined_orgs(d: Doc, text: str) -> bool:
    """One organization, or several joined by 、 (炎陵县委统战部、县工商联), each ending
    with an organization word; a parenthesis only inside a name (县工商联(总商会))."""
    plain = _NAME_PAREN.sub(lambda m: "" if d.lex.org_word(m.group(1)) else "(", text)
    parts = plain.split("、")
    return not any(ch in PUNCT for ch in plain.replace("、", "")) and all(d.lex.org_word(p) for p in parts)


DATELINE_LEAD = 12  # characters of outlet and place before a dateline's day


def _after_dateline(d: Doc, start: int, end: int) -> int:
    """Past a dateline glued to the sentence (新华社北京5月20日电公安部 -> 公安部)."""
    line = dateline_from(d.analysis.datelines, start, end, reach=DATELINE_LEAD)
    return line.end if line else start


def _is_lead_filler(d: Doc, s: int, e: int) -> bool:
    word = d.masked[s:e]
    return (d.date_covering(s) is not None or d.lex.has("adverb", word) or word.isspace()
            or word in ("在", "于", "从", "据悉", "记者", "本报讯", "讯", "电", "了"))
