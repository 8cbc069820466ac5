"""The README stays in step with the commands and with CI."""

import re
import shlex
from pathlib import Path

import pytest

from pipeline.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_lines() -> list[str]:
    blocks = [body for lang, body in re.findall(r"```(\w*)\n(.*?)```", README, flags=re.S) if lang in ("", "sh", "bash")]
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def zhnews_commands() -> list[str]:
    out = []
    for line in code_lines():
        for part in re.split(r"&&|\|", line):
            part = part.split(" #")[0].split(" >")[0].strip()
            if part.startswith("zhnews "):
                out.append(part)
    return out


@pytest.mark.parametrize("command", zhnews_commands())
def test_every_documented_command_parses(command):
    args = shlex.split(command)[1:]
    build_parser().parse_args(args)


def test_readme_documents_every_command():
    documented = {shlex.split(c)[1] for c in zhnews_commands()}
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) <= documented


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert test_command in code_lines()
    assert ci.rstrip().endswith(test_command)


def test_readme_main_command_extracts_corpora():
    assert "pip install -e . && zhnews extract corpora/ --db out/kb.sqlite -o out/corpora.jsonl" in code_lines()


def test_the_test_command_shows_why_tests_skip():
    """`.ci/run` runs plain `python -m pytest`: pytest's addopts carry -rs."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^addopts\s*=\s*"[^"]*-r[a-zA-Z]*s', pyproject, flags=re.M)
