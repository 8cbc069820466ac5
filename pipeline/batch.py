"""Batch extraction over many inputs, in one process or several.

Every input document yields exactly one Document, in input order; one that
fails yields its error record and the rest go on. The Summary says what was
done, and `resume` skips documents an earlier run already wrote.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from pipeline.core import extract_raw, get_nlp, warm_up
from pipeline.ingest import RawDocument, Skipped, read_inputs
from pipeline.errors import Codes
from pipeline.records import RECORD_TYPES, Document, Error

# Inputs read ahead per worker process: enough to keep them busy, bounded so
# that a large input is not read into memory at once.
IN_FLIGHT_PER_WORKER = 4


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
        if not doc.ok:
            self.failed += 1
            self.errors[doc.error.code] += 1
        for kind in RECORD_TYPES:
            self.records[kind] += len(getattr(doc, kind))
        self.seconds = time.perf_counter() - self.started

    def fail(self, code: str) -> None:
        """Count a document that failed after it was added (e.g. when written)."""
        self.failed += 1
        self.errors[code] += 1

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
    warm_up(_worker["nlp"])


def _work(raw: RawDocument) -> Document:
    return extract_raw(raw, nlp=_worker["nlp"], explain=_worker["explain"])


def keep_done(path: Path) -> set[str]:
    """Prepare an output file for --resume: keep only the lines of documents an
    earlier run finished without error (a line cut short by an interruption,
    or an error record, is dropped so the document is run again) and return
    their doc_ids. The file is rewritten through a temporary file."""
    if not path.exists():
        return set()
    done, kept = set(), []
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and record.get("error") is None and record.get("doc_id"):
                done.add(record["doc_id"])
                kept.append(line if line.endswith("\n") else line + "\n")
    tmp = path.with_name(path.name + ".resume-tmp")
    tmp.write_text("".join(kept), encoding="utf-8")
    os.replace(tmp, path)
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
        warm_up(nlp)
        for raw in raws:
            yield extract_raw(raw, nlp=nlp, explain=explain)
        return
    warm_up(None)  # a broken data file stops the run here, not in every worker
    yield from _in_processes(raws, workers, (spacy_model, ner, explain))


def _in_processes(raws: Iterable[RawDocument], workers: int, initargs: tuple) -> Iterator[Document]:
    """Documents in input order with a bounded number of inputs in flight. A
    worker that dies takes the document it held: that one gets an error
    record, the others in flight are run again in a fresh pool."""
    pending: deque = deque()
    pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=initargs)
    try:
        for raw in raws:
            pending.append((raw, pool.submit(_work, raw)))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                doc, pool = _next_result(pending, pool, workers, initargs)
                yield doc
        while pending:
            doc, pool = _next_result(pending, pool, workers, initargs)
            yield doc
    finally:
        pool.shutdown(cancel_futures=True)


def _next_result(pending: deque, pool, workers: int, initargs: tuple):
    raw, future = pending.popleft()
    try:
        return future.result(), pool
    except BrokenProcessPool as exc:
        pool.shutdown(cancel_futures=True)
        pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=initargs)
        for i, (other, _) in enumerate(pending):
            pending[i] = (other, pool.submit(_work, other))
        error = Error(code=Codes.WORKER_DIED, message=f"{raw.source or raw.doc_id}: the worker process died ({exc})")
        return Document(doc_id=raw.doc_id, source=raw.source, error=error), pool


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
    exclude: Iterable[Path] = (),
) -> Iterator[Document]:
    """Extract every document of files, folders, JSON Lines files or '-' (stdin).
    Files in `exclude` (the run's own output) are never read as input."""
    summary = summary if summary is not None else Summary()
    skipped = Skipped(summary.skipped_files)  # the walk fills the summary's list as it goes
    raws = read_inputs(inputs, skipped=skipped, exclude=exclude)
    if skip_ids:
        raws = _without(raws, skip_ids, summary)
    for doc in extract_documents(raws, workers=workers, spacy_model=spacy_model, ner=ner, explain=explain):
        summary.add(doc)
        if on_document:
            on_document(doc, summary)
        yield doc


def _without(raws: Iterable[RawDocument], skip_ids: set[str], summary: Summary) -> Iterator[RawDocument]:
    for raw in raws:
        if raw.error is None and raw.doc_id in skip_ids:
            summary.resumed += 1
            continue
        yield raw
