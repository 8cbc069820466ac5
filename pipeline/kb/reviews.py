"""Editors' decisions on facts (the review page writes them through here).

    decide(conn, fact_id, reviewer="王编辑", decision="accept")
    decide(conn, fact_id, reviewer="王编辑", decision="correct", changes={"date": "2024-02-02"})
    add_fact(conn, doc_id, "figures", 120, 123, {"titles": ["统战部部长"]}, reviewer="王编辑")
    document_facts(conn, doc_id)   # every fact as reviewed: status, corrected record, history

A review is a row in `reviews` that names its fact by id and by type and
span (so that it survives a reload of the document); the fact's status is
its latest review's decision. Reviews are never deleted or overwritten. The
fact tables keep what the extractor read: a correction is one review per
field (old and new value), applied when facts are read here. A fact an
editor adds is stored as a fact (method "editor") and as an `add` review
holding its record, which brings it back when the document is reloaded.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any, Literal, Optional

from pydantic import BaseModel, ValidationError

from pipeline.errors import Codes, ReviewError
from pipeline.kb.db import now, transaction
from pipeline.kb.load import fact_id as make_fact_id
from pipeline.kb.load import as_json, insert_fact, next_position
from pipeline.kb.rows import MODELS, AnyRecord, Fact, read_facts
from pipeline.kb.when import checked
from pipeline.records import CODE, RECORD_TYPES, Mention

ON_A_FACT = ("accept", "reject", "correct")  # the decisions decide() takes; add is add_fact()
EDITOR = "editor"  # the method of a fact an editor added
REVIEWER_MAX = 80
NOTE_MAX = 2000
# What an editor may correct (and give when adding a fact), per record type.
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "regions": ("name", "code", "level"),
    "figures": ("name", "titles"),
    "brands": ("name", "kind"),
    "counts": ("value", "unit", "qualifier", "text"),
    "meetings": ("name", "date", "location", "organizer", "participants"),
}
_TITLE_SPLIT = re.compile(r"[、,，;；\n]+")

RecordType = Literal["regions", "figures", "brands", "counts", "meetings"]
Decision = Literal["accept", "reject", "correct", "add"]
Status = Literal["unreviewed", "accepted", "rejected", "corrected", "added"]


class ReviewEntry(BaseModel):
    """One decision in a fact's history."""

    review_id: int
    reviewer: str
    decision: Decision
    field: Optional[str] = None
    old_value: Any = None
    new_value: Any = None
    note: Optional[str] = None
    reviewed_at: str


class FactState(BaseModel):
    """A fact as the editors left it: the record with their corrections applied,
    what the extractor read (null for a fact an editor added) and the history."""

    fact_id: str
    doc_id: str
    type: RecordType
    status: Status
    method: str
    confidence: float
    record: AnyRecord
    extracted: Optional[AnyRecord] = None
    corrected: list[str] = []
    history: list[ReviewEntry] = []


# --- reading --------------------------------------------------------------------

def document_facts(conn: sqlite3.Connection, doc_id: str) -> list[FactState]:
    """Every fact of a document as reviewed, by type then position."""
    facts = [f for kind in RECORD_TYPES for f in read_facts(conn, kind, "f.doc_id = ?", (doc_id,), "f.position")]
    history = reviews_of(conn, "doc_id = ?", (doc_id,))
    return [state_of(f, history.get(f.fact_id, [])) for f in facts]


def fact_state(conn: sqlite3.Connection, fact_id: str) -> FactState:
    kind = fact_id.partition(":")[0]
    found = read_facts(conn, kind, "f.fact_id = ?", (fact_id,)) if kind in MODELS else []
    if not found:
        raise ReviewError(Codes.FACT_NOT_FOUND, f"no fact {fact_id!r} in the knowledge base")
    return state_of(found[0], reviews_of(conn, "fact_id = ?", (fact_id,)).get(fact_id, []))


def reviews_of(conn: sqlite3.Connection, where: str, params: tuple) -> dict[str, list[ReviewEntry]]:
    """The attached reviews matching `where`, per fact, oldest first."""
    out: dict[str, list[ReviewEntry]] = {}
    rows = conn.execute("SELECT review_id, fact_id, reviewer, decision, field, old_value, new_value, note, reviewed_at"
                        f" FROM reviews WHERE fact_id IS NOT NULL AND {where} ORDER BY review_id", params)
    for rid, fid, reviewer, decision, field, old, new, note, at in rows:
        out.setdefault(fid, []).append(ReviewEntry(review_id=rid, reviewer=reviewer, decision=decision, field=field,
                                                   old_value=_loads(old), new_value=_loads(new), note=note,
                                                   reviewed_at=at))
    return out


def state_of(fact: Fact, history: list[ReviewEntry]) -> FactState:
    record, corrected = reviewed_record(fact.record, history)
    return FactState(fact_id=fact.fact_id, doc_id=fact.doc_id, type=fact.type, status=fact.status,
                     method=fact.record.method, confidence=fact.record.confidence, record=record,
                     extracted=None if fact.record.method == EDITOR else fact.record, corrected=corrected,
                     history=history)


def reviewed_record(record: AnyRecord, history: list[ReviewEntry]) -> tuple[AnyRecord, list[str]]:
    """The record with the history's corrections applied in order (an `add`
    review's record replaces it), and the fields corrected."""
    corrected: list[str] = []
    for entry in history:
        if entry.decision == "add":
            record, corrected = _fitting(record, entry.new_value) or record, []
        elif entry.decision == "correct" and entry.field in type(record).model_fields:
            fixed = _fitting(record, {**record.model_dump(), entry.field: entry.new_value})
            record = fixed or record
            corrected += [entry.field] if fixed and entry.field not in corrected else []
    return record, corrected


def _fitting(record: AnyRecord, data: Any) -> Optional[AnyRecord]:
    """`data` as a record of the same type, or None when it does not fit (a
    review written by hand with kb.review(); the page's are checked on writing)."""
    try:
        return type(record).model_validate(data)
    except ValidationError:
        return None


def _loads(value: Optional[str]) -> Any:
    return None if value is None else json.loads(value)


# --- deciding -------------------------------------------------------------------

def decide(conn: sqlite3.Connection, fact_id: str, *, reviewer: str, decision: str,
           changes: Optional[dict[str, Any]] = None, note: Optional[str] = None) -> list[int]:
    """Accept, reject or correct a fact (one transaction); returns the new review
    ids: one, or one per corrected field. The old values are read from the
    knowledge base, never taken from the caller."""
    reviewer, note = _who(reviewer), _note(note)
    if decision not in ON_A_FACT:
        raise ReviewError(Codes.INVALID_REVIEW, f"decision must be accept, reject or correct (add_fact adds a "
                                                f"fact), got {decision!r}")
    if decision != "correct" and changes:
        raise ReviewError(Codes.INVALID_REVIEW, f"{decision}: takes no changes (correct does)")
    with transaction(conn):
        state = fact_state(conn, fact_id)
        if decision != "correct":
            return [_insert_review(conn, fact_id, reviewer, decision, None, None, None, note)]
        updates = corrections(state.type, state.record, changes or {})
        return [_insert_review(conn, fact_id, reviewer, "correct", field, old, new, note)
                for field, old, new in updates]


def add_review(conn: sqlite3.Connection, fact_id: str, *, reviewer: str, decision: str,
               field: Optional[str] = None, old_value: Any = None, new_value: Any = None,
               note: Optional[str] = None) -> int:
    """Record a decision as given (old and new value included) and set the
    fact's status; returns the review id. The page uses decide() and add_fact()
    (the only way to add a fact: its review holds the record)."""
    if decision not in ON_A_FACT:
        raise ReviewError(Codes.INVALID_REVIEW, f"decision must be accept, reject or correct, got {decision!r}")
    with transaction(conn):
        if conn.execute("SELECT 1 FROM facts WHERE fact_id = ?", (fact_id,)).fetchone() is None:
            raise KeyError(f"no fact {fact_id!r}")
        return _insert_review(conn, fact_id, reviewer, decision, field, old_value, new_value, note)


def _insert_review(conn, fact_id: str, reviewer: str, decision: str, field: Optional[str], old: Any, new: Any,
                   note: Optional[str]) -> int:
    fact = conn.execute("SELECT doc_id, type, start, end FROM facts WHERE fact_id = ?", (fact_id,)).fetchone()
    review = conn.execute(
        "INSERT INTO reviews (fact_id, doc_id, fact_type, start, end, field, reviewer, decision, old_value,"
        " new_value, note, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (fact_id, *fact, field, reviewer, decision, as_json(old), as_json(new), note, now())).lastrowid
    conn.execute("UPDATE facts SET status = (SELECT status FROM review_status WHERE fact_id = ?)"
                 " WHERE fact_id = ?", (fact_id, fact_id))
    return review


def _who(reviewer: Any) -> str:
    name = reviewer.strip() if isinstance(reviewer, str) else ""
    if not 0 < len(name) <= REVIEWER_MAX:
        raise ReviewError(Codes.INVALID_REVIEW, f"reviewer: give your name (1 to {REVIEWER_MAX} characters)")
    return name


def _note(note: Any) -> Optional[str]:
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
        raise ReviewError(Codes.INVALID_REVIEW, f"note: text of at most {NOTE_MAX} characters")
    return note.strip() or None if note else None


# --- corrections ----------------------------------------------------------------

def corrections(kind: str, record: AnyRecord, changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for each field `changes` really changes,
    checked against the record's model. Raises ReviewError when a field cannot
    be corrected, a value is of the wrong kind, or nothing changes."""
    _only_correctable(kind, changes)
    cleaned = {field: clean_value(field, value) for field, value in changes.items()}
    fixed = validated(type(record), {**record.model_dump(), **cleaned})
    updates = [(f, _plain(getattr(record, f)), _plain(getattr(fixed, f))) for f in cleaned]
    updates = [(f, old, new) for f, old, new in updates if old != new]
    if not updates:
        raise ReviewError(Codes.INVALID_REVIEW, "nothing changed: give a new value, or accept the fact as it is")
    return updates


def _only_correctable(kind: str, fields: dict[str, Any]) -> None:
    allowed = CORRECTABLE[kind]
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        raise ReviewError(Codes.INVALID_REVIEW, f"{kind}: cannot set {', '.join(map(str, unknown))}; "
                                                f"fields: {', '.join(allowed)}")


def _plain(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


def validated(model: type[BaseModel], data: dict) -> Any:
    """`data` as a `model`, or a ReviewError naming the first field that is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or model.__name__
        raise ReviewError(Codes.INVALID_REVIEW, f"{at}: {first['msg']}") from None


def clean_value(field: str, value: Any) -> Any:
    """A value as typed in a form, in the record's terms: text stripped, empty
    text as null, titles split at 、 or commas, numbers read, a location given
    as a code or a name looked up in the gazetteer, a meeting date checked."""
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        if field in ("name", "text"):
            raise ReviewError(Codes.INVALID_REVIEW, f"{field}: cannot be empty")
        return [] if field == "titles" else None
    return _CLEAN.get(field, lambda v: v)(value)


def _titles(value: Any) -> Any:
    items = _TITLE_SPLIT.split(value) if isinstance(value, str) else value
    return [t.strip() for t in items if isinstance(t, str) and t.strip()] if isinstance(items, list) else value


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ""))
        except ValueError:
            raise ReviewError(Codes.INVALID_REVIEW, f"expected a number, got {value!r}") from None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _date(value: Any) -> Any:
    try:
        checked(value)
    except ValueError as err:
        raise ReviewError(Codes.INVALID_REVIEW, f"date: {err}") from None
    return value


def _location(value: Any) -> Any:
    """{"name", "code"} from a code (441500), a name (汕尾市) or a dict."""
    from pipeline.gazetteer import gazetteer

    gaz = gazetteer()
    if isinstance(value, dict):
        code = (value.get("code") or "").strip() or None
        name = (value.get("name") or "").strip() or None
    else:
        code, name = (value, None) if CODE.fullmatch(str(value)) else (None, str(value))
    if code and not name:
        div = gaz.by_code(code)
        if div is None:
            raise ReviewError(Codes.INVALID_REVIEW, f"location: no division with code {code}; give its name too")
        name = div.name
    if name and not code:
        codes = {c.division.code for c in gaz.candidates(name) if c.how == "official"}
        code = codes.pop() if len(codes) == 1 else None
    return {"name": name, "code": code}


_CLEAN = {"titles": _titles, "value": _number, "participants": _number, "date": _date, "location": _location}


# --- adding a missing fact ------------------------------------------------------

def add_fact(conn: sqlite3.Connection, doc_id: str, kind: str, start: int, end: int,
             fields: Optional[dict[str, Any]] = None, *, reviewer: str, note: Optional[str] = None) -> str:
    """Add the fact an extractor missed at text[start:end] of a document (one
    transaction); returns its fact id. `fields` as for corrections; the name
    (or a count's text) defaults to the selected text."""
    reviewer, note = _who(reviewer), _note(note)
    if kind not in CORRECTABLE:
        raise ReviewError(Codes.INVALID_REVIEW, f"type must be one of {', '.join(CORRECTABLE)}, got {kind!r}")
    with transaction(conn):
        text = _document_text(conn, doc_id)
        _check_span(text, start, end)
        fid = make_fact_id(kind, doc_id, start, end)
        if conn.execute("SELECT 1 FROM facts WHERE doc_id = ? AND type = ? AND start = ? AND end = ?",
                        (doc_id, kind, start, end)).fetchone():
            raise ReviewError(Codes.FACT_EXISTS, f"{fid}: a fact of this type already holds this text: correct it")
        record = new_record(kind, text, start, end, fields or {})
        from pipeline.kb.places import places

        insert_fact(conn, doc_id, kind, next_position(conn, doc_id, kind), fid, record, places())
        _insert_review(conn, fid, reviewer, "add", None, None, record.model_dump(mode="json"), note)
    return fid


def _document_text(conn, doc_id: str) -> str:
    row = conn.execute("SELECT text, error_code FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if row is None:
        raise ReviewError(Codes.DOC_NOT_FOUND, f"no document {doc_id!r} in the knowledge base")
    if row[1] is not None:
        raise ReviewError(Codes.INVALID_REVIEW, f"document {doc_id!r} failed ({row[1]}): it has no facts to review")
    return row[0]


def _check_span(text: str, start: Any, end: Any) -> None:
    ok = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    if not ok or not text[start:end].strip():
        raise ReviewError(Codes.INVALID_REVIEW, f"span {start}-{end}: select some text of the article "
                                                f"(offsets 0 to {len(text)})")


def new_record(kind: str, text: str, start: int, end: int, fields: dict[str, Any]) -> AnyRecord:
    """The record an editor adds: defaults from the selected text (in simplified
    script, as records are), then `fields`."""
    from pipeline.normalize import to_simplified

    _only_correctable(kind, fields)
    surface = text[start:end]
    given = {field: clean_value(field, value) for field, value in fields.items() if value not in (None, "")}
    data = {**_DEFAULTS[kind](to_simplified(surface.strip()), given), **given}
    data.update(mentions=[Mention(start=start, end=end, text=surface, sentence=sentence_of(text, start))],
                method=EDITOR, confidence=1.0)
    return validated(MODELS[kind], data)


def sentence_of(text: str, offset: int) -> int:
    """The 0-based index of the sentence holding `offset` (as the pipeline splits them)."""
    from pipeline.segment import split_sentences

    index = 0
    for sentence in split_sentences(text):
        if sentence.start > offset:
            break
        index = sentence.index
    return index


def _region_defaults(surface: str, given: dict) -> dict:
    """A code (given, or the one division the text names) fills name, level and path."""
    from pipeline.gazetteer import expected_level, gazetteer

    gaz = gazetteer()
    code = given.get("code")
    if not code:
        codes = {c.division.code for c in gaz.candidates(surface)}
        code = codes.pop() if len(codes) == 1 else None
    div = gaz.by_code(code) if code else None
    if div is not None:
        return {"name": div.name, "code": code, "level": div.level, "path": gaz.path(code)}
    level = expected_level(code) if code else ("foreign" if gaz.foreign_named(surface) else "area")
    return {"name": surface, "code": code, "level": level, "path": []}


def _count_read(surface: str) -> dict:
    """Value, unit, qualifier and upper bound as the count extractor reads the
    selection (3800万元 -> 38000000 元; 三百余人 -> 300 人, more_than), when it
    reads exactly one count there."""
    from pipeline.analysis import analyze
    from pipeline.extract.counts import extract_counts

    found = extract_counts(analyze(surface))
    if len(found) != 1:
        return {}
    count = found[0]
    return {"value": count.value, "unit": count.unit, "qualifier": count.qualifier, "upper": count.upper}


_DEFAULTS = {
    "regions": _region_defaults,
    "figures": lambda surface, given: {"name": surface, "titles": []},
    "brands": lambda surface, given: {"name": surface.strip("“”\"‘’'「」『』"), "kind": "brand"},
    "counts": lambda surface, given: {"text": surface, "unit": None, "qualifier": "exact", **_count_read(surface)},
    "meetings": lambda surface, given: {"name": surface},
}
