"""Brands: named programmes, platforms, bases, teams and activity series.

Candidates come from ``brand_candidates.find_candidates`` (quoted spans,
names ending in a head noun, 《》 titles); the classifier in
``pipeline.brand_classifier`` types each one (six brand kinds, or slogan,
quotation, document, meeting, other) and a candidate is a brand when the
probabilities of the six brand kinds sum to at least the model's threshold.
Without a usable model a head-noun rule decides (method ``rules``).

The name is the quoted core without its quote marks, or the whole name when
the quote is only its first part and the words after it name one body
(“6G星空”宁海县新的社会阶层人士统战服务中心, “金芙蓉”跃升行动计划专家服务团):
an extension of at least FULL_NAME_MIN characters; a shorter one describes
the core (“客时代”电商直播基地, “百名网红助产业”直播带货活动, “大悦宾”大型优惠促销活动)
and stays in ``full_name`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from pipeline.analysis import Analysis
from pipeline.brand_classifier import (
    BRAND_LABELS, BrandModel, best_label, brand_probability, candidate_row, load_model,
)
from pipeline.extract.brand_candidates import Candidate, find_candidates, lexicon
from pipeline.normalize import MOJIBAKE
from pipeline.records import Brand, BrandCandidate, Mention, Region
from pipeline.textutil import brand_key

FULL_NAME_MIN = 10
RULE_CONFIDENCE = 0.5
OPENERS = "“‘「『\"' \u3000"


@dataclass(frozen=True)
class Judged:
    """A candidate and what the classifier (or the rule) made of it."""

    cand: Candidate
    label: str
    probability: float  # of ``label``
    brand_probability: float
    kind: Optional[str]  # the most likely brand kind
    method: str

    @property
    def accepted(self) -> bool:
        return self.kind is not None


def extract_brands(doc: Analysis, *, regions: Sequence[Region] = ()) -> list[Brand]:
    return brands_from(doc, judge_document(doc), regions)


def judge_document(doc: Analysis) -> list[Judged]:
    """Every candidate of the document, judged by the shipped model (rules without one)."""
    return judge(doc, load_model())


def explain_brands(doc: Analysis, judged: Optional[Sequence[Judged]] = None) -> list[BrandCandidate]:
    """Every candidate, kept or not: a kept one with its brand kind and the probability
    that it is a brand; a rejected one with its most likely label and that label's
    probability. `judged`: judge()'s list when the caller has it already."""
    if judged is None:
        judged = judge_document(doc)
    return [BrandCandidate(text=j.cand.text, full_text=j.cand.full_text,
                           label=j.kind if j.accepted else j.label,
                           probability=round(j.brand_probability if j.accepted else j.probability, 4),
                           accepted=j.accepted, mention=doc.mention(j.cand.start, j.cand.end))
            for j in judged]


# --- judging candidates ----------------------------------------------------------

def candidates(doc: Analysis) -> list[Candidate]:
    """Brand candidates of the document outside its header metadata lines.

    Read on jieba's words without the HMM (``doc.seg.word_ends``), like the
    labelled set, not on the HMM tokens: the classifier learnt from those
    boundaries, and the HMM's new words (20名有, 全联盟) would pull function
    words into names."""
    return [c for c in find_candidates(doc.text, word_ends=doc.seg.word_ends, quotes=doc.quotes) if not doc.in_metadata(c.start)]


def judge(doc: Analysis, model: Optional[BrandModel]) -> list[Judged]:
    found = candidates(doc)
    if model is None:
        return [_rule(c) for c in found]
    return [_classify(model, candidate_row(doc.text, c), c) for c in found]


def _classify(model: BrandModel, row: dict, cand: Candidate) -> Judged:
    probs = model.predict_proba(row)
    label = best_label(probs)
    if label in BRAND_LABELS and brand_probability(probs) < model.threshold:
        label = best_label(probs, [x for x in probs if x not in BRAND_LABELS])
    p_brand = brand_probability(probs)
    kind = best_label(probs, BRAND_LABELS) if p_brand >= model.threshold else None
    return Judged(cand, label, probs[label], p_brand, kind, "classifier")


def _rule(cand: Candidate) -> Judged:
    """Without a model: a name ending in a brand-like head noun, outside 《》."""
    hint = lexicon().heads.get(cand.head or "", ("other",))[0]
    kind = hint if hint in BRAND_LABELS and cand.quote_style != "《》" else None
    label = kind or "other"
    p = RULE_CONFIDENCE if kind else 1 - RULE_CONFIDENCE
    return Judged(cand, label, p, RULE_CONFIDENCE if kind else 0.0, kind, "rules")


# --- brand records ----------------------------------------------------------------

def brands_from(doc: Analysis, judged: Sequence[Judged], regions: Sequence[Region] = ()) -> list[Brand]:
    """One Brand per distinct name, with every mention of it."""
    region_spans = _region_spans(doc, regions)
    repairs = _repairs(doc, region_spans)
    records: dict[str, Brand] = {}
    for j in _outermost([j for j in judged if j.accepted]):
        name, full = _names(j.cand, repairs)
        mention = doc.mention(*_span(j.cand, name_is_full=full is not None and name == full))
        brand = records.get(brand_key(name))
        if brand is None:
            records[brand_key(name)] = Brand(
                name=name, kind=j.kind, region=_region_of(doc, j.cand, region_spans), full_name=full,
                mentions=[mention], method=j.method, confidence=round(j.brand_probability, 4))
        else:
            _merge(brand, j, mention, full)
    return sorted(records.values(), key=lambda b: (b.mentions[0].start, b.name))


def _merge(brand: Brand, j: Judged, mention: Mention, full: Optional[str]) -> None:
    if all(m.start != mention.start for m in brand.mentions):
        brand.mentions.append(mention)
        brand.mentions.sort(key=lambda m: m.start)
    if j.brand_probability > brand.confidence:
        brand.confidence, brand.kind = round(j.brand_probability, 4), j.kind
    brand.full_name = brand.full_name or full


def _outermost(judged: list[Judged]) -> list[Judged]:
    """Drop accepted candidates that lie inside a longer accepted one."""
    spans = [_span(j.cand, name_is_full=True) for j in judged]
    return [j for j, (a, b) in zip(judged, spans)
            if not any(x <= a and b <= y and (x, y) != (a, b) for x, y in spans)]


def _span(cand: Candidate, *, name_is_full: bool) -> tuple[int, int]:
    if name_is_full and cand.full_text is not None:
        return cand.full_start, cand.full_end
    return cand.start, cand.end


def _names(cand: Candidate, repairs: dict[str, str]) -> tuple[str, Optional[str]]:
    """(name, full_name) of an accepted candidate."""
    core = clean_name(_repaired(cand.text, repairs))
    if cand.full_text is None:
        return core, None
    full = clean_name(_repaired(cand.full_text, repairs))
    extension = brand_key(full)[len(brand_key(core)):]
    return (full if len(extension) >= FULL_NAME_MIN else core), full


def clean_name(text: str) -> str:
    """Spaces removed, except one between two Latin letters (MADE IN ITALY); web
    copies pad digits with spaces (6 G星空), so a digit takes none."""
    parts = text.split()
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += (" " if _latin(out[-1]) and _latin(part[0]) else "") + part
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


# --- regions ------------------------------------------------------------------------

def _region_spans(doc: Analysis, regions: Sequence[Region]) -> list[tuple[int, int, Region]]:
    return sorted((*doc.span_of(m), r) for r in regions for m in r.mentions)


def _repairs(doc: Analysis, region_spans) -> dict[str, str]:
    """Damaged place names the regions extractor repaired (宁??h -> 宁海县): the same
    damaged string means the same place wherever it occurs in the document."""
    runs = [(m.start(), m.end()) for m in MOJIBAKE.finditer(doc.text)]
    found = {}
    for a, b, region in region_spans:
        if any(x < b and a < y for x, y in runs):
            found.setdefault(doc.text[a:b], region.name)
    return found


def _repaired(text: str, repairs: dict[str, str]) -> str:
    for damaged in sorted(repairs, key=len, reverse=True):
        text = text.replace(damaged, repairs[damaged])
    return text


def _region_of(doc: Analysis, cand: Candidate, region_spans) -> Optional[str]:
    """The region named right before the brand (成都“MFG创客联邦”), else the first
    region inside its name (官渡区自由职业人员统战工作示范基地)."""
    start = cand.full_start if cand.full_text is not None else cand.start
    while start > 0 and doc.text[start - 1] in OPENERS:
        start -= 1
    end = cand.full_end if cand.full_text is not None else cand.end
    coded = [(a, b, r) for a, b, r in region_spans if r.code]
    before = [r for a, b, r in coded if b == start]
    inside = [r for a, b, r in coded if cand.start <= a and b <= end]
    hit = before[-1:] or inside[:1]
    return hit[0].code if hit else None
