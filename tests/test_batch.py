"""Batch runs: the length limit, the progress total, local worker processes
that die, and the progress bar."""

import io
import json
import multiprocessing
import os
import sys
from pathlib import Path

import pytest

import pipeline.batch
from pipeline.batch import DEFAULT_MAX_CHARS, count_documents, extract_documents, refuse_long
from pipeline.cli import main
from pipeline.ingest import RawDocument, read_inputs

GOOD = "近日，全省推进会在汕尾召开，近80人参会。"


def raw(text: str, source: str = "a.txt") -> RawDocument:
    return RawDocument(doc_id=source, source=source, text=text)


def test_a_document_over_the_limit_gets_a_too_long_record():
    docs = list(refuse_long([raw("一" * 11, "long.txt"), raw("一" * 10, "short.txt")], 10))
    assert docs[1].error is None and docs[1].text == "一" * 10
    error = docs[0].error
    assert error.code == "too_long"
    for part in ("long.txt", "11 characters", "limit of 10", "--max-chars"):
        assert part in error.message


def test_zero_means_no_limit():
    assert list(refuse_long([raw("一" * 5000)], 0))[0].error is None


def test_the_default_limit_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"{DEFAULT_MAX_CHARS:,}" in readme


def test_a_refused_document_does_not_stop_the_run(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("一" * 500 + GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out), "--no-ner",
                 "--max-chars", "100"])
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    err = capsys.readouterr().err
    assert code == 1 and "documents: 2 (1 ok, 1 failed)" in err and "too_long 1" in err
    assert records[0]["error"]["code"] == "too_long" and records[0]["regions"] == []
    assert records[1]["error"] is None and records[1]["regions"]


def test_max_chars_must_not_be_negative(capsys):
    with pytest.raises(SystemExit):
        main(["extract", "-", "--max-chars", "-1"])
    assert "must be 0 (no limit) or more" in capsys.readouterr().err


def test_count_documents_counts_files_and_json_lines(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text('{"text": "一"}\n\n{"text": "二"}\n{"text": "三"}', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text('{"text": "not input"}\n', encoding="utf-8")
    assert count_documents([str(tmp_path)], exclude=[out]) == 4
    assert count_documents([str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.jsonl")]) == 4
    assert count_documents([str(tmp_path), "-"]) is None


def test_count_matches_the_documents_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "一"}\n\n{"text": \n{"text": "三"}\n', encoding="utf-8")
    assert count_documents([str(tmp_path)]) == len(list(read_inputs([str(tmp_path)]))) == 4


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        list(extract_documents([raw(GOOD)], engine="spark"))


def test_dask_missing_is_a_clear_usage_error(tmp_path, capsys, monkeypatch):
    import pipeline

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    monkeypatch.delitem(sys.modules, "pipeline.dask_engine", raising=False)
    monkeypatch.delattr(pipeline, "dask_engine", raising=False)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--engine", "dask", "--no-ner"]) == 2
    assert "pip install 'zhnews[dask]'" in capsys.readouterr().err


@pytest.mark.parametrize("poisoned", [0, 3, 7])
def test_a_local_worker_that_dies_costs_only_its_document(poisoned, tmp_path, monkeypatch):
    """Whichever document kills its worker, only that one fails: the documents
    the broken pool held are run again one at a time."""
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the dying worker is injected through fork")
    real = pipeline.batch.extract_raw

    def fragile(raw, **kwargs):
        if "致命" in raw.text:
            os._exit(3)
        return real(raw, **kwargs)

    monkeypatch.setattr(pipeline.batch, "extract_raw", fragile)
    raws = [raw(("致命" if i == poisoned else "") + f"第{i}篇。" + GOOD, f"{i}.txt") for i in range(8)]
    docs = list(extract_documents(raws, workers=2, ner=False))
    assert [d.source for d in docs] == [f"{i}.txt" for i in range(8)]
    assert [i for i, d in enumerate(docs) if d.error] == [poisoned]
    assert docs[poisoned].error.code == "worker_died" and f"{poisoned}.txt" in docs[poisoned].error.message
    assert all(d.regions for d in docs if d.error is None)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_with_total_rate_and_failures(tmp_path, monkeypatch, capsys):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(GOOD + str(i), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    stderr = Terminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["extract", str(tmp_path), "-o", str(tmp_path / "out.jsonl"), "--no-ner"]) == 1
    shown = stderr.getvalue()
    assert "4/4" in shown and "doc/s" in shown and "failed=1" in shown
    assert "documents: 4 (3 ok, 1 failed)" in shown


def test_no_progress_bar_when_not_a_terminal_or_quiet(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    main(["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out.jsonl"), "--no-ner"])
    assert "doc/s" not in capsys.readouterr().err


def test_local_workers_give_the_records_of_one_process():
    seeds = Path(__file__).resolve().parent.parent / "corpora" / "seeds"
    raws = list(read_inputs([str(seeds)]))
    one = [d.model_dump_json() for d in extract_documents(raws)]
    two = [d.model_dump_json() for d in extract_documents(raws, workers=2)]
    assert len(one) == 5 and two == one
