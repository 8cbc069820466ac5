"""Batch extraction over many inputs, in one process or several.

Every input document yields exactly one Document, in input order; one that
fails yields its error record and the rest go on. The Summary says what was
done, and `resume` skips documents an earlier run already wrote.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from pipeline.core import extract_raw, get_nlp
from pipeline.ingest import RawDocument, Skipped, read_inputs
from pipeline.records import RECORD_TYPES, Document


@dataclass
class Summary:
    documents: int = 0
    failed: int = 0
    resumed: int = 0
    records: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    skipped_files: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def add(self, doc: Document) -> None:
        self.documents += 1
        if doc.error is not None:
            self.failed += 1
            self.errors[doc.error.code] += 1
        for kind in RECORD_TYPES:
            self.records[kind] += len(getattr(doc, kind))
        self.seconds = time.perf_counter() - self.started

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def lines(self) -> list[str]:
        per_type = ", ".join(f"{k} {self.records[k]}" for k in RECORD_TYPES)
        out = [
            f"documents: {self.documents} ({self.documents - self.failed} ok, {self.failed} failed"
            + (f", {self.resumed} already done" if self.resumed else "") + ")",
            f"records: {per_type}",
            f"seconds: {self.seconds:.1f}",
        ]
        if self.errors:
            out.append("errors: " + ", ".join(f"{code} {n}" for code, n in self.errors.most_common()))
        if self.skipped_files:
            shown = ", ".join(self.skipped_files[:3]) + (" ..." if len(self.skipped_files) > 3 else "")
            out.append(f"not article files, skipped: {len(self.skipped_files)} ({shown})")
        return out


_worker: dict = {}


def _init_worker(spacy_model: Optional[str], ner: bool, explain: bool) -> None:
    _worker.update(nlp=get_nlp(spacy_model, ner=ner), explain=explain)


def _work(raw: RawDocument) -> Document:
    return extract_raw(raw, nlp=_worker["nlp"], explain=_worker["explain"])


def done_ids(path: Path) -> set[str]:
    """doc_ids an earlier run wrote successfully to a JSON Lines output."""
    done = set()
    if not path.exists():
        return done
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by an interrupted run: redo it
            if isinstance(record, dict) and record.get("error") is None and record.get("doc_id"):
                done.add(record["doc_id"])
    return done


def extract_documents(
    raws: Iterable[RawDocument],
    *,
    workers: int = 1,
    spacy_model: Optional[str] = None,
    ner: bool = True,
    explain: bool = False,
) -> Iterator[Document]:
    """Documents for raw documents, in order, with `workers` processes."""
    if workers <= 1:
        nlp = get_nlp(spacy_model, ner=ner)
        for raw in raws:
            yield extract_raw(raw, nlp=nlp, explain=explain)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(spacy_model, ner, explain)) as pool:
        yield from pool.map(_work, raws, chunksize=4)


def extract_paths(
    inputs: Iterable[str],
    *,
    workers: int = 1,
    spacy_model: Optional[str] = None,
    ner: bool = True,
    explain: bool = False,
    skip_ids: Optional[set[str]] = None,
    summary: Optional[Summary] = None,
    on_document: Optional[Callable[[Document, Summary], None]] = None,
) -> Iterator[Document]:
    """Extract every document of files, folders, JSON Lines files or '-' (stdin)."""
    summary = summary if summary is not None else Summary()
    skipped = Skipped()
    raws = read_inputs(inputs, skipped=skipped)
    if skip_ids:
        raws = _without(raws, skip_ids, summary)
    for doc in extract_documents(raws, workers=workers, spacy_model=spacy_model, ner=ner, explain=explain):
        summary.add(doc)
        summary.skipped_files = skipped.paths
        if on_document:
            on_document(doc, summary)
        yield doc
    summary.skipped_files = skipped.paths


def _without(raws: Iterable[RawDocument], skip_ids: set[str], summary: Summary) -> Iterator[RawDocument]:
    for raw in raws:
        if raw.error is None and raw.doc_id in skip_ids:
            summary.resumed += 1
            continue
        yield raw
