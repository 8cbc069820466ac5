"""Where a meeting was held: the 在/于 phrase, the venue, the region its name
starts with, and the final Location (with the document's region as fallback)."""

from __future__ import annotations

from typing import Optional

from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.document import Doc, Span, tokens_in
from pipeline.extract.meetings.organizer import org_word
from pipeline.extract.meetings.text import MOJIBAKE, OPENERS, QUOTES, clean_name
from pipeline.records import Location, Region


def place_phrase_of(d: Doc, c: Candidate) -> Optional[tuple[int, int]]:
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


def _zai(d: Doc, start: int, end: int) -> Optional[tuple[int, int]]:
    toks = tokens_in(d, start, end)
    for i in range(len(toks) - 1, -1, -1):
        s, e = toks[i]
        if d.masked[s:e] in ("在", "于"):
            a = e
            while (m := d.date_covering(a)) is not None and a < end:
                a = m.end
            b = _trim_adverbs(d, a, end)
            return (a, b) if b > a and _is_place(d, a, b) else None
    return None


def _zai_clause(d: Doc, c: Candidate) -> Optional[tuple[int, int]]:
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


def _trim_adverbs(d: Doc, a: int, b: int) -> int:
    while b > a:
        s, e = d.token_before(b)
        if not d.lex.has("adverb", d.masked[max(s, a):e]) and not d.masked[b - 1].isspace():
            return b
        b = max(s, a)
    return b


def _is_place(d: Doc, a: int, b: int) -> bool:
    """A region or a venue, not a frame (在……基础上, 在思想碰撞中, 在此间)."""
    text = d.masked[a:b]
    if text[-1:] in ("上", "中", "下", "时", "后", "前", "间", "内") or text in ("此", "京"):
        return bool(regions_in(d, a, b)) and text[-1:] not in ("上", "中", "下", "时", "后", "前")
    return bool(regions_in(d, a, b)) or bool(d.lex.ends("venue_suffix", text))


_LEVEL_RANK = {"township": 4, "county": 3, "prefecture": 2, "province": 1, "area": 0, "foreign": 0}


def regions_in(d: Doc, a: int, b: int) -> list[Span]:
    return [r for r in d.starting_in("regions", a, b) if r.end <= b]


def most_specific(d: Doc, a: int, b: int) -> Optional[Span]:
    """The lowest-level region in [a, b): 山东青岛 -> 青岛市; coded ones first."""
    found = regions_in(d, a, b)
    if not found:
        return None
    best = max(found, key=lambda r: (r.item.code is not None, _LEVEL_RANK.get(r.item.level, 0), r.start))
    return best if all(_within(best.item, r.item) for r in found) else None


def _within(inner: Region, outer: Region) -> bool:
    """inner is outer or lies inside it, by code (山东省 ⊃ 青岛市); uncoded areas pass.
    Several sibling places (于宁波、长沙、成都举行) give no single place."""
    if not inner.code or not outer.code:
        return True
    return inner.code.startswith(_code_prefix(outer.code))


def _code_prefix(code: str) -> str:
    """The digits a division's descendants share: 370200 -> 3702, 330000 -> 33."""
    prefix = code.rstrip("0")
    return prefix + "0" * (len(prefix) % 2)


def venue_of(d: Doc, a: int, b: int) -> Optional[str]:
    text = clean_name(d.text[a:b])
    return text if d.lex.ends("venue_suffix", text) else None


def name_region(d: Doc, c: Candidate) -> Optional[Span]:
    """A region the name starts with (深圳会议; 宁波市宁海县……推进会)."""
    lead, pos = [], c.start
    while pos < c.end and d.text[pos] in QUOTES | {" "}:
        if d.text[pos] in OPENERS and d.closers.get(pos, c.end) < c.heads[0][0]:
            return None  # “灵山杯”获奖者座谈会: a quoted prize or brand, not the place
        pos += 1
    for r in d.starting_in("regions", pos, c.end):
        if r.start == pos and r.end <= c.end and (not lead or _within(r.item, lead[-1].item)):
            lead.append(r)
            pos = r.end
    if not lead or _names_an_organization(d, pos, c.heads[0][0]):
        return None
    others = [r for r in regions_in(d, pos, c.heads[0][0]) if not _within(lead[-1].item, r.item)]
    return None if others else lead[-1]  # 马来西亚—新西兰商务研讨会 names two countries


def _names_an_organization(d: Doc, start: int, end: int) -> bool:
    """上海合作组织……会议: the region belongs to an organization's name, not the place."""
    return any(org_word(d, d.masked[start:e]) for _, e in tokens_in(d, start, end))


def location_of(d: Doc, c: Candidate) -> tuple[Optional[Location], Optional[Span]]:
    """Where it was held: the 在 place or the region the name starts with; else the
    document's region for 全省/全市 names and for bare 省委/市委 organizers or venues;
    else the organizer's own region."""
    if c.place is not None:
        return _as_location(c.place.item), c.place
    scoped = any(w in c.name for w in d.lex.words["scope"])
    org = c.organizer or ""
    bare = bool(org) and not (c.organizer_span and regions_in(d, *c.organizer_span)) and (
        d.lex.starts("bare_org", org) or org[:1] in "省市县区州")
    bare_venue = bool(c.venue and d.lex.starts("bare_org", c.venue))
    if (scoped or bare or bare_venue) and d.primary is not None:
        return d.primary, None
    if c.organizer_span:
        region = most_specific(d, *c.organizer_span)
        if region is not None:
            if _garbled_below(d, c.organizer_span, region.item):
                return d.primary, None
            return _as_location(region.item), region
    return None, None


def _garbled_below(d: Doc, span: tuple[int, int], region: Region) -> bool:
    """宁波市宁??h委统战部 with the garbled part unrecognised: the document's own
    region, when it lies inside the one recognised, is the better guess."""
    if d.primary is None or not d.primary.code or not region.code or not MOJIBAKE.search(d.text, *span):
        return False
    return d.primary.code != region.code and d.primary.code.startswith(_code_prefix(region.code))


def _as_location(region: Region) -> Location:
    return Location(name=region.name, code=region.code)
