"""Writing the knowledge base out: JSON Lines in the contract's shape (which
`zhnews kb load` reads back), or CSV, one row per fact of one type."""

from __future__ import annotations

import csv
import sqlite3
from typing import TextIO

from pipeline.kb.rows import fact_columns, read_document, read_facts

# CSV of documents leaves the two full texts out: they are what JSON Lines is for.
DOCUMENT_COLUMNS = ("doc_id", "source", "title", "published_at", "script", "origin", "editor", "keywords",
                    "primary_region", "error_code", "error_message", "pipeline_version", "model_versions",
                    "loaded_from", "loaded_at")
CSV_TYPES = ("documents", "regions", "figures", "brands", "counts", "meetings")


def export_jsonl(conn: sqlite3.Connection, out: TextIO) -> int:
    """Every document, in the order it was first loaded, as one JSON line."""
    n = 0
    for (doc_id,) in conn.execute("SELECT doc_id FROM documents ORDER BY rowid").fetchall():
        out.write(read_document(conn, doc_id).model_dump_json(exclude_none=False) + "\n")
        n += 1
    return n


def export_csv(conn: sqlite3.Connection, kind: str, out: TextIO) -> int:
    """One row per document, or per fact of one type (fields flattened, lists as JSON)."""
    if kind not in CSV_TYPES:
        raise ValueError(f"unknown type {kind!r}: expected one of {', '.join(CSV_TYPES)}")
    rows = _document_rows(conn) if kind == "documents" else [f.row() for f in read_facts(conn, kind)]
    columns = list(DOCUMENT_COLUMNS) if kind == "documents" else fact_columns(kind)
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def _document_rows(conn: sqlite3.Connection) -> list[dict]:
    cursor = conn.execute(f"SELECT {', '.join(DOCUMENT_COLUMNS)} FROM documents ORDER BY rowid")
    return [dict(zip(DOCUMENT_COLUMNS, row)) for row in cursor]
