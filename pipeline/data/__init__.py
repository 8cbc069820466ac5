"""Data files the package needs at run time, and their validating loaders.

Each file is read once per process (the callers cache what they build from
it). A malformed line raises DataFileError naming the file and line.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


class DataFileError(ValueError):
    """A packaged data file is malformed."""


def read_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[tuple[int, str]]:
    """Non-empty, non-comment lines of a data file, with their line numbers."""
    out = []
    for number, line in enumerate(read_text(name).splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append((number, line.rstrip("\n")))
    return out


def load_rows(name: str, columns: int, *, optional: int = 0) -> list[list[str]]:
    """Tab-separated rows with `columns` required and `optional` extra fields."""
    rows = []
    for number, line in data_lines(name):
        fields = line.split("\t")
        if not columns <= len(fields) <= columns + optional or not all(fields[:columns]):
            raise DataFileError(
                f"{name}, line {number}: expected {columns} tab-separated fields"
                f"{f' (+{optional} optional)' if optional else ''}, got {line!r}"
            )
        rows.append(fields + [""] * (columns + optional - len(fields)))
    return rows


def load_words(name: str) -> list[str]:
    """One entry per line (first tab-separated field)."""
    return [line.split("\t")[0].strip() for _, line in data_lines(name)]


def load_json(name: str) -> Any:
    try:
        return json.loads(read_text(name))
    except json.JSONDecodeError as err:
        raise DataFileError(f"{name}, line {err.lineno}: {err.msg}") from err
