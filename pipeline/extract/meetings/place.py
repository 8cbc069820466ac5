"""Where a meeting was held: the 在/于 phrase, the venue, the region its name
starts with, and the final Location (with the document's region, the organizer's
and the dateline's place as fallbacks; see location_of)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.document import Doc, Span, prepositions, tokens_in
from pipeline.extract.meetings.text import MOJIBAKE, OPENERS, QUOTES, clean_name
from pipeline.extract.region_guards import ADMIN_CHARS
from pipeline.gazetteer import gazetteer
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
    """The phrase after the last 在/于/假 in [start, end), if it names a place."""
    preps = prepositions(d, start, end)
    if not preps:
        return None
    a = preps[-1][1]
    while (m := d.date_covering(a)) is not None and a < end:
        a = m.end
    b = _trim_adverbs(d, a, end)
    return (a, b) if b > a and _is_place(d, a, b) else None


def _zai_clause(d: Doc, c: Candidate) -> Optional[tuple[int, int]]:
    pos = c.floor
    while pos < c.start:
        end = d.clause_end(pos, c.start)
        s, e = d.token_after(pos)
        if d.lex.has("place_prep", d.masked[s:e]) and end < c.start:
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
    """A region, a venue, a place of meeting_places.tsv (在京) or a country, the
    document's own region (在本市) or the dateline's (在此间); not a frame
    (在……基础上, 在思想碰撞中)."""
    text = d.masked[a:b]
    if known_place(d, a, b) is not None or d.lex.has("scope", text) or d.lex.has("here", text):
        return True  # 在京; 在我区, 在本市: the document's region; 在此间: the dateline's
    if text[-1:] in ("上", "中", "下", "时", "后", "前", "间", "内") or text == "此":
        return bool(regions_in(d, a, b)) and text[-1:] not in ("上", "中", "下", "时", "后", "前")
    return bool(regions_in(d, a, b)) or bool(d.lex.ends("venue_suffix", text))


def known_place(d: Doc, a: int, b: int) -> Optional[Location]:
    """The place of meeting_places.tsv a place phrase names: a one-character
    abbreviation as the whole phrase (在京; not 在港口), a venue at its start
    (在人民大会堂湖南厅); else a foreign country it starts with (no code)."""
    text = d.masked[a:b]
    place = max((p for p in d.lex.places if text == p or (len(p) > 1 and text.startswith(p))), key=len, default=None)
    if place:
        return _division(d.lex.places[place])
    country = next((name for surface, name in _countries() if text.startswith(surface)), None)
    return Location(name=country, code=None) if country else None


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[str, str], ...]:
    """Written forms of foreign countries (name, full name, aliases) -> name, longest
    first: a place phrase that starts with one is abroad (在意大利罗马), also where
    the regions extractor let the name pass (在意 is a word)."""
    pairs = [(s, f.name) for f in gazetteer().foreign() if f.tier == "core" for s in f.surfaces() if len(s) >= 2]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _division(code: str) -> Optional[Location]:
    div = gazetteer().by_code(code)
    return Location(name=div.name, code=div.code) if div else None


_LEVEL_RANK = {"township": 4, "county": 3, "prefecture": 2, "province": 1, "area": 0, "foreign": 0}


def regions_in(d: Doc, a: int, b: int) -> list[Span]:
    return [r for r in d.starting_in("regions", a, b) if r.end <= b]


def place_region(d: Doc, a: int, b: int) -> Optional[Span]:
    """The region of a place phrase: the most specific one before the end of its
    first venue (在北京人民大会堂湖南厅 -> 北京: a hall named after a province is not
    in it; 在湖南宾馆 -> 湖南)."""
    return most_specific(d, a, _venue_end(d, a, b))


def _venue_end(d: Doc, a: int, b: int) -> int:
    for s, e in tokens_in(d, a, b):
        if d.lex.ends("venue_suffix", d.masked[s:e]) and not d.holding("regions", s, e):
            return e
    return b


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
    lead_in = _LEAD_ORDINAL.match(d.text, pos, c.heads[0][0])
    pos = lead_in.end() if lead_in else pos  # 首届北京……大会; 2023年浙江……论坛
    for r in d.starting_in("regions", pos, c.end):
        if r.start == pos and r.end <= c.end and (not lead or _within(r.item, lead[-1].item)):
            lead.append(r)
            pos = r.end
    if not lead or (_names_an_organization(d, pos, c.heads[0][0]) and not _full_name(d, lead[-1])):
        return None
    others = [r for r in regions_in(d, pos, c.heads[0][0]) if not _within(lead[-1].item, r.item)]
    return None if others else lead[-1]  # 马来西亚—新西兰商务研讨会 names two countries


_LEAD_ORDINAL = re.compile(r"首届|第[0-9一二三四五六七八九十百]+届|\d{4}年度?")


def _full_name(d: Doc, region: Span) -> bool:
    """A division written with its suffix (湄潭县, 宁波市): an organization named after
    it (湄潭县工商联……大会) is its local body, which meets there."""
    written = d.text[region.start:region.end]
    return bool(region.item.code) and written.endswith(ADMIN_CHARS)


def _names_an_organization(d: Doc, start: int, end: int) -> bool:
    """上海合作组织……会议: the region belongs to an organization's name, not the place."""
    return any(d.lex.org_word(d.masked[start:e]) for _, e in tokens_in(d, start, end))


def location_of(d: Doc, c: Candidate) -> tuple[Optional[Location], Optional[Span]]:
    """Where it was held: the 在 place or the region the name starts with, or a place
    of meeting_places.tsv; else the document's region for 全省/全市 names, 在本市 and
    bare 省委/市委 organizers or venues; else the organizer's own region; else, for an
    organizer that names no region and is no national body, the document's region
    when primary_region made it clear."""
    if c.place is not None:
        return as_location(c.place.item), c.place
    known = known_place(d, *c.place_phrase) if c.place_phrase else None
    if known is not None:
        return known, None
    if c.place_phrase and d.lex.has("here", d.masked[c.place_phrase[0]:c.place_phrase[1]]):
        return dateline_place(d), None  # 在此间召开: where the dateline says the report was filed
    home = home_region(d)
    if home is not None and _of_the_document(d, c):
        return home, None
    if c.organizer_span:
        region = most_specific(d, *c.organizer_span)
        if region is not None:
            if _garbled_below(d, c.organizer_span, region.item):
                return d.primary, None
            return as_location(region.item), region
    if d.primary is not None and c.organizer and not d.lex.starts("national_org", c.organizer):
        return d.primary, None  # 青年发展委员会 in a Hong Kong release: a body of the document's region
    if c.place_phrase is None and _on_the_dateline_day(d, c):
        return dateline_place(d), None
    return None, None


def dateline_place(d: Doc) -> Optional[Location]:
    """Where the report was filed: the region of its dateline (新华社北京3月5日电)."""
    line = d.analysis.dateline
    region = most_specific(d, line.start, line.day_start) if line else None
    return as_location(region.item) if region else None


def _on_the_dateline_day(d: Doc, c: Candidate) -> bool:
    """Held on the day the report was filed from its dateline's city, or with no date
    (最高人民法院今天召开新闻发布会 under 中新社北京六月二十五日电); the caller checks that
    the text names no place of its own (在罗马设的新闻中心 is abroad, whatever the
    dateline)."""
    line = d.analysis.dateline
    if line is None or line.month is None or line.day is None:
        return False
    iso = (c.date.iso or "") if c.date else ""
    return c.date is None or iso.endswith(f"{line.month:02d}-{line.day:02d}")


def _of_the_document(d: Doc, c: Candidate) -> bool:
    """A 全省/全市 name, a place 在本市/在我区, or a bare 省委/市委 organizer or venue
    (no region named)."""
    phrase = d.masked[c.place_phrase[0]:c.place_phrase[1]] if c.place_phrase else ""
    scoped = any(w in c.name for w in d.lex.words["scope"]) or d.lex.has("scope", phrase)
    org = c.organizer or ""
    bare = bool(org) and not (c.organizer_span and regions_in(d, *c.organizer_span)) and (
        d.lex.starts("bare_org", org) or org[:1] in "省市县区州")
    return scoped or bare or bool(c.venue and d.lex.starts("bare_org", c.venue))


HOME_SHARE = 0.5  # of the document's region mentions, for its region when primary_region gives none


def home_region(d: Doc) -> Optional[Location]:
    """The document's own region: primary_region's, else the division (areas and
    townships counted for the division they lie in) holding at least HOME_SHARE of
    the region mentions (青岛西海岸新区 ... 全区 -> 青岛市)."""
    if d.primary is not None:
        return d.primary
    counts: dict[str, int] = {}
    for span in d.regions:
        loc = as_location(span.item)
        if loc.code:
            counts[loc.code] = counts.get(loc.code, 0) + 1
    if not counts:
        return None
    code = max(counts, key=counts.get)
    return _division(code) if counts[code] >= HOME_SHARE * sum(counts.values()) else None


def _garbled_below(d: Doc, span: tuple[int, int], region: Region) -> bool:
    """宁波市宁??h委统战部 with the garbled part unrecognised: the document's own
    region, when it lies inside the one recognised, is the better guess."""
    if d.primary is None or not d.primary.code or not region.code or not MOJIBAKE.search(d.text, *span):
        return False
    return d.primary.code != region.code and d.primary.code.startswith(_code_prefix(region.code))


def as_location(region: Region) -> Location:
    """A region as a meeting's location: a division as it is; a township or a named
    area as the division it lies in (州城镇 -> 宾川县; 西海岸新区 -> 青岛市); a foreign
    country or an area in no division by its name, with no code."""
    code = region.code or (None if region.level == "foreign" else _code_of_path(tuple(region.path)))
    return (_division(code) if code else None) or Location(name=region.name, code=None)


@lru_cache(maxsize=4096)
def _code_of_path(path: tuple[str, ...]) -> Optional[str]:
    """The code of the lowest division in a path of names (['山东省', '青岛市'])."""
    gaz = gazetteer()
    return next(filter(None, (gaz.code_of_path(list(path[:k])) for k in range(len(path), 0, -1))), None)
