"""The editors' work written out: reviewed facts as JSON Lines or CSV, and
reviewed documents as gold files in spec/ANNOTATION.md's format, which
`zhnews evaluate --gold DIR` scores against.

    export_reviewed(conn, out, format="jsonl")     # every fact with a decision, corrections applied
    export_gold(conn, Path("gold/editors"))        # one ANNOTATION.md gold file per reviewed document

A document is reviewed when every one of its facts has a decision. Its gold
file holds its accepted, corrected and added facts as corrected; rejected
facts are left out. With `partial=True` documents with some decisions are
written too, their undecided facts in the `*_optional` lists (neither
rewarded nor punished by the scorer).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, TextIO

from pipeline.kb.reviews import FactState, document_facts
from pipeline.records import RECORD_TYPES

KEPT = ("accepted", "corrected", "added")
REVIEWED_COLUMNS = ("fact_id", "doc_id", "source", "type", "status", "reviewer", "reviewed_at", "start", "end",
                    "mention", "corrected", "record", "extracted")
_UNSAFE = re.compile(r"[^\w.\-]+")
_TEXT_SUFFIXES = (".txt", ".html", ".htm")


# --- reviewed facts ---------------------------------------------------------------

@dataclass(frozen=True)
class ReviewedFact:
    state: FactState
    source: Optional[str]

    def row(self) -> dict:
        """A flat row: the fact, its last decision, the record as reviewed (JSON)
        and as extracted (JSON; empty for a fact an editor added)."""
        s, first = self.state, self.state.record.mentions[0]
        last = s.history[-1] if s.history else None
        return {"fact_id": s.fact_id, "doc_id": s.doc_id, "source": self.source, "type": s.type,
                "status": s.status, "reviewer": last.reviewer if last else None,
                "reviewed_at": last.reviewed_at if last else None, "start": first.start, "end": first.end,
                "mention": first.text, "corrected": " ".join(s.corrected), "record": _dumps(s.record),
                "extracted": _dumps(s.extracted) if s.extracted else None}


def _dumps(record) -> str:
    return json.dumps(record.model_dump(mode="json", exclude={"mentions"}), ensure_ascii=False)


def reviewed_documents(conn: sqlite3.Connection, *, complete: bool = False) -> list[tuple[str, Optional[str]]]:
    """(doc_id, source) of the documents with decisions, in load order; with
    `complete`, only those where every fact has one."""
    pending = " AND NOT EXISTS (SELECT 1 FROM facts x WHERE x.doc_id = d.doc_id AND x.status = 'unreviewed')"
    return conn.execute("SELECT d.doc_id, d.source FROM documents d WHERE EXISTS (SELECT 1 FROM facts x"
                        " WHERE x.doc_id = d.doc_id AND x.status != 'unreviewed')"
                        f"{pending if complete else ''} ORDER BY d.rowid").fetchall()


def reviewed_facts(conn: sqlite3.Connection) -> Iterator[ReviewedFact]:
    """Every fact with a decision, document by document."""
    for doc_id, source in reviewed_documents(conn):
        for state in document_facts(conn, doc_id):
            if state.status != "unreviewed":
                yield ReviewedFact(state, source)


def export_reviewed(conn: sqlite3.Connection, out: TextIO, *, format: str = "jsonl") -> int:
    """Reviewed facts as JSON Lines (the FactState of each, history included) or
    CSV (REVIEWED_COLUMNS); returns how many."""
    if format not in ("jsonl", "csv"):
        raise ValueError(f"format must be jsonl or csv, got {format!r}")
    writer = csv.DictWriter(out, fieldnames=REVIEWED_COLUMNS, lineterminator="\n") if format == "csv" else None
    if writer:
        writer.writeheader()
    n = 0
    for fact in reviewed_facts(conn):
        if writer:
            writer.writerow(fact.row())
        else:
            out.write(json.dumps({"source": fact.source, **fact.state.model_dump(mode="json")}, ensure_ascii=False)
                      + "\n")
        n += 1
    return n


# --- gold files -----------------------------------------------------------------

def gold_item(state: FactState) -> dict:
    """A fact in the gold format (ANNOTATION.md), from the record as reviewed."""
    r = state.record
    if state.type == "regions":
        return {"name": r.name, "code": r.code}
    if state.type == "figures":
        return {"name": r.name, "titles": list(r.titles)}
    if state.type == "brands":
        return {"name": r.name}
    if state.type == "counts":
        return {"value": r.value, "unit": r.unit, "qualifier": r.qualifier, "text": r.text}
    return {"name": r.name, "date": r.date.split("T")[0] if r.date else None,  # the day: 2024-07-11, --07-11
            "location": r.location.code if r.location else None, "organizer": r.organizer,
            "participants": r.participants}


def _distinct(kind: str, items: list[dict]) -> list[dict]:
    """Regions, figures and brands are sets per document (a figure's titles
    merged); counts and meetings one entry each."""
    if kind in ("counts", "meetings"):
        return items
    out: dict[str, dict] = {}
    for item in items:
        key = json.dumps(item, ensure_ascii=False) if kind == "regions" else item["name"]
        if kind == "figures" and key in out:
            out[key]["titles"] += [t for t in item["titles"] if t not in out[key]["titles"]]
        out.setdefault(key, item)
    return list(out.values())


def gold_file(doc: str, published_at: Optional[str], facts: list[FactState]) -> dict:
    """The gold file of one document: kept facts, and undecided ones as optional."""
    gold: dict = {"doc": doc, "published_at": published_at[:10] if published_at else None}
    for kind in RECORD_TYPES:
        of_kind = [f for f in facts if f.type == kind]
        gold[kind] = _distinct(kind, [gold_item(f) for f in of_kind if f.status in KEPT])
    for kind in RECORD_TYPES:
        gold[f"{kind}_optional"] = _distinct(kind, [gold_item(f) for f in facts
                                                     if f.type == kind and f.status == "unreviewed"])
    return gold


@dataclass
class GoldSummary:
    folder: Path
    written: list[str] = field(default_factory=list)   # file names
    facts: int = 0                                      # gold items written (optional ones not counted)
    skipped: int = 0                                    # documents with decisions but facts still undecided

    def lines(self) -> list[str]:
        line = f"{len(self.written)} gold files written to {self.folder} ({self.facts} items)"
        return [line] + ([f"{self.skipped} documents left out: some of their facts have no decision yet "
                          "(--partial writes them, undecided facts as optional)"] if self.skipped else [])


def export_gold(conn: sqlite3.Connection, folder: Path, *, partial: bool = False) -> GoldSummary:
    """Write one gold file per reviewed document into `folder` (created when
    missing), named after the document's source file (else its doc_id)."""
    folder.mkdir(parents=True, exist_ok=True)
    summary = GoldSummary(folder)
    docs = reviewed_documents(conn)
    complete = {doc_id for doc_id, _ in reviewed_documents(conn, complete=True)}
    targets = _targets(docs)
    for doc_id, _source in docs:
        if not partial and doc_id not in complete:
            summary.skipped += 1
            continue
        published = conn.execute("SELECT published_at FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0]
        name, file = targets[doc_id]
        gold = gold_file(name, published, document_facts(conn, doc_id))
        path = folder / file
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        summary.written.append(path.name)
        summary.facts += sum(len(gold[kind]) for kind in RECORD_TYPES)
    return summary


def _targets(docs: list[tuple[str, Optional[str]]]) -> dict[str, tuple[str, str]]:
    """doc_id -> (what its gold file's `doc` says, the file's name). `doc` is the
    source's file name (000_x.txt, as evaluate matches it), or the doc_id when the
    source is not a text or HTML file or two sources share a name."""
    names = {doc_id: Path(source).name if source and Path(source).suffix in _TEXT_SUFFIXES else doc_id
             for doc_id, source in docs}
    shared = Counter(gold_file_name(name) for name in names.values())
    out: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    for doc_id, name in names.items():
        name = name if shared[gold_file_name(name)] == 1 else doc_id
        file = gold_file_name(name)
        if file in used:  # two doc_ids alike once made safe for a file name
            file = f"{file[:-5]}_{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:8]}.json"
        used.add(file)
        out[doc_id] = (name, file)
    return out


def gold_file_name(doc: str) -> str:
    """000_x.txt -> 000_x.json; any other character than letters, digits, '.',
    '-' and '_' becomes '_', so a name never leaves the folder."""
    stem = Path(doc).stem if Path(doc).suffix in _TEXT_SUFFIXES else doc
    return (_UNSAFE.sub("_", stem).strip("._") or "document") + ".json"
