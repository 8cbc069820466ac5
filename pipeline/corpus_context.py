"""Article text around annotations that point into the shared THUCNews sample.

THUCNews is third-party research data: the project reads it from the shared
folder beside its checkout and never copies it into its own tree. The labelled
brand candidates and the hand checks under corpora/ therefore keep only a
document id and offsets into the article's ``text`` as stored in
``thucnews_sample.jsonl``; these helpers find the sample and cut the text
around an annotation back out. Nothing here runs during extraction.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
SAMPLE = Path("corpora") / "thucnews_sample.jsonl"


class CorpusMissing(RuntimeError):
    """The shared THUCNews sample is not where it is looked for."""


def find_shared() -> Optional[Path]:
    """The read-only shared folder: env ZHNEWS_SHARED, else a parent folder's shared/."""
    if os.environ.get("ZHNEWS_SHARED"):
        return Path(os.environ["ZHNEWS_SHARED"])
    for parent in REPO.parents:
        if (parent / "shared" / "corpora").is_dir():
            return parent / "shared"
    return None


def sample_path() -> Optional[Path]:
    """Where the THUCNews sample should be (it may be absent), None without a shared folder."""
    shared = find_shared()
    return shared / SAMPLE if shared else None


def thucnews_texts(path: Optional[Path] = None) -> dict[str, str]:
    """id -> article text of the THUCNews sample (do not modify the dict: it is cached)."""
    path = Path(path) if path else sample_path()
    if path is None or not path.is_file():
        where = f"at {path}" if path else "(no shared/ folder beside the checkout)"
        raise CorpusMissing(f"THUCNews sample not found {where}: put the shared folder beside "
                            "the checkout or set ZHNEWS_SHARED to it")
    return _read(path.resolve())


@lru_cache(maxsize=2)
def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return {d["id"]: d["text"] for d in docs}


def window(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """The ``width`` characters before ``start`` and after ``end``."""
    return text[max(0, start - width):start], text[end:end + width]
