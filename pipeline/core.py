"""The Python API: one text in, one Document record out.

    >>> import pipeline
    >>> doc = pipeline.extract("5月17日,中央统战部在成都召开座谈会。")
    >>> [r.name for r in doc.regions]
    ['成都市']
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Optional

from pipeline.analysis import Analysis, analyze, parse_published, unreadable_date_notice
from pipeline.errors import extract_failed
from pipeline.extract import (
    explain_brands,
    extract_counts,
    extract_figures,
    extract_meetings,
    extract_regions,
    primary_region,
)
from pipeline.extract.brands import brands_from, judge_document
from pipeline.ingest import RawDocument, clean_text, sha1
from pipeline.pubdate import best_clue
from pipeline.records import DateSource, Document

log = logging.getLogger(__name__)


WARM_UP_TEXT = "时间: 2024-02-05\n近日，全省推进会在汕尾召开，宁海县委常委、统战部部长娄黛敏出席，近80人参会，“百千万工程”。"


def get_nlp(spacy_model: Optional[str] = None, *, ner: bool = True):
    """The spaCy Language for this process, or None when NER is switched off."""
    if not ner:
        return None
    from pipeline.nlp import load_nlp

    return load_nlp(spacy_model)


def extract(
    text: str,
    *,
    source: Optional[str] = None,
    doc_id: Optional[str] = None,
    title: Optional[str] = None,
    published_at: Optional[str] = None,
    spacy_model: Optional[str] = None,
    ner: bool = True,
    explain: bool = False,
) -> Document:
    """Extract every record type from one article's text.

    `published_at` (ISO date) overrides the date read from the article's
    header; relative dates (近日, 去年11月) resolve against it. `ner=False`
    runs the rules only; `explain=True` adds every brand candidate with its
    label and probability. Raises nothing for bad text: it is in the record.
    """
    text, notices = clean_text(text)
    raw = RawDocument(
        doc_id=doc_id or sha1(text.encode("utf-8")),
        source=source,
        text=text,
        fields={k: v for k, v in (("title", title), ("published_at", published_at)) if v},
        warnings=notices,
    )
    return extract_raw(raw, nlp=get_nlp(spacy_model, ner=ner), explain=explain)


def extract_raw(raw: RawDocument, *, nlp=None, explain: bool = False) -> Document:
    """A Document from an ingested raw document; failures become error records."""
    if raw.error is not None:
        return Document(doc_id=raw.doc_id, source=raw.source, error=raw.error, warnings=raw.warnings)
    try:
        return _extract(raw, nlp, explain)
    except Exception as exc:  # a bad document must not stop a batch
        where = raw.source or raw.doc_id
        log.exception("extraction failed for %s", where)
        return Document(doc_id=raw.doc_id, source=raw.source, error=extract_failed(where, exc))


def warm_up(nlp=None) -> None:
    """Load every lexicon, table and model once, before the first document:
    a broken data file stops the run here instead of failing every document."""
    _extract(RawDocument(doc_id="warm-up", source=None, text=WARM_UP_TEXT), nlp, explain=True)


def _extract(raw: RawDocument, nlp, explain: bool) -> Document:
    doc = analyze(raw.text, published_at=raw.fields.get("published_at"), nlp=nlp)
    doc, date_source = _settle_date(doc, raw)
    page = raw.page
    regions = extract_regions(doc)
    primary = primary_region(doc, regions)
    figures = extract_figures(doc)
    counts = extract_counts(doc, regions=regions)
    judged = judge_document(doc)  # once, for the brands and for --explain
    return Document(
        doc_id=raw.doc_id,
        source=raw.source,
        title=_title(doc, raw),
        published_at=_published(doc),
        script=doc.otext.script,
        origin=(page and page.origin) or doc.header.origin,
        editor=doc.header.editor,
        keywords=doc.header.keywords,
        author=page and page.author,
        url=page and page.url,
        published_at_source=date_source,
        text_extractor=page and page.extractor,
        primary_region=primary,
        text=doc.otext.original,
        normalized_text=doc.text,
        regions=regions,
        figures=figures,
        brands=brands_from(doc, judged, regions),
        counts=counts,
        meetings=extract_meetings(doc, regions=regions, figures=figures, counts=counts, primary=primary),
        warnings=[*raw.warnings, *doc.otext.warnings, *_date_notices(raw)],
        brand_candidates=explain_brands(doc, judged) if explain else None,
    )


def _date_notices(raw: RawDocument) -> list:
    notice = unreadable_date_notice(raw.fields.get("published_at"))
    return [notice] if notice else []


def _settle_date(doc: Analysis, raw: RawDocument) -> tuple[Analysis, Optional[DateSource]]:
    """The publication date and where it came from: the date the input names
    (a JSONL field), else the best of the HTML page's and the text header's
    readings (pipeline.pubdate.best_clue)."""
    given = raw.fields.get("published_at")
    if given is not None and parse_published(given) is not None:
        return doc, DateSource(method="given", confidence=1.0, text=str(given))
    clues = [c for c in (raw.page.published if raw.page else None, doc.header.published) if c]
    clue = best_clue(clues)
    if clue is None:
        return doc, None
    doc = replace(doc, published=parse_published(clue.value))
    return doc, DateSource(method=clue.method, confidence=clue.confidence, text=clue.text)


def _title(doc: Analysis, raw: RawDocument) -> Optional[str]:
    given = raw.fields.get("title") or (raw.page.title if raw.page else None)
    if given:
        from pipeline.normalize import normalize

        return normalize(str(given)).text.strip() or None
    return doc.header.title


def _published(doc: Analysis) -> Optional[str]:
    return doc.published.isoformat() if doc.published else None
