"""What the review page's overview shows: documents with their review
progress, filtered, and the numbers behind its dashboard.

    list_documents(conn, q="统战", type="meetings", status="pending", region="440000", since="2024")
    dashboard(conn)    # facts per type and status, meetings per month, the regions most reported
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Optional

from pydantic import BaseModel

from pipeline.errors import Codes, ReviewError
from pipeline.kb.queries import INSIDE, search_clause, search_terms, snippet
from pipeline.records import RECORD_TYPES

STATUSES = ("unreviewed", "accepted", "corrected", "added", "rejected")
# status filter -> the documents it keeps (over documents d)
_HAS = "EXISTS (SELECT 1 FROM facts x WHERE x.doc_id = d.doc_id{})"
STATUS_FILTERS = {
    "pending": _HAS.format(" AND x.status = 'unreviewed'"),
    "reviewed": _HAS.format("") + " AND NOT " + _HAS.format(" AND x.status = 'unreviewed'"),
    **{s: _HAS.format(f" AND x.status = '{s}'") for s in STATUSES if s != "unreviewed"},  # with such facts
}
ORDER = "d.published_at IS NULL, d.published_at DESC, d.rowid"  # the overview's order: newest first
MAX_LIMIT = 500
MONTHS_SHOWN = 24


class DocumentSummary(BaseModel):
    """One document of the overview: what it is and how far its review got."""

    doc_id: str
    title: Optional[str] = None
    source: Optional[str] = None
    published_at: Optional[str] = None
    script: Optional[str] = None
    error: Optional[str] = None
    facts: int
    unreviewed: int
    accepted: int
    corrected: int
    added: int
    rejected: int
    snippet: Optional[str] = None


class DocumentList(BaseModel):
    total: int
    offset: int
    limit: int
    search: Optional[str] = None  # how the search ran: index, scan or index+scan
    documents: list[DocumentSummary]


@dataclass(frozen=True)
class DocumentFilter:
    """The overview's filters; every one optional."""

    q: Optional[str] = None          # full text: every term must appear
    type: Optional[str] = None       # documents with facts of this type
    status: Optional[str] = None     # a key of STATUS_FILTERS
    region: Optional[str] = None     # a region id, code or name: the region and everything in it
    since: Optional[str] = None      # publication date prefix: 2024, 2024-02, 2024-02-05
    until: Optional[str] = None


def list_documents(conn: sqlite3.Connection, flt: DocumentFilter = DocumentFilter(), *,
                   limit: int = 50, offset: int = 0) -> DocumentList:
    """Documents matching the filter, newest first, with their facts per status."""
    where, params, how = _where(conn, flt)
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    total = conn.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
    counts = ", ".join(f"coalesce(sum(f.status = '{s}'), 0)" for s in STATUSES)
    rows = conn.execute(
        f"SELECT d.doc_id, d.title, d.source, d.published_at, d.script, d.error_code, count(f.fact_id), {counts},"
        f" {'d.normalized_text' if flt.q else 'NULL'} FROM documents d LEFT JOIN facts f USING (doc_id)"
        f" WHERE {where} GROUP BY d.doc_id ORDER BY {ORDER}"
        " LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
    return DocumentList(total=total, offset=offset, limit=limit, search=how, documents=[
        _summary(row, flt.q) for row in rows])


def _summary(row: tuple, q: Optional[str]) -> DocumentSummary:
    doc_id, title, source, published, script, error, facts, *per_status, text = row
    return DocumentSummary(doc_id=doc_id, title=title, source=source, published_at=published, script=script,
                           error=error, facts=facts, **dict(zip(STATUSES, per_status)),
                           snippet=snippet(text, search_terms(q)) if q else None)


def _where(conn: sqlite3.Connection, flt: DocumentFilter) -> tuple[str, tuple, Optional[str]]:
    clauses, params, how = ["1"], [], None
    if flt.q and flt.q.split():
        where, found, how = search_clause(flt.q)
        clauses.append(where)
        params += found
    if flt.type:
        _check(flt.type, RECORD_TYPES, "type")
        clauses.append(_HAS.format(" AND x.type = ?"))
        params.append(flt.type)
    if flt.status:
        clauses.append(STATUS_FILTERS[_check(flt.status, tuple(STATUS_FILTERS), "status")])
    if flt.region:
        clauses.append(f"(d.primary_region IN {INSIDE} OR EXISTS (SELECT 1 FROM facts x JOIN region_links l"
                       f" USING (fact_id) WHERE x.doc_id = d.doc_id AND l.region_id IN {INSIDE}))")
        region = region_id(conn, flt.region)
        params += [region, region]
    for bound, op in ((flt.since, ">="), (flt.until, "<=")):
        if bound:
            clauses.append(f"substr(d.published_at, 1, length(?)) {op} ?")
            params += [bound, bound]
    return " AND ".join(clauses), tuple(params), how


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ReviewError(Codes.INVALID_REQUEST, f"{what}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def region_id(conn: sqlite3.Connection, text: str) -> str:
    """The region a filter names: its id or code (441500), its name (汕尾市), or the
    start of one name (汕尾). Raises ReviewError when the file knows no such region."""
    text = text.strip()
    row = conn.execute("SELECT region_id FROM regions WHERE region_id = ?1 OR code = ?1 OR name = ?1"
                       " ORDER BY region_id = ?1 DESC, level LIMIT 1", (text,)).fetchone()
    if row is None and text:
        found = conn.execute("SELECT region_id FROM regions WHERE name LIKE ?1 || '%' ESCAPE '\\' LIMIT 2",
                             (text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"),)).fetchall()
        row = found[0] if len(found) == 1 else None
    if row is None:
        raise ReviewError(Codes.INVALID_REQUEST, f"region: no region {text!r} in the knowledge base "
                                                 "(give a name such as 汕尾市 or a code such as 441500)")
    return row[0]


def next_to_review(conn: sqlite3.Connection, after: str) -> Optional[tuple[str, str]]:
    """(doc_id, title) of the document with facts left to review that follows
    `after` in the overview's order (wrapping around), or None when none is left."""
    return conn.execute(
        f"WITH ordered AS (SELECT d.doc_id, coalesce(d.title, d.source, d.doc_id) AS name,"
        f" row_number() OVER (ORDER BY {ORDER}) AS n, {STATUS_FILTERS['pending']} AS pending FROM documents d)"
        " SELECT doc_id, name FROM ordered WHERE pending AND doc_id != ?1"
        " ORDER BY n <= coalesce((SELECT n FROM ordered WHERE doc_id = ?1), 0), n LIMIT 1", (after,)).fetchone()


# --- the dashboard ----------------------------------------------------------------

@dataclass(frozen=True)
class TypeCount:
    type: str
    per_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_status.values())


@dataclass(frozen=True)
class Dashboard:
    facts: list[TypeCount]                   # per record type, per status
    meetings_per_month: list[tuple[str, int]]  # 2024-02 -> meeting facts (rejected ones left out)
    regions: list[tuple[str, str, int]]      # region id, name, documents naming it (most first)


def dashboard(conn: sqlite3.Connection, *, regions: int = 10) -> Dashboard:
    per = {(t, s): n for t, s, n in conn.execute("SELECT type, status, count(*) FROM facts GROUP BY type, status")}
    facts = [TypeCount(t, {s: per.get((t, s), 0) for s in STATUSES}) for t in RECORD_TYPES]
    return Dashboard(facts, meetings_per_month(conn), most_reported(conn, regions))


def meetings_per_month(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Meeting facts per month (their own date when it has a year and a month, else
    the document's), every month between the first and the last, at most the
    last MONTHS_SHOWN."""
    rows = dict(conn.execute(
        "SELECT substr(coalesce(CASE WHEN m.date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN m.date END,"
        " d.published_at), 1, 7) AS month, count(*) FROM meeting_facts m JOIN facts f USING (fact_id)"
        " JOIN documents d USING (doc_id) WHERE f.status != 'rejected' AND month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'"
        " GROUP BY month ORDER BY month").fetchall())
    if not rows:
        return []
    months = _months(min(rows), max(rows))[-MONTHS_SHOWN:]
    return [(m, rows.get(m, 0)) for m in months]


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def most_reported(conn: sqlite3.Connection, limit: int = 10) -> list[tuple[str, str, int]]:
    """Regions by the number of documents naming them (rejected facts left out)."""
    return [tuple(r) for r in conn.execute(
        "SELECT l.region_id, g.name, count(DISTINCT f.doc_id) AS n FROM region_links l JOIN facts f USING (fact_id)"
        " JOIN regions g USING (region_id) WHERE f.status != 'rejected' GROUP BY l.region_id"
        " ORDER BY n DESC, l.region_id LIMIT ?", (limit,))]
