"""Loading Documents into the knowledge base: one transaction per document.

A document is keyed by doc_id: loading it again replaces its facts (and
their links) instead of adding a copy; reviews stay attached to the facts of
the same type and span. An error record is stored as a documents row with
its error, unless the file already holds that document without error.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from pydantic import ValidationError

from pipeline.errors import Codes
from pipeline.kb import link
from pipeline.kb.db import now, transaction
from pipeline.kb.link import ensure_region
from pipeline.kb.places import Places
from pipeline.kb.rows import MODELS
from pipeline.records import RECORD_TYPES, Brand, Count, Document, Error, Figure, Meeting, Region

NEW, REPLACED, FAILED, KEPT = "new", "replaced", "failed", "kept"


@dataclass(frozen=True)
class Provenance:
    """What produced the documents being loaded."""

    loaded_from: str = "extract"
    pipeline_version: Optional[str] = None
    model_versions: Optional[dict] = None

    @classmethod
    def of_run(cls, *, ner: bool = True, spacy_model: Optional[str] = None) -> "Provenance":
        """This zhnews and the models an extraction with these options uses."""
        from pipeline import __version__
        from pipeline.brand_classifier import MODELS_DIR, MODEL_FILE
        from pipeline.nlp import DEFAULT_MODEL, MODELS_DIR as NER_DIR

        brand = MODELS_DIR / MODEL_FILE
        models = {"brand_classifier": f"sha1:{hashlib.sha1(brand.read_bytes()).hexdigest()[:12]}"
                  if brand.exists() else None, "ner": None}
        if ner:
            meta = NER_DIR / DEFAULT_MODEL / "meta.json"
            models["ner"] = spacy_model or (f"{DEFAULT_MODEL} {json.loads(meta.read_text())['version']}"
                                            if meta.exists() else None)
        return cls("extract", __version__, models)


@dataclass
class LoadSummary:
    new: int = 0
    replaced: int = 0
    failed: int = 0        # error records stored
    kept: int = 0          # error records not stored: the file holds a good copy
    facts: Counter = field(default_factory=Counter)

    def add(self, outcome: str, doc: Document) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome in (NEW, REPLACED):
            self.facts.update({kind: len(getattr(doc, kind)) for kind in RECORD_TYPES})

    def lines(self) -> list[str]:
        facts = ", ".join(f"{kind} {self.facts[kind]}" for kind in RECORD_TYPES)
        return [f"knowledge base: {self.new} new, {self.replaced} replaced, {self.failed} failed (stored with "
                f"their errors)" + (f", {self.kept} failed again but kept their earlier good copy" if self.kept else ""),
                f"facts loaded: {facts}"]


def load_document(conn: sqlite3.Connection, doc: Document, provenance: Provenance, places: Places) -> str:
    """Store one document, its facts and their links in one transaction; the
    outcome is NEW, REPLACED, FAILED (an error record stored) or KEPT."""
    with transaction(conn):
        before = conn.execute("SELECT error_code IS NULL FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone()
        if before is not None and before[0] and doc.error is not None:
            return KEPT
        touched = link.entities_of(conn, doc.doc_id)
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
        _insert_document(conn, doc, provenance, places)
        for kind in RECORD_TYPES:
            _insert_facts(conn, doc, kind, places)
        if doc.error is None:
            _restore_added(conn, doc, places)
        link.link_document(conn, doc.doc_id, places, touched)
        _reattach_reviews(conn, doc.doc_id)
        link.tidy(conn, touched)
    return FAILED if doc.error is not None else (NEW if before is None else REPLACED)


def load_documents(conn: sqlite3.Connection, docs: Iterable[Document], provenance: Provenance,
                   places: Places, summary: Optional[LoadSummary] = None) -> LoadSummary:
    summary = summary if summary is not None else LoadSummary()
    for doc in docs:
        summary.add(load_document(conn, doc, provenance, places), doc)
    return summary


def done_ids(conn: sqlite3.Connection) -> set[str]:
    """doc_ids the file holds without error (what --resume skips)."""
    return {row[0] for row in conn.execute("SELECT doc_id FROM documents WHERE error_code IS NULL")}


# --- rows ---------------------------------------------------------------------

def as_json(value) -> Optional[str]:
    return None if value is None else json.dumps(value, ensure_ascii=False)


# Document fields with a place of their own (a column, a table); any other
# field the record carries goes to documents.extra as JSON.
STORED = {"schema_version", "doc_id", "source", "title", "published_at", "script", "origin", "editor", "keywords",
          "primary_region", "text", "normalized_text", "warnings", "error", *RECORD_TYPES}


def extra_fields(doc: Document) -> Optional[str]:
    """The fields without a column of their own, when set (author, url ...)."""
    data = doc.model_dump(mode="json", exclude=STORED, exclude_none=True)
    return as_json(data) if data else None


def _insert_document(conn, doc: Document, provenance: Provenance, places: Places) -> None:
    primary = doc.primary_region
    region = ensure_region(conn, places, primary.code, primary.name) if primary else None
    error = doc.error
    conn.execute(
        "INSERT INTO documents (doc_id, source, title, published_at, script, origin, editor, keywords,"
        " primary_region, text, normalized_text, error_code, error_message, contract_version,"
        " pipeline_version, model_versions, extra, loaded_from, loaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc.doc_id, doc.source, doc.title, doc.published_at, doc.script, doc.origin, doc.editor,
         as_json(doc.keywords), region, doc.text, doc.normalized_text, error.code if error else None,
         error.message if error else None, doc.schema_version, provenance.pipeline_version,
         as_json(provenance.model_versions), extra_fields(doc), provenance.loaded_from, now()))
    conn.executemany("INSERT INTO warnings (doc_id, position, code, message, start, end) VALUES (?, ?, ?, ?, ?, ?)",
                     [(doc.doc_id, i, w.code, w.message, w.start, w.end) for i, w in enumerate(doc.warnings)])


def fact_id(kind: str, doc_id: str, start: int, end: int) -> str:
    return f"{kind}:{doc_id}:{start}-{end}"


def _insert_facts(conn, doc: Document, kind: str, places: Places) -> None:
    used: set[str] = set()
    for position, record in enumerate(getattr(doc, kind)):
        first = record.mentions[0]
        fid = fact_id(kind, doc.doc_id, first.start, first.end)
        fid = next(f"{fid}#{n}" for n in range(1, 10_000) if f"{fid}#{n}" not in used) if fid in used else fid
        used.add(fid)
        insert_fact(conn, doc.doc_id, kind, position, fid, record, places)


def insert_fact(conn, doc_id: str, kind: str, position: int, fid: str, record, places: Places) -> None:
    """One fact row, its mentions and its type's row (no transaction of its own)."""
    first = record.mentions[0]
    conn.execute("INSERT INTO facts (fact_id, doc_id, type, position, start, end, method, confidence)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (fid, doc_id, kind, position, first.start, first.end, record.method, record.confidence))
    conn.executemany("INSERT INTO mentions (fact_id, position, start, end, text, sentence) VALUES (?, ?, ?, ?, ?, ?)",
                     [(fid, i, m.start, m.end, m.text, m.sentence) for i, m in enumerate(record.mentions)])
    _INSERT[kind](conn, fid, record, places)


def next_position(conn, doc_id: str, kind: str) -> int:
    return conn.execute("SELECT coalesce(max(position) + 1, 0) FROM facts WHERE doc_id = ? AND type = ?",
                        (doc_id, kind)).fetchone()[0]


def _region(conn, fid: str, r: Region, places: Places) -> None:
    conn.execute("INSERT INTO region_facts (fact_id, name, code, level, path) VALUES (?, ?, ?, ?, ?)",
                 (fid, r.name, r.code, r.level, as_json(r.path)))


def _figure(conn, fid: str, f: Figure, places: Places) -> None:
    conn.execute("INSERT INTO figure_facts (fact_id, name, titles, roles) VALUES (?, ?, ?, ?)",
                 (fid, f.name, as_json(f.titles), as_json(f.roles)))


def _brand(conn, fid: str, b: Brand, places: Places) -> None:
    conn.execute("INSERT INTO brand_facts (fact_id, name, kind, region, full_name) VALUES (?, ?, ?, ?, ?)",
                 (fid, b.name, b.kind, ensure_region(conn, places, b.region), b.full_name))


def _count(conn, fid: str, c: Count, places: Places) -> None:
    conn.execute("INSERT INTO count_facts (fact_id, value, upper, unit, qualifier, text, subject, region)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (fid, c.value, c.upper, c.unit, c.qualifier, c.text, c.subject, ensure_region(conn, places, c.region)))


def _meeting(conn, fid: str, m: Meeting, places: Places) -> None:
    loc = m.location
    region = ensure_region(conn, places, loc.code, loc.name) if loc else None
    conn.execute("INSERT INTO meeting_facts (fact_id, name, kind, date, date_end, date_text, location_name, location,"
                 " venue, organizer, participants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (fid, m.name, m.kind, m.date, m.date_end, m.date_text, loc.name if loc else None, region,
                  m.venue, m.organizer, m.participants))
    conn.executemany("INSERT INTO meeting_attendees (fact_id, position, name, role) VALUES (?, ?, ?, ?)",
                     [(fid, i, a.name, a.role) for i, a in enumerate(m.attendees)])


_INSERT = {"regions": _region, "figures": _figure, "brands": _brand, "counts": _count, "meetings": _meeting}


def _restore_added(conn, doc: Document, places: Places) -> None:
    """Facts an editor added (reviews with decision 'add') are stored again,
    unless the extractor now finds a fact of the same type and span, or the
    text at their span is no longer what the editor selected."""
    rows = conn.execute("SELECT fact_type, start, end, new_value FROM reviews WHERE doc_id = ? AND decision = 'add'"
                        " ORDER BY review_id", (doc.doc_id,)).fetchall()
    for kind, start, end, value in rows:
        try:
            record = MODELS[kind].model_validate_json(value or "")
        except ValidationError:  # not written by add_fact: the review stays, detached
            continue
        taken = conn.execute("SELECT 1 FROM facts WHERE doc_id = ? AND type = ? AND start = ? AND end = ?",
                             (doc.doc_id, kind, start, end)).fetchone()
        if not taken and doc.text[start:end] == record.mentions[0].text:
            insert_fact(conn, doc.doc_id, kind, next_position(conn, doc.doc_id, kind),
                        fact_id(kind, doc.doc_id, start, end), record, places)


def _reattach_reviews(conn, doc_id: str) -> None:
    """Reviews follow the fact of the same type and span; a fact they no longer
    find leaves them with fact_id null (never deleted). Each fact's status is
    its latest review's decision."""
    conn.execute(
        "UPDATE reviews SET fact_id = (SELECT f.fact_id FROM facts f WHERE f.doc_id = reviews.doc_id"
        " AND f.type = reviews.fact_type AND f.start = reviews.start AND f.end = reviews.end"
        " ORDER BY f.position LIMIT 1) WHERE doc_id = ?", (doc_id,))
    conn.execute(
        "UPDATE facts SET status = (SELECT s.status FROM review_status s WHERE s.fact_id = facts.fact_id)"
        " WHERE doc_id = ? AND fact_id IN (SELECT fact_id FROM reviews WHERE doc_id = ?)", (doc_id, doc_id))


# --- JSON Lines ---------------------------------------------------------------

def read_jsonl(path: Path) -> Iterator[Document]:
    """The Documents of a `zhnews extract` output file. A line that is not one
    becomes an error record naming the file and line, so it is stored, not lost."""
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                yield _line_document(line, f"{path}:{number}")


def _line_document(line: bytes, where: str) -> Document:
    try:
        obj = json.loads(line.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return _bad_line(line, where, Codes.BAD_JSON, f"not valid JSON ({err}); expected one zhnews output line")
    try:
        return Document.model_validate(obj)
    except ValidationError as err:
        first = err.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "the line"
        doc_id = obj.get("doc_id") if isinstance(obj, dict) and isinstance(obj.get("doc_id"), str) else None
        return _bad_line(line, where, Codes.NOT_A_RECORD, f"not a zhnews output line: {at}: {first['msg']}", doc_id)


def _bad_line(line: bytes, where: str, code: str, message: str, doc_id: Optional[str] = None) -> Document:
    return Document(doc_id=doc_id or hashlib.sha1(line).hexdigest(), source=where, error=Error(code=code, message=f"{where}: {message}"))
