"""The knowledge base file under hard conditions, in real processes: a run
killed half-way and resumed, a read-only file."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
DOCUMENTS = 40


def zhnews(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *args]


@pytest.fixture
def many_articles(tmp_path):
    """DOCUMENTS short articles (the start of each seed, numbered) as JSON Lines."""
    texts = [p.read_text(encoding="utf-8")[:200] for p in SEEDS]
    path = tmp_path / "articles.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(DOCUMENTS):
            f.write(json.dumps({"id": f"article-{i:03d}", "text": f"{texts[i % len(texts)]}\n（第{i}篇）"},
                               ensure_ascii=False) + "\n")
    return path


def loaded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created yet


def test_a_killed_run_resumes_to_one_copy_of_every_document(tmp_path, many_articles):
    db, out = tmp_path / "kb.sqlite", tmp_path / "out.jsonl"
    run = subprocess.Popen(zhnews("extract", str(many_articles), "--db", str(db), "-o", str(out), "--no-ner", "-q"),
                           cwd=tmp_path, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while loaded(db) < 5 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    at_kill = loaded(db)
    assert 5 <= at_kill < DOCUMENTS, f"the run was not stopped half-way ({at_kill} of {DOCUMENTS} loaded)"

    again = subprocess.run(zhnews("extract", str(many_articles), "--db", str(db), "-o", str(out), "--no-ner",
                                  "--resume"), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "already done" in again.stderr

    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    assert ids == [f"article-{i:03d}" for i in range(DOCUMENTS)]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["doc_id"] for d in lines) == ids  # the JSON Lines file too: one line each
    for doc in lines:  # and every document holds exactly the facts its line holds
        stored = dict(conn.execute("SELECT type, count(*) FROM facts WHERE doc_id = ? GROUP BY type",
                                   (doc["doc_id"],)).fetchall())
        assert stored == {k: len(doc[k]) for k in ("regions", "figures", "brands", "counts", "meetings") if doc[k]}
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _protect(folder: Path, on: bool) -> None:
    """Make a folder and its files read-only: by permissions, or, for root (whom
    permissions do not stop), by the immutable attribute."""
    paths = [*folder.iterdir(), folder]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod((0o555 if path.is_dir() else 0o444) if on else 0o755)
        return
    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, text=True)
    if done.returncode != 0 and on:
        pytest.skip(f"running as root and cannot make files immutable here: {done.stderr.strip()}")


@pytest.fixture
def read_only_kb(tmp_path):
    """A knowledge base in a folder where nothing may be written."""
    from pipeline.cli import main

    folder = tmp_path / "ro"
    folder.mkdir()
    jsonl = folder / "seeds.jsonl"
    assert main(["extract", str(ROOT / "corpora" / "seeds"), "-o", str(jsonl), "--no-ner", "-q",
                 "--db", str(folder / "kb.sqlite")]) == 0
    _protect(folder, True)
    yield folder
    _protect(folder, False)


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_read_only_file_is_refused_for_loading_and_left_as_it_was(read_only_kb, capsys):
    from pipeline.cli import main

    before = digest(read_only_kb)
    db, jsonl = read_only_kb / "kb.sqlite", read_only_kb / "seeds.jsonl"
    assert main(["kb", "load", str(jsonl), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "read-only" in err and str(db) in err
    assert digest(read_only_kb) == before


def test_a_read_only_file_can_still_be_queried(read_only_kb, capsys):
    from pipeline.cli import main

    before = digest(read_only_kb)
    assert main(["kb", "stats", "--db", str(read_only_kb / "kb.sqlite")]) == 0
    assert "documents: 5 (5 ok, 0 failed)" in capsys.readouterr().out
    assert digest(read_only_kb) == before
