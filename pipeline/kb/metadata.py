"""Datasette metadata for a knowledge base file, read from schema.sql's comments.

The comment block before each CREATE TABLE / VIEW is the table's description,
the comment after each column its column's. The packaged metadata.json is
this rendered for a file named kb.sqlite (`datasette kb.sqlite --metadata
pipeline/kb/metadata.json`); `zhnews kb metadata --db OTHER.sqlite` renders
it for another name. A test keeps the file in step with schema.sql.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pipeline.kb.db import schema_sql

_CREATE = re.compile(r"^CREATE (?:VIRTUAL )?(?:TABLE|VIEW) (\w+)")
_COLUMN = re.compile(r"^\s+(\w+)\s+(?:INTEGER|TEXT|REAL|NUMERIC)\b")
TITLE = "zhnews knowledge base"
DESCRIPTION = ("Every fact read from Chinese news reports (regions, figures, brands, counts, meetings), "
               "each with the exact characters it came from, and the regions, people, brands and events "
               "they resolve to across documents. Offsets index documents.text.")


@dataclass
class TableDoc:
    name: str
    description: str
    columns: dict[str, str] = field(default_factory=dict)


def table_docs(sql: str | None = None) -> list[TableDoc]:
    """Every table and view of the schema with its description and its columns'."""
    tables: list[TableDoc] = []
    comment: list[str] = []
    column = None
    for line in (sql or schema_sql()).splitlines():
        text, _, note = line.partition("-- ")
        created = _CREATE.match(line)
        if created:
            tables.append(TableDoc(created.group(1), " ".join(comment)))
        elif not line.strip():
            comment, column = [], None
        elif not text.strip():
            comment.append(note.strip())
        elif tables and _COLUMN.match(text):
            column = _COLUMN.match(text).group(1)
            tables[-1].columns[column] = note.strip()
        elif tables and column and note:
            tables[-1].columns[column] = (tables[-1].columns[column] + " " + note.strip()).strip()
    return tables


def render_metadata(database: str = "kb") -> str:
    """metadata.json for Datasette, the database named `database` (the file's stem)."""
    tables = {}
    for doc in table_docs():
        entry: dict = {"description": doc.description}
        if doc.columns:
            entry["columns"] = doc.columns
        tables[doc.name] = entry
    tables["documents"].update({"label_column": "title", "fts_table": "documents_fts", "fts_pk": "rowid"})
    meta = {"title": TITLE, "description": DESCRIPTION, "databases": {database: {"tables": tables}}}
    return json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
