"""scripts/bench.py stays in step with the pipeline: every stage it times is
found, the wrappers come off again, and the long document has its size."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = "近日，全省推进会在汕尾召开，宁海县委常委娄黛敏出席，近80人参会，“百千万工程”。"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("stage", ["normalize", "header", "quote pairs", "segment", "NER", "regions", "primary region",
                                   "figures", "counts", "brands", "meetings"])
def test_every_stage_is_found_where_the_pipeline_calls_it(bench, stage):
    assert any(bench._lookup(place) is not None for place in bench.STAGES[stage])


def test_a_run_times_each_stage_and_leaves_the_pipeline_as_it_was(bench):
    import pipeline.analysis
    import pipeline.core

    before = (pipeline.core.extract_regions, pipeline.analysis.segment)
    lines = [json.dumps({"id": str(i), "text": GOOD}, ensure_ascii=False).encode() for i in range(3)]
    run = bench.pipeline_run(lines, None)
    assert run["missing_stages"] == []
    assert set(run["stages"]) == {"ingest", "serialization", *bench.STAGES} - {"NER"}  # no model: no NER call
    assert all(seconds >= 0 for seconds in run["stages"].values()) and run["cpu"] > 0
    assert (pipeline.core.extract_regions, pipeline.analysis.segment) == before
    summary = bench.summarize([run, run])
    assert summary["shares"]["other"] >= 0 and sum(summary["shares"].values()) == pytest.approx(1, abs=1e-6)


def test_the_long_document_has_the_size_asked_for(bench):
    assert len(bench.big_text(["甲" * 30, "乙" * 50], 1000)) == 1000
