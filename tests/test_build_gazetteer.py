"""Tests for scripts/build_gazetteer.py: clear failures, and a byte-stable rebuild when the
jionlp wheel is at hand (ZHNEWS_JIONLP_WHEEL, or next to the repository)."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_gazetteer.py"
DATA = ROOT / "pipeline" / "data"
WHEEL_NAME = "jionlp-1.5.31-py2.py3-none-any.whl"
FILES = ["regions.tsv", "region_changes.tsv", "areas.tsv", "foreign.tsv", "townships.tsv.gz"]


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, cwd=ROOT)


def find_wheel() -> Path | None:
    for path in (os.environ.get("ZHNEWS_JIONLP_WHEEL"), ROOT.parent / WHEEL_NAME):
        if path and Path(path).is_file():
            return Path(path)
    return None


def test_missing_wheel_fails_clearly(tmp_path):
    result = run_build(str(tmp_path / "nope.whl"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no such file" in result.stderr and "jionlp 1.5.31 wheel" in result.stderr


def test_other_zip_is_rejected(tmp_path):
    fake = tmp_path / "other-1.0-py3-none-any.whl"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("other/__init__.py", "")
    result = run_build(str(fake), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "not the jionlp 1.5.31 wheel" in result.stderr
    assert not (tmp_path / "out").exists()


def body(path: Path) -> list[str]:
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode() if path.suffix == ".gz" else raw.decode()
    return [line for line in text.split("\n") if not line.startswith("# built:")]


@pytest.mark.skipif(find_wheel() is None, reason="jionlp 1.5.31 wheel not available")
def test_rebuild_matches_committed_data(tmp_path):
    result = run_build(str(find_wheel()), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert body(tmp_path / name) == body(DATA / name), name
