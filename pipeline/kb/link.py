"""Linking one document's facts to entities, with the reason for every link.

Regions link by code. A figure, brand or meeting joins the entity it merges
with (pipeline/kb/resolve.py) on at least one of the entity's facts and
conflicts with none; among several, the one it agrees with most often (then
the oldest). Otherwise it starts a new entity, and its link says why it
joined none.

Documents are linked in the order they are loaded, each against what is
already there. A reload keeps the link (entity and reason) of every fact
whose sighting is unchanged (same name, titles, place, date ... and the same
document region and publication date), so loading the same input again
changes no entity; only changed or new facts are decided again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from pipeline.kb.places import Places
from pipeline.kb.resolve import (BrandSighting, Decision, PersonSighting, Report, same_brand, same_event,
                                 same_person)
from pipeline.textutil import brand_key

MAX_REASONS = 3


@dataclass
class Touched:
    """The entity each of a document's facts was linked to before the document
    is replaced (fact_id -> entity id), the reason, and the sighting it was
    linked as (fact_id -> PersonSighting, BrandSighting or Report)."""

    people: dict = field(default_factory=dict)
    brands: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    seen: dict = field(default_factory=dict)

    def kept_first(self, sightings: list, entities: dict) -> list:
        """The (fact, sighting) pairs with the facts seen as before first, so a
        changed fact is decided against its kept siblings, never the reverse."""
        return sorted(sightings, key=lambda pair: self.kept(pair[0], pair[1], entities) is None)

    def kept(self, fact: str, sighting, entities: dict) -> Optional[tuple[int, str]]:
        """The fact's earlier entity and reason when it is seen as before."""
        if fact in entities and self.seen.get(fact) == sighting:
            return entities[fact], self.reasons[fact]
        return None


_ENTITY_LINKS = (("people", "person_links", "person_id"), ("brands", "brand_links", "brand_id"),
                 ("events", "event_links", "event_id"))


def entities_of(conn: sqlite3.Connection, doc_id: str) -> Touched:
    touched = Touched()
    for attr, links, key in _ENTITY_LINKS:
        rows = conn.execute(f"SELECT l.fact_id, l.{key}, l.reason FROM {links} l JOIN facts f USING (fact_id)"
                            " WHERE f.doc_id = ?", (doc_id,)).fetchall()
        getattr(touched, attr).update((fact, entity) for fact, entity, _ in rows)
        touched.reasons.update((fact, reason) for fact, _, reason in rows)
    found = conn.execute("SELECT primary_region, published_at FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if found is not None:
        for sightings in (_people_of, _brands_of, _reports_of):
            touched.seen.update(sightings(conn, doc_id, *found))
    return touched


def tidy(conn: sqlite3.Connection, touched: Touched) -> None:
    """Drop entities left without facts; bring the others' summaries up to date."""
    for attr, links, key in _ENTITY_LINKS:
        for entity in set(getattr(touched, attr).values()):
            conn.execute(f"DELETE FROM {attr} WHERE {key} = ? AND NOT EXISTS "
                         f"(SELECT 1 FROM {links} WHERE {key} = ?)", (entity, entity))
    _refresh(conn, touched.brands.values(), touched.events.values())


def link_document(conn: sqlite3.Connection, doc_id: str, places: Places, before: Optional[Touched] = None) -> None:
    """Link every fact of a document; `before` (the links it had before a
    reload) lets a fact that starts a new entity keep its old id."""
    before = before or Touched()
    region, published = conn.execute("SELECT primary_region, published_at FROM documents WHERE doc_id = ?",
                                     (doc_id,)).fetchone()
    _link_regions(conn, doc_id, places)
    _link_people(conn, doc_id, region, published, places, before)
    brands = _link_brands(conn, doc_id, region, published, places, before)
    events = _link_events(conn, doc_id, region, published, places, before)
    _refresh(conn, brands, events)


def _refresh(conn, brands: Iterable[int], events: Iterable[int]) -> None:
    """Bring the summaries of these brands and events up to date, each once."""
    for brand in set(brands):
        refresh_brand(conn, brand)
    for event in set(events):
        refresh_event(conn, event)


def new_entity(conn, table: str, earlier: Optional[int], columns: dict) -> int:
    """A new entity row, or the one the fact had before its document was
    reloaded when nothing links to it any more: entity ids survive reloads."""
    links, key = _LINKS_OF[table]
    free = earlier is not None and conn.execute(
        f"SELECT 1 FROM {table} WHERE {key} = ? AND NOT EXISTS (SELECT 1 FROM {links} WHERE {key} = ?)",
        (earlier, earlier)).fetchone()
    if free:
        conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {key} = ?",
                     (*columns.values(), earlier))
        return earlier
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    return conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(columns.values())).lastrowid


_LINKS_OF = {table: (links, key) for table, links, key in _ENTITY_LINKS}


def _facts(conn, doc_id: str, sql: str):
    return conn.execute(sql + " WHERE f.doc_id = ? ORDER BY f.position", (doc_id,)).fetchall()


def choose(sighting, candidates: dict[int, list], decide: Callable[..., Decision]) -> tuple[Optional[int], str]:
    """The entity a sighting joins (None: a new one) and the reason."""
    best, best_score, best_reason, refusals = None, 0, "", []
    for entity, others in sorted(candidates.items()):
        decisions = [(decide(sighting, other), other) for other in others]
        conflict = next((d for d, _ in decisions if d.conflict), None)
        agreeing = [(d, other) for d, other in decisions if d.merge]
        alike = [d for d, _ in decisions if d.alike]
        if conflict or not agreeing:
            refusals += [f"not #{entity}: {(conflict or alike[0]).reason}"] if alike else []
        elif len(agreeing) > best_score:
            d, other = agreeing[0]
            best, best_score, best_reason = entity, len(agreeing), f"{d.reason} (document {other.doc_id})"
    if best is not None:
        return best, best_reason
    if not refusals:
        return None, "new: nothing alike yet"
    more = f"; and {len(refusals) - MAX_REASONS} more" if len(refusals) > MAX_REASONS else ""
    return None, "new: " + "; ".join(refusals[:MAX_REASONS]) + more


def _grouped(rows, make) -> dict[int, list]:
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row[0], []).append(make(row[1:]))
    return out


# --- regions ------------------------------------------------------------------

def ensure_region(conn: sqlite3.Connection, places: Places, region_id: Optional[str],
                  name: Optional[str] = None, level: Optional[str] = None) -> Optional[str]:
    """Add the region and every region above it to `regions` (top first)."""
    if region_id:
        for row in reversed(list(places.rows(region_id, name, level))):
            conn.execute("INSERT OR IGNORE INTO regions (region_id, code, name, level, parent) VALUES (?, ?, ?, ?, ?)",
                         (row.region_id, row.code, row.name, row.level, row.parent))
    return region_id


def _link_regions(conn, doc_id: str, places: Places) -> None:
    rows = _facts(conn, doc_id, "SELECT f.fact_id, r.name, r.code, r.level, r.path FROM facts f"
                                " JOIN region_facts r USING (fact_id)")
    for fact, name, code, level, path in rows:
        region_id, reason = places.region_id(name, code, level, json.loads(path))
        if region_id:
            ensure_region(conn, places, region_id, name, level)
            conn.execute("INSERT INTO region_links (fact_id, region_id, reason) VALUES (?, ?, ?)",
                         (fact, region_id, reason))


# --- people -------------------------------------------------------------------

def _people_of(conn, doc_id: str, region, published) -> list[tuple[str, PersonSighting]]:
    rows = _facts(conn, doc_id, "SELECT f.fact_id, p.name, p.titles FROM facts f JOIN figure_facts p USING (fact_id)")
    return [(fact, PersonSighting(name, tuple(json.loads(titles)), region, published, doc_id))
            for fact, name, titles in rows]


def _link_people(conn, doc_id: str, region, published, places: Places, before: Touched) -> None:
    for fact, me in before.kept_first(_people_of(conn, doc_id, region, published), before.people):
        person, reason = before.kept(fact, me, before.people) or _choose_person(conn, me, doc_id, places)
        if person is None:
            person = new_entity(conn, "people", before.people.get(fact), {"name": me.name})
        conn.execute("INSERT INTO person_links (fact_id, person_id, reason) VALUES (?, ?, ?)", (fact, person, reason))


def _choose_person(conn, me: PersonSighting, doc_id: str, places: Places) -> tuple[Optional[int], str]:
    found = conn.execute(
        "SELECT l.person_id, p.titles, d.primary_region, d.published_at, d.doc_id FROM figure_facts p"
        " JOIN person_links l USING (fact_id) JOIN facts f USING (fact_id) JOIN documents d USING (doc_id)"
        " WHERE p.name = ? AND f.doc_id != ?", (me.name, doc_id))
    candidates = _grouped(found, lambda r: PersonSighting(me.name, tuple(json.loads(r[0])), r[1], r[2], r[3]))
    return choose(me, candidates, lambda a, b: same_person(a, b, places))


# --- brands -------------------------------------------------------------------

def _brands_of(conn, doc_id: str, region, _published) -> list[tuple[str, BrandSighting]]:
    rows = _facts(conn, doc_id, "SELECT f.fact_id, b.name, b.region FROM facts f JOIN brand_facts b USING (fact_id)")
    return [(fact, BrandSighting(name, own, region, doc_id)) for fact, name, own in rows]


def _link_brands(conn, doc_id: str, region, published, places: Places, before: Touched) -> list[int]:
    """Link the document's brand facts; returns the brands they joined."""
    linked = []
    for fact, me in before.kept_first(_brands_of(conn, doc_id, region, published), before.brands):
        brand, reason = before.kept(fact, me, before.brands) or _choose_brand(conn, me, places)
        if brand is None:
            brand = new_entity(conn, "brands", before.brands.get(fact),
                               {"name": me.name, "key": brand_key(me.name), "region": me.region})
        conn.execute("INSERT INTO brand_links (fact_id, brand_id, reason) VALUES (?, ?, ?)", (fact, brand, reason))
        linked.append(brand)
    return linked


def _choose_brand(conn, me: BrandSighting, places: Places) -> tuple[Optional[int], str]:
    found = conn.execute(
        "SELECT l.brand_id, b.name, b.region, d.primary_region, d.doc_id FROM brands e"
        " JOIN brand_links l USING (brand_id) JOIN brand_facts b USING (fact_id) JOIN facts f USING (fact_id)"
        " JOIN documents d USING (doc_id) WHERE e.key = ?", (brand_key(me.name),))
    return choose(me, _grouped(found, lambda r: BrandSighting(*r)), lambda a, b: same_brand(a, b, places))


def refresh_brand(conn, brand: int) -> None:
    conn.execute("UPDATE brands SET region = (SELECT b.region FROM brand_links l JOIN brand_facts b USING (fact_id)"
                 " WHERE l.brand_id = ? AND b.region IS NOT NULL ORDER BY l.fact_id LIMIT 1) WHERE brand_id = ?",
                 (brand, brand))


# --- events -------------------------------------------------------------------

_REPORT = ("m.name, m.kind, m.date, m.date_end, m.date_text, m.location, d.primary_region, d.published_at,"
           " d.doc_id")


def _reports_of(conn, doc_id: str, region, published) -> list[tuple[str, Report]]:
    rows = _facts(conn, doc_id, "SELECT f.fact_id, m.name, m.kind, m.date, m.date_end, m.date_text, m.location"
                                " FROM facts f JOIN meeting_facts m USING (fact_id)")
    return [(fact, Report(*fields, doc_region=region, published_at=published, doc_id=doc_id))
            for fact, *fields in rows]


def _link_events(conn, doc_id: str, region, published, places: Places, before: Touched) -> list[int]:
    """Link the document's meeting facts; returns the events they joined."""
    linked = []
    for fact, me in before.kept_first(_reports_of(conn, doc_id, region, published), before.events):
        event, reason = before.kept(fact, me, before.events) or _choose_event(conn, me, places)
        if event is None:
            event = new_entity(conn, "events", before.events.get(fact), {"name": me.name, "kind": me.kind,
                                                                         "date": me.date, "location": me.location,
                                                                         "reports": 0})
        conn.execute("INSERT INTO event_links (fact_id, event_id, reason) VALUES (?, ?, ?)", (fact, event, reason))
        linked.append(event)
    return linked


def _choose_event(conn, me: Report, places: Places) -> tuple[Optional[int], str]:
    found = conn.execute(
        f"SELECT l.event_id, {_REPORT} FROM meeting_facts m JOIN event_links l USING (fact_id)"
        " JOIN facts f USING (fact_id) JOIN documents d USING (doc_id)"
        " WHERE m.kind IS NULL OR ?1 IS NULL OR m.kind = ?1 OR instr(?2, m.kind) OR instr(m.name, ?1)",
        (me.kind, me.name))
    return choose(me, _grouped(found, lambda r: Report(*r)), lambda a, b: same_event(a, b, places))


def refresh_event(conn, event: int) -> None:
    """An event is named, dated and placed by its most precisely dated report."""
    best = conn.execute(
        "SELECT m.name, m.kind, m.date, m.location FROM event_links l JOIN meeting_facts m USING (fact_id)"
        " WHERE l.event_id = ? ORDER BY m.date GLOB '[0-9]*' DESC, length(m.date) DESC, m.location IS NULL,"
        " l.fact_id LIMIT 1", (event,)).fetchone()
    if best is not None:
        conn.execute("UPDATE events SET name = ?, kind = ?, date = ?, location = ?,"
                     " reports = (SELECT count(*) FROM event_links WHERE event_id = ?) WHERE event_id = ?",
                     (*best, event, event))
