"""The questions the knowledge base answers, each a plain function of a connection.

    stats(conn)                                     counts of everything
    search(conn, "统战")                            documents whose text holds every term
    facts(conn, "meetings", region="440000", since="2023-01-01")
    person(conn, "邹晓东")                          every document, title and meeting, in date order
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Optional

from pipeline.kb.rows import TABLES, Fact, read_facts
from pipeline.records import RECORD_TYPES

TRIGRAM = 3           # the FTS5 trigram tokenizer matches terms of three characters or more
SNIPPET_CONTEXT = 20  # characters shown either side of a hit


# --- stats --------------------------------------------------------------------

@dataclass(frozen=True)
class Stats:
    schema_version: int
    size_bytes: int
    documents: int
    failed: int
    facts: dict[str, int]
    mentions: int
    regions: int
    people: int
    people_in_several: int
    brands: int
    brands_in_several: int
    events: int
    events_in_several: int
    reviews: int

    def lines(self) -> list[str]:
        facts = ", ".join(f"{kind} {self.facts[kind]}" for kind in RECORD_TYPES)
        return [
            f"schema version: {self.schema_version}",
            f"documents: {self.documents} ({self.documents - self.failed} ok, {self.failed} failed)",
            f"facts: {facts} ({sum(self.facts.values())} in all, {self.mentions} mentions)",
            f"regions: {self.regions} (with the divisions above them)",
            f"people: {self.people} ({self.people_in_several} in several documents)",
            f"brands: {self.brands} ({self.brands_in_several} in several documents)",
            f"events: {self.events} ({self.events_in_several} reported by several documents)",
            f"reviews: {self.reviews}",
        ]


def _one(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> int:
    return conn.execute(sql, params).fetchone()[0]


def _in_several(conn: sqlite3.Connection, links: str, key: str) -> int:
    return _one(conn, f"SELECT count(*) FROM (SELECT l.{key} FROM {links} l JOIN facts f USING (fact_id)"
                      f" GROUP BY l.{key} HAVING count(DISTINCT f.doc_id) > 1)")


def stats(conn: sqlite3.Connection) -> Stats:
    per_type = dict(conn.execute("SELECT type, count(*) FROM facts GROUP BY type").fetchall())
    return Stats(
        schema_version=_one(conn, "SELECT max(version) FROM schema_version"),
        size_bytes=_one(conn, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"),
        documents=_one(conn, "SELECT count(*) FROM documents"),
        failed=_one(conn, "SELECT count(*) FROM documents WHERE error_code IS NOT NULL"),
        facts={kind: per_type.get(kind, 0) for kind in RECORD_TYPES},
        mentions=_one(conn, "SELECT count(*) FROM mentions"),
        regions=_one(conn, "SELECT count(*) FROM regions"),
        people=_one(conn, "SELECT count(*) FROM people"),
        people_in_several=_in_several(conn, "person_links", "person_id"),
        brands=_one(conn, "SELECT count(*) FROM brands"),
        brands_in_several=_in_several(conn, "brand_links", "brand_id"),
        events=_one(conn, "SELECT count(*) FROM events"),
        events_in_several=_in_several(conn, "event_links", "event_id"),
        reviews=_one(conn, "SELECT count(*) FROM reviews"),
    )


# --- search -------------------------------------------------------------------

@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    title: Optional[str]
    published_at: Optional[str]
    source: Optional[str]
    hits: int          # occurrences of the first term in the normalized text
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    query: str
    how: str           # "index" (FTS5 trigram), "scan" (terms under three characters) or "index+scan"
    total: int
    hits: list[SearchHit] = field(default_factory=list)


def search(conn: sqlite3.Connection, text: str, *, limit: int = 20) -> SearchResult:
    """Documents whose normalized text (or title) holds every whitespace-separated
    term. Terms of three characters or more use the FTS5 trigram index; shorter
    ones (统战) are found by a scan, since trigrams cannot match them."""
    terms = search_terms(text)
    where, params, how = search_clause(text)
    total = _one(conn, f"SELECT count(*) FROM documents d WHERE {where}", params)
    first = terms[0]
    rows = conn.execute(
        "SELECT d.doc_id, d.title, d.published_at, d.source, d.normalized_text,"
        " (length(d.normalized_text) - length(replace(d.normalized_text, ?, ''))) / length(?) AS hits"
        f" FROM documents d WHERE {where} ORDER BY hits DESC, d.published_at, d.doc_id LIMIT ?",
        (first, first, *params, limit)).fetchall()
    return SearchResult(text, how, total, [SearchHit(r[0], r[1], r[2], r[3], r[5], snippet(r[4], terms))
                                           for r in rows])


def search_terms(text: str) -> list[str]:
    """The whitespace-separated terms of a query, in simplified script: a query
    typed in traditional script searches the normalized (simplified) text."""
    from pipeline.normalize import to_simplified

    return to_simplified(text).split()


def search_clause(text: str) -> tuple[str, tuple, str]:
    """The WHERE clause (over documents d) for a search, its parameters, and how
    it searches: "index", "scan" or "index+scan"."""
    terms = search_terms(text)
    if not terms:
        raise ValueError("search needs at least one term")
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    short_terms = [t for t in terms if len(t) < TRIGRAM]
    where, params = search_where(long_terms, short_terms)
    return where, params, "+".join(h for h, used in (("index", long_terms), ("scan", short_terms)) if used)


def search_where(long_terms: list[str], short_terms: list[str]) -> tuple[str, tuple]:
    clauses, params = [], []
    if long_terms:
        clauses.append("d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for term in short_terms:
        clauses.append("(instr(d.normalized_text, ?) > 0 OR instr(coalesce(d.title, ''), ?) > 0)")
        params += [term, term]
    return " AND ".join(clauses), tuple(params)


def snippet(text: str, terms: list[str]) -> str:
    """The text around the first hit, the term in 【】."""
    for term in terms:
        at = text.find(term)
        if at >= 0:
            start, end = max(0, at - SNIPPET_CONTEXT), at + len(term) + SNIPPET_CONTEXT
            body = text[start:at] + f"【{term}】" + text[at + len(term):end]
            return ("…" if start else "") + " ".join(body.split()) + ("…" if end < len(text) else "")
    return " ".join(text[:2 * SNIPPET_CONTEXT].split())


# --- facts --------------------------------------------------------------------

# The region a fact is filtered by: its own when it has one, else its document's.
_REGION_OF = {"regions": "l.region_id", "figures": "d.primary_region", "brands": "r.region",
              "counts": "r.region", "meetings": "r.location"}
# The date a fact is filtered and ordered by: a meeting's own date when it has a
# year, else its document's publication date.
_DATE_OF = {"meetings": "coalesce(CASE WHEN r.date GLOB '[0-9][0-9][0-9][0-9]*' THEN r.date END, d.published_at)"}
INSIDE = ("(SELECT region_id FROM (WITH RECURSIVE inside(region_id) AS (SELECT ? UNION"
           " SELECT g.region_id FROM regions g JOIN inside i ON g.parent = i.region_id) SELECT region_id FROM inside))")


def facts(conn: sqlite3.Connection, kind: str, *, region: Optional[str] = None, since: Optional[str] = None,
          until: Optional[str] = None, doc_id: Optional[str] = None, limit: Optional[int] = None) -> list[Fact]:
    """Facts of one type (regions, figures, brands, counts, meetings) in date
    order, optionally in a region (its prefectures, counties and townships
    included), from `since` and up to `until` (ISO dates; a fact dated only to
    the month counts when the month overlaps) or of one document."""
    if kind not in TABLES:
        raise ValueError(f"unknown fact type {kind!r}: expected one of {', '.join(TABLES)}")
    day = _DATE_OF.get(kind, "d.published_at")
    clauses, params = [], []
    if region:
        clauses.append(f"{_REGION_OF[kind]} IN {INSIDE}")
        params.append(region)
    if since:
        clauses.append(f"{day} >= substr(?, 1, length({day}))")
        params.append(since)
    if until:
        clauses.append(f"{day} <= substr(?, 1, length({day})) || 'z'")
        params.append(until)
    if doc_id:
        clauses.append("f.doc_id = ?")
        params.append(doc_id)
    where = " AND ".join(clauses) or "1"
    return read_facts(conn, kind, where, tuple(params), f"{day} IS NULL, {day}, f.doc_id, f.position", limit)


# --- person -------------------------------------------------------------------

@dataclass(frozen=True)
class Appearance:
    """One document's figure fact of a person."""

    doc_id: str
    source: Optional[str]
    title: Optional[str]
    published_at: Optional[str]
    titles: list[str]
    roles: list[str]
    meetings: list[str]
    fact_id: str
    reason: str


@dataclass(frozen=True)
class Person:
    person_id: int
    name: str
    appearances: list[Appearance]

    @property
    def titles(self) -> list[str]:
        """Every title, in the order the appearances give them, each once."""
        return list(dict.fromkeys(t for a in self.appearances for t in a.titles))


def person(conn: sqlite3.Connection, name: str) -> list[Person]:
    """Everyone named `name`, one Person per resolved individual, each with
    every document, title and meeting in date order (undated last)."""
    rows = conn.execute(
        "SELECT p.person_id, f.doc_id, d.source, d.title, d.published_at, r.titles, r.roles, f.fact_id, l.reason"
        " FROM people p JOIN person_links l USING (person_id) JOIN facts f USING (fact_id)"
        " JOIN figure_facts r USING (fact_id) JOIN documents d USING (doc_id) WHERE p.name = ?"
        " ORDER BY p.person_id, d.published_at IS NULL, d.published_at, f.doc_id", (name,)).fetchall()
    people: dict[int, list[Appearance]] = {}
    for pid, doc_id, source, title, published, titles, roles, fact_id, reason in rows:
        people.setdefault(pid, []).append(Appearance(doc_id, source, title, published, json.loads(titles), json.loads(roles),
                                                     _meetings_of(conn, name, doc_id), fact_id, reason))
    return [Person(pid, name, appearances) for pid, appearances in people.items()]


def _meetings_of(conn: sqlite3.Connection, name: str, doc_id: str) -> list[str]:
    rows = conn.execute("SELECT DISTINCT m.name FROM meeting_attendees a JOIN meeting_facts m USING (fact_id)"
                        " JOIN facts f USING (fact_id) WHERE a.name = ? AND f.doc_id = ? ORDER BY f.position",
                        (name, doc_id))
    return [row[0] for row in rows]
