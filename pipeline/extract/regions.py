"""Regions: administrative divisions, named areas and foreign countries.

How a region is recognised, in order:

1. every gazetteer surface (official name, short form, old name, area,
   country) is found on characters with an Aho-Corasick automaton, so
   汕尾市委统战部 yields 汕尾 even where jieba glues words together;
2. hits that cut a jieba word in two (金平 in 基金平均, 巴马 in 奥巴马) or
   that are common words (和平, 东方) without place context are dropped
   (`region_guards.py`);
3. the longest surviving hits win; a name shared by several divisions
   (朝阳区, 鼓楼区) is resolved by evidence: its parent written just before
   it, then a parent or the province the document mentions; a pick between
   equals is marked by a lower confidence;
4. townships are matched from the gazetteer's township list of the counties
   the text mentions; mojibake inside a place name (宁??h after 宁波市) is
   repaired when exactly one division fits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from pipeline.analysis import Analysis
from pipeline.extract.region_guards import (ADMIN_CHARS, Hit, accepted_hits, find_hits, township_after,
                                            township_suffixes, zone_end)
from pipeline.gazetteer import Division, Gazetteer, gazetteer
from pipeline.normalize import MOJIBAKE, to_simplified
from pipeline.records import Location, Region
from pipeline.textutil import occurrences

CONFIDENCE = {"official": 0.95, "alias": 0.9, "renamed": 0.85, "area": 0.9, "borderline": 0.6,
              "foreign": 0.9, "township": 0.8, "written_township": 0.6, "repaired": 0.7,
              "ambiguous": 0.55, "context": 0.75, "bare": 0.7, "zone": 0.8}
# 全省/省委/本市/我县 ...: the division a document calls by the last character of its
# official name (ADMIN_CHARS).
BARE_FORMS = ("全{}", "{}委", "{}政府", "本{}", "我{}")
# The share of a level's mentions the document's own region must have.
DOMINANCE = 0.4


@dataclass
class _Found:
    """A region being assembled: its identity and where it was read."""

    name: str
    code: Optional[str]
    level: str
    path: list[str]
    method: str
    confidence: float
    spans: list[tuple[int, int]] = field(default_factory=list)


def extract_regions(doc: Analysis) -> list[Region]:
    gaz = gazetteer()
    people = [(e.start, e.end) for e in doc.entities_of("PER")]
    hits = [h for h in accepted_hits(doc.text, find_hits(doc.text), doc.tokens, doc.quotes)
            if not _in_person(h, people)]
    found: dict[str, _Found] = {}
    resolved = _without_local_names(gaz, _resolve_divisions(gaz, hits, doc))
    for hit, item in resolved:
        _add(found, item, hit.start, hit.end)
    for start, end, item in _zones(gaz, doc, resolved):
        _add(found, item, start, end)
    for start, end, item in _repairs(gaz, doc.text, resolved):
        _add(found, item, start, end)
    evidence = [f.code for f in found.values() if f.code]
    for start, end, item in _longest_first(_townships(gaz, doc.text, evidence)):
        _add(found, item, start, end)
    for start, end, item in _written_townships(gaz, doc.text, resolved):
        if not _covered(found, start, end):
            _add(found, item, start, end)
    return [_record(doc, f) for f in found.values()]


def _in_person(hit: Hit, people: list[tuple[int, int]]) -> bool:
    """王新安 is a person: a hit inside a longer PER span is no place; a PER span
    that is exactly the hit (the model's 张家港, 张家界) drops it only when it was
    read without evidence."""
    return any(a <= hit.start and hit.end <= b and (b - a > hit.end - hit.start or hit.bare)
               for a, b in people)


def _longest_first(spans) -> list:
    """(start, end, item) spans without overlaps, the longer kept: 小二台镇, not also 二台镇."""
    kept: list = []
    for start, end, item in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if not any(a < end and start < b for a, b, _ in kept):
            kept.append((start, end, item))
    return sorted(kept, key=lambda s: s[0])


def _covered(found: dict[str, _Found], start: int, end: int) -> bool:
    return any(a < end and start < b for f in found.values() for a, b in f.spans)


def _add(found: dict[str, _Found], item: _Found, start: int, end: int) -> None:
    key = item.code or f"{item.level}:{item.name}"
    current = found.setdefault(key, item)
    if (start, end) not in current.spans:
        current.spans.append((start, end))
    if item.confidence > current.confidence:
        current.confidence, current.method = item.confidence, item.method


def _record(doc: Analysis, f: _Found) -> Region:
    spans = sorted(f.spans)
    return Region(name=f.name, code=f.code, level=f.level, path=f.path,
                  mentions=[doc.mention(a, b) for a, b in spans], method=f.method,
                  confidence=round(f.confidence, 3))


# --- divisions, areas, foreign ------------------------------------------------

def _resolve_divisions(gaz: Gazetteer, hits: list[Hit], doc: Analysis) -> list[tuple[Hit, _Found]]:
    clear = [h for h in hits if len(h.division_codes) == 1]
    known = {code for h in clear for code in h.division_codes}
    ancestors = {a for code in known for a in gaz.ancestors(code)}
    province = _main_province(gaz, clear, doc)
    out = []
    previous: Optional[tuple[Hit, _Found]] = None
    for hit in hits:
        item = _non_division(gaz, hit) or _division(gaz, hit, previous, ancestors, province)
        if item is not None:
            out.append((hit, item))
            previous = (hit, item)
    return out


def _without_local_names(gaz: Gazetteer, resolved: list[tuple[Hit, _Found]]) -> list[tuple[Hit, _Found]]:
    """玉林 in a report on 武侯区 (which has 玉林街道) names the neighbourhood, not
    玉林市 of another province: a short form of a prefecture or county that is the
    name of a township of a county the document writes, in another province, is
    dropped."""
    counties = {item.code for _, item in resolved if item.code and _holds_townships(gaz, item.code)}
    return [(hit, item) for hit, item in resolved
            if not (item.code and hit.text != item.name and _local_name(gaz, hit.text, item.code, counties))]


def _local_name(gaz: Gazetteer, short: str, code: str, counties: set[str]) -> bool:
    if gaz.by_code(code).level == "province":
        return False  # 北京 is 北京, whatever street or 北京街道 a city has
    province = gaz.province_of(code).code
    return any(gaz.province_of(c).code != province and
               any(f"{short}{suffix}" in gaz.townships(c) for suffix in township_suffixes())
               for c in counties)


def _non_division(gaz: Gazetteer, hit: Hit) -> Optional[_Found]:
    surface = hit.options[0]
    if surface.level == "area":
        area = gaz.area_named(surface.ref)
        tier = "area" if area.tier == "core" else "borderline"
        path = gaz.path(area.within) if area.within else []
        return _Found(hit.text, None, "area", path, f"gazetteer:{tier}", CONFIDENCE[tier])
    if surface.level == "foreign":
        entry = gaz.foreign_named(surface.ref)
        core = entry is None or entry.tier == "core"
        return _Found(surface.ref, None, "foreign", [surface.ref], "gazetteer:foreign" if core else
                      "gazetteer:foreign_borderline", CONFIDENCE["foreign" if core else "borderline"])
    return None


def _division(gaz, hit: Hit, previous, ancestors: set[str], province: Optional[str]) -> Optional[_Found]:
    allowed = set(hit.division_codes)
    options = [s for s in hit.options if s.ref in allowed]
    if not options:
        return None
    parent_code = previous[1].code if previous and previous[0].end == hit.start else None
    codes = [s.ref for s in options]
    scores = {s.ref: _evidence(gaz, s.ref, parent_code, ancestors, province) + _covers(gaz, s.ref, codes)
              for s in options}
    ranked = sorted(options, key=lambda s: -scores[s.ref])
    best = ranked[0]
    margin = scores[best.ref] - scores[ranked[1].ref] if len(ranked) > 1 else None
    div = gaz.by_code(best.ref)
    how = "bare" if hit.bare else "context" if hit.weak else best.how
    confidence = CONFIDENCE[how]
    if margin == 0:
        how, confidence = "ambiguous", CONFIDENCE["ambiguous"]
    elif margin is not None and margin < 2:
        confidence = min(confidence, CONFIDENCE["context"])
    return _Found(div.name, div.code, div.level, gaz.path(div.code), f"gazetteer:{how}", confidence)


def _covers(gaz: Gazetteer, code: str, codes: list[str]) -> int:
    """A short form naming a city and its own county (长沙: 长沙市, 长沙县) means the city."""
    return int(any(code in gaz.ancestors(other) for other in codes if other != code))


def _evidence(gaz, code: str, parent_code: Optional[str], ancestors: set[str], province: Optional[str]) -> int:
    """How strongly the document supports reading a surface as this division."""
    lineage = gaz.ancestors(code)
    score = 0
    if parent_code and parent_code in lineage:
        score += 8
    if any(a in ancestors for a in lineage):
        score += 4
    if province and province in (*lineage, code):
        score += 2
    if code in ancestors:
        score += 1
    return score


def _main_province(gaz: Gazetteer, hits: list[Hit], doc: Analysis) -> Optional[str]:
    counts: Counter = Counter()
    title = doc.header.title_span or (0, 0)
    for hit in hits:
        prov = gaz.province_of(hit.division_codes[0])
        if prov is not None:
            counts[prov.code] += 3 if title[0] <= hit.start < title[1] else 1
    return counts.most_common(1)[0][0] if counts else None


# --- zones --------------------------------------------------------------------

# Named areas that may open a zone's name (长三角|生态绿色一体化发展示范区).
OPENING_AREA_KINDS = ("economic", "new_area", "zone")
# A pilot free trade zone's name puts its province in brackets after 中国: 中国（云南）自由贸易试验区.
FTZ_OPENING = ("中国（", "中国(")
ZONE_PART = "片区"  # a zone's part named by its city: …自由贸易试验区昆明片区


def _zones(gaz: Gazetteer, doc: Analysis, resolved: list[tuple[Hit, _Found]]):
    """Development and cooperation zones the gazetteer lacks, opened by the division
    they lie in (成都高新技术产业开发区, 珲春边境经济合作区, 中国（云南）自由贸易试验区)
    or by a named area (长三角生态绿色一体化发展示范区): named areas, code null,
    their name as written; the opening place is read too."""
    for hit, item in resolved:
        start, opened = _zone_opening(gaz, doc.text, hit, item)
        end = zone_end(doc.text, opened, doc.tokens) if opened is not None else None
        if end is None or any(other.start < end and hit.end < other.end for other, _ in resolved):
            continue
        end = _zone_part_end(doc.text, end, resolved)
        yield start, end, _Found(doc.text[start:end], None, "area", item.path, "pattern:zone", CONFIDENCE["zone"])


def _zone_opening(gaz: Gazetteer, text: str, hit: Hit, item: _Found) -> tuple[int, Optional[int]]:
    """Where a zone's name opened by this place starts, and where its describing words start."""
    if item.code:
        if text.startswith(("）", ")"), hit.end) and text.endswith(FTZ_OPENING, 0, hit.start):
            return hit.start - len(FTZ_OPENING[0]), hit.end + 1
        return hit.start, hit.end
    area = gaz.area_named(hit.options[0].ref) if item.level == "area" else None
    return hit.start, (hit.end if area is not None and area.kind in OPENING_AREA_KINDS else None)


def _zone_part_end(text: str, end: int, resolved: list[tuple[Hit, _Found]]) -> int:
    """…自由贸易试验区昆明片区: a division's name and 片区 right after a zone extend it."""
    for hit, item in resolved:
        if hit.start == end and item.code and text.startswith(ZONE_PART, hit.end):
            return hit.end + len(ZONE_PART)
    return end


# --- townships ----------------------------------------------------------------

def _townships(gaz: Gazetteer, text: str, codes: list[str]):
    """Township names of the counties (or county-less cities) the text mentions,
    every occurrence; county by county, names longest first. The names are
    found in one pass over the text, not one per name."""
    names: dict[str, list[tuple[int, str]]] = {}
    for rank, code in enumerate(codes):
        if _holds_townships(gaz, code):
            for name in gaz.townships(code):
                if len(name) >= 3:
                    names.setdefault(name, []).append((rank, code))
    found = []
    for name, starts in occurrences(text, names).items():
        for rank, code in names[name]:
            item = _Found(name, None, "township", gaz.path(code) + [name], "gazetteer:township",
                          CONFIDENCE["township"])
            found += [((rank, -len(name), name, start), (start, start + len(name), item)) for start in starts]
    return [span for _key, span in sorted(found, key=lambda f: f[0])]


def _holds_townships(gaz: Gazetteer, code: str) -> bool:
    div = gaz.by_code(code)
    return div is not None and (div.level == "county" or (div.level == "prefecture" and not gaz.children(code)))


def _written_townships(gaz: Gazetteer, text: str, resolved: list[tuple[Hit, _Found]]):
    """X镇/X乡/X街道 written right after its county (永嘉县瓯北镇), listed or not."""
    for hit, item in resolved:
        if item.code and _holds_townships(gaz, item.code):
            m = township_after(text, hit.end)
            if m:
                yield m.start(), m.end(), _Found(m.group(), None, "township", item.path + [m.group()],
                                                 "pattern:township", CONFIDENCE["written_township"])


# --- mojibake repair ----------------------------------------------------------

def _repairs(gaz: Gazetteer, text: str, resolved: list[tuple[Hit, _Found]]):
    """A place name with an unreadable run (寧??h) is repaired when exactly one
    division fits: first right after its parent (宁波市宁??h -> 宁海县), then
    elsewhere, among the divisions repaired that way, else among those the
    document writes in full."""
    by_end = {hit.end: item for hit, item in resolved}
    runs = list(MOJIBAKE.finditer(text))
    repaired: dict[str, Division] = {}
    written = [gaz.by_code(item.code) for _, item in resolved if item.code]
    for m in runs:
        for k in (1, 2):
            parent = by_end.get(m.start() - k)
            if parent is not None and parent.code:
                fits = _fitting(gaz, text, m, k, _descendants(gaz, parent.code))
                if len(fits) == 1:
                    div, end = fits[0]
                    repaired[div.code] = div
                    yield m.start() - k, end, _repaired(gaz, div)
                    break
    for m in runs:
        for k in (1, 2):
            if m.start() - k in by_end:
                break
            fits = _fitting(gaz, text, m, k, list(repaired.values())) or _fitting(gaz, text, m, k, written)
            if len(fits) == 1:
                div, end = fits[0]
                yield m.start() - k, end, _repaired(gaz, div)
                break


def _repaired(gaz: Gazetteer, div: Division) -> _Found:
    return _Found(div.name, div.code, div.level, gaz.path(div.code), "gazetteer:repaired",
                  CONFIDENCE["repaired"])


def _descendants(gaz: Gazetteer, code: str) -> list[Division]:
    children = gaz.children(code)
    return children + [g for c in children for g in gaz.children(c.code)]


def _fitting(gaz: Gazetteer, text: str, run, k: int, pool: list[Division]) -> list[tuple[Division, int]]:
    """Divisions written as `k` readable characters, the unreadable run, and
    possibly the name's last readable characters (宁?县, 宁??h)."""
    start, lost = run.start() - k, run.end() - run.start()
    if start < 0:
        return []
    prefix = to_simplified(text[start:run.start()])  # a stray 寧 in simplified text
    fits = {}
    for div in pool:
        rest = div.name[k:] if div.name.startswith(prefix) else None
        for tail in (2, 1, 0):
            written = text[run.end():run.end() + tail]
            if rest and len(written) == tail and rest.endswith(written) and 1 <= len(rest) - tail <= lost:
                fits[div.code] = (div, run.end() + tail)
                break
    return list(fits.values())


# --- the document's own region ----------------------------------------------

def primary_region(doc: Analysis, regions: list[Region]) -> Optional[Location]:
    """The region 全省/省委/本市 refers to, when the text makes it clear: the words
    must stand bare (not 黑龙江省委) and one region whose name ends in that
    character must dominate. Else Hong Kong or Macao when the text calls itself so
    (本港, 全港, 香港时间 ...: SAR_HOME)."""
    return _by_bare_words(doc, regions) or _sar_home(doc)


# Hong Kong and Macao releases name their own region by these words, not by 全省/本市.
SAR_HOME = (("810000", "香港特别行政区", ("本港", "全港", "港府", "香港时间")),
            ("820000", "澳门特别行政区", ("本澳", "全澳", "澳府", "澳门时间")))


def _sar_home(doc: Analysis) -> Optional[Location]:
    found = [(code, name) for code, name, words in SAR_HOME if any(_whole_word(doc, w) for w in words)]
    return Location(name=found[0][1], code=found[0][0]) if len(found) == 1 else None


def _whole_word(doc: Analysis, word: str) -> bool:
    """`word` begins and ends at token boundaries somewhere (本港, not 本|港口)."""
    bounds, start = doc.tokens.boundaries, doc.text.find(word)
    while start != -1:
        if start in bounds and (start + len(word) in bounds or start + len(word) == len(doc.text)):
            return True
        start = doc.text.find(word, start + 1)
    return False


def _by_bare_words(doc: Analysis, regions: list[Region]) -> Optional[Location]:
    divisions = [r for r in regions if r.code]
    if not divisions:
        return None
    covered = _covered_offsets(doc, regions)
    for char in ADMIN_CHARS:
        if _bare_word(doc, tuple(form.format(char) for form in BARE_FORMS), covered):
            return _dominant(gazetteer(), doc, divisions, char)
    return None


def _covered_offsets(doc: Analysis, regions: list[Region]) -> set[int]:
    covered = set()
    for region in regions:
        for m in region.mentions:
            a, b = doc.span_of(m)
            covered.update(range(a, b + 1))
    return covered


def _bare_word(doc: Analysis, words: tuple[str, ...], covered: set[int]) -> bool:
    text, bounds = doc.text, doc.tokens.boundaries
    for word in words:
        start = text.find(word)
        while start != -1:
            if start not in covered and not _straddles(bounds, start, start + len(word)):
                return True
            start = text.find(word, start + 1)
    return False


def _straddles(bounds, start: int, end: int) -> bool:
    """资本|市场: 本市 starts inside one word and ends in the next (团市委 holds 市委 whole)."""
    return start not in bounds and any(k in bounds for k in range(start + 1, end))


def _dominant(gaz: Gazetteer, doc: Analysis, regions: list[Region], char: str) -> Optional[Location]:
    """The region named ...`char` the document mentions most (title mentions weigh 3;
    a mention counts for the nearest division at or above it whose name ends in
    `char`), if it has at least DOMINANCE of them and of the mentions of other
    divisions at its level (重庆 among 四川、贵州 does not dominate 全市)."""
    counts: Counter = Counter()
    others: Counter = Counter()  # level -> weight of divisions not named ...`char`
    for region in regions:
        code = _nearest_named(gaz, region.code, char)
        weight = _weight(doc, region)
        if code is None:
            others[region.level] += weight
        else:
            counts[code] += weight
    if not counts:
        return None
    (code, n), *rest = counts.most_common(2)
    division = gaz.by_code(code)
    if n < DOMINANCE * (sum(counts.values()) + others[division.level]) or (rest and rest[0][1] == n):
        return None  # not dominant, or a tie: never a silent guess between equals
    return Location(name=division.name, code=code)


def _weight(doc: Analysis, region: Region) -> int:
    title = doc.header.title_span or (0, 0)
    return sum(3 if title[0] <= doc.span_of(m)[0] < title[1] else 1 for m in region.mentions)


def _nearest_named(gaz: Gazetteer, code: str, char: str) -> Optional[str]:
    return next((c for c in (code, *gaz.ancestors(code)) if gaz.by_code(c).name.endswith(char)), None)
