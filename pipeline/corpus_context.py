"""Article text around annotations that point into third-party corpora in the shared folder.

THUCNews and the People's Daily 1998 / MSRA NER sentences are third-party
research data: the project reads them from the shared folder beside its
checkout and never copies them into its own tree. The labelled brand
candidates and the hand checks under corpora/ therefore keep only a document
id and offsets; these helpers find the corpora and cut the text around an
annotation back out. Nothing here runs during extraction.

Document ids:

- ``thucnews-0001``: an article of ``corpora/thucnews_sample.jsonl``; offsets
  index its ``text`` as stored;
- ``pd_dev:12``, ``pd_test:12``, ``msra:12``: sentence 12 (0-based, in file
  order, sentences separated by blank lines) of a character-per-line BIO file
  under ``ner/`` (``NER_SOURCES``), its characters joined and normalized as
  the pipeline normalizes an article (``pipeline.normalize``: full-width
  digits folded, 『』 -> ‘’ ...); offsets index that normalized sentence.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

REPO = Path(__file__).resolve().parent.parent
SAMPLE = Path("corpora") / "thucnews_sample.jsonl"
NER_SOURCES = {
    "pd_dev": Path("ner") / "peoples_daily" / "example.dev",
    "pd_test": Path("ner") / "peoples_daily" / "example.test",
    "msra": Path("ner") / "msra" / "msra_test_bio.txt",
}
NER_CORPUS = {"pd_dev": "peoples_daily", "pd_test": "peoples_daily", "msra": "msra"}


class CorpusMissing(RuntimeError):
    """A shared corpus is not where it is looked for."""


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


def _missing(what: str, path: Optional[Path]) -> CorpusMissing:
    where = f"at {path}" if path else "(no shared/ folder beside the checkout)"
    return CorpusMissing(f"{what} not found {where}: put the shared folder beside "
                         "the checkout or set ZHNEWS_SHARED to it")


def thucnews_texts(path: Optional[Path] = None) -> dict[str, str]:
    """id -> article text of the THUCNews sample (do not modify the dict: it is cached)."""
    path = Path(path) if path else sample_path()
    if path is None or not path.is_file():
        raise _missing("THUCNews sample", path)
    return _read(path.resolve())


@lru_cache(maxsize=2)
def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return {d["id"]: d["text"] for d in docs}


# --- character-per-line NER sentences ------------------------------------------

def ner_path(source: str) -> Optional[Path]:
    """Where a NER source file should be (it may be absent)."""
    if source not in NER_SOURCES:
        raise KeyError(f"unknown NER source {source!r} (known: {', '.join(NER_SOURCES)})")
    shared = find_shared()
    return shared / NER_SOURCES[source] if shared else None


def bio_sentences(path: Path) -> list[str]:
    """The sentences of a character-per-line BIO file, characters joined."""
    return list(_bio(Path(path).resolve()))


@lru_cache(maxsize=4)
def _bio(path: Path) -> tuple[str, ...]:
    sentences, chars = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if cols:
                chars.append(cols[0])
            elif chars:
                sentences.append("".join(chars))
                chars = []
    if chars:
        sentences.append("".join(chars))
    return tuple(sentences)


def ner_texts(source: str, path: Optional[Path] = None) -> list[str]:
    """The normalized sentences of a NER source, index = sentence number."""
    path = Path(path) if path else ner_path(source)
    if path is None or not path.is_file():
        raise _missing(f"NER sentences {source!r}", path)
    return list(_normalized(path.resolve()))


@lru_cache(maxsize=4)
def _normalized(path: Path) -> tuple[str, ...]:
    from pipeline.normalize import normalize

    return tuple(normalize(s).text for s in _bio(path))


def ner_doc(doc: str) -> Optional[tuple[str, int]]:
    """(source, sentence index) of a NER sentence id such as ``pd_dev:12``, else None."""
    source, _, index = doc.partition(":")
    if source in NER_SOURCES and index.isdigit():
        return source, int(index)
    return None


def corpus_of(doc: str) -> Optional[str]:
    """The third-party corpus a document id points into (thucnews, peoples_daily,
    msra), None for the project's own documents."""
    if doc.startswith("thucnews-"):
        return "thucnews"
    found = ner_doc(doc)
    return NER_CORPUS[found[0]] if found else None


def texts(docs: Iterable[str]) -> dict[str, str]:
    """doc id -> text for THUCNews articles and NER sentences (CorpusMissing when a
    needed corpus is absent; unknown ids are left out)."""
    docs = set(docs)
    out: dict[str, str] = {}
    if any(d.startswith("thucnews-") for d in docs):
        sample = thucnews_texts()
        out.update((d, sample[d]) for d in docs if d in sample)
    for d in sorted(docs):
        found = ner_doc(d)
        if found:
            sentences = ner_texts(found[0])
            if found[1] < len(sentences):
                out[d] = sentences[found[1]]
    return out


def misplaced(rows: Iterable[dict], field: str = "mention") -> list[dict]:
    """Rows (doc, start, end, field) whose corpus text at start:end is not row[field]:
    what a hand check stores must still sit where it says (CorpusMissing when a
    corpus is absent)."""
    rows = list(rows)
    found = texts(r["doc"] for r in rows)
    return [r for r in rows if found.get(r["doc"], "")[r["start"]:r["end"]] != r[field]]


def window(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """The ``width`` characters before ``start`` and after ``end``."""
    return text[max(0, start - width):start], text[end:end + width]
