"""Finding place-name hits on characters, and the guards that drop false ones.

A hit must start where a jieba word starts. It may end inside a word only
when it is a strong name at the word's start (河北|大学, 内蒙古|草原, 汕尾市|委)
or a full official name followed by a known continuation (宁海县|委).

Strong hits are full official names (汕尾市, 海丰县), provinces, prefectures,
named areas and countries. Weak hits, short forms of counties (炎陵, 抚远)
and surfaces flagged as common words (和平, 江山), are read with evidence for
one of their divisions:
  (a) right after a strong hit naming an ancestor (北京朝阳);
  (b) in a list beside a strong hit, or another county short form, of the
      same province (黑河、抚远; 瑞金、于都、兴国);
  (c) for county short forms that are not common words: their parent (the
      prefecture, or the municipality) named anywhere in the document by a
      strong hit (炎陵 where 株洲 is named, 海淀 where 北京 is).
The evidence found is kept on the hit (`allowed`), so the disambiguation
only chooses among the divisions that earned it.

A county short form that names one division and is not a common word (by the
gazetteer's flag, or a frequent plain noun in jieba's dictionary: 水城), a
frequent given name (data/given_name_places.tsv) or a generic toponym (南湖,
西山, 全州) counts without evidence (ANNOTATION.md: 炎陵黄桃 -> 炎陵县) where it
stands as a place name (`_bare`): a word of its own, not inside a title in
《》, not after a surname (王|新安), not continued by a one-character name part
(尚志|民) nor followed by a verb of saying (连平表示); then, in a document whose
divisions lie mostly in one province, when it lies in that province (宁海 in a
report on 浙江, not 高昌 in one on 湖北); elsewhere when it opens a clause
(宁海推进…), follows a word of place or motion (在义乌, 到兰考) or comes before
a word that follows places (义乌籍, 汶川地震).

Zones: `zone_end` reads a development or cooperation zone the gazetteer lacks
after the division that opens its name (成都|高新技术产业开发区).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from pipeline.data import load_json, load_words
from pipeline.gazetteer import Surface, gazetteer
from pipeline.nlp import word_freq, word_tags
from pipeline.quotes import QuoteTable
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
    bare: bool = False  # a county short form read without evidence (its own standing as a name)

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
    bare: "_BareRules"
    zone: re.Pattern  # the words of a zone's name after its division (高新技术产业开发区)
    zone_not_tags: frozenset[str]
    zone_not_words: frozenset[str]
    zone_name_verbs: frozenset[str]
    township_suffixes: tuple[str, ...]
    zone_heads: tuple[str, ...]


@dataclass(frozen=True)
class _BareRules:
    """Where a county short form stands as a place name without evidence."""

    generic: tuple[tuple[str, str], ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    saying: tuple[str, ...]
    single_after: str
    clause_marks: str


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_json("region_context.json")
    suffixes, zones = tuple(data["township_suffixes"]), data["zones"]
    return _Rules(tuple(data["continuations"]), tuple(data["separators"]), tuple(data["not_places"]),
                  re.compile(data["street_after_short_name"]), tuple(data["foreign_not_before"]),
                  tuple(data["not_after"]), _township_pattern(suffixes),
                  _bare_rules(data["bare_short_form"]), zone_name_pattern(zones["heads"], zones["max_describing"]),
                  frozenset(zones["not_tags"]), frozenset(zones["not_words"]),
                  frozenset(zones["name_verbs"]), suffixes, tuple(zones["heads"]))


def zone_name_pattern(heads: Sequence[str], reach: int) -> re.Pattern:
    """A zone's name read with .match: one of its heads (group ``head``, the longest
    first) after at most ``reach`` characters that describe the zone."""
    alternatives = "|".join(map(re.escape, sorted(heads, key=len, reverse=True)))
    return re.compile(r"[\u4e00-\u9fff]{0,%d}?(?P<head>%s)" % (reach, alternatives))


def _bare_rules(data: dict) -> _BareRules:
    return _BareRules(tuple((a, b) for a, b in data["generic"]), tuple(data["before"]),
                      tuple(data["after"]), tuple(data["saying"]), data["single_after"],
                      data["clause_marks"])


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """County short forms that are also frequent given names (建华, 尚志)."""
    return frozenset(load_words("given_name_places.tsv"))


def township_suffixes() -> tuple[str, ...]:
    """What a township's name ends in after its stem (瓯北镇, 玉林街道), region_context.json's list."""
    return _rules().township_suffixes


def _township_pattern(suffixes: Sequence[str]) -> re.Pattern:
    return re.compile(r"[\u4e00-\u9fff]{2,3}?(?:%s)" % "|".join(map(re.escape, suffixes)))


def zone_heads() -> tuple[str, ...]:
    """The heads of development and cooperation zones' names (开发区, 经开区, 合作区)."""
    return _rules().zone_heads


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

# 全省/省委/本市/我县 ...: the last character of a division's official name (省; 市 for
# 北京市 and 昆山市 alike; 区 for 广西壮族自治区 and 浦东新区), in the order the regions
# extractor tries bare words.
ADMIN_CHARS = ("省", "市", "州", "盟", "县", "旗", "区")


def is_full(hit: Hit) -> bool:
    """A name written with its administrative suffix: 汕尾市, 海丰县, 大理州, and the
    two-character names of counties 郫县, 沙县, 任县 (not short forms: 全州, 达旗)."""
    divisions = [s for s in hit.options if s.level in DIVISION_LEVELS]
    if not divisions or not hit.text.endswith(ADMIN_CHARS):
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
    return is_full(hit) and text[hit.end:word_end].startswith(_rules().continuations)  # 常山县|委书记


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


class _ByPosition:
    """Hits by where they end and where they start."""

    def __init__(self, hits: list[Hit]):
        self.by_end: dict[int, list[Hit]] = {}
        self.by_start: dict[int, list[Hit]] = {}
        for h in hits:
            self.by_end.setdefault(h.end, []).append(h)
            self.by_start.setdefault(h.start, []).append(h)

    def listed_with(self, text: str, hit: Hit) -> list[Hit]:
        """Hits one separator away before or after the hit (黑河、抚远)."""
        out = []
        for sep in _rules().separators:
            out += [o for o in self.by_end.get(hit.start - len(sep), ()) if text[o.end:hit.start] == sep]
            out += [o for o in self.by_start.get(hit.end + len(sep), ()) if text[hit.end:o.start] == sep]
        return out


def _evidence(text: str, hit: Hit, strong: _ByPosition, named: set[str], weak: _ByPosition | None = None,
              surname_before: bool = False) -> tuple[str, ...]:
    """The divisions of a weak hit that the context supports (empty: drop it)."""
    before, listed = strong.by_end.get(hit.start, ()), strong.listed_with(text, hit)
    peers = [o for o in (weak.listed_with(text, hit) if weak else ())
             if o is not hit and not o.common and len(o.division_codes) == 1]
    allowed = []
    for code in hit.division_codes:
        lineage = gazetteer().ancestors(code)
        if any(set(lineage) & set(other.division_codes) for other in before):
            allowed.append(code)  # (a) 北京朝阳
        elif _same_province(code, listed):
            allowed.append(code)  # (b) 黑河、抚远
        elif _same_province(code, peers):
            allowed.append(code)  # (b) 瑞金、于都、兴国
        elif not hit.common and lineage[:1] and lineage[0] in named and not surname_before:
            allowed.append(code)  # (c) 炎陵 with 株洲 named, 海淀 with 北京 (not 赵|永平)
    return tuple(allowed)


def _same_province(code: str, others: list[Hit]) -> bool:
    """One of `others` (a hit's neighbours in a list: 、和与及) names a division of
    the province of `code`."""
    return any(_province(c) == _province(code) for other in others for c in other.division_codes)


# --- county short forms without evidence -------------------------------------------

def _bare(text: str, hit: Hit, tokens: TokenIndex, quotes: QuoteTable | None,
          province: str | None) -> bool:
    """A county short form standing as a place name on its own (see the module doc);
    `province`: the one most of the document's places lie in, if any."""
    if hit.common or len(hit.division_codes) != 1 or not _distinct_name(hit.text) or _common_noun(hit.text):
        return False
    if (quotes is not None and quotes.in_title(hit.start, hit.end)) or _person_like(text, hit, tokens):
        return False
    if province is not None:
        return _province(hit.division_codes[0]) == province  # 宁海 in a report on 浙江
    return _place_position(text, hit, tokens)


def _common_noun(form: str) -> bool:
    """水城, 河间: jieba knows the form as a frequent plain noun, verb or adjective
    (water city, river land): without evidence it is read as the word."""
    return word_tags().get(form) in _PLAIN_TAGS and word_freq(form) >= STOLEN_WORD_FREQ


_PLAIN_TAGS = frozenset({"n", "v", "vn", "a", "an", "ad", "d"})


def _dominant_province(strong: list[Hit]) -> str | None:
    """The province most of the document's divisions lie in (more than half of them)."""
    provinces = [_province(h.division_codes[0]) for h in strong if len(h.division_codes) == 1]
    best = max(set(provinces), key=provinces.count, default=None)
    return best if best is not None and 2 * provinces.count(best) > len(provinces) else None


def _distinct_name(form: str) -> bool:
    """Not a given name (建华) nor a generic toponym (南湖, 西山: a direction and a
    feature; 全州: the whole prefecture)."""
    generic = len(form) == 2 and any(form[0] in a and form[1] in b for a, b in _rules().bare.generic)
    return not generic and form not in given_names()


def _person_like(text: str, hit: Hit, tokens: TokenIndex) -> bool:
    """王|新安: a surname before it; 尚志|民, 库伦|湾: a one-character word continues
    the name; 旅西|华人: its last character and the next make a word; 连平表示: a
    person speaks; 麦克·瑞安: a transliterated name."""
    rules = _rules().bare
    if _after_surname(text, hit, tokens, lone=False):
        return True
    after = tokens.starting_at(hit.end)
    if after is not None and len(after.text) == 1 and _CJK.match(after.text) and after.text not in rules.single_after:
        return True
    if word_freq(hit.text[-1] + text[hit.end:hit.end + 1]) >= STOLEN_WORD_FREQ:
        return True
    neighbours = {text[hit.start - 1] if hit.start else "", text[hit.end:hit.end + 1]}
    return text.startswith(rules.saying, hit.end) or bool(neighbours & _NAME_DOTS)


_NAME_DOTS = {"·", "•", "‧", "-"}


def _after_surname(text: str, hit: Hit, tokens: TokenIndex, *, lone: bool = True) -> bool:
    """会长|宋|海东, 副主席|赵|永平: a two-character short form right after a surname
    that stands alone as a word is a given name; with `lone` False, also after a
    word jieba guessed around the surname (村王|新安)."""
    before = tokens.ending_at(hit.start)
    surname = text[hit.start - 1:hit.start] if hit.start else ""
    if before is None or len(hit.text) != 2 or surname not in _plain_surnames():
        return False
    return before.text == surname or (not lone and word_freq(before.text) == 0)


@lru_cache(maxsize=1)
def _plain_surnames() -> frozenset[str]:
    """One-character surnames that are not everyday words (于, 向, 全 are left out),
    as the figures extractor's lexicon reads surnames.txt."""
    from pipeline.extract.figure_lexicon import lexicon

    return lexicon().surnames - lexicon().word_surnames


def _place_position(text: str, hit: Hit, tokens: TokenIndex) -> bool:
    """Opening a clause (宁海推进), after 在/到/来自 (在义乌), before 籍/人/等地 (汶川地震)."""
    rules = _rules().bare
    if hit.start == 0 or text[hit.start - 1] in rules.clause_marks:
        return True
    previous = tokens.ending_at(hit.start)
    if previous is not None and previous.text in rules.before:
        return True
    return text.startswith(rules.after, hit.end)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def accepted_hits(text: str, hits: list[Hit], tokens: TokenIndex | Sequence[Span],
                  quotes: QuoteTable | None = None) -> list[Hit]:
    """The hits that survive the guards, longest first, without overlaps, in text order."""
    if not isinstance(tokens, TokenIndex):
        tokens = TokenIndex(tokens)
    strong_spans = {(h.start, h.end) for h in hits if is_strong(h)}
    candidates = [h for h in hits if _aligned(text, h, tokens, strong_spans) and not _excluded(text, h)]
    strong = [h for h in candidates if is_strong(h) and (is_full(h) or not _after_surname(text, h, tokens))]
    weak = [h for h in candidates if not is_strong(h) and h.division_codes]
    named = {code for h in strong for code in h.division_codes}
    province = _dominant_province(strong)
    kept, strong_index, weak_index = list(strong), _ByPosition(strong), _ByPosition(weak)
    for hit in weak:
        allowed = _evidence(text, hit, strong_index, named, weak_index, _after_surname(text, hit, tokens))
        if allowed:
            kept.append(replace(hit, weak=True, allowed=allowed))
        elif _bare(text, hit, tokens, quotes, province):
            kept.append(replace(hit, weak=True, allowed=hit.division_codes, bare=True))
    chosen: list[Hit] = []
    taken, by_span = DisjointSpans(), {}
    for hit in sorted(kept, key=lambda h: (-(h.end - h.start), h.start)):
        clashes = taken.clashes(hit.start, hit.end)
        if not clashes:
            chosen.append(hit)
            taken.add(hit.start, hit.end)
            by_span[hit.start, hit.end] = hit
        elif all(_opens(hit, by_span[span]) for span in clashes):
            chosen.append(hit)  # inside the area it opens: `taken` already covers it
    chosen.sort(key=lambda h: (h.start, h.start - h.end))
    return [h for i, h in enumerate(chosen) if not (i and _names_a_part_of(chosen[i - 1], h))]


def _opens(hit: Hit, area: Hit) -> bool:
    """苏州|工业园区, 兰州|新区: a division's name that opens an area's name counts too."""
    return (hit.start == area.start and hit.end < area.end and is_strong(hit) and bool(hit.division_codes)
            and all(s.level == "area" for s in area.options))


def zone_end(text: str, start: int, tokens: TokenIndex) -> int | None:
    """Where a development or cooperation zone's name ends when a division's name,
    ending at `start`, opens it (成都|高新技术产业开发区, 珲春|边境经济合作区): a head
    (data/region_context.json zones.heads) after at most a few words that describe it
    (nouns and adjectives, not 积极推进)."""
    rules = _rules()
    m = rules.zone.match(text, start)
    if m is None or not _ends_a_word(text, m.end(), tokens):
        return None
    pos = start
    while pos < m.start("head"):  # the describing words (a word holding the division's name may be one, 武汉东湖…)
        word = tokens.holding(pos) or Span(pos, pos + 1, text[pos])
        if word.start >= start and (word.text in rules.zone_not_words or (
                word_tags().get(word.text) in rules.zone_not_tags and word.text not in rules.zone_name_verbs)):
            return None
        pos = word.end
    return m.end()


def _ends_a_word(text: str, end: int, tokens: TokenIndex) -> bool:
    """A word ends at `end`, or jieba's guess glued the next character to it (合作|区新|落户)."""
    if end in tokens.boundaries or end == len(text):
        return True
    word = tokens.holding(end - 1)
    return word is not None and word_freq(word.text) == 0


def _names_a_part_of(county: Hit, hit: Hit) -> bool:
    """杨浦鞍山, 瑞安安阳新区: a short name written right after a county that is not
    its parent names a neighbourhood of that county, not the far-away city."""
    if county.end != hit.start or is_full(hit) or not county.division_codes:
        return False
    gaz = gazetteer()
    if any(gaz.by_code(c).level != "county" for c in county.division_codes):
        return False
    return not any(set(county.division_codes) & set(gaz.ancestors(code)) for code in hit.division_codes)
