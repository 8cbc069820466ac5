"""Context cues that decide a brand candidate before the classifier (issue 14).

The genre introduces a programme's name with a verb that creates or runs it
and follows it with the word that says what it is: 打造“义新力量”品牌, 推出
“新阶云客厅”线上服务平台, 成立“黔茶先锋”党支部, 开展“同心护边”“同心兴边”
“同心富边”系列活动. Formulas, slogans, quoted speech and meeting themes are
not introduced that way. These readings are strong evidence, so they decide
a candidate outright; what no cue decides is left to the classifier.

Every rule reads one candidate *row* (the fields ``brand_classifier.candidate_row``
gives: text, quote_style, full_text, head, and CONTEXT characters left and
right), the same representation the classifier learns from, so that each
rule's precision can be measured on the labelled candidates
(``scripts/train_brand_classifier.py`` reports it). Rules as data:
``pipeline/data/brand_cues.tsv`` (verbs, formula shapes, words that make a
quote something else than a name, facility heads, village suffixes); the type
words are the head nouns of ``brand_heads.txt``.

In order, the first that applies decides:

- ``title``: a 《》 title is a document;
- ``speech``: a quote right after a colon is speech;
- ``formula``: a quoted core shaped like a formula (两个确立, 三抓三推动, 两山)
  is a slogan, unless words after it end in a brand head (“两山”新青年宣讲团,
  ``formula_name``: then the whole name is the brand);
- ``notname``: a quote followed by a meeting word, an idea or a document
  (“同心向未来”主题座谈会, “三个代表”重要思想) is not a name;
- ``type``: the words after the name, or after the list it closes, end in a
  brand head (“X”品牌, “X”“Y”系列活动, 甲、乙、丙等9个特色品牌); after a bare 品牌
  the name also needs a creating verb before it (a company's trademark is
  followed by 品牌 too);
- ``since``: a quoted name followed by 实施以来, 开展以来 ... (“家电下乡”实施以来);
- ``verb_head``: a creating verb right before a quoted name that ends in a
  brand head itself (设立“同心青年创业基金”);
- ``facility``: an unquoted name that starts with a place and ends in a
  facility head (义乌市新的社会阶层人士实践创新基地, 稠城街道新阶层人士之家).

The document rules (``pipeline.extract.brands``) then carry a decision to the
other members of a list (a list of names sharing a prefix among them) and to
other mentions of the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Sequence

from pipeline.extract.brand_candidates import DATA_DIR, BrandDataError, head_after, lexicon, rows_of

BRAND_KINDS = ("brand", "program", "platform", "base", "team", "activity")
NOT_BRAND = ("slogan", "quotation", "document", "meeting", "other")
GROUPS = ("verb", "formula", "notname", "facility", "place", "notplace", "trademark", "event", "institution",
          "since")

SENTENCE_END = "。！？!?；;\n"
OPENERS = "“‘「『\""
CLOSERS = "”’」』\""
CLAUSE_MARKS = set("，,、：:。！？!?；;（）()《》“”‘’「」『』\"\n")
NOTNAME_REACH = 4     # characters before a word that makes a quote a theme (主题座谈会)
COMMON_FREQ = 300     # a core this frequent in jieba's dictionary is a word, not a name (官方, 舰队)
VERB_REACH = 8        # characters between a creating verb and the name (在红牌楼商圈成立“…”)
ZONE_REACH = 5        # characters before a zone's head at the start of a name (东湖高新区)
TAIL_MAX = 14         # characters read after a quote for a notname word
PLACE_REACH = 4       # a place word starting within the first characters of a name
QUOTED_MEMBER = re.compile(r"^\s*(?:[、，,]|以及|和|及|与)?\s*[“‘「『\"][^“”‘’「」『』\"]{1,30}[”’」』\"]")
BARE_MEMBER = re.compile(r"^\s*(?:、|以及|和|及|与)\s*[^\s、，,。；;：:！？!?“”‘’「」『』\"等和及与]{2,26}")
LIST_END = re.compile(r"^\s*(?:等等|等)")
COUNTED = re.compile(r"^\s*(?:[0-9一二两三四五六七八九十百千]+[个项大类种批支家])?")
QUOTED_BEFORE = re.compile(r"[“‘「『\"][^“”‘’「」『』\"]{1,30}[”’」』\"]\s*(?:[、，,]|以及|和|及|与)?\s*$")
BARE_BEFORE = re.compile(r"[^\s、，,。；;：:！？!?“”‘’「」『』\"]{2,26}(?:、|以及|和|及|与)\s*$")


class CueDataError(BrandDataError):
    """brand_cues.tsv is malformed; the message names the file and line."""


@dataclass(frozen=True)
class CueWords:
    verbs: tuple
    formulas: tuple  # compiled patterns
    notname: Mapping  # word -> label
    facilities: Mapping  # compound head -> brand kind, longest head first
    place: re.Pattern  # a village's name at the start of a name (三元朱村)
    notplace: tuple  # words ending in a village suffix that name no village (农村, 乡村)
    trademarks: tuple
    events: tuple  # heads of names that are held (论坛): a creating verb does not make them brands
    institutions: tuple  # words of ordinary institutions' names (研究, 公司): no cue makes them brands
    since: Mapping  # words after a name run since then (实施以来) -> brand kind


@dataclass(frozen=True)
class Cue:
    """What decided a candidate: the rule, its verdict, and the words it read."""

    rule: str
    accept: bool
    label: str  # a brand kind when accepted, else the candidate label
    evidence: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.evidence}"


def load_cue_words(path: Path) -> CueWords:
    groups: dict = {g: {} for g in GROUPS}
    for lineno, (group, value, label) in rows_of(path, 3):
        _check(group in GROUPS, path, lineno, f"unknown group {group!r}")
        _check(value not in groups[group], path, lineno, f"duplicate {group} {value!r}")
        _check(_label_ok(group, label), path, lineno, f"label {label!r} does not fit group {group}")
        if group == "formula":
            _check(_compiles(value), path, lineno, f"not a regular expression: {value!r}")
        groups[group][value] = label
    empty = [g for g in GROUPS if not groups[g]]
    if empty:
        raise CueDataError(f"{path.name}: no rows for {', '.join(empty)}")
    return CueWords(tuple(groups["verb"]), tuple(re.compile(f) for f in groups["formula"]),
                    groups["notname"], _longest_first(groups["facility"]), _place_pattern(groups["place"]),
                    tuple(groups["notplace"]), tuple(groups["trademark"]), tuple(groups["event"]),
                    tuple(groups["institution"]), groups["since"])


def _longest_first(words: Mapping) -> dict:
    return dict(sorted(words.items(), key=lambda item: len(item[0]), reverse=True))


def _check(ok: bool, path: Path, lineno: int, message: str) -> None:
    if not ok:
        raise CueDataError(f"{path.name}:{lineno}: {message}")


def _label_ok(group: str, label: str) -> bool:
    allowed = {"formula": ("slogan",), "notname": NOT_BRAND, "facility": BRAND_KINDS, "since": BRAND_KINDS}
    return label in allowed.get(group, ("-",))


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _place_pattern(suffixes: Mapping) -> re.Pattern:
    """A village's suffix after two or three characters (三元朱村)."""
    words = "|".join(sorted(map(re.escape, suffixes), key=len, reverse=True))
    return re.compile(rf"^[\u4e00-\u9fff]{{2,3}}(?:{words})")


@lru_cache(maxsize=1)
def cue_words() -> CueWords:
    return load_cue_words(DATA_DIR / "brand_cues.tsv")


@lru_cache(maxsize=1)
def zone_pattern() -> re.Pattern:
    """A zone's name at the start of a name: a head of region_context.json zones.heads
    (经开区, 东湖高新区) after at most a few characters."""
    from pipeline.extract.region_guards import zone_heads, zone_name_pattern

    return zone_name_pattern(zone_heads(), ZONE_REACH)


@lru_cache(maxsize=1)
def township_words() -> frozenset:
    """The gazetteer's township names of three characters or more that end in a township
    suffix (稠城街道, 佛堂镇; not 农场, 北城)."""
    from pipeline.extract.region_guards import township_suffixes
    from pipeline.gazetteer import gazetteer

    suffixes = township_suffixes()
    return frozenset(n for n in gazetteer().township_names() if len(n) >= 3 and n.endswith(suffixes))


@lru_cache(maxsize=1)
def place_words() -> frozenset:
    """Written forms of regions (two characters or more) that are not also common words."""
    from pipeline.gazetteer import gazetteer

    return frozenset(text for text, surfaces in gazetteer().all_surfaces().items()
                     if len(text) >= 2 and not any(s.common for s in surfaces))


# --- reading the context -------------------------------------------------------

def core_of(row: Mapping) -> str:
    return re.sub(r"\s+", "", row["text"])


def sentence_left(left: str) -> str:
    cut = max(left.rfind(ch) for ch in SENTENCE_END)
    return left[cut + 1:]


def sentence_right(right: str) -> str:
    ends = [right.find(ch) for ch in SENTENCE_END if ch in right]
    return right[:min(ends) + 1] if ends else right


def verb_before(row: Mapping) -> Optional[str]:
    """The creating verb in the clause before the name, or before the list it is in."""
    left = sentence_left(row["left"]).rstrip()
    if row.get("quote_style") and left and left[-1] in OPENERS:
        left = left[:-1]
    left = _strip_members(left, QUOTED_BEFORE if row.get("quote_style") else BARE_BEFORE).rstrip()
    clause = left[max((k for k, ch in enumerate(left) if ch in CLAUSE_MARKS), default=-1) + 1:]
    reach = clause[-(VERB_REACH + 4):]
    found = [(reach.rfind(v), v) for v in cue_words().verbs if v in reach]
    if not found:
        return None
    at, verb = max(found, key=lambda f: (f[0] + len(f[1]), len(f[1])))
    return verb if len(reach) - at - len(verb) <= VERB_REACH else None


def _strip_members(left: str, pattern: re.Pattern) -> str:
    while True:
        m = pattern.search(left)
        if m is None or m.start() == len(left):
            return left
        left = left[:m.start()]


def type_after(row: Mapping) -> Optional[tuple[str, str]]:
    """(head, phrase): the words after the name, or after the list it ends or stands in
    (and 等 / 等9个 after a list), when they end in a head noun (品牌, 线上服务平台,
    系列活动); read like a quoted core's extension (brand_candidates.head_after), or
    taken from the row's ``tail`` where its document's words read it (brands.judge)."""
    start = tail_start(row)
    if start is None:
        return None
    right = row["right"][start[0]:]
    found = row["tail"] if "tail" in row else head_after(right, inside=start[1])
    return (found[1], right[:found[0]].strip()) if found else None


def tail_start(row: Mapping) -> Optional[tuple[int, bool]]:
    """Where in ``row["right"]`` type_after reads the words that type the name, and
    whether after 等 (a head inside the run counts), or None: nothing to read."""
    right = row["right"]
    if row.get("quote_style"):
        right = right.lstrip()
        right = right[1:] if right[:1] and right[0] in CLOSERS else right
    member, members = (QUOTED_MEMBER if row.get("quote_style") else BARE_MEMBER), 0
    while (m := member.match(right)) is not None:
        right, members = right[m.end():], members + 1
    m = LIST_END.match(right)
    if m is not None:
        if not members and not _listed(row):
            return None  # “大学生之夜”等社交活动: one example of a kind, not a list of names
        right = right[m.end():]
    right = right[COUNTED.match(right).end():]
    return len(row["right"]) - len(right), m is not None  # 等活动受到群众好评: the kind follows 等


def _listed(row: Mapping) -> bool:
    """Whether the name closes a list (“A”、“B”等, A、B等): members stand before it."""
    left = sentence_left(row["left"]).rstrip()
    if row.get("quote_style"):
        left = left[:-1] if left[-1:] in OPENERS else left
        return QUOTED_BEFORE.search(left) is not None
    return BARE_BEFORE.search(left) is not None


def notname_after(row: Mapping) -> Optional[str]:
    """The word right after a quote that makes it a theme, an idea or a document."""
    right = row["right"].lstrip()
    right = right[1:] if right[:1] and right[0] in CLOSERS else right
    phrase = re.match(r"[\u4e00-\u9fff]{0,%d}" % TAIL_MAX, right.lstrip().lstrip("的")).group(0)
    return next((w for w in cue_words().notname if _ends_word(phrase, w)), None)


def _ends_word(phrase: str, word: str) -> bool:
    """Whether ``word`` stands within the first words of ``phrase`` (主题座谈会, 重要思想)."""
    at = phrase.find(word)
    return 0 <= at <= NOTNAME_REACH


def place_start(core: str) -> Optional[str]:
    """The place or zone a name starts with (义乌市, 稠城街道, 经开区, 三元朱村), if any:
    a region or township the gazetteer knows within the first PLACE_REACH characters,
    a zone's head, or a village's name."""
    m = zone_pattern().match(core) or cue_words().place.match(core)
    if m and not any(w in core[:m.end() + 1] for w in cue_words().notplace):
        return m.group(0)
    words, towns = place_words(), township_words()
    for at in range(PLACE_REACH):
        for n in range(min(8, len(core) - at), 1, -1):
            if core[at:at + n] in words or core[at:at + n] in towns:
                return core[at:at + n]
    return None


def formula_shape(core: str) -> bool:
    return any(p.search(core) for p in cue_words().formulas)


# --- the rules ---------------------------------------------------------------

def cue_of(row: Mapping) -> Optional[Cue]:
    """The cue that decides the candidate ``row``, or None (the classifier decides)."""
    for rule in RULES:
        cue = rule(row)
        if cue is not None:
            return cue
    return None


def _title(row: Mapping) -> Optional[Cue]:
    if row.get("quote_style") == "《》":
        return Cue("title", False, "document", f"《{core_of(row)}》")
    return None


def _speech(row: Mapping) -> Optional[Cue]:
    """A quote after a colon, or one that ends a sentence of its own (“我们…投资人。”)."""
    left, core = sentence_left(row["left"]).rstrip(), core_of(row)
    if not row.get("quote_style"):
        return None
    if left[-1:] in OPENERS and left[:-1].rstrip()[-1:] in ("：", ":") and not _core_head(row):
        return Cue("speech", False, "quotation", f"{left[:-1].rstrip()[-6:]}“…”")
    if core[-1:] in SENTENCE_END:
        return Cue("speech", False, "quotation", f"“…{core[-6:]}”")
    return None


def _formula(row: Mapping) -> Optional[Cue]:
    core = core_of(row)
    if not row.get("quote_style") or not formula_shape(core) or _core_head(row, ("program",)):
        return None  # “五个一工程” is a programme: its own head says so (not “三个平台”)
    kind = head_kind(row.get("head"))
    extension = _extension(row)
    if row.get("full_text") and kind in BRAND_KINDS and len(extension) >= 3:
        return Cue("formula_name", True, kind, f"“{core}”{extension}")
    return Cue("formula", False, "slogan", f"“{core}”")


def _notname(row: Mapping) -> Optional[Cue]:
    word = notname_after(row) if row.get("quote_style") else None
    if word is None:
        return None
    return Cue("notname", False, cue_words().notname[word], f"“{core_of(row)}”…{word}")


def _type(row: Mapping) -> Optional[Cue]:
    """A quoted name the words after it (or after its list) type: “X”品牌, “X”“Y”系列活动.
    Unquoted lists are read by the document rules (同心义企行、同心义乡行等活动)."""
    if not _name_shaped(row):
        return None
    found = type_after(row)
    kind = head_kind(found[0]) if found else None
    if kind not in BRAND_KINDS:
        return None
    verb = verb_before(row)
    if found[1] in cue_words().trademarks and verb is None:
        return None
    return Cue("type", True, kind, f"{verb or ''}“{core_of(row)}”{found[1]}")


def _since(row: Mapping) -> Optional[Cue]:
    """A quoted name run since some time: “家电下乡”实施以来."""
    if not _name_shaped(row):
        return None
    right = row["right"].lstrip()
    right = right[1:].lstrip() if right[:1] and right[0] in CLOSERS else right
    word = next((w for w in cue_words().since if right.startswith(w)), None)
    return Cue("since", True, cue_words().since[word], f"“{core_of(row)}”{word}") if word else None


def _verb_head(row: Mapping) -> Optional[Cue]:
    """A creating verb before a quoted name with a brand head of its own: 设立“同心青年之家”."""
    head = row.get("head")
    kind = head_kind(head)
    if not _name_shaped(row) or row.get("full_text") or kind not in BRAND_KINDS or head in cue_words().events:
        return None
    verb = verb_before(row)
    return Cue("verb_head", True, kind, f"{verb}“{core_of(row)}”") if verb else None


def _name_shaped(row: Mapping) -> bool:
    """A quoted core that can be a name: two characters or more, not a common word (官方)."""
    core = core_of(row)
    return (bool(row.get("quote_style")) and len(core) >= 2 and common_freq(core) < COMMON_FREQ
            and not _institution(core))


def _institution(core: str) -> bool:
    return any(w in core for w in cue_words().institutions)


def _core_head(row: Mapping, kinds: Sequence[str] = BRAND_KINDS) -> Optional[str]:
    """The head of one of ``kinds`` a quoted core ends in itself (“春蕾计划”, “同心驿站”)."""
    head = row.get("head")
    return head if head and not row.get("full_text") and head_kind(head) in kinds else None


def common_freq(word: str) -> int:
    from pipeline.segment import tokenizer

    return tokenizer().FREQ.get(word) or 0


def _facility(row: Mapping) -> Optional[Cue]:
    core = core_of(row)
    if row.get("quote_style"):
        return None
    words = cue_words()
    head = next((h for h in words.facilities if core.endswith(h)), None)
    place = place_start(core) if head and not _institution(core) else None
    if place is None or len(core) < len(place) + len(head) + 2:
        return None
    return Cue("facility", True, words.facilities[head], f"{place}…{head}")


RULES = (_title, _speech, _formula, _notname, _type, _since, _verb_head, _facility)


def head_kind(head: Optional[str]) -> Optional[str]:
    """The kind hint of a head noun in brand_heads.txt ("other" when unlisted), None without a head."""
    return lexicon().heads.get(head, ("other",))[0] if head else None


def _extension(row: Mapping) -> str:
    full, core = row.get("full_text") or "", row["text"]
    at = full.find(core)
    ext = full[at + len(core):] if at >= 0 else ""
    return re.sub(r"\s+", "", ext).lstrip(CLOSERS)


# --- lists -------------------------------------------------------------------

SEPARATORS = re.compile(r"^\s*(?:[、，,]|以及|和|及|与)?\s*$")


def list_runs(text: str, spans: Sequence[tuple[int, int, bool]]) -> list[list[int]]:
    """Indices of candidates that stand in one list, each list in text order.

    ``spans``: (start, end, quoted) of each candidate's name, in text order. Two
    neighbours are in one list when only a separator (、，和 及 与, a comma only
    between quoted names) stands between them, their quote marks aside."""
    runs: list[list[int]] = []
    for k, (start, _, quoted) in enumerate(spans):
        if runs and _joined(text, spans[runs[-1][-1]], (start, quoted)):
            runs[-1].append(k)
        else:
            runs.append([k])
    return [run for run in runs if len(run) > 1]


def _joined(text: str, before: tuple[int, int, bool], after: tuple[int, bool]) -> bool:
    _, end, quoted_before = before
    start, quoted_after = after
    if start <= end:
        return False
    between = text[end:start]
    if quoted_before:
        between = between[1:] if between[:1] in CLOSERS else between
    if quoted_after:
        between = between[:-1] if between[-1:] in OPENERS else between
    if not (quoted_before and quoted_after) and (not between.strip() or "，" in between or "," in between):
        return False
    return SEPARATORS.match(between) is not None
