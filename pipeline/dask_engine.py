"""Extraction on a Dask distributed cluster: documents go to the workers,
Documents come back in input order with a bounded number in flight.

Every Dask worker loads the pipeline once, when the ExtractOnWorker plugin
is registered (and on workers that join later); a worker that dies while it
runs a document costs that document an error record once Dask gives up on
it (after `distributed.scheduler.allowed-failures` deaths), and the run goes
on. The scheduler, the workers and the client need the same zhnews and
dask[distributed] installed.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import CancelledError
from contextlib import contextmanager
from typing import Iterable, Iterator, Optional

from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, get_worker

from pipeline.batch import IN_FLIGHT_PER_WORKER, EngineUnavailable, Options, in_order, outcome, worker_died
from pipeline.core import extract_raw, get_nlp, warm_up
from pipeline.ingest import RawDocument
from pipeline.records import Document

# How long to wait for the scheduler to answer and for a first worker.
CONNECT_SECONDS = 30


class ExtractOnWorker(WorkerPlugin):
    """Holds one worker's Language, loaded once in `setup`."""

    idempotent = True  # registering again (a second run) keeps the loaded model

    def __init__(self, options: Options):
        self.options = options
        self.nlp = None

    @property
    def name(self) -> str:
        return f"zhnews-{self.options.spacy_model or 'shipped'}-{'ner' if self.options.ner else 'rules'}"

    def setup(self, worker=None) -> None:
        self.nlp = get_nlp(self.options.spacy_model, ner=self.options.ner)
        warm_up(self.nlp)

    def extract(self, raw: RawDocument, explain: bool) -> Document:
        return extract_raw(raw, nlp=self.nlp, explain=explain)


def _extract_task(raw: RawDocument, plugin: str, explain: bool) -> Document:
    return get_worker().plugins[plugin].extract(raw, explain)


def on_dask(
    raws: Iterable[RawDocument],
    options: Options,
    *,
    scheduler: Optional[str] = None,
    workers: int = 1,
    plugin: Optional[ExtractOnWorker] = None,
) -> Iterator[Document]:
    """Documents in input order from the cluster at `scheduler`, or from a
    LocalCluster of `workers` processes on 127.0.0.1 when it is None."""
    plugin = plugin or ExtractOnWorker(options)
    with _client(scheduler, workers) as client:
        try:
            client.register_plugin(plugin, name=plugin.name)
        except Exception as exc:
            raise EngineUnavailable(f"a Dask worker could not load the pipeline: {type(exc).__name__}: {exc}") from exc
        threads = sum(client.nthreads().values())
        yield from in_order(raws, _Submitter(client, plugin.name, options.explain),
                            window=max(threads, 1) * IN_FLIGHT_PER_WORKER)


class _Submitter:
    def __init__(self, client, plugin: str, explain: bool):
        self.client, self.plugin, self.explain = client, plugin, explain

    def submit(self, raw: RawDocument):
        return self.client.submit(_extract_task, raw, self.plugin, self.explain, pure=False)

    def result(self, pending: deque) -> Document:
        raw, future = pending.popleft()
        try:
            error = future.exception()  # waits for the document
            return worker_died(raw, error) if isinstance(error, KilledWorker) else outcome(raw, future)
        except CancelledError as exc:  # the scheduler went away: no later document can run either
            raise EngineUnavailable(f"lost the Dask cluster while running {raw.source or raw.doc_id}: {exc}") from exc


@contextmanager
def _client(scheduler: Optional[str], workers: int):
    if scheduler is None:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        raise EngineUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    with client:
        _wait_for_workers(client, scheduler)
        yield client


def _wait_for_workers(client, scheduler: str) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError as exc:
        raise EngineUnavailable(f"no Dask worker joined the scheduler at {scheduler} within "
                              f"{CONNECT_SECONDS} s: start one with `dask worker {scheduler}`") from exc
