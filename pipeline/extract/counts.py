"""Counts: how many or how much of something, with unit and qualifier.

A count is read in four steps (spec/ANNOTATION.md, Counts):

1. scan the normalized text for numeral cores (Arabic 3800万, 1,200, 86%;
   Chinese 十二万三千, 两三; 百分之八十六; ranges 100-200) and parse each
   with pipeline.numbers;
2. read what stands around a core: a qualifier before it (近, 约有, 不少于),
   a unit after it (longest match in data/units.tsv: 个班次 before 个;
   万/亿 before 元 are multipliers) and a qualifier after that (左右, 以上);
3. drop what is not a count (data/count_rules.json holds the word lists):
   numerals inside short quotes that are names, book titles, set phrases
   and idioms; dates, times, scores, fractions, dimensions, codes, phone
   and model numbers; ordinals (第3, 十三届四次, 前10名); units of time, age,
   rank, level or device specification (3年内, 75周年, 6英寸); measured
   properties (时速80公里); list labels (1、 2.); header metadata lines;
4. attach a subject (the noun counted: after the count, else before it over
   a verb such as 达到) and, when regions are given, a region: pairwise in
   甲和乙分别有M和N, else the region a clause opens with.

Policy for Chinese numerals (the guideline calls small ones in running prose
borderline): one is emitted only as a word of its own (not inside 统一,
七台河, 两岸三地), with a unit (or 万/亿: 约八十万), with a value of at least 2
(一个, 一批 read as articles; 二次, 二期 as ordinals), and with confidence
0.5 below 10. Arabic numerals need no unit (140万新的社会阶层人士 is a count),
but a unitless one must not look like a year, code, label or version.
Ranges keep the lower bound in `value` and the upper in `upper`: an explicit
range (100-200人) has qualifier at_least, an approximate one (两三个) about.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Optional, Sequence

from pipeline.analysis import Analysis
from pipeline.data import DataFileError, data_lines, load_json
from pipeline.date_words import lexicon as date_lexicon
from pipeline.extract.money import currency_before, is_capital, money_tail
from pipeline.nlp import word_tags
from pipeline.numbers import CAPITAL_DIGITS, CAPITAL_UNITS, DIGITS, LETTER_PATTERN, Number, parse_number
from pipeline.quotes import QuoteTable
from pipeline.records import Count, Region
from pipeline.textutil import ByStart, Intervals

COUNT_KINDS = frozenset(
    "people org item event place money weight length area volume energy ratio points".split()
)
OTHER_KINDS = frozenset("date time duration age ordinal level spec name".split())
QUALIFIERS = frozenset("exact nearly about more_than at_least at_most less_than".split())
MULTIPLIERS = "百千万亿"
_SPACE = " \u3000\u00a0\t"
_CJK = re.compile(r"[\u4e00-\u9fff]")


# --- data ----------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    kind: str
    arabic_only: bool

    @property
    def counts(self) -> bool:
        return self.kind in COUNT_KINDS


@dataclass
class Rules:
    units: dict[str, Unit]
    before: dict[str, str]
    before_bare: dict[str, str]
    after: dict[str, str]
    approx_after: dict[str, str]
    ordinal_before: tuple[str, ...]
    chinese_ordinal_before: tuple[str, ...]
    vague_before: tuple[str, ...]
    code_before: tuple[str, ...]
    ordinal_chain_before: tuple[str, ...]
    rank_before: dict[str, tuple[str, ...]]
    name_before: tuple[str, ...]
    label_before: tuple[str, ...]
    measure_before: tuple[str, ...]
    not_after: dict[str, str]
    fixed_phrases: tuple[str, ...]
    no_unit: dict[str, tuple[str, ...]]
    skip: dict[str, tuple[str, ...]]
    subject_verbs: frozenset[str]
    money_chain: tuple[str, ...]
    money_subunits: dict[str, float]
    money_tenths: str  # the subunits worth a tenth (角毛), which a 元 chain reads
    money_in: str
    letter_not_before: tuple[str, ...]
    limits_over_verb: dict[str, str]
    limit_verbs: frozenset[str]

    @cached_property
    def longest_unit(self) -> int:
        return max(len(u) for u in self.units)

    @cached_property
    def after_longest_first(self) -> tuple[tuple[str, str], ...]:
        return _longest_first(self.after)

    def before_longest_first(self, bare: bool) -> tuple[tuple[str, str], ...]:
        return self._before_bare_longest_first if bare else self._before_longest_first

    @cached_property
    def _before_longest_first(self) -> tuple[tuple[str, str], ...]:
        return _longest_first(self.before)

    @cached_property
    def _before_bare_longest_first(self) -> tuple[tuple[str, str], ...]:
        return _longest_first({**self.before, **self.before_bare})


def _longest_first(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(word, value) pairs, longer words first (a stable sort: ties keep file order)."""
    return tuple(sorted(table.items(), key=lambda item: len(item[0]), reverse=True))


def load_units(name: str = "units.tsv") -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for number, line in data_lines(name):
        fields = line.split("\t")
        where = f"{name}, line {number}"
        if len(fields) != 4 or not all(fields):
            raise DataFileError(f"{where}: expected surface, unit, kind, script; got {line!r}")
        surface, unit, kind, script = fields
        if kind not in COUNT_KINDS | OTHER_KINDS:
            raise DataFileError(f"{where}: unknown kind {kind!r}")
        if script not in ("any", "arabic"):
            raise DataFileError(f"{where}: script {script!r}, want any or arabic")
        if surface in units:
            raise DataFileError(f"{where}: unit {surface!r} listed twice")
        units[surface] = Unit(surface, surface if unit == "=" else unit, kind, script == "arabic")
    return units


_RULE_KEYS = frozenset(
    "qualifiers_before qualifiers_before_bare qualifier_not_after qualifiers_after approx_after "
    "ordinal_before chinese_ordinal_before vague_before code_before measure_before ordinal_chain_before "
    "rank_before name_before label_before fixed_phrases unit_context subject_verbs money "
    "letter_multiplier_not_before limits_over_verb limit_verbs".split()
)


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The unit table and context rules, loaded and checked once."""
    name = "count_rules.json"
    data = load_json(name)
    missing = sorted(_RULE_KEYS - set(data))
    if missing:
        raise DataFileError(f"{name}: missing keys {missing}")
    units = load_units()
    for key in ("qualifiers_before", "qualifiers_before_bare", "qualifiers_after", "approx_after", "limits_over_verb"):
        bad = {k: v for k, v in data[key].items() if v not in QUALIFIERS}
        if bad:
            raise DataFileError(f"{name}: {key} has unknown qualifiers {bad}")
    context = data["unit_context"]
    money = data["money"]
    unknown = sorted((set(context) | set(money["chain_units"]) | set(money["subunits"]) | {money["in"]}) - set(units))
    if unknown:
        raise DataFileError(f"{name}: unit_context or money names units not in units.tsv: {unknown}")
    return Rules(
        units=units,
        before=dict(data["qualifiers_before"]),
        before_bare=dict(data["qualifiers_before_bare"]),
        after=dict(data["qualifiers_after"]),
        approx_after=dict(data["approx_after"]),
        ordinal_before=tuple(data["ordinal_before"]),
        chinese_ordinal_before=tuple(data["chinese_ordinal_before"]),
        vague_before=tuple(data["vague_before"]),
        code_before=tuple(data["code_before"]),
        ordinal_chain_before=tuple(data["ordinal_chain_before"]),
        rank_before={k: tuple(v) for k, v in data["rank_before"].items()},
        name_before=tuple(data["name_before"]),
        label_before=tuple(data["label_before"]),
        measure_before=tuple(data["measure_before"]),
        not_after=dict(data["qualifier_not_after"]),
        fixed_phrases=tuple(data["fixed_phrases"]),
        no_unit={u: tuple(v.get("no_unit", ())) for u, v in context.items()},
        skip={u: tuple(v.get("skip", ())) for u, v in context.items()},
        subject_verbs=frozenset(data["subject_verbs"]),
        money_chain=tuple(money["chain_units"]),
        money_subunits={k: float(v) for k, v in money["subunits"].items()},
        money_tenths="".join(k for k, v in money["subunits"].items() if float(v) == 0.1),
        money_in=money["in"],
        letter_not_before=tuple(data["letter_multiplier_not_before"]),
        limits_over_verb=dict(data["limits_over_verb"]),
        limit_verbs=frozenset(data["limit_verbs"]),
    )


# --- scanning ------------------------------------------------------------------

_AR = r"\d{1,3}(?:[,，]\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_DIGIT = "零〇一二两三四五六七八九廿卅"
_SEP = r"(?:——|--|-|~|～|—|－|至|到)"


@lru_cache(maxsize=1)
def core_pattern() -> re.Pattern:
    """Numeral cores: Arabic (with 万/亿 and 余/多), Chinese, 百分之X, ranges."""
    mult = _multiplier(rules().units)
    ar = (rf"(?:\d+[亿万](?=\d{{1,3}}(?:,\d{{3}})*[千百万]|\d+[千百万]))?(?:{_AR}){LETTER_PATTERN}?"
          rf"(?:[ ]?[余多几])?(?:[ ]?(?:{mult}|[萬億])+)?(?:[余多](?![余多]))?")
    cn = (
        rf"(?:[{_CN_DIGIT}{CAPITAL_DIGITS}{CAPITAL_UNITS}萬億]|十|{mult})+(?:点[零〇一二三四五六七八九]+)?"
        rf"(?:[余多几](?:{mult})*)?"
    )
    pct = rf"(?:百分之|千分之)(?:{_AR}|{cn})"
    ar_core = rf"{ar}%?(?:[ ]?{_SEP}[ ]?{ar})?[%‰]?"
    cn_core = rf"{cn}(?:{_SEP}{cn})?"
    return re.compile(rf"{pct}|{ar_core}|{cn_core}")


def _multiplier(units: dict[str, Unit]) -> str:
    """百千万亿, but not the first character of a unit (千克, 百分点)."""
    parts = []
    for ch in MULTIPLIERS:
        tails = sorted({u[1:] for u in units if u[0] == ch and len(u) > 1}, key=len, reverse=True)
        parts.append(ch + (f"(?!{'|'.join(map(re.escape, tails))})" if tails else ""))
    return "(?:" + "|".join(parts) + ")"


# A quote or title longer than this (marks apart) is not a name.
_MAX_QUOTE = 200
_MAX_QUOTED_NAME = 30
_BLOCK_PATTERNS = [
    re.compile(r"\d{2,4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}"),  # 2024-02-05
    re.compile(r"\d{1,2}\s?[:：]\s?\d{2}(?:\s?[:：]\s?\d{2})?"),  # 08:42:24, 98:95
    re.compile(r"(?<!\d)\d{3,4}(?:[ \-]\d{3,4}){2,}(?!\d)"),  # 400 880 3999: phone numbers
    re.compile(r"\d+\s?比\s?\d+"),  # 3比1
    re.compile(r"\d+\s?[/／]\s?\d+"),  # 1/4, 2/3
    re.compile(r"\d+(?:\.\d+)?\s?[×xX*＊]\s?\d+"),  # 1920×1080: dimensions
    re.compile(r"\d+\s?[·•]\s?\d+"),  # 3·15, 5·12
    re.compile(r"(?:\d+\s?(?:小时|时|点|分钟|分)\s?)+\d+\s?(?:分|秒)"),  # 8时30分, 1分58秒
    re.compile(r"[A-Za-z][A-Za-z0-9_.+\-#/]*\d[A-Za-z0-9_.+\-#/]*|\d[A-Za-z0-9_.+\-#/]*[A-Za-z][A-Za-z0-9_+\-#]*"),  # 6G, H1N1
    re.compile(r"(?:https?://|www\.)[\x21-\x7e]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
]


def blocked_spans(text: str, quotes: QuoteTable) -> list[tuple[int, int]]:
    """Spans whose numerals are never counts (names, quotes, dates, codes)."""
    spans = [m.span() for p in _BLOCK_PATTERNS for m in p.finditer(text) if not _letter_count(text, m)]
    spans += _quoted_names(text, quotes)
    spans += [m.span() for m in _fixed_phrase_pattern().finditer(text)]
    return spans


_LETTER_COUNT = re.compile(rf"\d+(?:\.\d+)?{LETTER_PATTERN}")


def _letter_count(text: str, match: re.Match) -> bool:
    """3k, 1.5w, 15k (not 4k电视): a number, not a code."""
    if not _LETTER_COUNT.fullmatch(match.group()):
        return False
    after = text[match.end():match.end() + 4].lstrip(_SPACE)
    return not after.startswith(rules().letter_not_before)


@lru_cache(maxsize=1)
def _fixed_phrase_pattern() -> re.Pattern:
    phrases = sorted(rules().fixed_phrases, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, phrases)))


def _quoted_names(text: str, quotes: QuoteTable) -> list[tuple[int, int]]:
    """Inside 《》 and 〈〉 always; inside quote marks unless the quote is speech."""
    out = []
    for p in quotes.pairs:
        if p.close - p.open > _MAX_QUOTE:
            continue
        if p.style in ("《》", "〈〉") or not _is_speech(text[p.open + 1:p.close]):
            out.append((p.open, p.close + 1))
    return out


_SPEECH = re.compile(r"[我你咱您]")
_SENTENCE_MARKS = re.compile(r"[，,。！？!?；;]")


def _is_speech(inner: str) -> bool:
    """“我的计划是花不超过3万元” is speech; “三个优势”, “百名网红助产业” are names."""
    if len(inner) > _MAX_QUOTED_NAME or "\n" in inner:
        return True
    return len(inner) > 10 and bool(_SPEECH.search(inner) or _SENTENCE_MARKS.search(inner))


# --- reading one candidate -----------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """One count found in the normalized text, before it becomes a record."""

    start: int  # the whole surface, qualifiers included
    end: int
    core: tuple[int, int]
    number: Number
    unit: Optional[Unit]
    qualifier: str
    chinese: bool
    method: str
    confidence: float


class _Page:
    """The document's text with what the readers look up: token edges, blocks."""

    def __init__(self, doc: Analysis):
        self.doc = doc
        self.text = doc.text
        self.blocked = Intervals(blocked_spans(self.text, doc.quotes))
        self.tokens = doc.tokens
        self.edges = doc.tokens.boundaries | {0, len(self.text)}

    def word_ending(self, pos: int) -> str:
        """The jieba word that ends at `pos` ("" when none does)."""
        tok = self.tokens.ending_at(pos)
        return tok.text if tok else ""


def read_counts(doc: Analysis, page: Optional["_Page"] = None) -> list[Reading]:
    """Every count in the document's normalized text, in text order."""
    page = page or _Page(doc)
    out: list[Reading] = []
    pattern = core_pattern()
    for m in pattern.finditer(page.text):
        if out and m.start() < out[-1].end:
            continue  # inside the last count (3块5, 两个亿)
        reading = _read_at(page, *m.span())
        if reading is None and m.start() not in page.edges and not re.search(r"\d", m.group()):
            reading = _read_inner(page, pattern, *m.span())
        if reading is not None:
            out.append(reading)
    return out


def _read_at(page: _Page, start: int, end: int) -> Optional[Reading]:
    if page.blocked.overlaps(start, end) or page.doc.in_metadata(start):
        return None
    return read_one(page, start, end)


def _read_inner(page: _Page, pattern: re.Pattern, start: int, end: int) -> Optional[Reading]:
    """A Chinese numeral run that starts inside a word (统一三个): read it
    again from the first word edge inside it."""
    for edge in range(start + 1, end):
        if edge in page.edges:
            again = pattern.match(page.text, edge)
            return _read_at(page, *again.span()) if again else None
    return None


def read_one(page: _Page, start: int, end: int) -> Optional[Reading]:
    text = page.text
    core = text[start:end]
    chinese = not re.search(r"\d", core)
    number = parse_number(core)
    if number is None or _bad_neighbours(text, start, end) or _excluded_before(text, start):
        return None
    number, end_core = _scaled(text, end, number)
    unit, pos, approx, drop = _read_unit(page, start, end_core, number, chinese)
    if unit is None and not (number.percent or number.permille):
        listed = _list_unit(page, end, chinese)  # 1、2、3个: the list's unit
        drop = drop or (listed is not None and not listed.counts)
    if drop or (unit is not None and not unit.counts) or _ranked(page, start, unit):
        return None
    if is_capital(core) and not _money_register(core, unit):
        return None  # 壹号院, 伍佰, 陆家嘴: capitals are the register of money
    number, unit, pos = _money_after(text, pos, number, unit)
    after, pos = _qualifier_after(page, pos)
    before, q_start = _qualifier_before(page, start, bare=_bare(core))
    ok = _chinese_ok if chinese else _arabic_ok
    if not ok(page, start, end_core, pos, number, unit, before, q_start):
        return None
    number, unit, q_start = _in_money_unit(text, q_start, number, unit, before)
    qualifier = before or number.approx or approx or after or ("at_least" if number.upper else "exact")
    return Reading(
        start=q_start, end=pos, core=(start, end), number=number, unit=unit,
        qualifier=qualifier, chinese=chinese, method=_method(chinese, unit, number),
        confidence=_confidence(chinese, unit, number, before),
    )


def _excluded_before(text: str, start: int) -> bool:
    """第3, 十三届四次, 沪深300, 时速80, 第五、六期: the words before rule it out."""
    r = rules()
    if _ends_with_any(text, start, r.ordinal_before + r.ordinal_chain_before + r.name_before):
        return True
    if _after_word(text, start, r.measure_before):
        return True  # 时速80公里, 身高2.16米: a property, like an age
    return _ORDINAL_LIST.search(text, max(0, start - 20), start) is not None


_ORDINAL_LIST = re.compile(rf"第[\d{_CN_DIGIT}十百]+(?:[、和至到][\d{_CN_DIGIT}十百]+)*[、和至到]$")


def _bad_neighbours(text: str, start: int, end: int) -> bool:
    """1.2.3, 010-1234-5678: a numeral glued to more digits is no count;
    3+1, 30+: a numeral in a formula or a threshold neither."""
    glue = "-.．/:："
    left = start >= 2 and text[start - 1] in glue and text[start - 2].isdigit()
    right = end + 1 < len(text) and text[end] in glue and text[end + 1].isdigit()
    plus = (start and text[start - 1] in "+＋") or (end < len(text) and text[end] in "+＋")
    return bool(left or right or plus)


_LIST_ITEM = re.compile(rf"(?:[ ]?[、和及或与][ ]?(?:{_AR}|[{_CN_DIGIT}十百千万]+))+")


def _list_unit(page: _Page, end: int, chinese: bool) -> Optional[Unit]:
    """The unit at the end of a list the numeral opens (11、12月; 1和2楼)."""
    m = _LIST_ITEM.match(page.text, end)
    return _longest_unit(page.text, _skip_space(page.text, m.end()), chinese) if m else None


def _ranked(page: _Page, start: int, unit: Optional[Unit]) -> bool:
    """前30名, 前八强, 前10: a rank; A座20层: a floor in an address."""
    previous = page.word_ending(start)
    if unit is None:
        return previous == "前"
    if unit.surface == "层" and _ADDRESS.search(page.text, max(0, start - 6), start):
        return True
    return unit.surface in rules().rank_before.get(previous, ())


_ADDRESS = re.compile(r"(?:[楼座厦馆]|中心|广场)[ \u3000]?$")


def _fraction_after(text: str, pos: int, number: Number, unit: Optional[Unit]) -> tuple[Number, int]:
    """两场半 -> 2.5场; 3块5 -> 3.5块: a half or a tenth after the unit."""
    if unit is None or number.upper is not None:
        return number, pos
    if re.match(r"半(?:[^\u4e00-\u9fff]|的|$)", text[pos:pos + 2]):
        return replace(number, value=_plain(number.value + 0.5)), pos + 1
    m = re.match(rf"([1-9一二三四五六七八九])(?![\d{_CN_DIGIT}十百千万亿])", text[pos:pos + 2])
    if unit.surface == "块" and m:
        tenth = DIGITS.get(m.group(1)) or int(m.group(1))
        return replace(number, value=_plain(number.value + tenth / 10)), pos + 1
    return number, pos


def _money_register(core: str, unit: Optional[Unit]) -> bool:
    """A capital numeral counts as money: with a money unit (壹佰元), or with
    万/亿 and no unit at all (肆佰叁拾萬: an amount written on a form)."""
    if unit is not None:
        return unit.kind == "money"
    return re.search("[万亿萬億]", core) is not None


def _money_after(text: str, pos: int, number: Number, unit: Optional[Unit]) -> tuple[Number, Optional[Unit], int]:
    """12元8角, 3块5毛, 壹佰元整: a 元/块 amount with its 角/毛/分 is one amount in 元;
    otherwise a half or a tenth after the unit (两场半)."""
    r = rules()
    if unit is None or unit.surface not in r.money_chain or number.upper is not None:
        return _with_fraction(text, pos, number, unit)
    tail = money_tail(text, pos, unit.surface, r.money_tenths)
    if unit.surface == "块" and not tail.chained:
        return number, unit, pos  # 两块展板: pieces
    number = replace(number, value=_plain(number.value + tail.add))
    return number, r.units[r.money_in], tail.end


def _with_fraction(text: str, pos: int, number: Number, unit: Optional[Unit]) -> tuple[Number, Optional[Unit], int]:
    number, pos = _fraction_after(text, pos, number, unit)
    return number, unit, pos


def _in_money_unit(text: str, start: int, number: Number, unit: Optional[Unit], before) -> tuple[Number, Optional[Unit], int]:
    """5毛钱 -> 0.5 元; 港币2960元 -> 2960 港元 (the currency read before the number)."""
    r = rules()
    if unit is None or unit.kind != "money":
        return number, unit, start
    share = r.money_subunits.get(unit.unit)
    if share is not None:
        upper = None if number.upper is None else _plain(number.upper * share)
        return replace(number, value=_plain(number.value * share), upper=upper), r.units[r.money_in], start
    found = None if before or unit.unit != r.money_in else currency_before(text, start, _currencies())
    if found is None:
        return number, unit, start
    return number, r.units[found[0]] if found[0] in r.units else unit, found[1]


@lru_cache(maxsize=1)
def _currencies() -> dict[str, str]:
    """Currencies by their written forms (港币 -> 港元), from units.tsv (角, 毛 apart)."""
    r = rules()
    return {u.surface: u.unit for u in r.units.values() if u.kind == "money" and u.unit not in r.money_subunits}


def _plain(value):
    value = round(value, 9)
    return int(value) if float(value).is_integer() else value


def _ends_with_any(text: str, pos: int, words) -> bool:
    head = text[max(0, pos - 8):pos].rstrip(_SPACE)
    return any(head.endswith(w) for w in words)


def _skip_space(text: str, pos: int, most: int = 2) -> int:
    n = 0
    while pos < len(text) and text[pos] in _SPACE and n < most:
        pos, n = pos + 1, n + 1
    return pos


def _read_unit(page: _Page, start: int, end: int, number: Number, chinese: bool):
    """(unit, end of surface, approx qualifier, drop) for the numeral at start..end;
    drop means the numeral is not a count at all (3点 a time, 110米栏 a race)."""
    if number.percent or number.permille:
        return rules().units["%" if number.percent else "‰"], end, None, False
    text = page.text
    pos = _skip_space(text, end)
    approx = None
    for word, qual in rules().approx_after.items():
        if text.startswith(word, pos):
            approx, pos = qual, pos + len(word)
    unit = _longest_unit(text, pos, chinese)
    if unit is None:
        return None, end, None, False  # 10来 without a unit is not a count
    tail = text[pos + len(unit.surface):pos + len(unit.surface) + 8]
    if _skip_after(tail, rules().skip.get(unit.surface, ())):
        return None, end, None, True
    glued = pos + len(unit.surface) not in page.edges  # jieba reads 家长, not 家 + 长
    if glued and any(tail.startswith(w) for w in rules().no_unit.get(unit.surface, ())):
        return None, end, None, False
    if unit.surface == "点" and _is_clock(text, start, pos, chinese):
        return None, end, None, True  # (3个点 is the unit 个点, a percentage point)
    if unit.surface == "个" and _duration_after_ge(text, pos + 1, chinese):
        return None, end, None, True  # 六个多小时, 两个半月
    unit, per = _per(text, pos, unit)
    if per is not None and per.kind in _TIME_KINDS and unit.kind != "money":
        return None, end, None, True  # 8张/秒: a speed, not a count (1000元/月 is money)
    return unit, pos + len(unit.surface), approx, False


def _skip_after(tail: str, words) -> bool:
    """110米栏; a word of two or more characters may also come after 的 and
    a short modifier (15倍的超大光学变焦)."""
    for word in words:
        if tail.startswith(word):
            return True
        if len(word) > 1 and re.match(rf"的.{{0,3}}?{re.escape(word)}", tail):
            return True
    return False


def _duration_after_ge(text: str, pos: int, chinese: bool) -> bool:
    if text[pos:pos + 1] not in ("多", "半"):
        return False
    after = _longest_unit(text, pos + 1, chinese)
    return after is not None and not after.counts


def _scaled(text: str, end: int, number: Number) -> tuple[Number, int]:
    """两个亿, 六七个亿, 1个多亿 (colloquial N个亿): apply the multiplier after 个."""
    m = re.match(r"[ ]?个([多余])?[ ]?([万亿])", text[end:end + 5])
    if not m:
        return number, end
    scale = 10**8 if m.group(2) == "亿" else 10**4
    upper = None if number.upper is None else number.upper * scale
    approx = "more_than" if m.group(1) else number.approx
    return replace(number, value=number.value * scale, upper=upper, approx=approx), end + m.end()


_TIME_KINDS = ("duration", "time", "date")


def _per(text: str, pos: int, unit: Unit) -> tuple[Unit, Optional[Unit]]:
    """元/平方米, 元每平米: the surface takes in the rate (the unit stays 元);
    also returns the unit it is per."""
    stop = pos + len(unit.surface)
    m = re.match(r"[ ]?(?:/|／|每)[ ]?", text[stop:stop + 3])
    if not unit.counts or not m:
        return unit, None
    per = _longest_unit(text, stop + m.end(), False)
    if per is None or per.kind == "money" or (not per.counts and per.kind not in _TIME_KINDS):
        return unit, None
    surface = text[pos:stop + m.end() + len(per.surface)]
    return Unit(surface, unit.unit, unit.kind, unit.arabic_only), per


def _longest_unit(text: str, pos: int, chinese: bool) -> Optional[Unit]:
    units = rules().units
    for size in range(min(rules().longest_unit, len(text) - pos), 0, -1):
        unit = units.get(text[pos:pos + size])
        if unit is not None and not (chinese and unit.arabic_only):
            return unit
    return None


def _is_clock(text: str, start: int, pos: int, chinese: bool) -> bool:
    """3点 (o'clock) and 3000点 (an index level) against 三点要求 (three points)."""
    if _ends_with_any(text, start, tuple(date_lexicon().data["parts_of_day"])):
        return True
    after = text[pos + 1:pos + 3]
    if re.match(r"[半钟整]|\d|[零一二三四五六七八九十]+分", after):
        return True
    return not chinese  # 3点 is a time, 2300点 an index level: neither is a count


def _bare(core: str) -> bool:
    """百, 上万, 近亿: a multiplier with no digit before it (十 aside)."""
    body = core.rstrip("余多几")
    return bool(body) and all(ch in MULTIPLIERS for ch in body)


def _qualifier_after(page: _Page, pos: int) -> tuple[Optional[str], int]:
    text = page.text
    at = _skip_space(page.text, pos, 1)
    for word, qualifier in rules().after_longest_first:
        if text.startswith(word, at) and at + len(word) in page.edges:
            return qualifier, at + len(word)
    return None, pos


def _qualifier_before(page: _Page, start: int, *, bare: bool) -> tuple[Optional[str], int]:
    """近80人, 约 3800万元, 至少有5家, 超过了13% (one 有/达/为/了 may follow the qualifier)."""
    found = _qualifier_ending(page, start, bare)
    if found[0] is None and start and page.text[start - 1] in "有达为了":
        glued = _qualifier_ending(page, start - 1, bare)
        if glued[0] is not None:
            return glued
    if found[0] is None:
        return _limit_over_verb(page, start), start
    return found


def _limit_over_verb(page: _Page, start: int) -> Optional[str]:
    """最高资助4万元, 最多可申请3个: a limit before one or two verbs (可, 资助, 获得)
    bounds the number after them; the count's text starts at the number."""
    pos = start
    for _ in range(2):
        word = page.word_ending(pos)
        if not word or not (word in rules().limit_verbs or (word_tags().get(word) or "").startswith("v")):
            return None
        pos -= len(word)
        limit = rules().limits_over_verb.get(page.word_ending(pos))
        if limit is not None:
            return limit
    return None


def _qualifier_ending(page: _Page, start: int, bare: bool) -> tuple[Optional[str], int]:
    text = page.text
    at = start
    while at > 0 and text[at - 1] in _SPACE and start - at < 2:
        at -= 1
    for word, qualifier in rules().before_longest_first(bare):
        begin = at - len(word)
        if begin >= 0 and text.startswith(word, begin) and _qualifier_word(page, word, begin):
            return qualifier, begin
    return None, start


def _qualifier_word(page: _Page, word: str, begin: int) -> bool:
    """A one-character qualifier must start a word (最近, 签约 are not 近, 约):
    by jieba's words, or where jieba joins it to the word before (携近10所),
    when that character cannot make a word with it."""
    if len(word) > 1 or begin in page.edges:
        return True
    return begin > 0 and page.text[begin - 1] not in rules().not_after.get(word, "") and _CJK.match(page.text[begin - 1]) is not None


def _chinese_ok(page: _Page, start: int, end: int, stop: int, number: Number, unit, before, q_start) -> bool:
    """A Chinese numeral counts only as a word of its own, >= 2, with a unit
    (or with 万/亿 after a digit: 约八十万)."""
    core = page.text[start:end]
    if unit is None and not re.search(rf"[{_CN_DIGIT}{CAPITAL_DIGITS}][^{_CN_DIGIT}]*[万亿萬億]", core):
        return False
    if max(number.value, number.upper or 0) < 2:
        return False
    if _bare(core) and not (before or number.approx):
        return False  # 万人, 千万, 百家: words, not numbers
    if core == "二":
        return False  # 二次, 二期, 二手: cardinal two before a classifier is 两
    if is_capital(core):
        return True  # 款叁拾万元: jieba glues capitals to their neighbours; money needs no word edge
    word_start = start if start in page.edges else q_start  # 上万 is one word
    if word_start not in page.edges:
        return False
    tok = page.tokens.starting_at(word_start)
    if (tok.end if tok else end) > stop:
        return False  # 七台河, 两岸三地: the numeral is inside a longer word
    previous = page.word_ending(start)
    return previous not in rules().vague_before and previous not in rules().chinese_ordinal_before


def _arabic_ok(page: _Page, start: int, end: int, stop: int, number: Number, unit, before, q_start) -> bool:
    text = page.text
    if _after_code_word(text, start):
        return False
    if unit is not None or number.percent or number.permille:
        return True
    core = text[start:end]
    if number.upper is not None:
        return False  # 3-1, 010-6446: ranges need a unit
    digits = re.sub(r"\D", "", core)
    plain = re.fullmatch(r"\d+", core) is not None
    if plain and (len(digits) >= 7 or (len(digits) > 1 and digits[0] == "0")):
        return False  # codes, phone and serial numbers
    if plain and len(digits) == 4 and 1000 <= int(digits) <= 2100 and not before:
        return False  # a year without 年, or a name (公园1872)
    if re.fullmatch(r"\d+\.0", core):
        return False  # 工业4.0, 2.0版: a version
    if number.value == 0 or _ends_with_any(text, start, rules().label_before):
        return False  # 0关税; 法则3, 步骤2: labels
    if re.search(r"[A-Za-z][A-Za-z0-9.+-]*\s$", text[max(0, start - 12):start]):
        return False  # iPhone 4, Windows 7
    if plain and not before and start and _CJK.match(text[start - 1]) and end < len(text) and text[end] in _SPACE:
        return False  # 任务3 开展: a label
    if re.match(r"[ \u3000]+[A-Za-z]", text[end:end + 3]):
        return False  # 爱可视 5 Internet: a model name
    if text.startswith("的", end) and _spec_after(text, end + 1):
        return False  # 1800万的有效像素
    if not before and _ends_clause(text, end) and re.fullmatch(r"[\d.]+", core):
        if page.word_ending(start) not in rules().subject_verbs:
            return False  # 进入山洞3，: a bare number ending a clause needs 有/达/为 before it
    return not _enumerator(text, start, end)


def _spec_after(text: str, pos: int) -> bool:
    unit = _longest_unit(text, pos, False)
    return unit is not None and not unit.counts


def _ends_clause(text: str, end: int) -> bool:
    return end >= len(text) or text[end] in "，,。；;！？!?、)）\n"


def _after_code_word(text: str, start: int) -> bool:
    return _after_word(text, start, rules().code_before)


def _after_word(text: str, start: int, words) -> bool:
    """A word from `words` just before `start`, allowing 号码, 为, a colon or brackets between."""
    head = text[max(0, start - 14):start]
    head = re.sub(r"(?:号码|号)?[\s:：为是达约\]】)）]*$", "", head)
    return any(head.endswith(w) for w in words)


def _enumerator(text: str, start: int, end: int) -> bool:
    """1、扬州 1. access (1) and a clause-opening 4，: list labels, not counts."""
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else ""
    following = text[end + 1:end + 2]
    if after == "、" and not following.isdigit():
        return True
    if after in ":：" and not following.isdigit():
        return True  # 吸魂窟1： a label
    if after in ".．" and not following.isdigit():
        return True
    if after in ")）" and before not in "(（":
        return True  # 1) 2) list labels
    if after in "#＃":
        return True  # 5#楼
    if before in "\n。！？!?；;" or start == 0:
        return after in "，,、.．:：)）"
    return before in "(（" and after in ")）"


def _method(chinese: bool, unit: Optional[Unit], number: Number) -> str:
    if number.percent or number.permille:
        return "count.percent"
    if chinese:
        return "count.chinese_unit"
    return "count.arabic_unit" if unit else "count.arabic"


def _confidence(chinese: bool, unit: Optional[Unit], number: Number, before) -> float:
    if chinese:
        return 0.8 if number.value >= 10 else 0.5
    if unit is not None or number.percent or number.permille:
        return 0.95
    return 0.85 if before or number.value >= 10000 else 0.7


# --- subject and region --------------------------------------------------------

_NOMINAL_TAGS = ("n", "j", "nz", "nt", "ng", "an")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?、\n（）()“”]")
_FUNCTION_CHARS = set("有是在的了中和与及等为将被把对从向")
_DETERMINERS = ("全", "各", "本", "该", "每", "其", "这", "那")


def _nominal(word: str) -> bool:
    """A noun by jieba's tag table; an unknown word when it does not end in a function word."""
    if not _CJK.fullmatch(word[0]) or not _CJK.fullmatch(word[-1]):
        return False
    tag = word_tags().get(word)
    if tag is None:
        return len(word) >= 2 and word[-1] not in _FUNCTION_CHARS
    return tag.startswith(_NOMINAL_TAGS) and not tag.startswith("nr")


def subject_of(page: _Page, reading: Reading) -> Optional[str]:
    """What is counted: the noun after the count (近200名新的社会阶层人士),
    else the noun before it, over at most one 'having' verb (联谊组织达到119家)."""
    return _noun_after(page, reading) or _noun_before(page, reading)


def _tokens_from(page: _Page, pos: int, limit: int = 4) -> list[tuple[int, int, str]]:
    out = []
    while len(out) < limit and (tok := page.tokens.starting_at(pos)) is not None:
        out.append((pos, tok.end, tok.text))
        pos = tok.end
    return out


def _noun_after(page: _Page, reading: Reading) -> Optional[str]:
    pos = _skip_space(page.text, reading.end)
    if reading.unit is not None and reading.unit.unit in ("%", "‰") and page.text.startswith("的", pos):
        pos += 1
    words = []
    for _, _, word in _tokens_from(page, pos):
        if not words and word.startswith(_DETERMINERS) and _nominal(word):
            continue  # 4期全省…培训班: look past 全省
        if not _nominal(word):
            break
        words.append(word)
    return "".join(words)[:20] or None


def _noun_before(page: _Page, reading: Reading) -> Optional[str]:
    pos = reading.start
    words: list[str] = []
    verb_seen = False
    while pos > 0 and len(words) < 2:
        word = page.word_ending(pos)
        if not word or _CLAUSE_END.search(word):
            break
        if not words and not verb_seen and word in rules().subject_verbs:
            verb_seen = True
        elif _nominal(word) and word_tags().get(word) != "ns" and not word.startswith(_DETERMINERS):
            words.insert(0, word)
        else:
            break
        pos -= len(word)
    return "".join(words)[-20:] or None


def _share_subjects(page: _Page, readings: list[Reading], subjects: list) -> list:
    """140万和130万新的社会阶层人士: counts joined by 和/、/及 share the last one's noun."""
    out = list(subjects)
    for i in range(len(readings) - 2, -1, -1):
        gap = page.text[readings[i].end:readings[i + 1].start].strip(_SPACE)
        if gap in ("和", "、", "及", "与", "或", "至", "到") and out[i + 1] and readings[i].unit == readings[i + 1].unit:
            if out[i] is None or not _noun_after(page, readings[i]):
                out[i] = out[i + 1]
    return out


def merge_ranges(page: _Page, readings: list[Reading]) -> list[Reading]:
    """2.6万元～4万元: two counts of one unit joined by a range mark are one range
    (but 增持77.1万股至344.45万股 is a change from one to the other)."""
    out: list[Reading] = []
    for reading in readings:
        if out and _joins_range(page, out[-1], reading):
            last = out[-1]
            number = replace(last.number, upper=reading.number.value)
            qualifier = reading.qualifier if reading.qualifier != "exact" else "at_least"
            out[-1] = replace(last, end=reading.end, number=number, qualifier=qualifier, unit=reading.unit)
        else:
            out.append(reading)
    return out


_RANGE_MARKS = ("——", "--", "-", "~", "～", "—", "－", "至", "到")


def _joins_range(page: _Page, last: Reading, reading: Reading) -> bool:
    gap = page.text[last.end:reading.start].strip(_SPACE)
    if gap not in _RANGE_MARKS or last.unit is None or reading.unit is None:
        return False
    if gap in ("至", "到") and _CHANGE.search(page.text, max(0, last.start - 6), last.start):
        return False
    return (
        _same_unit(last.unit.unit, reading.unit.unit) and last.qualifier == "exact"
        and last.number.upper is None and reading.number.upper is None
        and last.number.value < reading.number.value
    )


_CHANGE = re.compile(r"[增减升降涨跌持由从]|提高|扩大|缩小")


def _same_unit(first: str, second: str) -> bool:
    """元 and 元, or 元 and 元/平方米 (2.6万元～4万元/平方米)."""
    return second == first or second.startswith(first + "/")


def assign_regions(doc: Analysis, readings: list[Reading], regions: Sequence[Region]) -> list[Optional[str]]:
    """The region each count is for: pairwise in 甲和乙分别有M和N, or the
    region a clause opens with (汕尾新阶层人士约有10万)."""
    out: list[Optional[str]] = [None] * len(readings)
    if not regions or not readings:
        return out
    places = ByStart(_region_mentions(doc, regions), start=itemgetter(0))  # (start, end, code)
    _distributive(doc, readings, places, out)
    colon_marks = _Marks(doc.text, "，,。；;：:\n")
    for i, reading in enumerate(readings):
        if out[i] is None:
            out[i] = _clause_region(doc, reading, places, colon_marks)
    return out


class _Marks:
    """Offsets of the clause marks of a text, for the nearest one before or after an offset."""

    def __init__(self, text: str, marks: str):
        self.at = [i for i, ch in enumerate(text) if ch in marks]
        self.length = len(text)

    def clause_start(self, pos: int) -> int:
        """After the last mark before pos (0 when none)."""
        i = bisect.bisect_left(self.at, pos) - 1
        return self.at[i] + 1 if i >= 0 else 0

    def clause_end(self, pos: int) -> int:
        """The first mark at or after pos (the text's end when none)."""
        i = bisect.bisect_left(self.at, pos)
        return self.at[i] if i < len(self.at) else self.length


def _region_mentions(doc: Analysis, regions: Sequence[Region]) -> list[tuple[int, int, str]]:
    """(normalized start, end, code) of every region mention that has a code."""
    return sorted((*doc.span_of(m), region.code) for region in regions if region.code for m in region.mentions)


def _distributive(doc: Analysis, readings, places, out) -> None:
    """重庆市和成都市分别有140万和130万: the n regions before 分别 take the n
    counts after it, in order, within the clause."""
    text = doc.text
    marks, starts = _Marks(text, "，,。；;\n"), [r.start for r in readings]
    for m in re.finditer("分别", text):
        clause_start, clause_end = marks.clause_start(m.start()), marks.clause_end(m.end())
        named = [code for _a, _b, code in places.starting_in(clause_start, m.start())]
        counted = range(bisect.bisect_left(starts, m.end()), bisect.bisect_left(starts, clause_end))
        if len(named) >= 2 and len(named) == len(counted):
            for i, code in zip(counted, named):
                out[i] = code


_CLAUSE_OPENER = re.compile(r"(?:[ \u3000]|全|在|据|其中|目前)*")


def _clause_region(doc: Analysis, reading: Reading, places: ByStart, marks: _Marks) -> Optional[str]:
    text = doc.text
    clause_start = marks.clause_start(reading.start)
    clause_start += _CLAUSE_OPENER.match(text, clause_start).end() - clause_start
    inside = places.starting_in(clause_start, reading.start)
    opening = [code for a, b, code in inside if a == clause_start and b <= reading.start]
    inside = [code for _a, _b, code in inside]
    return opening[0] if opening and len(set(inside)) == 1 else None


# --- records -------------------------------------------------------------------

def extract_counts(doc: Analysis, *, regions: Sequence[Region] = ()) -> list[Count]:
    """One Count per count mention in the document, in text order."""
    page = _Page(doc)
    readings = merge_ranges(page, read_counts(doc, page))
    subjects = _share_subjects(page, readings, [subject_of(page, r) for r in readings])
    codes = assign_regions(doc, readings, regions)
    return [_record(doc, r, s, c) for r, s, c in zip(readings, subjects, codes)]


def _record(doc: Analysis, reading: Reading, subject: Optional[str], region: Optional[str]) -> Count:
    n = reading.number
    unit = reading.unit.unit if reading.unit else None
    return Count(
        value=n.value, unit=unit, qualifier=reading.qualifier,
        text=doc.text[reading.start:reading.end], subject=subject, region=region, upper=n.upper,
        mentions=[doc.mention(reading.start, reading.end)],
        method=reading.method, confidence=reading.confidence,
    )
