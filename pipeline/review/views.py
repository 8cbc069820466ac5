"""What the pages and the API show, gathered from pipeline.kb: a document with
its facts as reviewed, in review order (lowest confidence first), and the
words the page uses for a fact and for each decision in its history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Optional, get_args

from pydantic import BaseModel

from pipeline.errors import Codes, ReviewError
from pipeline.kb.reviews import CORRECTABLE, FactState, ReviewEntry, document_facts
from pipeline.kb.rows import read_document
from pipeline.kb.when import without_year
from pipeline.records import RECORD_TYPES, BrandKind, Error, Level, Notice, Qualifier
from pipeline.review.highlight import Piece, Span, pieces

SINGULAR = {"regions": "region", "figures": "figure", "brands": "brand", "counts": "count", "meetings": "meeting"}
DONE = {"accept": "accepted", "reject": "rejected", "correct": "corrected", "add": "added"}


class DocumentDetail(BaseModel):
    """A document as the review page shows it: the original text and every fact
    as reviewed, lowest confidence first."""

    doc_id: str
    source: Optional[str] = None
    title: Optional[str] = None
    published_at: Optional[str] = None
    script: Optional[str] = None
    origin: Optional[str] = None
    editor: Optional[str] = None
    author: Optional[str] = None
    url: Optional[str] = None
    text: str
    error: Optional[Error] = None
    warnings: list[Notice] = []
    facts: list[FactState] = []


def document_detail(conn: sqlite3.Connection, doc_id: str) -> DocumentDetail:
    doc = read_document(conn, doc_id, facts=False)
    if doc is None:
        raise ReviewError(Codes.DOC_NOT_FOUND, f"no document {doc_id!r} in the knowledge base")
    return DocumentDetail(**doc.model_dump(include=set(DocumentDetail.model_fields) - {"facts"}),
                          facts=sorted(document_facts(conn, doc_id), key=review_order))


def review_order(state: FactState) -> tuple:
    """Lowest confidence first; then as they stand in the text."""
    first = state.record.mentions[0]
    return state.confidence, first.start, first.end, RECORD_TYPES.index(state.type)


# --- the page's words -------------------------------------------------------------

@dataclass(frozen=True)
class FormField:
    """One field of the page's edit form, shown for the record types that have it."""

    name: str
    label: str
    types: tuple[str, ...]
    options: tuple[str, ...] = ()
    hint: str = ""


_FORM = (("name", "Name", (), "official full name, simplified (汕尾 → 汕尾市)"),
         ("code", "Code", (), "6-digit division code, empty for areas and foreign countries"),
         ("level", "Level", get_args(Level), ""),
         ("titles", "Titles", (), "one per position, separated by 、"),
         ("kind", "Kind", get_args(BrandKind), ""),
         ("text", "Text", (), "as written, qualifier included (近80人)"),
         ("value", "Value", (), "multipliers applied: 3800万 → 38000000"),
         ("unit", "Unit", (), "人, 个, 元, % … or empty"),
         ("qualifier", "Qualifier", get_args(Qualifier), "近 nearly · 约 about · 余/多 more than"),
         ("date", "Date", (), "2024-05-17, 2024-05, or --05-17 when the year is unknown"),
         ("location", "Location", (), "where it was held: a code (441500) or a name (汕尾市)"),
         ("organizer", "Organizer", (), "the body that convened it, as written"),
         ("participants", "Participants", (), "number of attendees, when stated"))
FORM_FIELDS = [FormField(name, label, tuple(t for t in RECORD_TYPES if name in CORRECTABLE[t]), options, hint)
               for name, label, options, hint in _FORM]

@dataclass(frozen=True)
class FactItem:
    """One entry of the page's fact list."""

    index: int
    state: FactState
    summary: str
    was: Optional[str]        # the extractor's reading of the fields an editor corrected
    history: list[str]

    @property
    def label(self) -> str:
        return SINGULAR[self.state.type]

    @property
    def fields(self) -> dict:
        """The record's fields as the edit form fills them (mentions left out)."""
        return self.state.record.model_dump(mode="json", exclude={"mentions"})


def fact_items(detail: DocumentDetail) -> list[FactItem]:
    return [FactItem(i, s, summary(s.type, s.record), extracted_values(s), [history_line(e) for e in s.history])
            for i, s in enumerate(detail.facts)]


def extracted_values(state: FactState) -> Optional[str]:
    """What the extractor read in the fields editors corrected (date --07-27)."""
    if not state.corrected or state.extracted is None:
        return None
    dumped = state.extracted.model_dump()
    return " · ".join(f"{field} {show(dumped.get(field))}" for field in state.corrected)


def article_pieces(detail: DocumentDetail) -> list[Piece]:
    spans = [Span(m.start, m.end, i, s.type) for i, s in enumerate(detail.facts) for m in s.record.mentions]
    return pieces(detail.text, spans)


def summary(kind: str, r: Any) -> str:
    """A fact in one line, each field named, as an editor checks it against the text."""
    if kind == "regions":
        return " · ".join([r.name, f"code {r.code}" if r.code else "no code", r.level])
    if kind == "figures":
        return r.name + (f" — {'、'.join(r.titles)}" if r.titles else " — no title")
    if kind == "brands":
        return f"{r.name} · {r.kind}"
    if kind == "counts":
        return f"{r.text} → {_number(r.value)} {r.unit or '(no unit)'} · {r.qualifier.replace('_', ' ')}"
    parts = [r.name, f"date {show(r.date)}" if r.date else "no date",
             f"in {show(r.location.model_dump())}" if r.location else "no place"]
    parts += [f"organizer {r.organizer}"] if r.organizer else []
    parts += [f"{r.participants} participants"] if r.participants is not None else []
    return " · ".join(parts)


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def show(value: Any) -> str:
    """A field's value as the history shows it."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in (value.get("name"), value.get("code")) if v)
    if isinstance(value, str) and without_year(value):
        return f"{value[2:].replace('T', ' ')} (year unknown)"  # as the schema writes a date without its year
    return str(value)


def history_line(entry: ReviewEntry) -> str:
    when = entry.reviewed_at.replace("T", " ").rstrip("Z")[:16]
    what = DONE[entry.decision]
    if entry.decision == "correct":
        what += f" {entry.field}: {show(entry.old_value)} → {show(entry.new_value)}"
    return f"{when} UTC · {entry.reviewer} · {what}" + (f" · “{entry.note}”" if entry.note else "")
