"""Facts read back as the contract's records (pipeline.records), for queries
and export: what was loaded comes out the same."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Optional, Union

from pipeline.records import (Attendee, Brand, Count, Document, Error, Figure, Location, Meeting, Mention, Notice,
                              Region)

AnyRecord = Union[Region, Figure, Brand, Count, Meeting]

# Per record type: the columns of its table (as the record's fields) and the
# entity its link points to.
COLUMNS = {
    "regions": ("r.name", "r.code", "r.level", "r.path"),
    "figures": ("r.name", "r.titles", "r.roles"),
    "brands": ("r.name", "r.kind", "r.region", "r.full_name"),
    "counts": ("r.value", "r.unit", "r.qualifier", "r.text", "r.subject", "r.region", "r.upper"),
    "meetings": ("r.name", "r.kind", "r.date", "r.date_end", "r.date_text", "r.location_name", "r.location",
                 "r.venue", "r.organizer", "r.participants"),
}
TABLES = {"regions": "region_facts", "figures": "figure_facts", "brands": "brand_facts", "counts": "count_facts",
          "meetings": "meeting_facts"}
MODELS = {"regions": Region, "figures": Figure, "brands": Brand, "counts": Count, "meetings": Meeting}
LINKS = {"regions": ("region_links", "region_id"), "figures": ("person_links", "person_id"),
         "brands": ("brand_links", "brand_id"), "meetings": ("event_links", "event_id")}


@dataclass(frozen=True)
class Fact:
    """One fact: where it is, its review status, the entity it resolved to, and
    the record itself."""

    fact_id: str
    doc_id: str
    type: str
    status: str
    source: Optional[str]
    title: Optional[str]
    published_at: Optional[str]
    entity: Optional[Union[str, int]]
    record: AnyRecord

    def row(self) -> dict:
        """A flat row (for CSV and DataFrames): the fact's columns, the record's
        fields (lists as JSON) and its first mention's span."""
        fields = self.record.model_dump(exclude={"mentions"})
        flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in fields.items()}
        first = self.record.mentions[0]
        return {"fact_id": self.fact_id, "doc_id": self.doc_id, "type": self.type, "status": self.status,
                "source": self.source, "title": self.title, "published_at": self.published_at, "entity": self.entity, **flat,
                "start": first.start, "end": first.end, "sentence": first.sentence,
                "mentions": len(self.record.mentions)}


def fact_columns(kind: str) -> list[str]:
    """The keys of Fact.row() for a record type."""
    fields = [name for name in MODELS[kind].model_fields if name != "mentions"]
    return ["fact_id", "doc_id", "type", "status", "source", "title", "published_at", "entity", *fields,
            "start", "end", "sentence", "mentions"]


def select_facts(kind: str, where: str = "1") -> str:
    """SQL for the facts of one type that satisfy `where` (over f = facts,
    r = the type's table, d = documents, l = the link)."""
    links, key = LINKS.get(kind, (None, None))
    entity = f"l.{key}" if links else "NULL"
    join = f" LEFT JOIN {links} l USING (fact_id)" if links else ""
    return (f"SELECT f.fact_id, f.doc_id, f.type, f.status, d.source, d.title, d.published_at, {entity},"
            f" f.method, f.confidence, {', '.join(COLUMNS[kind])}"
            f" FROM facts f JOIN {TABLES[kind]} r USING (fact_id) JOIN documents d USING (doc_id){join}"
            f" WHERE f.type = '{kind}' AND ({where})")


def read_facts(conn: sqlite3.Connection, kind: str, where: str = "1", params: tuple = (),
               order: str = "f.doc_id, f.position", limit: Optional[int] = None) -> list[Fact]:
    sql = select_facts(kind, where) + f" ORDER BY {order}" + (f" LIMIT {int(limit)}" if limit else "")
    rows = conn.execute(sql, params).fetchall()
    ids = [row[0] for row in rows]
    mentions = _children(conn, "SELECT fact_id, start, end, text, sentence FROM mentions", ids)
    attendees = _children(conn, "SELECT fact_id, name, role FROM meeting_attendees", ids) if kind == "meetings" else {}
    return [_fact(kind, row, mentions.get(row[0], []), attendees.get(row[0], [])) for row in rows]


def _children(conn, sql: str, ids: list[str], chunk: int = 500) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        marks = ", ".join("?" * len(part))
        for row in conn.execute(f"{sql} WHERE fact_id IN ({marks}) ORDER BY fact_id, position", part):
            out.setdefault(row[0], []).append(row[1:])
    return out


def _fact(kind: str, row: tuple, mentions: list[tuple], attendees: list[tuple]) -> Fact:
    fact_id, doc_id, type_, status, source, title, published, entity, method, confidence, *fields = row
    common = {"method": method, "confidence": confidence,
              "mentions": [Mention(start=s, end=e, text=t, sentence=n) for s, e, t, n in mentions]}
    record = _BUILD[kind](fields, common, attendees)
    return Fact(fact_id, doc_id, type_, status, source, title, published, entity, record)


def _region(f, common, _):
    name, code, level, path = f
    return Region(name=name, code=code, level=level, path=json.loads(path), **common)


def _figure(f, common, _):
    name, titles, roles = f
    return Figure(name=name, titles=json.loads(titles), roles=json.loads(roles), **common)


def _brand(f, common, _):
    name, kind, region, full_name = f
    return Brand(name=name, kind=kind, region=region, full_name=full_name, **common)


def _count(f, common, _):
    value, unit, qualifier, text, subject, region, upper = f
    return Count(value=value, unit=unit, qualifier=qualifier, text=text, subject=subject, region=region,
                 upper=upper, **common)


def _meeting(f, common, attendees):
    name, kind, date, date_end, date_text, loc_name, loc, venue, organizer, participants = f
    location = Location(name=loc_name, code=loc) if loc_name is not None else None
    return Meeting(name=name, kind=kind, date=date, date_end=date_end, date_text=date_text, location=location,
                   venue=venue, organizer=organizer, participants=participants,
                   attendees=[Attendee(name=n, role=r) for n, r in attendees], **common)


_BUILD = {"regions": _region, "figures": _figure, "brands": _brand, "counts": _count, "meetings": _meeting}


# --- whole documents ------------------------------------------------------------

_DOC = ("SELECT d.doc_id, d.source, d.title, d.published_at, d.script, d.origin, d.editor, d.keywords,"
        " d.primary_region, g.name, d.text, d.normalized_text, d.error_code, d.error_message, d.contract_version,"
        " d.extra"
        " FROM documents d LEFT JOIN regions g ON g.region_id = d.primary_region")


def read_document(conn: sqlite3.Connection, doc_id: str, *, facts: bool = True) -> Optional[Document]:
    """The document as it was loaded, every record in its original order (none
    with facts=False: its fields only)."""
    row = conn.execute(_DOC + " WHERE d.doc_id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    (doc_id, source, title, published, script, origin, editor, keywords, region, region_name, text, normalized,
     error_code, error_message, version, extra) = row
    records = {kind: [f.record for f in read_facts(conn, kind, "f.doc_id = ?", (doc_id,), "f.position")]
               for kind in COLUMNS} if facts else {}
    return Document(
        schema_version=version, doc_id=doc_id, source=source, title=title, published_at=published, script=script,
        origin=origin, editor=editor, keywords=json.loads(keywords) if keywords else [],
        primary_region=Location(name=region_name, code=region) if region else None, text=text,
        normalized_text=normalized, warnings=read_warnings(conn, doc_id),
        error=Error(code=error_code, message=error_message) if error_code else None, **records,
        **read_extra(extra))


def read_warnings(conn: sqlite3.Connection, doc_id: str) -> list[Notice]:
    """A document's warnings, in their order."""
    return [Notice(code=c, message=m, start=s, end=e) for c, m, s, e in conn.execute(
        "SELECT code, message, start, end FROM warnings WHERE doc_id = ? ORDER BY position", (doc_id,))]


def read_extra(value: Optional[str]) -> dict[str, Any]:
    """The fields a document keeps as JSON in documents.extra (author, url ...; load.extra_fields)."""
    return json.loads(value) if value else {}
