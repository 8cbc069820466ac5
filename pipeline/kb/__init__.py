"""The knowledge base: every fact of every document in one SQLite file, with
regions, people, brands and meetings resolved across documents.

    import pipeline.kb
    with pipeline.kb.open("kb.sqlite") as kb:               # read-only
        print(kb.stats().lines())
        for fact in kb.facts("meetings", region="440000", since="2023-01-01"):
            print(fact.record.name, fact.record.date)
        kb.facts("counts").to_frame()                      # a DataFrame, with pandas installed

    with pipeline.kb.open("kb.sqlite", write=True) as kb:  # created when missing
        kb.load(pipeline.extract_paths(["corpora/seeds"]))
        kb.decide(fact_id, reviewer="王编辑", decision="correct", changes={"date": "2024-02-02"})
        kb.export_gold("gold/editors")                     # reviewed documents as gold files

The tables are described in schema.sql (and, for Datasette, metadata.json);
the commands are `zhnews kb ...` (pipeline/kb/commands.py, their arguments
pipeline/kb_cli.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Optional, TextIO

from pipeline.errors import KnowledgeBaseError
from pipeline.kb import queries, reviews
from pipeline.kb.db import SCHEMA_VERSION, connect, translate
from pipeline.kb.export import export_csv, export_jsonl
from pipeline.kb.gold import GoldSummary, export_gold
from pipeline.kb.load import LoadSummary, Provenance, done_ids, load_documents, read_jsonl
from pipeline.kb.places import places
from pipeline.kb.reviews import add_review
from pipeline.kb.rows import Fact, read_document
from pipeline.records import Document

__all__ = ["KnowledgeBase", "KnowledgeBaseError", "LoadSummary", "Provenance", "Rows", "SCHEMA_VERSION", "open"]

class Rows(list):
    """A list of results that turns into a pandas DataFrame (pandas is optional)."""

    def to_frame(self):
        try:
            import pandas
        except ImportError as err:
            raise ImportError("to_frame needs pandas: pip install 'zhnews[pandas]'") from err
        return pandas.DataFrame([row for item in self for row in _rows(item)])


def _rows(item: Any) -> list[dict]:
    if isinstance(item, Fact):
        return [item.row()]
    if isinstance(item, queries.Person):
        return [{"person_id": item.person_id, "name": item.name, **asdict(a)} for a in item.appearances]
    return [asdict(item)]


class KnowledgeBase:
    """One knowledge base file and the queries over it."""

    def __init__(self, path: Path | str, *, write: bool = False):
        self.path = Path(path)
        self.write = write
        self.conn = connect(self.path, write=write)

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- queries ----------------------------------------------------------------

    def stats(self) -> queries.Stats:
        return queries.stats(self.conn)

    def search(self, text: str, *, limit: int = 20) -> queries.SearchResult:
        return queries.search(self.conn, text, limit=limit)

    def facts(self, kind: str, **filters) -> Rows:
        """Facts of one type; filters: region, since, until, doc_id, limit."""
        return Rows(queries.facts(self.conn, kind, **filters))

    def person(self, name: str) -> Rows:
        return Rows(queries.person(self.conn, name))

    def document(self, doc_id: str) -> Optional[Document]:
        return read_document(self.conn, doc_id)

    def export(self, out: TextIO, *, format: str = "jsonl", kind: str = "documents") -> int:
        return export_jsonl(self.conn, out) if format == "jsonl" else export_csv(self.conn, kind, out)

    # -- writing ----------------------------------------------------------------

    def load(self, docs: Iterable[Document], provenance: Optional[Provenance] = None,
             summary: Optional[LoadSummary] = None) -> LoadSummary:
        """Store documents (one transaction each); reloading one replaces it."""
        try:
            return load_documents(self.conn, docs, provenance or Provenance(), places(), summary)
        except sqlite3.Error as err:
            raise translate(err, self.path) from err

    def load_jsonl(self, path: Path | str, summary: Optional[LoadSummary] = None) -> LoadSummary:
        return self.load(read_jsonl(Path(path)), Provenance(loaded_from=str(path)), summary)

    def optimize(self) -> None:
        """Merge the full-text index into one segment and give the pages it frees
        back to the file system (after a load: smaller, faster)."""
        try:
            self.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
            self.conn.executescript("PRAGMA incremental_vacuum;")  # stepped to the end (execute() frees one page)
        except sqlite3.Error as err:
            raise translate(err, self.path) from err

    def done_ids(self) -> set[str]:
        return done_ids(self.conn)

    def review(self, fact_id: str, **decision) -> int:
        """Record an editor's decision as given (reviewer, decision, field, old_value, new_value, note)."""
        return add_review(self.conn, fact_id, **decision)

    # -- the editors' review (pipeline/kb/reviews.py) ------------------------------

    def decide(self, fact_id: str, **decision) -> list[int]:
        """Accept, reject or correct a fact: reviewer, decision, changes ({field: value}), note."""
        return reviews.decide(self.conn, fact_id, **decision)

    def add_fact(self, doc_id: str, kind: str, start: int, end: int, fields: Optional[dict] = None,
                 **who) -> str:
        """Add a fact the extractor missed at text[start:end]; returns its fact id."""
        return reviews.add_fact(self.conn, doc_id, kind, start, end, fields, **who)

    def reviewed(self, doc_id: str) -> list[reviews.FactState]:
        """A document's facts as reviewed: status, corrected record, history."""
        return reviews.document_facts(self.conn, doc_id)

    def export_gold(self, folder: Path | str, *, partial: bool = False) -> GoldSummary:
        return export_gold(self.conn, Path(folder), partial=partial)


def open(path: Path | str, *, write: bool = False) -> KnowledgeBase:  # noqa: A001 (pipeline.kb.open)
    """The knowledge base at `path`: read-only by default; `write=True` creates
    it when missing and upgrades an older one."""
    return KnowledgeBase(path, write=write)
