"""Batch extraction over many inputs: in one process, in local worker
processes, or on a Dask cluster (pipeline/dask_engine.py).

Every input document yields exactly one Document, in input order; one that
fails yields its error record and the rest go on. The Summary says what was
done, and `resume` skips documents an earlier run already wrote.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, deque
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from pipeline.core import extract_raw, get_nlp, warm_up
from pipeline.errors import Codes, extract_failed, too_long
from pipeline.ingest import JSONL_SUFFIXES, RawDocument, Skipped, read_inputs, walk
from pipeline.records import RECORD_TYPES, Document, Error

# Inputs sent ahead per worker: enough to keep every worker busy, bounded so
# that a large input is never read into memory at once.
IN_FLIGHT_PER_WORKER = 4
# Documents longer than this are refused with an error record (0: no limit).
# The benchmark's long-document case checks time and memory at this size; a
# news article is rarely over 30,000 characters.
DEFAULT_MAX_CHARS = 1_000_000
ENGINES = ("local", "dask")


class EngineUnavailable(RuntimeError):
    """The engine cannot run: Dask is not installed, its scheduler cannot be
    reached or has no workers, or a worker cannot load the pipeline."""


@dataclass(frozen=True)
class Options:
    """How each document of a run is extracted; sent once to every worker."""

    spacy_model: Optional[str] = None
    ner: bool = True
    explain: bool = False


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
            if _finished(record):
                done.add(record["doc_id"])
                kept.append(line if line.endswith("\n") else line + "\n")
    tmp = path.with_name(path.name + ".resume-tmp")
    tmp.write_text("".join(kept), encoding="utf-8")
    os.replace(tmp, path)
    return done


def _finished(record) -> bool:
    return isinstance(record, dict) and record.get("error") is None and bool(record.get("doc_id"))


def count_documents(inputs: Iterable[str], exclude: Iterable[Path] = ()) -> Optional[int]:
    """How many documents the inputs hold (article files plus non-blank JSON
    Lines lines), for a progress bar's total; None when unknown (stdin)."""
    excluded = frozenset(Path(p).resolve() for p in exclude)
    total = 0
    for item in inputs:
        if item == "-":
            return None
        path = Path(item)
        for p in walk(path, Skipped(), excluded) if path.is_dir() else [path]:
            total += _count_lines(p) if p.suffix.lower() in JSONL_SUFFIXES else 1
    return total


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return 1  # it becomes one error record


# --- one run -------------------------------------------------------------------

def extract_documents(
    raws: Iterable[RawDocument],
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: Optional[str] = None,
    spacy_model: Optional[str] = None,
    ner: bool = True,
    explain: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Document]:
    """Documents for raw documents, in input order: in this process
    (workers=1), in `workers` local processes, or on Dask (engine="dask": the
    cluster at `scheduler`, or a local one with `workers` processes)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")
    options = Options(spacy_model=spacy_model, ner=ner, explain=explain)
    raws = refuse_long(raws, max_chars)
    if engine == "dask":
        yield from _dask_engine().on_dask(raws, options, scheduler=scheduler, workers=workers)
    elif workers <= 1:
        yield from _in_this_process(raws, options)
    else:
        warm_up(None)  # a broken data file stops the run here, not in every worker
        with LocalPool(workers, options) as pool:
            yield from in_order(raws, pool, window=workers * IN_FLIGHT_PER_WORKER)


def _dask_engine():
    try:
        from pipeline import dask_engine
    except ImportError as exc:
        raise EngineUnavailable(f"--engine dask needs dask[distributed] ({exc}): pip install 'zhnews[dask]'") from exc
    return dask_engine


def refuse_long(raws: Iterable[RawDocument], max_chars: int) -> Iterator[RawDocument]:
    """The raw documents, those over `max_chars` characters (when > 0) turned
    into their error record."""
    for raw in raws:
        if max_chars > 0 and raw.error is None and len(raw.text) > max_chars:
            raw = RawDocument(raw.doc_id, raw.source, warnings=raw.warnings,
                              error=too_long(raw.source or raw.doc_id, len(raw.text), max_chars))
        yield raw


def _in_this_process(raws: Iterable[RawDocument], options: Options) -> Iterator[Document]:
    nlp = get_nlp(options.spacy_model, ner=options.ner)
    warm_up(nlp)
    for raw in raws:
        yield extract_raw(raw, nlp=nlp, explain=options.explain)


def in_order(raws: Iterable[RawDocument], engine, *, window: int) -> Iterator[Document]:
    """Results of `engine` in input order, with at most `window` documents in
    flight. `engine.submit(raw)` returns a future; `engine.result(pending)`
    takes the oldest (raw, future) from the left of `pending` and returns its
    Document. A document that needs no worker (an input error) is answered
    here."""
    pending: deque = deque()
    for raw in raws:
        pending.append((raw, done(extract_raw(raw)) if raw.error else engine.submit(raw)))
        while len(pending) >= window:
            yield engine.result(pending)
    while pending:
        yield engine.result(pending)


def done(value) -> Future:
    """A future that already holds `value`."""
    future: Future = Future()
    future.set_result(value)
    return future


def outcome(raw: RawDocument, future) -> Document:
    """The Document a finished future holds, or the error record of its failure."""
    try:
        return future.result()
    except CancelledError:
        raise
    except Exception as exc:  # e.g. a result that could not be sent back
        return Document(doc_id=raw.doc_id, source=raw.source, error=extract_failed(raw.source or raw.doc_id, exc))


def worker_died(raw: RawDocument, why: object) -> Document:
    error = Error(code=Codes.WORKER_DIED, message=f"{raw.source or raw.doc_id}: the worker process died ({why})")
    return Document(doc_id=raw.doc_id, source=raw.source, error=error)


# --- local worker processes ------------------------------------------------------

_worker: dict = {}  # this worker process's Language and options, set once by _init_worker


def _init_worker(options: Options) -> None:
    _worker.update(nlp=get_nlp(options.spacy_model, ner=options.ner), explain=options.explain)
    warm_up(_worker["nlp"])


def _work(raw: RawDocument) -> Document:
    return extract_raw(raw, nlp=_worker["nlp"], explain=_worker["explain"])


class LocalPool:
    """`workers` local processes, each loading the model once. A worker that
    dies takes only the document it was running: the documents the broken
    pool held are run again one at a time in a fresh pool, so the one that
    kills a worker is known and gets an error record."""

    def __init__(self, workers: int, options: Options):
        self.workers, self.options = workers, options
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(self.options,))

    def _restart(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        self.pool = self._start()

    def submit(self, raw: RawDocument) -> Future:
        try:
            return self.pool.submit(_work, raw)
        except BrokenProcessPool as exc:  # a worker died since the last result
            future: Future = Future()
            future.set_exception(exc)
            return future

    def result(self, pending: deque) -> Document:
        if isinstance(pending[0][1].exception(), BrokenProcessPool):
            self._rerun_alone(pending)
        return outcome(*pending.popleft())

    def _rerun_alone(self, pending: deque) -> None:
        wait([future for _, future in pending])
        self._restart()
        for i, (raw, future) in enumerate(pending):
            if isinstance(future.exception(), BrokenProcessPool):
                pending[i] = (raw, done(self._alone(raw)))

    def _alone(self, raw: RawDocument) -> Document:
        try:
            return self.pool.submit(_work, raw).result()
        except BrokenProcessPool as exc:
            self._restart()
            return worker_died(raw, exc)

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(cancel_futures=True)


# --- files and folders -------------------------------------------------------------

def extract_paths(
    inputs: Iterable[str],
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: Optional[str] = None,
    spacy_model: Optional[str] = None,
    ner: bool = True,
    explain: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    skip_ids: Optional[set[str]] = None,
    summary: Optional[Summary] = None,
    on_document: Optional[Callable[[Document, Summary], None]] = None,
    exclude: Iterable[Path] = (),
) -> Iterator[Document]:
    """Extract every document of files, folders, JSON Lines files or '-' (stdin)
    (see extract_documents for the engines). Files in `exclude` (the run's own
    output) are never read as input."""
    summary = summary if summary is not None else Summary()
    skipped = Skipped(summary.skipped_files)  # the walk fills the summary's list as it goes
    raws = read_inputs(inputs, skipped=skipped, exclude=exclude)
    if skip_ids:
        raws = _without(raws, skip_ids, summary)
    for doc in extract_documents(raws, workers=workers, engine=engine, scheduler=scheduler,
                                 spacy_model=spacy_model, ner=ner, explain=explain, max_chars=max_chars):
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
