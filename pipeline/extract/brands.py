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

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional, Sequence

from pipeline.analysis import Analysis
from pipeline.brand_classifier import (
    BRAND_LABELS, BrandModel, best_label, brand_probability, candidate_row, features, load_model,
)
from pipeline.extract.brand_candidates import Candidate, Tails, find_candidates, lexicon
from pipeline.extract.brand_cues import (
    Cue, cue_of, head_kind, list_runs, place_start, place_words, tail_start, type_after, verb_before,
)
from pipeline.normalize import MOJIBAKE
from pipeline.records import Brand, BrandCandidate, Mention, Region
from pipeline.textutil import brand_key

FULL_NAME_MIN = 10
RULE_CONFIDENCE = 0.5
CUE_CONFIDENCE = 0.9       # a candidate a context cue decided
DOCUMENT_CONFIDENCE = 0.8  # one a document rule accepted (list, same name, outer quote)
HARD_REJECTIONS = ("title", "speech", "formula", "notname")
FAMILY_PREFIX = 2
LIST_HEAD_KINDS = ("team", "platform")  # 甲服务团、乙服务团和丙服务团 (not 信息工程、生物工程)
FAMILY_MIN = 4
OPENERS = "“‘「『\"' \u3000"


@dataclass(frozen=True)
class Judged:
    """A candidate and what decided it: a context cue, a document rule, the classifier
    or (without a model) the head-noun rule."""

    cand: Candidate
    label: str
    probability: float  # of ``label``
    brand_probability: float
    kind: Optional[str]  # the brand kind when accepted
    method: str
    cue: Cue

    @property
    def accepted(self) -> bool:
        return self.kind is not None


def extract_brands(doc: Analysis, *, regions: Sequence[Region] = ()) -> list[Brand]:
    return brands_from(doc, judge_document(doc), regions)


def judge_document(doc: Analysis) -> list[Judged]:
    """Every candidate of the document, judged by the cues and the shipped model (rules without one)."""
    return judge(doc, load_model())


def explain_brands(doc: Analysis, judged: Optional[Sequence[Judged]] = None) -> list[BrandCandidate]:
    """Every candidate, kept or not, with the cue that decided it: a kept one with its
    brand kind and its confidence; a rejected one with its label and that label's
    probability. `judged`: judge()'s list when the caller has it already."""
    if judged is None:
        judged = judge_document(doc)
    return [BrandCandidate(text=j.cand.text, full_text=j.cand.full_text,
                           label=j.kind if j.accepted else j.label,
                           probability=round(j.brand_probability if j.accepted else j.probability, 4),
                           accepted=j.accepted, mention=doc.mention(j.cand.start, j.cand.end), cue=str(j.cue))
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
    """Each candidate decided by its context cue, else by the model (or the head-noun
    rule); then the document rules carry decisions across lists, names and families."""
    found, tails = candidates(doc), Tails(doc.text, doc.seg.word_ends)
    rows = [_with_tail(candidate_row(doc.text, c), c, tails) for c in found]
    judged = [_decide(model, row, c) for row, c in zip(rows, found)]
    return settle(doc.text, judged, rows)


def _with_tail(row: dict, cand: Candidate, tails: Tails) -> dict:
    """The row with ``tail``, type_after's head read in the document's own words (``()``: none)."""
    start = tail_start(row)
    if start is None:
        return row
    found = tails.after(cand.end + start[0], cand.end + len(row["right"]), inside=start[1])
    return {**row, "tail": found or ()}


def _decide(model: Optional[BrandModel], row: dict, cand: Candidate) -> Judged:
    cue = cue_of(row)
    if cue is None:
        return _classify(model, row, cand) if model else _rule(cand)
    p_brand = brand_probability(model.predict_proba(row)) if model else RULE_CONFIDENCE
    if cue.accept:
        return Judged(cand, cue.label, CUE_CONFIDENCE, max(p_brand, CUE_CONFIDENCE), cue.label,
                      f"cue:{cue.rule}", cue)
    return Judged(cand, cue.label, CUE_CONFIDENCE, min(p_brand, 1 - CUE_CONFIDENCE), None, f"cue:{cue.rule}", cue)


def _classify(model: BrandModel, row: dict, cand: Candidate) -> Judged:
    feats = features(row)
    probs = model.predict_proba(row, feats)
    p_brand = brand_probability(probs)
    kind = best_label(probs, BRAND_LABELS) if p_brand >= model.threshold else None
    other = best_label(probs, [x for x in probs if x not in BRAND_LABELS])
    label = kind or other
    towards, against = (kind, other) if kind else (label, best_label(probs, BRAND_LABELS))
    feature, pull = model.strongest(row, towards, against, feats)
    cue = Cue("model", kind is not None, label, f"{feature} {pull:+.2f}, brand p={p_brand:.2f}")
    return Judged(cand, label, probs[label], p_brand, kind, "classifier", cue)


def _rule(cand: Candidate) -> Judged:
    """Without a model: a name ending in a brand-like head noun, outside 《》."""
    hint = head_kind(cand.head)
    kind = hint if hint in BRAND_LABELS and cand.quote_style != "《》" else None
    label = kind or "other"
    p = RULE_CONFIDENCE if kind else 1 - RULE_CONFIDENCE
    cue = Cue("rules", kind is not None, label, f"head {cand.head}" if cand.head else "no head")
    return Judged(cand, label, p, RULE_CONFIDENCE if kind else 0.0, kind, "rules", cue)


# --- document rules ----------------------------------------------------------------

def settle(text: str, judged: list[Judged], rows: Sequence[dict]) -> list[Judged]:
    """Carry decisions through the document until nothing changes: to every member of
    a list (甲服务团、乙服务团和丙服务团; “X”“Y”“Z”等活动) and to every mention of a name
    (a name keeps its type within a document). A family of names sharing a prefix counts
    only as a list (同心义企行、同心义乡行等活动, _kin_lists): elsewhere in the text a
    shared prefix is often an idiom's (要“同心同德” after “同心护边”)."""
    runs = list_runs(text, [(j.cand.start, j.cand.end, j.cand.quoted) for j in judged])
    judged = _outer_names(_kin_lists(_heads_in_lists(judged, runs, rows), runs, rows))
    for _ in range(3):
        before = [j.accepted for j in judged]
        judged = _same_names(_lists(judged, runs))
        if [j.accepted for j in judged] == before:
            break
    return judged


def _carried(j: Judged, source: Judged, rule: str, evidence: str) -> Judged:
    return replace(j, label=source.kind, kind=source.kind, brand_probability=DOCUMENT_CONFIDENCE,
                   probability=DOCUMENT_CONFIDENCE, method=f"cue:{rule}", cue=Cue(rule, True, source.kind, evidence))


def _open(j: Judged) -> bool:
    """Whether a document rule may accept the candidate: not accepted yet, and not
    rejected by a cue that reads what the candidate is (a title, speech, a formula)."""
    return not j.accepted and not (j.cue.rule in HARD_REJECTIONS and not j.cue.accept)


def _lists(judged: list[Judged], runs: list[list[int]]) -> list[Judged]:
    out = list(judged)
    for run in runs:
        sources = [out[k] for k in run if out[k].accepted and out[k].method != "classifier"]
        if not sources:
            continue
        source = max(sources, key=lambda j: (j.method != "classifier", j.brand_probability))
        for k in run:
            if _open(out[k]):
                out[k] = _carried(out[k], source, "list", f"listed with {_shown(source)}")
    return out


def _heads_in_lists(judged: list[Judged], runs: list[list[int]], rows: Sequence[dict]) -> list[Judged]:
    """A list of unquoted names sharing a brand head after a creating verb
    (组建青年律师服务团、巾帼律师服务团和银发律师服务团): each a named team."""
    out = list(judged)
    for run in runs:
        heads = {out[k].cand.head for k in run}
        head = heads.pop() if len(heads) == 1 else None
        kind = head_kind(head)
        verb = verb_before(rows[run[0]])
        if kind not in LIST_HEAD_KINDS or verb is None or any(out[k].cand.quoted for k in run):
            continue
        cue = Cue("list_heads", True, kind, f"{verb} {len(run)} names ending in {head}")
        for k in run:
            if _open(out[k]):
                out[k] = replace(out[k], label=kind, kind=kind, probability=CUE_CONFIDENCE,
                                 brand_probability=CUE_CONFIDENCE, method="cue:list_heads", cue=cue)
    return out


def _kin_lists(judged: list[Judged], runs: list[list[int]], rows: Sequence[dict]) -> list[Judged]:
    """A list of names sharing their first FAMILY_PREFIX characters, before a brand head
    (同心义企行、同心义乡行、同心义路行等活动; “侨爱护苗”“侨爱助老”“侨爱暖冬”行动)."""
    out = list(judged)
    for run in runs:
        names = [out[k].cand.text for k in run]
        tail = type_after(rows[run[-1]])
        kind = head_kind(tail[0]) if tail else None
        if kind not in BRAND_LABELS or len({n[:FAMILY_PREFIX] for n in names}) > 1:
            continue
        cue = Cue("family", True, kind, f"{'、'.join(names)}{tail[1]}")
        for k in run:
            if _open(out[k]) and _family_shaped(out[k]):
                out[k] = replace(out[k], label=kind, kind=kind, probability=CUE_CONFIDENCE,
                                 brand_probability=CUE_CONFIDENCE, method="cue:family", cue=cue)
    return out


def _outer_names(judged: list[Judged]) -> list[Judged]:
    """A quote typed by words that stay inside an outer quote types the outer one: in
    “数博大道‘1A+6S’新阶层工作圈” the name is the whole (the inner one is dropped later)."""
    out = list(judged)
    for j in judged:
        if not (j.accepted and j.cue.rule == "type" and j.cand.full_end):
            continue
        for k, outer in enumerate(out):
            if (outer.cand.quoted and _open(outer) and outer.cand.start < j.cand.start
                    and j.cand.full_end <= outer.cand.end):
                out[k] = _carried(outer, j, "outer", f"holds {_shown(j)}, typed inside it")
    return out


def _same_names(judged: list[Judged]) -> list[Judged]:
    accepted: dict[str, Judged] = {}
    for j in judged:
        if j.accepted and brand_key(j.cand.text) not in accepted:
            accepted[brand_key(j.cand.text)] = j
    return [_carried(j, accepted[key], "same_name", f"{_shown(accepted[key])} accepted by {accepted[key].cue.rule}")
            if _open(j) and (key := brand_key(j.cand.text)) in accepted else j for j in judged]


def _family_shaped(j: Judged) -> bool:
    return j.cand.head is None and len(j.cand.text) >= FAMILY_MIN and j.cand.full_text is None


def _shown(j: Judged) -> str:
    return f"“{j.cand.text}”" if j.cand.quoted else j.cand.text


# --- brand records ----------------------------------------------------------------

def brands_from(doc: Analysis, judged: Sequence[Judged], regions: Sequence[Region] = ()) -> list[Brand]:
    """One Brand per distinct name, with every mention of it."""
    region_spans = _region_spans(doc, regions)
    repairs = _repairs(doc, region_spans)
    records: dict[str, Brand] = {}
    for j in _outermost([j for j in judged if j.accepted]):
        name, full = _names(j.cand, repairs, whole=j.cue.rule == "formula_name")
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


def _names(cand: Candidate, repairs: dict[str, str], *, whole: bool = False) -> tuple[str, Optional[str]]:
    """(name, full_name) of an accepted candidate; ``whole``: the full name is the name
    (a formula inside a team's name, “两山”新青年宣讲团)."""
    core = clean_name(_repaired(cand.text, repairs))
    if cand.full_text is None:
        return core, None
    full = clean_name(_repaired(cand.full_text, repairs))
    extension = brand_key(full)[len(brand_key(core)):]
    return (full if whole or _names_its_own(extension) else core), full


def _names_its_own(extension: str) -> bool:
    """Whether the words after a quoted core make a name of their own with it (“6G星空”
    宁海县新的社会阶层人士统战服务中心, “金芙蓉”跃升行动计划专家服务团): long, and holding a
    place or a programme before their head; a description of the core's kind
    (“泡桐树下”民营企业家志愿服务队, “客时代”电商直播基地) is not."""
    if len(extension) < FULL_NAME_MIN:
        return False
    body = extension[:-1]
    return place_start(body) is not None or any(h in body for h in _programme_heads()) or \
        _holds_place_word(body)


def _holds_place_word(s: str) -> bool:
    """Whether a region's written form (place_words) stands anywhere in ``s``: its
    substrings up to the longest word are looked up, not every word searched for."""
    words, longest = place_words(), _longest_place_word()
    return any(s[a:a + n] in words for a in range(len(s)) for n in range(1, min(longest, len(s) - a) + 1))


@lru_cache(maxsize=1)
def _longest_place_word() -> int:
    return max(map(len, place_words()), default=0)


@lru_cache(maxsize=1)
def _programme_heads() -> tuple:
    """The heads brand_heads.txt types as programmes (计划, 行动, 工程): inside an
    extension they make the core name a programme."""
    return tuple(h for h, (kind, _) in lexicon().heads.items() if kind == "program")


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
