"""Finding place-name hits on characters, and the guards that drop false ones.

A hit must start where a jieba word starts. It may end inside a word only
when it is a strong name at the word's start (河北|大学, 内蒙古|草原, 汕尾市|委)
or a full official name followed by a known continuation (宁海县|委).

Strong hits are full official names (汕尾市, 海丰县), provinces, prefectures,
named areas and countries. Weak hits, short forms of counties (炎陵, 抚远)
and surfaces flagged as common words (和平, 江山), need evidence for one of
their divisions:
  (a) right after a strong hit naming an ancestor (北京朝阳);
  (b) in a list beside a strong hit of the same province (黑河、抚远);
  (c) for county short forms that are not common words: their parent (the
      prefecture, or the municipality) named anywhere in the document by a
      strong hit (炎陵 where 株洲 is named, 海淀 where 北京 is).
The evidence found is kept on the hit (`allowed`), so the disambiguation
only chooses among the divisions that earned it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from pipeline.data import load_json
from pipeline.gazetteer import Surface, gazetteer
from pipeline.nlp import word_freq, word_tags
from pipeline.segment import Span, TokenIndex
from pipeline.textutil import DisjointSpans

# jieba's tags of idioms, fixed phrases and direction words: a word starting with a
# place name and tagged so (大同小异, 万全之策) does not name the place.
IDIOM_TAGS = frozenset({"i", "l", "f"})

DIVISION_LEVELS = ("province", "prefecture", "county")
# A word this frequent in jieba's dictionary is not cut by a place name (新增, 新城).
STOLEN_WORD_FREQ = 100


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    options: tuple[Surface, ...]
    weak: bool = False
    allowed: tuple[str, ...] = ()

    @property
    def common(self) -> bool:
        return any(s.common for s in self.options)

    @property
    def division_codes(self) -> tuple[str, ...]:
        codes = tuple(s.ref for s in self.options if s.level in DIVISION_LEVELS)
        return tuple(c for c in codes if c in self.allowed) if self.allowed else codes

    def overlaps(self, other: "Hit") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class _Rules:
    continuations: tuple[str, ...]
    separators: tuple[str, ...]
    not_places: tuple[str, ...]
    street: re.Pattern
    foreign_not_before: tuple[str, ...]
    not_after: tuple[str, ...]
    township: re.Pattern  # a township name written after its county (永嘉县瓯北镇)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_json("region_context.json")
    return _Rules(tuple(data["continuations"]), tuple(data["separators"]), tuple(data["not_places"]),
                  re.compile(data["street_after_short_name"]), tuple(data["foreign_not_before"]),
                  tuple(data["not_after"]), _township_pattern(data["township_suffixes"]))


def _township_pattern(suffixes: list[str]) -> re.Pattern:
    return re.compile(r"[\u4e00-\u9fff]{2,3}?(?:%s)" % "|".join(map(re.escape, suffixes)))


def township_after(text: str, pos: int):
    """A township-level name (瓯北镇) starting at `pos`, as a match, or None."""
    return _rules().township.match(text, pos)


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for text, surfaces in gazetteer().all_surfaces().items():
        if len(text) >= 2:
            automaton.add_word(text, (text, surfaces))
    automaton.make_automaton()
    return automaton


def find_hits(text: str) -> list[Hit]:
    """Every gazetteer surface in the text, overlapping ones included."""
    return [Hit(end + 1 - len(surface), end + 1, surface, options)
            for end, (surface, options) in _automaton().iter(text)]


# --- strength and alignment ---------------------------------------------------

_SUFFIXES = ("省", "市", "县", "区", "旗", "盟", "州")


def is_full(hit: Hit) -> bool:
    """A name written with its administrative suffix: 汕尾市, 海丰县, 大理州, and the
    two-character names of counties 郫县, 沙县, 任县 (not short forms: 全州, 达旗)."""
    divisions = [s for s in hit.options if s.level in DIVISION_LEVELS]
    if not divisions or not hit.text.endswith(_SUFFIXES):
        return False
    return len(hit.text) >= 3 or hit.text[-1] == "县" or any(s.how != "alias" for s in divisions)


def is_strong(hit: Hit) -> bool:
    if hit.common:
        return False
    levels = {s.level for s in hit.options}
    if levels == {"area"}:
        area = gazetteer().area_named(hit.options[0].ref)
        return area is not None and area.tier == "core"
    return is_full(hit) or bool(levels & {"province", "prefecture", "foreign"})


def _word_at(tokens: TokenIndex, i: int) -> tuple[int, int]:
    """The jieba word holding the character at i (the character alone outside any)."""
    tok = tokens.holding(i)
    return (tok.start, tok.end) if tok is not None else (i, i + 1)


def _steals_first_char(text: str, hit: Hit, tokens: TokenIndex) -> bool:
    """新|增城区, 亦庄新|城东区: the hit's first character and a lone character
    before it make a common word, so the hit is not a name here."""
    if hit.start == 0 or _word_at(tokens, hit.start - 1)[0] != hit.start - 1:
        return False
    return word_freq(text[hit.start - 1:hit.start + 1]) >= STOLEN_WORD_FREQ


def _aligned(text: str, hit: Hit, tokens: TokenIndex, strong_spans: set) -> bool:
    if _steals_first_char(text, hit, tokens):
        return False
    word_start = _word_at(tokens, hit.start)[0]
    if word_start != hit.start and not (is_strong(hit) and (word_start, hit.start) in strong_spans):
        return False  # 奥巴马; but 吉林长春 as one word is two places
    last_start, word_end = _word_at(tokens, hit.end - 1)
    if word_end == hit.end:
        return True
    if last_start == hit.start:  # 河北|大学, but not 大同|小异
        return is_strong(hit) and word_tags().get(text[hit.start:word_end]) not in IDIOM_TAGS
    return is_full(hit) and text[hit.end:word_end] in _rules().continuations


def _excluded(text: str, hit: Hit) -> bool:
    """Street names (南京路), phrases that are not places (北京时间), ethnic names (蒙古族)."""
    rules = _rules()
    for phrase in rules.not_places:
        at = text.find(phrase, max(0, hit.end - len(phrase)), hit.start + len(phrase))
        if at != -1 and at <= hit.start and hit.end <= at + len(phrase):
            return True
    after = text[hit.end:hit.end + 3]
    if not is_full(hit) and (rules.street.match(after) or text.endswith(rules.not_after, 0, hit.start)):
        return True
    foreign = all(s.level == "foreign" for s in hit.options)
    return foreign and after.startswith(rules.foreign_not_before)


# --- evidence for weak hits ---------------------------------------------------

def _province(code: str) -> str:
    chain = gazetteer().ancestors(code)
    return chain[-1] if chain else code


class _Strong:
    """The strong hits by where they end and where they start."""

    def __init__(self, strong: list[Hit]):
        self.by_end: dict[int, list[Hit]] = {}
        self.by_start: dict[int, list[Hit]] = {}
        for h in strong:
            self.by_end.setdefault(h.end, []).append(h)
            self.by_start.setdefault(h.start, []).append(h)

    def listed_with(self, text: str, hit: Hit) -> list[Hit]:
        """Strong hits one separator away before or after the hit (黑河、抚远)."""
        out = []
        for sep in _rules().separators:
            out += [o for o in self.by_end.get(hit.start - len(sep), ()) if text[o.end:hit.start] == sep]
            out += [o for o in self.by_start.get(hit.end + len(sep), ()) if text[hit.end:o.start] == sep]
        return out


def _evidence(text: str, hit: Hit, strong: _Strong, named: set[str]) -> tuple[str, ...]:
    """The divisions of a weak hit that the context supports (empty: drop it)."""
    before, listed = strong.by_end.get(hit.start, ()), strong.listed_with(text, hit)
    allowed = []
    for code in hit.division_codes:
        lineage = gazetteer().ancestors(code)
        if any(set(lineage) & set(other.division_codes) for other in before):
            allowed.append(code)  # (a) 北京朝阳
        elif any(_province(c) == _province(code) for other in listed for c in other.division_codes):
            allowed.append(code)  # (b) 黑河、抚远
        elif not hit.common and lineage[:1] and lineage[0] in named:
            allowed.append(code)  # (c) 炎陵 with 株洲 named, 海淀 with 北京
    return tuple(allowed)


def accepted_hits(text: str, hits: list[Hit], tokens: TokenIndex | Sequence[Span]) -> list[Hit]:
    """The hits that survive the guards, longest first, without overlaps, in text order."""
    if not isinstance(tokens, TokenIndex):
        tokens = TokenIndex(tokens)
    strong_spans = {(h.start, h.end) for h in hits if is_strong(h)}
    candidates = [h for h in hits if _aligned(text, h, tokens, strong_spans) and not _excluded(text, h)]
    strong = [h for h in candidates if is_strong(h)]
    named = {code for h in strong for code in h.division_codes}
    kept, index = list(strong), _Strong(strong)
    for hit in candidates:
        if not is_strong(hit) and hit.division_codes:
            allowed = _evidence(text, hit, index, named)
            if allowed:
                kept.append(replace(hit, weak=True, allowed=allowed))
    chosen: list[Hit] = []
    taken = DisjointSpans()
    for hit in sorted(kept, key=lambda h: (-(h.end - h.start), h.start)):
        if not taken.clashes(hit.start, hit.end):
            chosen.append(hit)
            taken.add(hit.start, hit.end)
    chosen.sort(key=lambda h: h.start)
    return [h for i, h in enumerate(chosen) if not (i and _names_a_part_of(chosen[i - 1], h))]


def _names_a_part_of(county: Hit, hit: Hit) -> bool:
    """杨浦鞍山, 瑞安安阳新区: a short name written right after a county that is not
    its parent names a neighbourhood of that county, not the far-away city."""
    if county.end != hit.start or is_full(hit) or not county.division_codes:
        return False
    gaz = gazetteer()
    if any(gaz.by_code(c).level != "county" for c in county.division_codes):
        return False
    return not any(set(county.division_codes) & set(gaz.ancestors(code)) for code in hit.division_codes)
