"""Records as pandas DataFrames, for notebooks (pandas is optional).

    >>> frames = to_dataframes(pipeline.extract_paths(["corpora/seeds"]))
    >>> frames["counts"].groupby("unit").value.sum()

One frame per record type plus `documents`; every row carries its
`doc_id`, and the first mention's offsets and sentence for highlighting.
"""

from __future__ import annotations

from typing import Iterable

from pipeline.records import RECORD_TYPES, Document

_DOC_COLUMNS = ("doc_id", "source", "title", "published_at", "script", "origin", "editor")


def _pandas():
    try:
        import pandas
    except ImportError as err:
        raise ImportError("to_dataframes needs pandas: pip install 'zhnews[pandas]'") from err
    return pandas


def record_rows(docs: Iterable[Document]) -> dict[str, list[dict]]:
    """Plain rows per table (what the DataFrames are built from)."""
    rows: dict[str, list[dict]] = {"documents": [], **{kind: [] for kind in RECORD_TYPES}}
    for doc in docs:
        rows["documents"].append({
            **{c: getattr(doc, c) for c in _DOC_COLUMNS},
            "error": doc.error.code if doc.error else None,
            **{f"n_{kind}": len(getattr(doc, kind)) for kind in RECORD_TYPES},
        })
        for kind in RECORD_TYPES:
            for record in getattr(doc, kind):
                rows[kind].append(_row(doc.doc_id, record))
    return rows


def _row(doc_id: str, record) -> dict:
    data = record.model_dump(exclude={"mentions"})
    first = record.mentions[0]
    return {"doc_id": doc_id, **data, "start": first.start, "end": first.end,
            "sentence": first.sentence, "n_mentions": len(record.mentions)}


def to_dataframes(docs: Iterable[Document]) -> dict:
    """{"documents": DataFrame, "regions": DataFrame, ...}."""
    pandas = _pandas()
    return {name: pandas.DataFrame(rows) for name, rows in record_rows(docs).items()}
