"""Cross-document resolution: is this the same person, brand, meeting?

Pure decisions on two sightings, each with the reason a reviewer reads in
the link tables. They are careful by design: two facts merge only on
agreeing evidence, and any conflicting evidence keeps them apart. The
knowledge base joins a new fact to an entity when it merges with one of the
entity's facts and conflicts with none of them (pipeline/kb/link.py).

People: same name, no titles placing them in unrelated regions (two 王小红 in
two provinces), and a shared title (one containing the other counts:
国家主席 / 中国国家主席), the same organisation (宁波市委统战部副部长 / 宁波市委统战部部长),
titles in the same city or county, or, with no titles at all, documents
about the same city within a year. A shared title or organisation naming no
region and no national body (书记, 市委统战部部长) does not join two people whose
titles, else documents, lie in unrelated regions. Time never separates two sightings:
people change posts.

Brands: same name (without quote marks and spaces, one middle dot) and
regions that lie in each other, the brand's own region first, else its
document's.

Meetings (events): similar names (the scorer's 60% rule, or one name holding
the other), the same kind (推进会 / 座谈会 are two meetings unless one name
holds both), no different editions (第五届 / 第六届; 第5届 is 第五届, and a year
is compared only with a year), dates that can be the same
(近日 is the month before publication) and places that lie in each other;
then the same day, or the same place at overlapping dates, or the very same
numbered name (上海合作组织成员国元首理事会第九次会议). Names relative to the
document (全省, 市政府) take the document's region as their place. Two meetings
of one document are never merged, and a name that is nothing but its kind and
a word or two (开机发布会, 例行记者会) never merges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional

from pipeline.kb.places import Places
from pipeline.kb.when import CONFLICT, OVERLAP, SAME_DAY, compare, when
from pipeline.evaluate import MEETING_NAME_SHARE
from pipeline.extract.figure_lexicon import lexicon as figure_words
from pipeline.extract.meetings.words import lexicon as meeting_words
from pipeline.textutil import brand_key, longest_common_substring, ordinals

CONTAINED_SHARE = 0.8   # or nearly all of the shorter name, when it is long enough
CONTAINED_MIN = 6
SPECIFIC_MIN = 4        # characters a shared name needs beyond its kind word
SAME_PERSON_DAYS = 366  # people without titles: documents this close in time

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_RELATIVE = re.compile(r"^(全?[省市县区州旗乡镇]|本[省市县区])")
_LOCAL_LEVELS = ("prefecture", "county", "township")
_GENERIC_ORGS = re.compile(r"^(本|该|我|全)|^(统战部|公司|集团|报社|本报)$")


@dataclass(frozen=True)
class Decision:
    merge: bool
    reason: str
    conflict: bool = False  # kept apart by contrary evidence, not merely for want of evidence
    alike: bool = True      # False: not even a candidate (different names), no reason worth storing


def _apart(reason: str) -> Decision:
    return Decision(False, reason)


def _conflict(reason: str) -> Decision:
    return Decision(False, reason, conflict=True)


def _unlike(reason: str) -> Decision:
    return Decision(False, reason, alike=False)


def _merge(reason: str) -> Decision:
    return Decision(True, reason)


# --- people -------------------------------------------------------------------

@dataclass(frozen=True)
class PersonSighting:
    """A figure fact with what its document says about where and when."""

    name: str
    titles: tuple[str, ...] = ()
    region: Optional[str] = None        # the document's primary region id
    published_at: Optional[str] = None
    doc_id: str = ""


def same_person(a: PersonSighting, b: PersonSighting, places: Places) -> Decision:
    if a.name != b.name:
        return _unlike("different names")
    ra, rb = _title_regions(a, places), _title_regions(b, places)
    if ra and rb and not any(places.related(x, y) for x in ra for y in rb):
        return _conflict(f"titles place them in {_names(ra, places)} and {_names(rb, places)}")
    shared = _shared_title(a.titles, b.titles) or _shared_org(a.titles, b.titles)
    if shared:
        far = _far_apart(shared[1], a, b, ra, rb, places)
        return _apart(f"{shared[0]}, but {far}") if far else _merge(shared[0])
    local = [x for x in ra for y in rb if places.related(x, y) and places.level(x) in _LOCAL_LEVELS]
    if local:
        return _merge(f"titles in the same place: {places.name(local[0])}")
    if not a.titles and not b.titles:
        return _untitled(a, b, places)
    return _apart("no shared title, organisation or place")


def _title_regions(p: PersonSighting, places: Places) -> frozenset[str]:
    return frozenset(code for title in p.titles for code in places.named_in(title))


def _names(codes: frozenset[str], places: Places) -> str:
    return "/".join(sorted(places.name(c) for c in codes))


def _shared_title(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[str, ...]:
    """(reason, the shared words) or ()."""
    for x in ta:
        for y in tb:
            if x == y:
                return f"shared title {x}", x
            short, long_ = sorted((x, y), key=len)
            if len(short) >= 2 and short in long_:
                return f"title {short} within {long_}", short
    return ()


def _shared_org(ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[str, ...]:
    orgs = {organisation(t) for t in ta} & {organisation(t) for t in tb}
    orgs = sorted(o for o in orgs if len(o) >= 3 and not _GENERIC_ORGS.search(o))
    return (f"same organisation {orgs[0]}", orgs[0]) if orgs else ()


def _far_apart(shared: str, a: PersonSighting, b: PersonSighting, ra: frozenset[str], rb: frozenset[str],
               places: Places) -> str:
    """Why words naming no region and no national body (书记, 市委统战部部长) cannot
    join two people placed apart, by their titles or else their documents ('' if they
    can). A byline (编辑) is the publisher's staff, whatever its documents are about."""
    if places.named_in(shared) or _national(shared) or shared in figure_words().byline_words:
        return ""
    pa, pb = ra or _doc_place(a, places), rb or _doc_place(b, places)
    if pa and pb and not any(places.related(x, y) for x in pa for y in pb):
        return f"{shared} names no place, and they are in {_names(pa, places)} and {_names(pb, places)}"
    return ""


def _doc_place(p: PersonSighting, places: Places) -> frozenset[str]:
    return frozenset([p.region]) if p.region and places.comparable(p.region) else frozenset()


def _national(words: str) -> bool:
    """A national body's title (中央统战部副部长, 国家主席): the meeting rules' national_org words."""
    return meeting_words().starts("national_org", words) is not None


@lru_cache(maxsize=65536)
def organisation(title: str) -> str:
    """The title without its position word: 宁波市委统战部副部长 -> 宁波市委统战部."""
    for word in _positions():
        if title.endswith(word) and len(title) > len(word):
            return title[: -len(word)]
    return ""


@lru_cache(maxsize=1)
def _positions() -> tuple[str, ...]:
    words = figure_words().position_words | figure_words().byline_words
    return tuple(sorted(words, key=len, reverse=True))


def _untitled(a: PersonSighting, b: PersonSighting, places: Places) -> Decision:
    if not (a.region and b.region and places.related(a.region, b.region)):
        return _apart("no titles, and no shared place to go by")
    place = a.region if places.within(a.region, b.region) else b.region
    if places.level(place) not in _LOCAL_LEVELS:
        return _apart(f"no titles; both documents only share the province {places.name(place)}")
    days = _days_apart(a.published_at, b.published_at)
    if days is None or days > SAME_PERSON_DAYS:
        return _apart(f"no titles; documents about {places.name(place)} but not within a year")
    return _merge(f"no titles; documents about {places.name(place)} {days} days apart")


def _days_apart(x: Optional[str], y: Optional[str]) -> Optional[int]:
    try:
        return abs((date.fromisoformat(x[:10]) - date.fromisoformat(y[:10])).days)
    except (TypeError, ValueError):
        return None


# --- brands -------------------------------------------------------------------

@dataclass(frozen=True)
class BrandSighting:
    name: str
    region: Optional[str] = None        # the brand's own region id
    doc_region: Optional[str] = None    # its document's primary region id
    doc_id: str = ""


def same_brand(a: BrandSighting, b: BrandSighting, places: Places) -> Decision:
    if brand_key(a.name) != brand_key(b.name):
        return _unlike("different names")
    pa, pb = a.region or a.doc_region, b.region or b.doc_region
    if pa and pb and places.comparable(pa) and places.comparable(pb):
        where = f"{_brand_place(a, places)} / {_brand_place(b, places)}"
        if not places.related(pa, pb):
            return _conflict(f"same name in unrelated places: {where}")
        return _merge(f"same name, {where}")
    return _merge("same name, no region to tell them apart")


def _brand_place(b: BrandSighting, places: Places) -> str:
    return f"{places.name(b.region)} (its own)" if b.region else f"{places.name(b.doc_region)} (its document's)"


# --- events -------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    """One document's report of a meeting."""

    name: str
    kind: Optional[str] = None
    date: Optional[str] = None
    date_end: Optional[str] = None
    date_text: Optional[str] = None
    location: Optional[str] = None       # region id where it was held
    doc_region: Optional[str] = None     # the document's primary region id
    published_at: Optional[str] = None
    doc_id: str = ""


def same_event(a: Report, b: Report, places: Places) -> Decision:
    if a.doc_id and a.doc_id == b.doc_id:
        return _conflict("two meetings of one document")
    clash = _name_clash(a, b)
    if clash:
        return _unlike(clash)
    clash = _kind_clash(a, b)
    if clash:
        return _apart(clash)
    edition = _edition_clash(a, b)
    if edition:
        return _conflict(edition)
    day, day_reason = compare(_when(a), _when(b))
    place, place_reason = _place(a, b, places)
    if CONFLICT in (day, place):
        return _conflict(day_reason if day == CONFLICT else place_reason)
    similar = _similar(a, b)
    if day == SAME_DAY:
        return _merge(f"{similar}, {day_reason}" + (f", {place_reason}" if place else ""))
    if place and day == OVERLAP:
        return _merge(f"{similar}, {place_reason}, {day_reason}")
    if _key(a.name) == _key(b.name) and any(_editions(a.name)) and not _RELATIVE.match(a.name):
        return _merge(f"the same numbered name {a.name}" + (f", {day_reason}" if day == OVERLAP else ""))
    return _apart(f"{similar}, but not enough to tell: {day_reason}; {place_reason or 'no place on one side'}")


def _key(name: str) -> str:
    return brand_key(name)


def _when(r: Report):
    return when(r.date, end=r.date_end, said=r.date_text, published_at=r.published_at)


def _similar(a: Report, b: Report) -> str:
    return f"similar names {a.name} / {b.name}" if a.name != b.name else f"same name {a.name}"


def _name_clash(a: Report, b: Report) -> str:
    ka, kb = _key(a.name), _key(b.name)
    common = longest_common_substring(ka, kb)
    longer, shorter = max(len(ka), len(kb)), min(len(ka), len(kb))
    if common < MEETING_NAME_SHARE * longer and not (shorter >= CONTAINED_MIN and common >= CONTAINED_SHARE * shorter):
        return f"names too different: {a.name} / {b.name}"
    kind = max(len(a.kind or ""), len(b.kind or ""))
    if common - kind < SPECIFIC_MIN:
        return f"names too generic to tell meetings apart: {a.name} / {b.name}"
    return ""


def _kind_clash(a: Report, b: Report) -> str:
    if not a.kind or not b.kind or a.kind == b.kind:
        return ""
    if a.kind in _key(b.name) or b.kind in _key(a.name):
        return ""
    return f"different kinds of meeting: {a.kind} / {b.kind}"


def _edition_clash(a: Report, b: Report) -> str:
    """Ordinals against ordinals (第五届 = 第5届), years against years: a year is
    not an edition (2024中国—东盟博览会 / 第21届中国—东盟博览会)."""
    for what, ea, eb in zip(("editions", "years"), _editions(a.name), _editions(b.name)):
        if ea and eb and not ea & eb:
            return f"different {what}: {'/'.join(sorted(ea))} and {'/'.join(sorted(eb))}"
    return ""


def _editions(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The name's ordinals (as merge reads them, simple numerals as digits) and its years."""
    key = _key(name)
    return frozenset(ordinals(key)), frozenset(_YEAR.findall(key))


def _place(a: Report, b: Report, places: Places) -> tuple[str, str]:
    """('agree' | CONFLICT | '', reason): where each was held, a relative name
    (全省…) standing for its document's region."""
    pa, pb = _where(a), _where(b)
    if not (pa and pb and places.comparable(pa) and places.comparable(pb)):
        return "", ""
    if places.related(pa, pb):
        return "agree", f"held in {places.name(pa)} / {places.name(pb)}"
    return CONFLICT, f"held in {places.name(pa)} and {places.name(pb)}"


def _where(r: Report) -> Optional[str]:
    if r.location:
        return r.location
    return r.doc_region if _RELATIVE.match(r.name) else None
