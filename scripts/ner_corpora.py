"""Readers for the NER corpora in /work/shared/ner (or any copy of that layout).

    DIR/cluener/train.json, dev.json      CLUENER2020: JSON lines, inclusive end offsets
    DIR/peoples_daily/example.dev, .test  People's Daily 1998: one "char TAG" per line (BIO)
    DIR/msra/msra_test_bio.txt            MSRA test: one "char<TAB>TAG" per line (BIO)

Every reader yields Example(text, spans) with spans as (start, end, label),
end exclusive, labels as the corpus writes them. Texts get the pipeline's
full-width folding (pipeline.normalize._fold_width), which keeps offsets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.normalize import _fold_width

REQUIRED = {
    "cluener_train": "cluener/train.json",
    "cluener_dev": "cluener/dev.json",
    "pd_dev": "peoples_daily/example.dev",
    "pd_test": "peoples_daily/example.test",
    "msra_test": "msra/msra_test_bio.txt",
}


class CorpusError(SystemExit):
    """A corpus file is missing or malformed (exits the script with a message)."""


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[tuple[int, int, str], ...]


def corpus_path(data: Path, key: str) -> Path:
    path = Path(data) / REQUIRED[key]
    if not path.is_file():
        raise CorpusError(
            f"NER data: {path} not found. --data must point at a folder holding "
            + ", ".join(REQUIRED.values())
            + " (e.g. /work/shared/ner)."
        )
    return path


def check_data(data: Path, keys=tuple(REQUIRED)) -> None:
    if not Path(data).is_dir():
        raise CorpusError(f"NER data: {data} is not a folder (expected e.g. /work/shared/ner)")
    for key in keys:
        corpus_path(data, key)


def fold(text: str) -> str:
    return "".join(_fold_width(c) for c in text)


def read_cluener(path: Path) -> Iterator[Example]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                spans = [
                    (s, e + 1, label)
                    for label, names in (row.get("label") or {}).items()
                    for name, offsets in names.items()
                    for s, e in offsets
                ]
            except (ValueError, TypeError, AttributeError) as err:
                raise CorpusError(f"{path}, line {number}: not a CLUENER record ({err})") from err
            yield Example(fold(row["text"]), tuple(sorted(spans)))


def read_bio(path: Path) -> Iterator[Example]:
    """Character-per-line BIO files (space or tab separated), blank line between sentences."""
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield _from_bio(chars, tags)
                chars, tags = [], []
                continue
            parts = line.split("\t") if "\t" in line else line.rsplit(" ", 1)
            if len(parts) != 2 or len(parts[0]) != 1:
                raise CorpusError(f"{path}, line {number}: expected 'char TAG', got {line!r}")
            chars.append(parts[0])
            tags.append(parts[1].strip())
    if chars:
        yield _from_bio(chars, tags)


def _from_bio(chars: list[str], tags: list[str]) -> Example:
    spans, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start is not None and tag[2:] == label
        if not inside and start is not None:
            spans.append((start, i, label))
            start = label = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return Example(fold("".join(chars)), tuple(spans))


def load(data: Path, key: str) -> list[Example]:
    path = corpus_path(data, key)
    return list(read_cluener(path) if key.startswith("cluener") else read_bio(path))
