"""--engine dask: a LocalCluster (2 worker processes on loopback, started once
for the module) gives the same records as one process, in input order,
resumes, and costs a dying worker only its document."""

import json
import os
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

import dask  # noqa: E402

from pipeline.batch import Options, extract_documents  # noqa: E402
from pipeline.cli import main  # noqa: E402
from pipeline.core import get_nlp, warm_up  # noqa: E402
from pipeline.corpus_context import sample_path  # noqa: E402
from pipeline.dask_engine import ExtractOnWorker, on_dask  # noqa: E402
from pipeline.ingest import read_inputs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
POISON = "这一篇让工作进程退出"


@pytest.fixture(scope="module")
def scheduler():
    """The address of a 2-worker cluster. Its workers are forked from this
    process with the lexicons and the model loaded, to keep the suite fast
    (zhnews's own local clusters spawn them)."""
    warm_up(get_nlp(None))
    settings = {"distributed.worker.multiprocessing-method": "fork"}
    with dask.config.set(settings):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address="127.0.0.1:0") as cluster:
            yield cluster.scheduler_address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """30 documents: 25 THUCNews articles (JSON Lines) and the 5 seed files,
    plus a line that is not JSON (an error record that never reaches a worker)."""
    sample = sample_path()
    if sample is None or not sample.is_file():
        pytest.skip("the shared THUCNews sample is not beside the checkout")
    folder = tmp_path_factory.mktemp("dask-in")
    lines = sample.read_text(encoding="utf-8").splitlines()[:25]
    (folder / "news.jsonl").write_text("\n".join(lines + ['{"id": "cut'] ) + "\n", encoding="utf-8")
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def lines_of(documents) -> list[str]:
    return [doc.model_dump_json() for doc in documents]


@pytest.fixture(scope="module")
def local_lines(inputs):
    return lines_of(extract_documents(read_inputs([str(inputs)]), ner=False))


def test_dask_gives_the_records_of_one_process_in_input_order(scheduler, inputs, local_lines):
    on_cluster = lines_of(extract_documents(read_inputs([str(inputs)]), engine="dask", scheduler=scheduler, ner=False))
    assert len(local_lines) == 31
    assert sum('"error":null' in line for line in local_lines) == 30
    assert on_cluster == local_lines


def test_dask_with_the_ner_model_matches_one_process(scheduler):
    raws = list(read_inputs([str(SEEDS)]))[:3]
    assert lines_of(extract_documents(raws, engine="dask", scheduler=scheduler)) == lines_of(extract_documents(raws))


def test_too_long_documents_are_refused_on_dask_too(scheduler, inputs, local_lines):
    on_cluster = lines_of(extract_documents(read_inputs([str(inputs)]), engine="dask", scheduler=scheduler,
                                            ner=False, max_chars=2000))
    refused = [json.loads(line) for line in on_cluster if '"too_long"' in line]
    assert refused and all("over the limit of 2,000" in r["error"]["message"] for r in refused)
    assert [line for line in on_cluster if '"too_long"' not in line] == \
        [line for line in local_lines if len(json.loads(line)["text"]) <= 2000]


def test_cli_on_dask_resumes_to_the_local_output(scheduler, inputs, local_lines, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    args = ["extract", str(inputs), "-o", str(out), "--no-ner", "--engine", "dask", "--scheduler", scheduler]
    assert main(args) == 1  # the cut JSON line fails
    assert out.read_text(encoding="utf-8").splitlines() == local_lines
    kept = local_lines[:12]
    out.write_text("\n".join(kept) + "\n" + local_lines[12][:40], encoding="utf-8")  # interrupted mid-line
    assert main([*args, "--resume"]) == 1
    err = capsys.readouterr().err
    assert "12 already done" in err and "documents: 19 (18 ok, 1 failed" in err
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == sorted(local_lines)


def test_scheduler_without_dask_engine_is_a_usage_error(capsys):
    assert main(["extract", str(SEEDS), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


def test_an_unreachable_scheduler_stops_the_run_with_a_clear_message(tmp_path, capsys, monkeypatch):
    import pipeline.dask_engine

    monkeypatch.setattr(pipeline.dask_engine, "CONNECT_SECONDS", 1)
    code = main(["extract", str(SEEDS), "--no-ner", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                 "-o", str(tmp_path / "out.jsonl")])
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


class DiesOnPoison(ExtractOnWorker):
    """The pipeline, except that one document makes the worker process exit."""

    @property
    def name(self) -> str:
        return "zhnews-test-dies-on-poison"

    def extract(self, raw, explain):
        if POISON in raw.text:
            os._exit(3)
        return super().extract(raw, explain)


def test_a_dying_worker_costs_only_its_document(scheduler, tmp_path):
    """Dask runs a document whose worker died again on another worker, and
    gives up after `allowed-failures` (3) more deaths: its error record says
    so; the documents that shared a dead worker with it are run again."""
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text((POISON if i == 2 else "") + f"第{i}篇：近日，全省推进会在汕尾召开，近80人参会。",
                                           encoding="utf-8")
    raws = list(read_inputs([str(tmp_path)]))
    options = Options(ner=False)
    docs = list(on_dask(raws, options, scheduler=scheduler, plugin=DiesOnPoison(options)))
    assert [Path(d.source).name for d in docs] == [f"{i}.txt" for i in range(6)]
    assert [d.error.code if d.error else None for d in docs] == [None, None, "worker_died", None, None, None]
    assert all(d.regions for d in docs if d.error is None)


def test_engine_dask_without_a_scheduler_starts_its_own_cluster(tmp_path, capsys):
    """The path a user takes first: a LocalCluster of --workers processes,
    spawned as Dask does by default (each imports zhnews and loads it)."""
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))[:2]]
    assert main(["extract", *seeds, "-o", str(tmp_path / "local.jsonl"), "--no-ner"]) == 0
    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        assert main(["extract", *seeds, "-o", str(tmp_path / "dask.jsonl"), "--no-ner", "--engine", "dask",
                     "--workers", "1"]) == 0
    assert "documents: 2 (2 ok, 0 failed)" in capsys.readouterr().err
    assert (tmp_path / "dask.jsonl").read_text(encoding="utf-8") == (tmp_path / "local.jsonl").read_text(encoding="utf-8")
