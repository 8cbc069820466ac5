"""Figures: named people with the titles the article gives them.

Names come from six places, merged per person across the document:

- title before the name: 中央统战部副部长邹晓东, chains joined by 、 or 兼
  (宁海县委常委、统战部部长娄黛敏 -> two titles);
- name before a title or 同志: 习近平总书记, 李晨阳同志;
- bylines: 编辑:李晨阳, （记者 张三 通讯员 李四）;
- the NER model's PER entities (when the Analysis carries entities);
- a three-character name from jieba's dictionary that reads strongly as a
  name (王进喜, 焦裕禄: people the text names without a title);
- a name jieba finds right before a speech or role verb (陈志强说);
- a transliterated foreign name right after the title of a foreign country's
  or an international body's officer (俄罗斯总理梅德韦杰夫, 世贸组织总干事拉米),
  read from the characters of pipeline/data/figure_foreign.tsv; its later
  mentions (梅德韦杰夫表示) are found as every mention of a figure is.

Rule-found names must start with a surname (pipeline/data/surnames.txt) and
must not be a dictionary word of another kind; personas, pen names and
unnamed officials (pipeline/data/figure_nonpersons.tsv) are never figures,
nor is a surname with a title (杨教授). Roles (出席并讲话, 主持, 表示 ...) are
read from the words after each mention (pipeline/data/figure_roles.tsv).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.analysis import Analysis
from pipeline.nlp import name_score, word_class, word_freq, word_tags
from pipeline.records import Figure
from pipeline.segment import TokenIndex
from pipeline.textutil import DisjointSpans

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_NAME_JOINS = re.compile(r"[·•\-－]")
_CLAUSE_STOP = re.compile("[。；;！？!?\n]")
FOREIGN = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:[·•\-－][\u4e00-\u9fff]{1,8}){1,3}$")
NAME_CLASSES = {"nr", "nrfg", "nrt", "oov"}
# Word classes that end an organisation prefix read leftwards from a position word.
STOP_CLASSES = {"v", "vd", "vi", "vq", "p", "c", "d", "r", "rr", "rz", "t", "tg", "l", "i", "y", "e", "o",
                "u", "ud", "ug", "uj", "ul", "uv", "uz", "zg", "q", "w", "num", "nr", "nrfg", "nrt"}
NON_NAME_CHARS = set("的了在是和与及等为对把被说们这那个着过也都就而或某之其你我他她它啊吗呢吧则称后")
# Rule-found names never end in an organisation or place suffix (宣传部, 王家村).
NON_NAME_ENDS = set("部局委厅处会院所司办室站队组社馆省市县区镇乡村街路号楼")
CUE_KINDS = ("follow", "stop", "start", "skip", "verb", "notafter", "honorific", "after")
# jieba's dictionary tags many everyday words nr (顾问, 荣誉, 谢谢, 莫斯科): a
# dictionary "name" this frequent is only taken with a title next to it.
COMMON_WORD_FREQ = 1000
BREAK = set("，,。.；;：:！!？?、（）()《》“”‘’\"'【】[]「」—…|｜/\\\n\t ")
MAX_PREFIX = 20
# Position words that are also verbs: alone before a name they are the verb.
VERB_POSITIONS = {"代表"}
# A byline name: a two-character name set with a space to the width of three
# (记者 陈 墨) or two to four characters.
NAME_UNIT = r"(?:[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff](?![\u4e00-\u9fff·]|[ \u3000]?[\u4e00-\u9fff]{2,4}[ \u3000]?[)）])|[\u4e00-\u9fff·]{2,4})"
OWN_OUTLET = "(?:本报|本刊|本台|本网|本站)?"
# （高大林） after the last sentence of a report: the author.
END_BYLINE = re.compile(rf"(?<=[。！？!?”])[ \u3000]*[(（][ \u3000]*(?P<name>{NAME_UNIT})[ \u3000]*[)）](?=[ \u3000]*(?:$|\n|本报))")
PERSONA_ENDS = ("君", "小编")

# One-character verbs and prepositions that rarely end a given name: in
# 张瑾向记者表示 the name is 张瑾, not 张瑾向.
GLUED_VERBS = set("率携向称在对从与及等说则也就都还到赴将")
# One-character function words that never open a title (由, 在, 距 ...).
LEAD_WORDS = set("由在自距像被向对和与及同将把给为是从经据")
# A model-only name must read as a name this much more than as anything else.
MIN_NAME_SCORE = 0.5

# A dictionary name (see dictionary_sightings) must score at least this.
DICT_NAME_SCORE = 3.0
DICT_NAME_TAGS = ("nr", "nrfg")

# A transliterated name: at most this many characters per part, parts joined by a dot.
MAX_FOREIGN_PART = 6
FOREIGN_DOTS = "·•"
# jieba tags many foreign people ns (普京, 安南); a place word this frequent is a place (巴黎).
FOREIGN_PLACE_FREQ = 500
FOREIGN_NAME_TAGS = {"nr", "nrfg", "nrt", "ns"}

SOURCE_RANK = {"byline": 5, "title": 4, "ner": 3, "dict": 2, "verb": 1}
CONFIDENCE = {"byline": 0.95, "title": 0.9, "ner": 0.75, "dict": 0.7, "verb": 0.6}


@dataclass
class Sighting:
    """One place a person is named, with what the text says there."""

    start: int
    end: int
    name: str
    source: str
    titles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


@dataclass
class Context:
    """One document with the indexes the rules share."""

    doc: Analysis
    lex: "Lexicon"
    ner_at: dict  # model PER entities by start offset: text
    ner_to: dict  # ... and by end offset

    @classmethod
    def of(cls, doc: Analysis, lex: "Lexicon") -> "Context":
        ctx = cls(doc, lex, {}, {})
        for e in doc.entities_of("PER"):
            a, b = person_span(ctx, e.start, e.end)
            ctx.ner_at[a] = ctx.ner_to[b] = doc.text[a:b]
        return ctx

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def tokens(self) -> TokenIndex:
        return self.doc.tokens


@dataclass(frozen=True)
class Lexicon:
    surnames: frozenset
    compound_surnames: frozenset
    word_surnames: frozenset
    positions: re.Pattern
    position_words: frozenset
    bylines: re.Pattern
    byline_words: frozenset
    roles: tuple
    follow: tuple
    stop: frozenset
    skip: tuple
    verbs: frozenset
    not_after: frozenset
    honorifics: frozenset
    starts: frozenset
    after: tuple
    nonpersons: frozenset


# --- data ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    from pipeline.data import load_words

    surnames = _surnames()
    positions = sorted(set(load_words("figure_positions.txt")), key=len, reverse=True)
    bylines = sorted(set(load_words("figure_bylines.txt")), key=len, reverse=True)
    cues = _cues()
    return Lexicon(
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        word_surnames=frozenset(s for s, kind in surnames.items() if kind == "word"),
        positions=re.compile("|".join(map(re.escape, positions))),
        position_words=frozenset(positions),
        bylines=_byline_pattern(bylines),
        byline_words=frozenset(bylines),
        roles=_roles(),
        follow=tuple(sorted(cues["follow"], key=len, reverse=True)),
        stop=frozenset(cues["stop"]),
        skip=tuple(sorted(cues["skip"], key=len, reverse=True)),
        verbs=frozenset(cues["verb"]),
        not_after=frozenset(cues["notafter"]),
        honorifics=frozenset(cues["honorific"]),
        starts=frozenset(cues["start"]),
        after=tuple(sorted(cues["after"], key=len, reverse=True)),
        nonpersons=frozenset(w for w, _kind in _nonpersons()),
    )


def _surnames() -> dict[str, str]:
    from pipeline.data import DataFileError, load_rows

    out = {}
    for name, kind in load_rows("surnames.txt", 1, optional=1):
        if kind not in ("", "word") or not 1 <= len(name) <= 2 or not HAN.match(name):
            raise DataFileError(f"surnames.txt: bad entry {name!r} {kind!r}")
        out[name] = kind
    return out


def _cues() -> dict[str, list[str]]:
    from pipeline.data import DataFileError, load_rows

    out: dict[str, list[str]] = {kind: [] for kind in CUE_KINDS}
    for kind, word in load_rows("figure_cues.tsv", 2):
        if kind not in out:
            raise DataFileError(f"figure_cues.tsv: unknown kind {kind!r} (one of {', '.join(CUE_KINDS)})")
        out[kind].append(word)
    return out


def _nonpersons() -> list[tuple[str, str]]:
    from pipeline.data import DataFileError, load_rows

    rows = load_rows("figure_nonpersons.tsv", 2)
    for word, kind in rows:
        if kind not in {"persona", "unnamed", "generic"}:
            raise DataFileError(f"figure_nonpersons.tsv: {word}: unknown kind {kind!r}")
    return [(w, k) for w, k in rows]


def _roles() -> tuple[tuple[str, re.Pattern], ...]:
    from pipeline.data import DataFileError, load_rows

    out = []
    for role, pattern in load_rows("figure_roles.tsv", 2):
        try:
            out.append((role, re.compile(pattern)))
        except re.error as err:
            raise DataFileError(f"figure_roles.tsv: {role}: bad pattern {pattern!r} ({err})") from err
    return tuple(out)


def _byline_pattern(words: list[str]) -> re.Pattern:
    long = "|".join(re.escape(w) for w in words if len(w) > 1)
    short = "|".join(re.escape(w) for w in words if len(w) == 1)
    # 编辑:李晨阳 / 记者 张三 (at a line start or in brackets) / 文/张三, 图：李四
    return re.compile(
        rf"(?:(?P<a>{OWN_OUTLET}(?:{long}))\s*[:：/]|(?:^|(?<=[(（【\[\s|｜]))(?P<b>{OWN_OUTLET}(?:{long}))\s+"
        rf"|(?:^|(?<=[(（【\[\s|｜]))(?P<c>{short})\s*[:：/])"
        rf"\s*(?P<names>{NAME_UNIT}(?:[ \u3000、，,]+{NAME_UNIT}){{0,5}})",
        re.M,
    )


# --- names -----------------------------------------------------------------------

def surname_length(name: str, lex: Lexicon) -> int:
    if len(name) >= 3 and name[:2] in lex.compound_surnames:
        return 2
    return 1 if name[:1] in lex.surnames else 0


def is_persona(name: str, lex: Lexicon) -> bool:
    if name in lex.nonpersons:
        return True
    return name.endswith(PERSONA_ENDS) and not surname_length(name, lex)


def rule_name_ok(name: str, lex: Lexicon, *, strict: bool = True) -> bool:
    """A Han name a rule may take: surname + one or two characters, not a form of
    address (杨教授) and not a dictionary word of another kind. strict: not a
    frequent dictionary word either (顾问, 荣誉 are tagged nr by jieba)."""
    s = surname_length(name, lex)
    if not s or not HAN.match(name) or not s + 1 <= len(name) <= s + 2:
        return False
    if any(c in NON_NAME_CHARS for c in name) or name[-1] in NON_NAME_ENDS:
        return False
    if is_persona(name, lex) or name[s:] in lex.honorifics:
        return False
    if word_class(name) not in NAME_CLASSES:
        return False
    return not strict or word_freq(name) < COMMON_WORD_FREQ


def model_name_ok(name: str, lex: Lexicon) -> bool:
    """A PER entity worth keeping: not a persona, not a surname with an honorific
    (潘总). jieba's dictionary class is no evidence here: it tags 奥巴马 ns,
    周恩来 t and 顾问 nr."""
    if is_persona(name, lex) or any(c in NON_NAME_CHARS for c in name):
        return False
    if name[surname_length(name, lex):] in lex.honorifics:
        return False
    if FOREIGN.match(name):
        return True
    return bool(HAN.match(name)) and 2 <= len(name) <= 6


def follows_boundary(text: str, i: int, lex: Lexicon) -> bool:
    """True when a name may end at offset i: punctuation, text end or a follow word."""
    if i >= len(text) or text[i] in BREAK or not "\u4e00" <= text[i] <= "\u9fff":
        return True
    return text.startswith(lex.follow, i) or bool(lex.positions.match(text, i))


# --- titles --------------------------------------------------------------------------

def prefix_start(ctx: Context, s: int) -> int:
    """Where the organisation prefix of a position word starting at s begins."""
    text, a = ctx.text, s
    while a > 0 and text[a - 1] not in BREAK and s - a < MAX_PREFIX:
        tok = ctx.tokens.ending_at(a)
        if tok is None:  # a token straddles a: the part before belongs to the title
            a -= 1
            continue
        if tok.text == "的" and text[max(tok.start - 1, 0)] == "党":
            a = tok.start
            continue
        if tok.text in ctx.lex.starts:
            return tok.start
        cls = word_class(tok.text)
        if tok.text in ctx.lex.stop or (cls in STOP_CLASSES - NAME_CLASSES and not _ordinal(text, tok)):
            break
        if (cls in NAME_CLASSES and rule_name_ok(tok.text, ctx.lex, strict=False)
                and not text.startswith(ctx.lex.after, tok.end)):
            break  # 记者张三通讯员李四: a name ends the next title (宣传部, tagged nr, and 兰德公司 do not)
        a = tok.start
    return a


def _ordinal(text: str, tok) -> bool:
    """十九 in 十九大, 十三 in 十三届: numbers that are part of a body's name."""
    after = text[tok.end:tok.end + 1]
    return bool(re.match(r"^[第\d一二三四五六七八九十百零〇]+$", tok.text)) and after in ("大", "届", "次")


def titles_before(ctx: Context, s: int, e: int) -> list[str]:
    """The chain of titles that ends with the position word text[s:e]."""
    text = ctx.text
    start = _after_dateline(ctx, prefix_start(ctx, s), s)
    titles = [text[start:e]]
    while start > 1 and text[start - 1] in "、兼":
        end = start - 1
        pos = _position_ending_at(text, end, ctx.lex)
        if pos is None:
            break
        start = prefix_start(ctx, pos)
        titles.insert(0, text[start:end])
    return [t for t in (clean_title(re.sub(r"\s+", "", t), ctx.lex) for t in titles) if t]


def _after_dateline(ctx: Context, start: int, s: int) -> int:
    """本报曼谷6月11日电记者张三: the dateline's 日电 / 日讯 is not part of the title."""
    for d in ctx.doc.datelines:
        if d.day_end - 1 == start and d.end <= s:
            return d.end
    return start


def clean_title(title: str, lex: Lexicon) -> str:
    """Drop what a title picked up before a one-character function word
    (像鹏华基金总经理由原南方基金副总经理 -> 原南方基金副总经理, 距公司总经理 -> 公司总经理)."""
    head = _position_ending_at(title, len(title), lex)
    for k in range(len(title) - 2, -1, -1):
        if head is not None and k < head and title[k] in LEAD_WORDS and (
                k == 0 or _position_ending_at(title, k, lex) is not None):
            return title[k + 1:]
    return title


def _position_ending_at(text: str, end: int, lex: Lexicon) -> int | None:
    for n in range(min(8, end), 1, -1):
        if text[end - n:end] in lex.position_words:
            return end - n
    return None


# --- sightings -----------------------------------------------------------------------

def name_after(ctx: Context, i: int) -> str | None:
    """A name starting at offset i (right after a title), or None. Lengths where
    jieba also ends a word are tried first (韩孟认为 -> 韩孟, not 韩孟认)."""
    text, lex = ctx.text, ctx.lex
    if i in ctx.ner_at:
        name = ctx.ner_at[i]
        return name if model_name_ok(name, lex) else None
    if spaced_name(text, i, lex):
        return text[i:i + 3]
    s = surname_length(text[i:i + 3], lex) or 1
    sizes = (s + 2, s + 1)
    for need_boundary in (True, False):
        for n in sizes:
            if need_boundary and i + n not in ctx.tokens.boundaries:
                continue
            if not need_boundary and _verb_at(ctx, i + n - 1):
                continue  # 辛格参与: 参 starts a verb that runs past the name
            cand = text[i:i + n]
            if len(cand) < n:
                continue
            if n == s + 2 and cand[-1] in GLUED_VERBS and _name_here(ctx, i, cand[:-1]):
                continue  # 张瑾向记者, 陆川携新片: the last character starts the next word
            if _name_here(ctx, i, cand) and follows_boundary(text, i + n, lex):
                return cand
    return None


def spaced_name(text: str, i: int, lex: Lexicon) -> bool:
    """记者 陈 墨: a two-character name padded with a space, as bylines set them."""
    cand = text[i:i + 3]
    return (len(cand) == 3 and cand[1] in " \u3000" and cand[0] in lex.surnames and HAN.match(cand[2]) is not None
            and follows_boundary(text, i + 3, lex) and rule_name_ok(compact(cand), lex, strict=False))


def compact(name: str) -> str:
    return re.sub(r"[ \u3000]", "", name)


def _verb_at(ctx: Context, k: int) -> bool:
    """A jieba verb starts at offset k and runs on past it."""
    tok = ctx.tokens.starting_at(k)
    return tok is not None and len(tok.text) in (2, 3) and word_class(tok.text).startswith("v")


def _name_here(ctx: Context, i: int, cand: str) -> bool:
    """cand at offset i is a name: after a surname that is also a word, the given
    name is not a frequent word (曾建议, 向记者; 蔡英文 is fine), and no frequent
    verb or function word sits in it (毕业后, 解释道).
    Rare words are fine: jieba often cuts names as 马/培华 or 王国/海."""
    lex = ctx.lex
    if not rule_name_ok(cand, lex, strict=False):
        return False
    given = cand[surname_length(cand, lex):]
    if cand[0] in lex.word_surnames and len(given) > 1 and word_freq(given) >= COMMON_WORD_FREQ:
        return False
    for tok in ctx.tokens.within(i, i + len(cand)):
        if len(tok.text) < 2:
            continue
        cls = word_class(tok.text)
        if cls in STOP_CLASSES and cls not in NAME_CLASSES and word_freq(tok.text) >= COMMON_WORD_FREQ // 2:
            return False
    return True


def name_before(ctx: Context, i: int) -> str | None:
    """A name ending at offset i (right before a title or 同志), from the model or jieba."""
    if i in ctx.ner_to:
        name = ctx.ner_to[i]
        return name if model_name_ok(name, ctx.lex) else None
    tok = ctx.tokens.ending_at(i)
    if tok is not None and rule_name_ok(tok.text, ctx.lex):
        return tok.text
    return None


def titled_sightings(ctx: Context) -> list[Sighting]:
    """Title then name (副部长邹晓东) and name then title (习近平总书记)."""
    out = []
    text, bounds = ctx.text, ctx.tokens.boundaries
    for m in ctx.lex.positions.finditer(text):
        s, e = m.span()
        j = e + len(text[e:e + 2]) - len(text[e:e + 2].lstrip(" \u3000”’」"))
        name = name_after(ctx, j)
        foreign = foreign_name_after(ctx, s, e, j)
        if foreign and (len(foreign) > len(name or "") or not _foreign_end(ctx, j + len(name))):
            name = foreign  # also where the model ran on into the next word (特朗普特|别强调)
        if name:
            titles = titles_before(ctx, s, e)
            if titles == [m.group()] and m.group() in VERB_POSITIONS:
                titles = []  # 将代表胡锦涛出席: the verb, not a title
            out.append(Sighting(j, j + len(name), compact(name), "title", titles))
        before = name_before(ctx, s) if m.group() not in ctx.lex.not_after else None
        if before and s in bounds and e in bounds:
            out.append(Sighting(s - len(before), s, before, "title", [m.group()]))
    return out


# --- foreign names ------------------------------------------------------------------

@lru_cache(maxsize=1)
def foreign_lexicon() -> tuple[frozenset, re.Pattern]:
    """Transliteration characters, and a pattern for foreign countries and international bodies."""
    from pipeline.data import DataFileError, load_rows

    chars: set[str] = set()
    bodies = []
    for kind, value in load_rows("figure_foreign.tsv", 2):
        if kind == "char" and HAN.match(value) and len(set(value)) == len(value) and not chars & set(value):
            chars.update(value)
        elif kind == "body":
            bodies.append(value)
        else:
            raise DataFileError(f"figure_foreign.tsv: bad or repeated {kind!r} entry {value!r}")
    abroad = sorted({*country_names(), *bodies}, key=len, reverse=True)
    return frozenset(chars), re.compile("|".join(map(re.escape, abroad)))


def foreign_name_after(ctx: Context, s: int, e: int, i: int) -> str | None:
    """A transliterated name at offset i after the position word text[s:e], when the
    title names a foreign country or international body (美国国务卿蓬佩奥). The
    longest run of transliteration characters that ends where a name may end."""
    chars, abroad = foreign_lexicon()
    if i >= len(ctx.text) or ctx.text[i] not in chars:
        return None
    if not any(abroad.search(t) for t in titles_before(ctx, s, e)):
        return None
    run = _foreign_run(ctx.text, i, chars)
    for n in range(len(run), 1, -1):
        if run[n - 1] not in FOREIGN_DOTS and _foreign_end(ctx, i + n) and _foreign_ok(ctx, run[:n], i + n):
            return run[:n]
    return None


def _foreign_run(text: str, i: int, chars: frozenset) -> str:
    """Transliteration characters from offset i, parts of up to MAX_FOREIGN_PART joined by dots."""
    k, part = i, 0
    while k < len(text) and part < MAX_FOREIGN_PART and (text[k] in chars or (text[k] in FOREIGN_DOTS and part)):
        part = 0 if text[k] in FOREIGN_DOTS else part + 1
        k += 1
    return text[i:k]


def _foreign_end(ctx: Context, k: int) -> bool:
    """A name may end at offset k: punctuation or a follow word, or a jieba dictionary
    word that is not a name or place starts there (蓬佩奥|表示, 布什|提出, 特朗普|特别强调).
    Never before a dot: 安瓦尔 in 安瓦尔·易卜拉欣 is part of a longer name."""
    if k < len(ctx.text) and ctx.text[k] in FOREIGN_DOTS:
        return False
    if follows_boundary(ctx.text, k, ctx.lex):
        return True
    tok = ctx.tokens.starting_at(k)
    if tok is None or len(tok.text) > 4:
        return False
    cls = word_class(tok.text)
    if len(tok.text) == 1:  # 和, 在, 将 end a name; 人 in 巴罗佐|夫人 does not
        return tok.text in ctx.lex.verbs or cls in STOP_CLASSES - NAME_CLASSES
    return tok.text in ctx.lex.verbs or cls not in NAME_CLASSES | {"ns"}


def _foreign_ok(ctx: Context, name: str, end: int) -> bool:
    """Not a place (斯里兰卡, 巴黎), a common word of another kind (特使) or the head
    of an organisation's name (西门子公司)."""
    if name in country_names() or ctx.text.startswith(ctx.lex.after, end):
        return False
    tag, freq = word_tags().get(name), word_freq(name)
    if tag is None:
        return True
    if tag not in FOREIGN_NAME_TAGS:
        return freq < COMMON_WORD_FREQ // 10
    return tag != "ns" or freq < FOREIGN_PLACE_FREQ


def comrade_sightings(ctx: Context) -> list[Sighting]:
    """李晨阳同志: a name right before 同志 (有关负责同志 is one jieba word, never split)."""
    out = []
    for m in re.finditer("同志", ctx.text):
        if m.start() in ctx.tokens.boundaries:
            name = name_before(ctx, m.start())
            if name:
                out.append(Sighting(m.start() - len(name), m.start(), name, "title"))
    return out


def byline_sightings(ctx: Context) -> list[Sighting]:
    """编辑:李晨阳, （记者 周建平 通讯员 林晓峰）: each name takes the byline word before it."""
    out = []
    for m in ctx.lex.bylines.finditer(ctx.text):
        title = m["a"] or m["b"] or m["c"]
        start = m.start("names")
        for part in re.finditer(NAME_UNIT, m["names"]):
            name = compact(part.group())
            if name in ctx.lex.byline_words:
                title = name
                continue
            if name in ctx.lex.position_words or not rule_name_ok(name, ctx.lex, strict=False):
                break
            out.append(Sighting(start + part.start(), start + part.end(), name, "byline", [title], [title]))
    for m in END_BYLINE.finditer(ctx.text):
        name = compact(m["name"])
        if rule_name_ok(name, ctx.lex, strict=False):
            out.append(Sighting(m.start("name"), m.end("name"), name, "byline"))
    return out


def model_sightings(ctx: Context) -> list[Sighting]:
    """PER entities that look like a person's name where they stand."""
    out = []
    for start, name in ctx.ner_at.items():
        end = start + len(name)
        if model_name_ok(name, ctx.lex) and _stands_alone(ctx, start, end):
            out.append(Sighting(start, end, name, "ner"))
    return out


def person_span(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """A PER entity without a one-character function word the model took in at the
    front (同梅德韦杰夫, 同伯塞斯库) or a glued verb at the end (陈竺率代表团)."""
    tok = ctx.tokens.starting_at(start)
    if (tok is not None and len(tok.text) == 1 and end - start > 2 and tok.text in LEAD_WORDS
            and word_class(tok.text) in STOP_CLASSES - NAME_CLASSES):
        start += 1
    name = ctx.text[start:end]
    if (HAN.match(name) and len(name) == surname_length(name, ctx.lex) + 2 and name[-1] in GLUED_VERBS
            and end < len(ctx.text) and ctx.text[end] not in BREAK and _name_here(ctx, start, name[:-1])):
        end -= 1
    return start, end


def _stands_alone(ctx: Context, start: int, end: int) -> bool:
    """Not quoted (“金芙蓉” is a brand), not part of a place or other name
    (东方红广场, 兰德公司), not cut out of a jieba word of another kind (炎陵黄|桃)
    and holding no frequent word of another kind (戴口罩, 迟早会)."""
    text, lex = ctx.text, ctx.lex
    if (start and text[start - 1] in "“‘《「") or (end < len(text) and text[end] in "”’》」"):
        return False
    if text.startswith(lex.after, end) or text[start:end].endswith(lex.after):
        return False
    for k in (start, end):
        tok = _token_around(ctx, k)
        if tok is not None and word_class(tok.text) not in NAME_CLASSES:
            return False
    return not any(len(tok.text) >= 2 and _common_word(tok.text) for tok in ctx.tokens.within(start, end))


def _common_word(word: str) -> bool:
    return word_class(word) not in NAME_CLASSES and word_freq(word) >= COMMON_WORD_FREQ // 5


def supported(name: str, group: list["Sighting"], figure: Figure, lex: Lexicon, text: str = "",
              names: "Occurrences | None" = None) -> bool:
    """A name only the model found must be a full foreign name (·), or start with
    a surname and either read as a name by jieba's tagging model (黄金档 and 迟早会
    are tagged nr in jieba's dictionary but do not) or come with a role or a second
    mention. A title, a byline or a rule anywhere is enough."""
    if any(s.source != "ner" for s in group) or FOREIGN.match(name):
        return True
    starts = names.of(name) if names is not None else [m.start() for m in re.finditer(re.escape(name), text)]
    if name in country_names() or any(_before_org_head(text, a + len(name), lex) for a in starts):
        return False  # 文莱 in a list of countries; 易方达 where 易方达基金公司 stands elsewhere
    if not surname_length(name, lex):
        return False
    return name_score(name) >= MIN_NAME_SCORE or bool(figure.roles) or len(figure.mentions) > 1


def _before_org_head(text: str, end: int, lex: Lexicon) -> bool:
    """An organisation or place head of two characters or more follows (公司, 基金, 大学):
    one-character heads (报, 市) are too often the start of the next word."""
    return text.startswith(tuple(w for w in lex.after if len(w) > 1), end)


@lru_cache(maxsize=1)
def country_names() -> frozenset:
    """Names of foreign countries and regions that are not also common words or
    parts of Chinese names (the regions gazetteer's foreign table)."""
    from pipeline.gazetteer import gazetteer

    names = set()
    for row in gazetteer().foreign():
        names.update(n for n in (row.name, row.full_name, *row.aliases) if n and n not in row.common)
    return frozenset(names)


def _token_around(ctx: Context, k: int):
    """The jieba token that straddles offset k (starts before it, ends after it,
    at most five characters after)."""
    tok = ctx.tokens.holding(k)
    return tok if tok is not None and tok.start < k and tok.end <= k + 5 else None


def verb_sightings(ctx: Context) -> list[Sighting]:
    """A jieba name right before a speech or role verb: 陈志强说, 袁爱平表示."""
    out = []
    toks = ctx.tokens.tokens
    for k, tok in enumerate(toks[:-1]):
        if toks[k + 1].text in ctx.lex.verbs and rule_name_ok(tok.text, ctx.lex):
            out.append(Sighting(tok.start, tok.end, tok.text, "verb"))
    return out


def dictionary_sightings(ctx: Context) -> list[Sighting]:
    """A three-character jieba word the dictionary tags as a name, with a surname
    and a strong name score (王进喜, 焦裕禄): historical and well-known people
    the text names without a title. Two-character ones are left out: jieba tags
    王朝, 陶醉 and 杜鹃 nr too."""
    out = []
    for tok in ctx.tokens:
        name = tok.text
        if len(name) == 3 and word_tags().get(name) in DICT_NAME_TAGS and surname_length(name, ctx.lex) == 1:
            if rule_name_ok(name, ctx.lex, strict=False) and name_score(name) >= DICT_NAME_SCORE:
                if _stands_alone(ctx, tok.start, tok.end):
                    out.append(Sighting(tok.start, tok.end, name, "dict"))
    return out


# --- merging ---------------------------------------------------------------------------

def resolve_overlaps(sightings: list[Sighting]) -> list[Sighting]:
    """Where sightings overlap, keep the best-sourced one (then the longer)."""
    ranked = sorted(sightings, key=lambda x: (-SOURCE_RANK[x.source], -(x.end - x.start), x.start))
    kept: list[Sighting] = []
    spans = DisjointSpans()
    for sg in ranked:
        if all(k == (sg.start, sg.end) for k in spans.clashes(sg.start, sg.end)):
            kept.append(sg)  # no clash, or the same span from another source
            spans.add(sg.start, sg.end)
    return sorted(kept, key=lambda x: x.start)


def canonical_names(sightings: list[Sighting]) -> dict[str, str]:
    """Short forms of foreign names (拜纳姆 for 安德鲁-拜纳姆) map to the full name;
    between two full names of one length (迈克尔-马龙, 布兰登-马龙) the one named first."""
    names = list(dict.fromkeys(s.name for s in sorted(sightings, key=lambda s: s.start)))
    by_tail: dict[str, list[str]] = {}  # 拜纳姆 -> [安德鲁-拜纳姆]: the part after a dot or dash
    for name in names:
        for m in _NAME_JOINS.finditer(name):
            by_tail.setdefault(name[m.end():], []).append(name)
    out = {}
    for name in names:
        longer = [n for n in by_tail.get(name, ()) if n != name]
        out[name] = max(longer, key=len) if longer else name
    return out


def merge_titles(titles: list[str]) -> list[str]:
    """Distinct titles in order; one that ends another (部长 in 统战部部长) is dropped."""
    out: list[str] = []
    for t in titles:
        if t and t not in out:
            out.append(t)
    return [t for t in out if not any(o != t and o.endswith(t) and not _rank_prefix(o[:-len(t)]) for o in out)]


def _rank_prefix(prefix: str) -> bool:
    """副 in 副主席, 常务 in 常务副市长: the longer title is another post."""
    return prefix.endswith(("副", "总", "常务", "执行", "名誉", "荣誉", "候补", "第一", "首席"))


class Occurrences:
    """Where each figure name occurs in the text, found in one pass over it
    (not one search per name), and the sightings' spans."""

    def __init__(self, text: str, names: list[str], taken: list[tuple[int, int]]):
        import ahocorasick

        self.names, self.rank = names, {n: k for k, n in enumerate(names)}
        self.starts: dict[str, list[int]] = {n: [] for n in names}
        if names:
            automaton = ahocorasick.Automaton()
            for name in names:
                automaton.add_word(name, name)
            automaton.make_automaton()
            for end, name in automaton.iter(text):
                self.starts[name].append(end + 1 - len(name))
        self.by_start = sorted((a, self.rank[n]) for n, starts in self.starts.items() for a in starts)
        self.taken = sorted(set(taken))

    def of(self, name: str) -> list[int]:
        """Starts of the name left to right, not overlapping (as re.finditer finds them)."""
        out: list[int] = []
        for a in self.starts.get(name, ()):
            if not out or a >= out[-1] + len(name):
                out.append(a)
        return out

    def first_in(self, lo: int, hi: int) -> list[tuple[str, int]]:
        """(name, first start) of the names that start in [lo, hi], in the names' order."""
        first: dict[int, int] = {}
        for a, k in self.by_start[bisect.bisect_left(self.by_start, (lo, -1)):]:
            if a > hi:
                break
            first.setdefault(k, a)
        return [(self.names[k], a) for k, a in sorted(first.items())]

    def inside_another(self, a: int, b: int) -> bool:
        """[a, b) sits inside a sighting's span other than itself (spans do not overlap)."""
        i = bisect.bisect_right(self.taken, (a, float("inf"))) - 1
        return i >= 0 and self.taken[i][1] >= b and self.taken[i] != (a, b)


def mentions_of(name: str, occurrences: Occurrences) -> list[tuple[int, int]]:
    """Every occurrence of a name that does not sit inside another figure's span."""
    spans = [(a, a + len(name)) for a in occurrences.of(name)]
    return [(a, b) for a, b in spans if not occurrences.inside_another(a, b)]


# --- roles -------------------------------------------------------------------------------

def roles_after(ctx: Context, end: int, names: Occurrences) -> list[str]:
    """Roles read from the clause after a mention ending at `end`."""
    text = ctx.text
    i = _skip_after(text, end, ctx.lex, names)
    stop = _CLAUSE_STOP.search(text, i)
    clause = text[i:stop.start() if stop else len(text)]
    return [role for role, pattern in ctx.lex.roles if pattern.match(clause)][:1]


def _skip_after(text: str, i: int, lex: Lexicon, names: Occurrences) -> int:
    """Skip titles, 同志/等/一行 and coordinated people (和娄黛敏, ，县委常委娄黛敏)
    after a name, so that 卢文祥，宁海县委常委娄黛敏出席会议 gives both 出席."""
    while i < len(text):
        m = lex.positions.match(text, i)
        word = next((w for w in lex.skip if text.startswith(w, i)), None)
        if m:
            i = m.end()
        elif word:
            i += len(word)
        elif text[i] in " \u3000":
            i += 1
        elif text[i] in "和与及、，," and (j := _next_person(text, i + 1, lex, names)):
            i = j
        else:
            break
    return i


def _next_person(text: str, i: int, lex: Lexicon, names: Occurrences) -> int | None:
    """End of the next known name when only a title stands between (else None)."""
    for name, k in names.first_in(i, i + MAX_PREFIX):
        gap = text[i:k]
        if not gap or (_position_ending_at(text, k, lex) is not None and not BREAK.intersection(gap) - {"、"}):
            return k + len(name)
    return None


# --- the extractor ----------------------------------------------------------------------

def sightings(ctx: Context) -> list[Sighting]:
    found = [
        *byline_sightings(ctx),
        *titled_sightings(ctx),
        *comrade_sightings(ctx),
        *model_sightings(ctx),
        *dictionary_sightings(ctx),
        *verb_sightings(ctx),
    ]
    return resolve_overlaps(found)


def extract_figures(doc: Analysis) -> list[Figure]:
    """Every named person in the document, once, with titles, roles and mentions."""
    ctx = Context.of(doc, lexicon())
    found = sightings(ctx)
    canon = canonical_names(found)
    groups: dict[str, list[Sighting]] = {}
    for sg in found:
        groups.setdefault(canon[sg.name], []).append(sg)
    names = Occurrences(ctx.text, list(groups), [(s.start, s.end) for s in found])
    figures = [_figure(ctx, name, group, names) for name, group in groups.items()]
    return [f for f in figures if supported(f.name, groups[f.name], f, ctx.lex, ctx.text, names)]


def _figure(ctx: Context, name: str, group: list[Sighting], names: Occurrences) -> Figure:
    spans = sorted({*mentions_of(name, names), *((s.start, s.end) for s in group)})
    sources = sorted({s.source for s in group}, key=lambda k: -SOURCE_RANK[k])
    roles = list(dict.fromkeys(r for s in group for r in s.roles))
    for _a, b in spans:
        roles += [r for r in roles_after(ctx, b, names) if r not in roles]
    confidence = max(CONFIDENCE[k] for k in sources)
    if "ner" in sources and len(sources) > 1:
        confidence = min(0.98, confidence + 0.05)
    return Figure(
        name=name,
        titles=merge_titles([t for s in group for t in s.titles]),
        roles=roles,
        mentions=[ctx.doc.mention(a, b) for a, b in spans],
        method="+".join("ner" if k == "ner" else f"rule:{k}" for k in sources),
        confidence=confidence,
    )
