"""Figures: named people with the titles the article gives them.

Names come from these places, merged per person across the document:

- title before the name: 中央统战部副部长邹晓东, chains joined by 、 or 兼
  (宁海县委常委、统战部部长娄黛敏 -> two titles). A title is read leftwards
  through its body's whole name: administrative units (县教育局), name endings
  whatever jieba's class (湖北省委会, 促进会), places (开封市委), phrases inside
  a name (统一战线理论研究会) and 和/及/驻 joining two parts of one name
  (人力资源和社会保障局). Names listed after a titled one share its titles
  (副会长张明华、李卫和王建), up to one with a title of its own;
- name before a title or a form of address: 习近平总书记, 李晨阳同志, 李鼎铭先生;
- posts a person or a list is elected or appointed to (杨光明当选县工商联主席,
  陈志、李红梅等11人当选副主席、副会长);
- a word that describes a person without being a position (种植大户谭国平);
- bylines: 编辑:李晨阳, （记者 张三 通讯员 李四）, （宾川县委统战部 段永华）;
- lists of people: 李志成、王红梅等150名代表, 林则徐、魏源等先贤, and the other
  members of a list of three or more once half of them are names;
- historical persons named without a title (pipeline/data/figure_historical.txt);
- a compound surname and its given name (司徒家明说, 欧阳振华教授);
- the NER model's PER entities (when the Analysis carries entities);
- a three-character name from jieba's dictionary that reads strongly as a
  name (王进喜, 焦裕禄: people the text names without a title);
- a name jieba finds right before a speech or role verb (陈志强说);
- a transliterated foreign name right after the title of a foreign country's
  or an international body's officer (俄罗斯总理梅德韦杰夫, 世贸组织总干事拉米),
  read from the characters of pipeline/data/figure_foreign.tsv, and a name in
  parts joined by a middle dot after any title (党支部书记买买提·艾力); later
  mentions (梅德韦杰夫表示) are found as every mention of a figure is.

Rule-found names must start with a surname (pipeline/data/surnames.txt; a Hong
Kong married name has two: 陈李淑仪) and must not be a dictionary word of
another kind, except where a title or a byline names the slot (副部长高峰,
记者 向前). Where the model and the rules read names of different lengths at
one place, the longer one that holds the other wins (王立|中 -> 王立中); a name
that is part of a longer name found elsewhere is dropped (谭立 in 谭立中代表).
Personas and unnamed officials (pipeline/data/figure_nonpersons.tsv) are never
figures, pen names only with a title (全国人大代表钟声), nor is a surname with a
title (杨教授), a place (张家界, 杨家岭) or a local product (炎陵黄桃). Roles
(出席并讲话, 主持, 表示 ...) are read from the words after each mention
(pipeline/data/figure_roles.tsv).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.analysis import Analysis
from pipeline.extract.figure_lexicon import (HAN, LIST_JOINTS, NAME_UNIT, Lexicon, historical_names,
                                             historical_pattern, lexicon)
from pipeline.nlp import name_score, word_class, word_freq, word_tags
from pipeline.records import Figure
from pipeline.segment import TokenIndex
from pipeline.textutil import DisjointSpans, not_overlapping, starts_of

_NAME_JOINS = re.compile(r"[·•\-－]")
_CLAUSE_STOP = re.compile("[。；;！？!?\n]")
FOREIGN = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:[·•\-－][\u4e00-\u9fff]{1,8}){1,3}$")
NAME_CLASSES = {"nr", "nrfg", "nrt", "oov"}
# Word classes that end an organisation prefix read leftwards from a position word.
STOP_CLASSES = {"v", "vd", "vi", "vq", "p", "c", "d", "r", "rr", "rz", "t", "tg", "l", "i", "y", "e", "o",
                "u", "ud", "ug", "uj", "ul", "uv", "uz", "zg", "q", "w", "num", "nr", "nrfg", "nrt"}
NON_NAME_CHARS = set("的了在是和与及等为对把被说们这那个着过也都就而或某之其你我他她它啊吗呢吧则称后又已亦不没")
# Organisation endings that also end given names (黄文会): taken after a title only.
TITLED_FINALS = set("会")
# Function characters that may stand in a three-character name (刘永和, 邓和平); at its
# end, what follows tells whether it is the conjunction (李明和王刚, see name_after).
NAME_FINALS = set("和")
# Rule-found names never end in an organisation or place suffix (宣传部, 王家村).
NON_NAME_ENDS = set("部局委厅处会院所司办室站队组社馆省市县区镇乡村街路号楼网报刊")
# jieba's dictionary tags many everyday words nr (顾问, 荣誉, 谢谢, 莫斯科): a
# dictionary "name" this frequent is only taken with a title next to it.
COMMON_WORD_FREQ = 1000
# A two-character word a fifth that frequent (施政, 徐徐, 唐僧) that only the model
# reads as a name, once and doing nothing, must read at least this strongly as a
# name by jieba's tagging model to be one (李娜 7.5, 李鹏 7.7; 施政 2.3, 唐僧 5.3).
WORD_NAME_SCORE = 6.0
BREAK = set("，,。.；;：:！!？?、（）()《》“”‘’\"'【】[]「」—…|｜/\\\n\t ")
MAX_PREFIX = 32
TAKE, STOP, OPEN = "take", "stop", "open"  # what a token does to a title read leftwards
# Classes of phrases that stand inside a body's name (统一战线 l, 青年 t, 教育 vn).
BODY_WORD_CLASSES = {"l", "t", "vn", "i"}
# Classes of the word before 和/与/及/驻 inside a body's name (人力资源和…, 政府驻…).
JOINED_CLASSES = {"n", "nz", "nt", "vn", "j", "ns", "l"}
# Classes of verbs and adverbs (出席, 亲自): after 刘永和 the clause goes on, 和 is no conjunction.
VERB_CLASSES = {"v", "vd", "vi", "d", "ad", "p"}
# Classes of words that go on a name rather than end it (王立|新区, 李|家村).
PLACE_CLASSES = {"ns", "nt", "nz", "nrt", "s"}
# Position words that are also verbs: alone before a name they are the verb.
VERB_POSITIONS = {"代表"}
# （高大林） after the last sentence of a report: the author.
END_BYLINE = re.compile(rf"(?<=[。！？!?”])[ \u3000\n]*[(（][ \u3000]*(?:(?P<org>[\u4e00-\u9fff]{{2,24}})[ \u3000]+)?"
                        rf"(?P<name>{NAME_UNIT})[ \u3000]*[)）](?=[ \u3000]*(?:$|\n|本报))")
PERSONA_ENDS = ("君", "小编")

# One-character verbs and prepositions that rarely end a given name: in
# 张瑾向记者表示 the name is 张瑾, not 张瑾向.
GLUED_VERBS = set("率携向称在对从与及等说则也就都还到赴将作")
# One-character function words that never open a title (由, 在, 距 ...).
LEAD_WORDS = set("由在自距像被向对和与及同将把给为是从经据")
# A name in parts joined by a middle dot (维吾尔族 names: 买买提·艾力).
DOTTED = re.compile(r"[\u4e00-\u9fff]{2,6}(?:[·•][\u4e00-\u9fff]{2,6}){1,3}")
# After a surname that is also a word (向, 时, 应), a given name that is a dictionary
# word this frequent is that word (向记者, 时不忘, 应如实).
WORD_GIVEN_FREQ = 50
# Characters that never stand in the last part of a dotted name (马可·穆勒|自2004年).
DOTTED_STOPS = NON_NAME_CHARS | GLUED_VERBS | LEAD_WORDS
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

SOURCE_RANK = {"byline": 7, "title": 6, "list": 5, "history": 4, "surname": 4, "ner": 3, "dict": 2, "verb": 1}
CONFIDENCE = {"byline": 0.95, "title": 0.9, "list": 0.8, "history": 0.85, "surname": 0.75, "ner": 0.75,
              "dict": 0.7, "verb": 0.6}


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


# --- names -----------------------------------------------------------------------

def surname_length(name: str, lex: Lexicon) -> int:
    """Characters before the given name: a compound surname (欧阳振华), a Hong Kong
    married woman's two surnames (陈李淑仪: four characters), one surname, or 0."""
    if len(name) >= 3 and name[:2] in lex.compound_surnames:
        return 2
    if len(name) == 4 and name[0] in lex.surnames and name[1] in lex.surnames:
        return 2
    return 1 if name[:1] in lex.surnames else 0


def is_persona(name: str, lex: Lexicon, *, titled: bool = False) -> bool:
    """An outlet's persona or pen name (新语君, 钟声), or an unnamed person. A pen name
    that is also an ordinary name is a person where a title stands before it
    (全国人大代表钟声)."""
    if name in lex.nonpersons or (name in lex.pennames and not titled):
        return True
    return name.endswith(PERSONA_ENDS) and not surname_length(name, lex)


def name_shape_ok(name: str, lex: Lexicon, *, titled: bool = False) -> bool:
    """Surname + one or two characters (two surnames + two for a married name), no
    function character or organisation ending, not a persona or a form of address."""
    s = surname_length(name, lex)
    if not s or not HAN.match(name) or not s + 1 <= len(name) <= s + 2:
        return False
    if _odd_chars(name, titled) or (name[-1] in NON_NAME_ENDS and not (titled and name[-1] in TITLED_FINALS)):
        return False
    return not is_persona(name, lex, titled=titled) and name[s:] not in lex.honorifics


def rule_name_ok(name: str, lex: Lexicon, *, strict: bool = True, titled: bool = False) -> bool:
    """A Han name a rule may take: surname + one or two characters, not a form of
    address (杨教授) and not a dictionary word of another kind. strict: not a
    frequent dictionary word either (顾问, 荣誉 are tagged nr by jieba)."""
    if not name_shape_ok(name, lex, titled=titled):
        return False
    if word_class(name) not in NAME_CLASSES:
        return False
    return not strict or word_freq(name) < COMMON_WORD_FREQ


def _odd_chars(name: str, titled: bool = False) -> bool:
    """A function character in the name; 和 may end a three-character one (刘永和),
    and right after the surname it may start the given name of one a title names
    (主任邓和平; untitled, 手包和高跟 is the conjunction). Where a final 和 is the
    conjunction (李明和王刚, 陈和副局长), what follows tells (see name_after)."""
    allowed = (1, 2) if titled else (2,)
    return any(c in NON_NAME_CHARS and not (len(name) == 3 and k in allowed and c in NAME_FINALS)
               for k, c in enumerate(name))


def model_name_ok(name: str, lex: Lexicon, *, titled: bool = False) -> bool:
    """A PER entity worth keeping: not a persona, not a surname with an honorific
    (潘总). jieba's dictionary class is no evidence here: it tags 奥巴马 ns,
    周恩来 t and 顾问 nr."""
    if is_persona(name, lex, titled=titled) or _odd_chars(name, titled):
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
        step = _prefix_step(ctx, tok, s)
        if step == STOP:
            break
        a = tok.start
        if step == OPEN:
            break
    return a


def _prefix_step(ctx: Context, tok, s: int) -> str:
    """Whether the token before the title read so far (up to the position word at s)
    belongs to it (TAKE), ends it (STOP) or opens it (OPEN: 本报)."""
    text, lex = ctx.text, ctx.lex
    if tok.text in lex.starts:
        return OPEN
    if tok.text == "的" and text[max(tok.start - 1, 0)] == "党":
        return TAKE
    if tok.text in lex.joiners:
        return TAKE if _joins_body(ctx, tok, s) else STOP
    if tok.text in lex.stop:
        return STOP
    cls = word_class(tok.text)
    if (cls in NAME_CLASSES and rule_name_ok(tok.text, lex, strict=False)
            and not text.startswith(lex.after, tok.end)):
        return STOP  # 记者张三通讯员李四: a name ends the next title (宣传部, tagged nr, and 兰德公司 do not)
    if _body_part(ctx, tok, s):
        return TAKE
    if cls in STOP_CLASSES - NAME_CLASSES and not _ordinal(text, tok):
        return STOP
    return TAKE


def _body_part(ctx: Context, tok, s: int) -> bool:
    """A piece of a body's name whatever jieba's class for it: a name ending like one
    (促进会, 湖北省委|会), an administrative unit (县, 市), a place (开封), or a
    phrase (统一战线, 生态环境, 青年) inside a name whose head is already read."""
    lex = ctx.lex
    if tok.text in lex.units or tok.text.endswith(lex.org) or _is_place(tok.text):
        return True
    if ctx.text.startswith(lex.long_units, tok.start):
        return True  # 自治|区, 特别|行政区
    cls = word_class(tok.text)
    if cls == "v" and len(tok.text) > 1:  # 运行监测协调|局: a verb that names what the body does
        right = ctx.tokens.starting_at(tok.end) or ctx.tokens.holding(tok.end)
        return right is not None and right.text[:1] in lex.org
    return cls in BODY_WORD_CLASSES and _holds_body(ctx.text[tok.end:s], lex)


def _holds_body(part: str, lex: Lexicon) -> bool:
    return any(h in part for h in lex.org)


def _joins_body(ctx: Context, tok, s: int) -> bool:
    """和 in 人力资源和社会保障局, 驻 in 政府驻香港联络办: a body's name runs on on both
    sides (a body's head after it, no position word; a plain noun before it)."""
    right = ctx.text[tok.end:s]
    if not _holds_body(right, ctx.lex) or ctx.lex.positions.search(right):
        return False
    left = ctx.tokens.ending_at(tok.start)
    return (left is not None and left.text not in ctx.lex.position_words
            and (word_class(left.text) in JOINED_CLASSES or _body_part(ctx, left, s)))


@lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    """A division's name or short form that is not also a common word (开封 is tagged v)."""
    from pipeline.gazetteer import gazetteer

    return len(word) >= 2 and any(not c.common for c in gazetteer().candidates(word))


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
        if title.startswith(lex.long_units, k):
            continue  # 自治区侨联…: 自 opens a unit here (no one-character unit is a LEAD_WORDS one)
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
    """A name starting at offset i (right after a title), or None. The model's
    name, unless the rules read a longer one that holds it (王立|中 -> 王立中,
    司徒|家乐 -> 司徒家乐, 邓陈|美玲 -> 邓陈美玲)."""
    rule = rule_name_after(ctx, i)
    ner = ctx.ner_at.get(i)
    if ner and _holds_joint(ner) and not _clause_goes_on(ctx, i + len(ner)):
        return rule  # the model took the conjunction in (李明和县委常委王刚)
    return _model_or_rule(ctx, ner, rule, str.startswith)


def _model_or_rule(ctx: Context, ner: str | None, rule: str | None, holds) -> str | None:
    """The model's name where it read one (None if it is no name), unless the rules
    read a longer one that holds it (holds: str.startswith or str.endswith)."""
    if ner is None:
        return rule
    if not model_name_ok(ner, ctx.lex, titled=True):
        return None
    return rule if rule and len(rule) > len(ner) and holds(rule, ner) else ner


def rule_name_after(ctx: Context, i: int) -> str | None:
    """A name the rules read at offset i. Lengths where jieba also ends a word are
    tried first (韩孟认为 -> 韩孟, not 韩孟认)."""
    text = ctx.text
    if spaced_name(text, i, ctx.lex):
        return text[i:i + 3]
    dotted = dotted_name(ctx, i)
    if dotted:
        return dotted
    s = surname_length(text[i:i + 3], ctx.lex) or 1
    sizes = (4, s + 2, s + 1) if _married_at(ctx, i) else (s + 2, s + 1)
    for need_boundary in (True, False):
        for n in sizes:
            if _name_of_size(ctx, i, n, s, need_boundary):
                return text[i:i + n]
    return None


def _name_of_size(ctx: Context, i: int, n: int, s: int, need_boundary: bool) -> bool:
    text, lex = ctx.text, ctx.lex
    if need_boundary and i + n not in ctx.tokens.boundaries:
        return False
    if not need_boundary and _verb_at(ctx, i + n - 1):
        return False  # 辛格参与: 参 starts a verb that runs past the name
    cand = text[i:i + n]
    if len(cand) < n:
        return False
    if n == s + 2 and cand[-1] in GLUED_VERBS and _name_here(ctx, i, cand[:-1], titled=True):
        return False  # 张瑾向记者, 陆川携新片: the last character starts the next word
    if _holds_joint(cand) and not _clause_goes_on(ctx, i + n):
        return False  # 李明和县委常委王刚, 局长陈和副局长李强: 和 joins two people
    if not _name_here(ctx, i, cand, titled=True):
        return False
    if follows_boundary(text, i + n, lex):
        return True
    # 王立|中|通报: a full-length name jieba ends, before a word of another kind
    return (need_boundary and n >= s + 2 and _word_follows(ctx, i + n)
            and not _given_is_word(cand, lex) and not _given_is_verb(cand, lex))


def _holds_joint(name: str) -> bool:
    """和 stands in the given name (刘永和, 邓和平): it may be the conjunction instead."""
    return any(c in NAME_FINALS for c in name[1:])


def _clause_goes_on(ctx: Context, k: int) -> bool:
    """After a name holding 和 comes punctuation or a verb (刘永和出席), not a title or a name."""
    if k >= len(ctx.text) or ctx.text[k] in BREAK:
        return True
    tok = ctx.tokens.starting_at(k)
    if tok is not None and len(tok.text) >= 2 and word_class(tok.text) in VERB_CLASSES:
        return True
    return ctx.text.startswith(ctx.lex.verb_starts, k) or ctx.text.startswith(ctx.lex.clause_follow, k)


def _given_is_word(name: str, lex: Lexicon) -> bool:
    """The given name is a dictionary word of another kind, not rare (古沙|家居, 独孤|一味,
    吴边|建议): where nothing else marks the name's end, the text goes on in words."""
    given = name[surname_length(name, lex):]
    return len(given) > 1 and word_freq(given) >= WORD_GIVEN_FREQ and word_class(given) not in NAME_CLASSES | {"nz"}


def _given_is_verb(name: str, lex: Lexicon) -> bool:
    """The given name is a dictionary verb, adverb or adjective (乔|装成, 应|如实)."""
    given = name[surname_length(name, lex):]
    return len(given) > 1 and word_freq(given) > 0 and word_class(given) in VERB_CLASSES | {"a", "m"}


def _married_at(ctx: Context, i: int) -> bool:
    """Two surnames, then a two-character given name that jieba does not cut
    (黄何|美芬, 邓|陈玉莲, 陈李淑贞): a Hong Kong married woman's name."""
    text, lex = ctx.text, ctx.lex
    cand = text[i:i + 4]
    return (len(cand) == 4 and cand[0] in lex.surnames and cand[1] in lex.surnames
            and i + 3 not in ctx.tokens.boundaries and i + 4 in ctx.tokens.boundaries
            and word_class(cand[:2]) == "oov" and cand[-1] not in GLUED_VERBS and not _given_is_word(cand, lex))


def dotted_name(ctx: Context, i: int) -> str | None:
    """A name written in parts joined by a middle dot at offset i (买买提·吐尔逊, after a
    title): the last part ends where the clause goes on (介绍, 说, punctuation)."""
    m = DOTTED.match(ctx.text, i)
    if not m or ctx.lex.positions.search(re.split("[·•]", m.group())[0]):
        return None  # 编剧兼导演巴兹•鲁尔曼: a title, then the name
    last = max(m.group().rfind(d) for d in FOREIGN_DOTS) + i + 1
    end = last
    while end < m.end() and ctx.text[end] not in DOTTED_STOPS:
        end += 1  # 马可·穆勒自2004年: 自 ends the name
    for k in range(last + 2, end + 1):
        if follows_boundary(ctx.text, k, ctx.lex) or _word_follows(ctx, k):
            return ctx.text[i:k]
    return None


def _word_follows(ctx: Context, k: int) -> bool:
    """A word of jieba's dictionary that is not a name or a place starts at offset k
    (邹建波|解读, 王立中|通报, 欧阳振华|交流): the name ends there."""
    tok = ctx.tokens.starting_at(k)
    if tok is None or len(tok.text) < 2 or not word_freq(tok.text):
        return False
    return word_class(tok.text) not in NAME_CLASSES | PLACE_CLASSES


def spaced_name(text: str, i: int, lex: Lexicon) -> bool:
    """记者 陈 墨: a two-character name padded with a space, as bylines set them."""
    cand = text[i:i + 3]
    return (len(cand) == 3 and cand[1] in " \u3000" and cand[0] in lex.surnames and HAN.match(cand[2]) is not None
            and follows_boundary(text, i + 3, lex) and rule_name_ok(compact(cand), lex, strict=False))


def compact(name: str) -> str:
    return re.sub(r"[ \u3000]", "", name)


def _verb_at(ctx: Context, k: int) -> bool:
    """A jieba verb, or a frequent word of another kind than a name, starts at offset k
    and runs on past it (辛格|参与, 夏冬|现在)."""
    tok = ctx.tokens.starting_at(k)
    if tok is None or len(tok.text) not in (2, 3):
        return False
    cls = word_class(tok.text)
    return cls.startswith("v") or (cls not in NAME_CLASSES and word_freq(tok.text) >= COMMON_WORD_FREQ)


def _name_here(ctx: Context, i: int, cand: str, *, titled: bool = False) -> bool:
    """cand at offset i is a name: after a surname that is also a word, the given
    name is not a frequent word (曾建议, 向记者; 蔡英文 is fine), and no frequent
    verb or function word sits in it (毕业后, 解释道).
    Rare words are fine: jieba often cuts names as 马/培华 or 王国/海."""
    lex = ctx.lex
    if not rule_name_ok(cand, lex, strict=False, titled=titled):
        return False
    given = cand[surname_length(cand, lex):]
    if cand[0] in lex.word_surnames and _given_is_word(cand, lex):
        return False
    first = ctx.tokens.starting_at(i)
    if first is not None and len(first.text) > surname_length(cand, lex) and _is_place(first.text):
        return False  # 南宁|行: a place, then a word
    for tok in ctx.tokens.within(i, i + len(cand)):
        if len(tok.text) < 2:
            continue
        cls = word_class(tok.text)
        if cls in STOP_CLASSES and cls not in NAME_CLASSES and word_freq(tok.text) >= COMMON_WORD_FREQ // 2:
            return False
    return True


def name_before(ctx: Context, i: int) -> str | None:
    """A name ending at offset i (right before a title or 同志): the model's, unless
    the rules read a longer one that holds it."""
    return _model_or_rule(ctx, ctx.ner_to.get(i), rule_name_before(ctx, i), str.endswith)


def rule_name_before(ctx: Context, i: int) -> str | None:
    """jieba's word ending at offset i when it is a name, else a name jieba cut in two
    (张|建中同志, 司徒|家乐): it starts where a word starts."""
    tok = ctx.tokens.ending_at(i)
    if tok is not None and rule_name_ok(tok.text, ctx.lex):
        return tok.text
    for n, s in ((4, 2), (3, 2), (3, 1)):
        a = i - n
        cand = ctx.text[max(a, 0):i]
        first = ctx.tokens.starting_at(a) if a >= 0 else None
        surnames = ctx.lex.compound_surnames if s == 2 else ctx.lex.surnames
        if first is not None and first.text == cand[:s] and cand[:s] in surnames:
            if _name_here(ctx, a, cand):
                return cand  # 欧阳|晨当选, 张|建中同志
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
            out += listed_after(ctx, j + len(name), titles)
        before = name_before(ctx, s) if m.group() not in ctx.lex.not_after else None
        if before and s in bounds and e in bounds and not text.startswith(ctx.lex.after, e):
            out.append(Sighting(s - len(before), s, before, "title", [m.group()]))
    return out


def described_sightings(ctx: Context) -> list[Sighting]:
    """种植大户谭国平, 台湾青年创业者黄志成、陈思妤: a word that describes a person
    (not a position: it gives no title) right before a name, and the names listed
    after it."""
    out = []
    for m in ctx.lex.describers.finditer(ctx.text):
        if m.end() in ctx.tokens.boundaries and (name := name_after(ctx, m.end())):
            out.append(Sighting(m.end(), m.end() + len(name), compact(name), "title"))
            out += listed_after(ctx, m.end() + len(name), [])
    return out


def listed_after(ctx: Context, k: int, titles: list[str]) -> list[Sighting]:
    """副会长张明华、李卫和王建: names listed right after a titled name share its titles,
    up to a name that has a title of its own."""
    out, text = [], ctx.text
    while sep := _list_joint(text, k):
        i = k + sep
        name = name_after(ctx, i)
        if not name or ctx.lex.positions.match(text, i + len(name)) or _titled_item(ctx, i, len(name)):
            break  # 副教授欧阳志恒、琴澳智联科技有限公司创办人陈林丽华: a new title
        out.append(Sighting(i, i + len(name), compact(name), "title", list(titles)))
        k = i + len(name)
    return out


def _titled_item(ctx: Context, i: int, n: int) -> bool:
    """The list item at offset i, read as a name of n characters, runs on (up to the
    next 、, 和 or punctuation) into a title followed by a name: the item is a
    person with a title of their own (琴澳智联科技有限公司创办人陈林丽华)."""
    end = i + n
    while end < len(ctx.text) and ctx.text[end] not in BREAK and not (end == i + n and _list_joint(ctx.text, end)):
        end += 1
    return any(name_after(ctx, m.end()) for m in ctx.lex.positions.finditer(ctx.text, i, end))


def _list_joint(text: str, k: int) -> int:
    """Length of the list separator at offset k (、, 和, 及, 与, 以及), 0 if none."""
    for joint in LIST_JOINTS:
        if text.startswith(joint, k):
            return len(joint)
    return 0


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
    """李晨阳同志, 李鼎铭先生: a name right before a form of address (有关负责同志 is
    one jieba word, never split)."""
    out = []
    for m in ctx.lex.address.finditer(ctx.text):
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
            if name in ctx.lex.position_words or not name_shape_ok(name, ctx.lex):
                break  # 向前, 江南: in a byline a name that is also a word is a name
            out.append(Sighting(start + part.start(), start + part.end(), name, "byline", [title], [title]))
    for m in END_BYLINE.finditer(ctx.text):
        name = compact(m["name"])
        if m["org"] and not m["org"].endswith(ctx.lex.org):
            continue  # （宾川县委统战部 段永华）: the author's body, then the author
        if rule_name_ok(name, ctx.lex, strict=False):
            out.append(Sighting(m.start("name"), m.end("name"), name, "byline"))
    return out


def elected_sightings(ctx: Context) -> list[Sighting]:
    """杨光明当选县工商联主席、总商会会长; 陈志、李红梅等11人当选副主席、副会长:
    the posts a person or a list of people is elected to are their titles."""
    out, text = [], ctx.text
    for m in ELECTED.finditer(text):
        titles = titles_after(ctx, m.end())
        if not titles:
            continue
        listed = PEOPLE_TAIL.search(text, max(0, m.start() - 8), m.start())
        if listed:
            spans = _list_items(ctx, listed.start())
        else:
            spans = _names_listed_before(ctx, m.start())
        out += [Sighting(a, b, text[a:b], "title", list(titles)) for a, b in spans]
    return out


def _names_listed_before(ctx: Context, end: int) -> list[tuple[int, int]]:
    """The name ending at offset end and the names listed before it (周丽、吴海峰当选)."""
    spans: list[tuple[int, int]] = []
    while (name := name_before(ctx, end)) is not None:
        spans.insert(0, (end - len(name), end))
        sep = next((j for j in LIST_JOINTS if ctx.text.endswith(j, 0, end - len(name))), None)
        if sep is None:
            break
        end -= len(name) + len(sep)
    return spans


ELECTED = re.compile("(?:当选为|当选|任命为|出任|担任)")
PEOPLE_TAIL = re.compile(r"等[\d一二两三四五六七八九十百]+(?:名|位|人)$")


def titles_after(ctx: Context, k: int) -> list[str]:
    """Titles written after offset k up to the clause's end, joined by 、 (县工商联主席、
    总商会会长); [] unless every part ends with a position word."""
    stop = k
    while stop < len(ctx.text) and (ctx.text[stop] not in BREAK or ctx.text[stop] == "、"):
        stop += 1
    parts = ctx.text[k:stop].split("、")
    if not all(p and _position_ending_at(p, len(p), ctx.lex) is not None for p in parts):
        return []
    return [t for t in (clean_title(p, ctx.lex) for p in parts) if t]


def enumeration_sightings(ctx: Context) -> list[Sighting]:
    """李志成、王红梅、赵海涛等150名代表; 林则徐、魏源等先贤: a list that ends with 等
    and a number of people or a word for people, every member a name."""
    out = []
    for m in re.finditer("等", ctx.text):
        if _people_follow(ctx, m.end()):
            items = _list_items(ctx, m.start())
            if len(items) >= 2:
                out += [Sighting(a, b, ctx.text[a:b], "list") for a, b in items]
    return out


PEOPLE_COUNT = re.compile(r"[\d一二两三四五六七八九十百千万余多]+(?:名|位|人)")


def _people_follow(ctx: Context, k: int) -> bool:
    """After 等 at offset k: a number of people (150名) or a word for people (先贤)."""
    text = ctx.text
    if PEOPLE_COUNT.match(text, k):
        return True
    for word in ctx.lex.group:
        if text.startswith(word, k):
            after = text[k + len(word):k + len(word) + 1]
            return len(word) > 1 or not after or not HAN.match(after) or k + len(word) in ctx.tokens.boundaries
    return False


def _list_items(ctx: Context, end: int) -> list[tuple[int, int]]:
    """The spans of the names listed (joined by 、) in the clause before offset end; the
    first may follow other words (重温了黄兴、蔡锷等); [] unless every member is a name."""
    text, lo = ctx.text, end
    while lo > 0 and (text[lo - 1] not in BREAK or text[lo - 1] == "、"):
        lo -= 1
    items = _items_between(text, lo, end)
    first = name_before(ctx, items[0][1]) or (_listed_name(ctx, *items[0]) and text[slice(*items[0])])
    if not first:
        return []
    items[0] = (items[0][1] - len(first), items[0][1])
    return items if all(_listed_name(ctx, a, b) for a, b in items) else []


def _listed_name(ctx: Context, a: int, b: int) -> bool:
    """text[a:b], a member of a list of people, is a name: the model's, a historical
    person's, a dotted name, or one the rules take."""
    name = ctx.text[a:b]
    if ctx.ner_at.get(a) == name or name in historical_names() or DOTTED.fullmatch(name):
        return True
    return rule_name_ok(name, ctx.lex, strict=False)


def historical_sightings(ctx: Context) -> list[Sighting]:
    """林则徐, 毛泽东: a historical person's name (pipeline/data/figure_historical.txt)
    standing as a word of its own (not 黄兴路, 焦裕禄纪念园, 毛泽东思想), and not the
    start of a living person's longer name (朱德|华说, 陈云|飞)."""
    out, bounds = [], ctx.tokens.boundaries
    for m in historical_pattern().finditer(ctx.text):
        a, b = m.span()
        if a in bounds and b in bounds and not ctx.text.startswith(ctx.lex.after, b) and not ctx.doc.quotes.in_title(a, a + 1):
            if not _name_runs_on(ctx, m.group(), b):
                out.append(Sighting(a, b, m.group(), "history"))
    return out


def _name_runs_on(ctx: Context, name: str, b: int) -> bool:
    """A two-character name ending at offset b is the start of a three-character one:
    the next character gives a name the rules take (朱德华说, 岳飞虎出席), is no glued
    verb and starts no word of its own (陈嘉庚倾资兴学 keeps 陈嘉庚; 严复|核查 does not)."""
    ch = ctx.text[b:b + 1]
    return (len(name) == 2 and ch != "" and ch not in GLUED_VERBS
            and rule_name_ok(name + ch, ctx.lex, strict=False) and not _word_follows(ctx, b))


def compound_sightings(ctx: Context) -> list[Sighting]:
    """司徒家明说, 欧阳振华教授: a compound surname (not one that is also a word, such as
    东方) and one or two characters, where a word starts before it and the clause
    goes on after it; jieba cuts such names (司徒|家|明说)."""
    out, text = [], ctx.text
    for m in ctx.lex.compounds.finditer(text):
        a = m.start()
        tok = ctx.tokens.starting_at(a)
        if tok is None or tok.end != m.end():
            continue  # 避上|官立学校: the surname is no word of its own here
        for n in (4, 3):
            cand = text[a:a + n]
            if len(cand) < n or _given_is_word(cand, ctx.lex) or text.startswith(ctx.lex.after, a + n):
                continue  # 司马大道, 独孤一味
            if _name_here(ctx, a, cand) and (follows_boundary(text, a + n, ctx.lex)
                                             or (n == 4 and _word_follows(ctx, a + n))):
                out.append(Sighting(a, a + n, cand, "surname"))
                break
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
    if _place_like(text[start:end], lex) or _after_place(ctx, start):
        return False
    for k in (start, end):
        tok = _token_around(ctx, k)
        if tok is not None and word_class(tok.text) not in NAME_CLASSES:
            return False
    return not any(len(tok.text) >= 2 and _common_word(tok.text) for tok in ctx.tokens.within(start, end))


def _place_like(name: str, lex: Lexicon) -> bool:
    """A division's name (张家界) or a village's or a hill's (杨家岭, 李家庄)."""
    return _is_place(name) or (len(name) == 3 and name[1] == "家" and name[2] in lex.place_ends)


def _after_place(ctx: Context, start: int) -> bool:
    """Right after a place's name (炎陵|黄桃): a product or a local name, not a person."""
    tok = ctx.tokens.ending_at(start)
    return tok is not None and _is_place(tok.text)


def _word_more_than_name(name: str) -> bool:
    """A two-character frequent dictionary word that does not read strongly as a name."""
    return len(name) == 2 and word_freq(name) >= COMMON_WORD_FREQ // 5 and name_score(name) < WORD_NAME_SCORE


def _common_word(word: str) -> bool:
    return word_class(word) not in NAME_CLASSES and word_freq(word) >= COMMON_WORD_FREQ // 5


def supported(name: str, group: list["Sighting"], figure: Figure, lex: Lexicon, text: str,
              names: "Occurrences") -> bool:
    """A name only the model found must be a full foreign name (·), or start with
    a surname and either read as a name by jieba's tagging model (黄金档 and 迟早会
    are tagged nr in jieba's dictionary but do not) or come with a role or a second
    mention. A title, a byline or a rule anywhere is enough."""
    if any(s.source != "ner" for s in group) or FOREIGN.match(name):
        return True
    if name in country_names() or any(_before_org_head(text, a + len(name), lex) for a in names.of(name)):
        return False  # 文莱 in a list of countries; 易方达 where 易方达基金公司 stands elsewhere
    if not surname_length(name, lex):
        return False
    if _word_more_than_name(name) and len(figure.mentions) == 1 and not figure.roles:
        return False  # 依法施政: a word the dictionary also knows as a name, named once and doing nothing
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
        names.update(row.surfaces())
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


def without_parts(text: str, sightings: list[Sighting]) -> list[Sighting]:
    """Drop a sighting that is part of a longer name found elsewhere, spelled out where
    it stands (谭立 in 谭立中代表说, 文辉 in 上官文辉指出, 邓陈 in 邓陈美玲): that
    longer name's mentions cover it."""
    names = sorted({s.name for s in sightings}, key=len, reverse=True)
    return [s for s in sightings if not any(_spelled_inside(text, s, n) for n in names if len(n) > len(s.name))]


def _spelled_inside(text: str, sg: Sighting, longer: str) -> bool:
    k = longer.find(sg.name)
    while k >= 0:
        if sg.start - k >= 0 and text.startswith(longer, sg.start - k):
            return True
        k = longer.find(sg.name, k + 1)
    return False


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
        self.names, self.rank = names, {n: k for k, n in enumerate(names)}
        self.starts: dict[str, list[int]] = {n: [] for n in names}
        self.starts.update(starts_of(text, names))
        self.by_start = sorted((a, self.rank[n]) for n, starts in self.starts.items() for a in starts)
        self.taken = sorted(set(taken))

    def of(self, name: str) -> list[int]:
        """Starts of the name left to right, not overlapping (as re.finditer finds them)."""
        return not_overlapping(self.starts.get(name, ()), len(name))

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
        *described_sightings(ctx),
        *comrade_sightings(ctx),
        *elected_sightings(ctx),
        *enumeration_sightings(ctx),
        *historical_sightings(ctx),
        *compound_sightings(ctx),
        *model_sightings(ctx),
        *dictionary_sightings(ctx),
        *verb_sightings(ctx),
    ]
    found = resolve_overlaps(found)
    return resolve_overlaps(found + list_members(ctx, found))


def list_members(ctx: Context, found: list[Sighting]) -> list[Sighting]:
    """刘皇发、何承天、罗致光、杨孝华…: in a list of three or more (joined by 、) whose
    members are at least half names found already, the other members that read as
    names are names too."""
    spans = {(s.start, s.end) for s in found}
    out = []
    for items in _lists(ctx.text):
        members = [m for m in (_member(ctx, k, items, spans) for k in range(len(items))) if m]
        if len(items) >= 3 and 2 * sum(m in spans for m in members) >= len(items):
            out += [Sighting(a, b, ctx.text[a:b], "list") for a, b in members if (a, b) not in spans]
    return out


def _lists(text: str):
    """Spans of the items of each run of 、 in a clause."""
    for m in LIST_RUN.finditer(text):
        yield _items_between(text, m.start(), m.end())


def _items_between(text: str, lo: int, end: int) -> list[tuple[int, int]]:
    """The spans of text[lo:end] cut at each 、."""
    cuts = [lo - 1] + [k for k in range(lo, end) if text[k] == "、"] + [end]
    return [(a + 1, b) for a, b in zip(cuts, cuts[1:])]


def _none_of(chars: set) -> str:
    return "[^" + "".join(map(re.escape, sorted(chars))) + "]"


# Three or more items joined by 、 in a clause (the first item may hold 、 too: the run starts at the clause).
LIST_RUN = re.compile(rf"{_none_of(BREAK - {'、'})}+(?:、{_none_of(BREAK)}+){{2,}}")


def _member(ctx: Context, k: int, items: list[tuple[int, int]], spans: set) -> tuple[int, int] | None:
    """The name a list item holds: the whole item; the name ending the first item and
    the one opening the last (出席的有刘皇发、…、范徐丽泰等); None if it holds none."""
    a, b = items[k]
    if (a, b) in spans or (_listed_name(ctx, a, b) and b - a <= 4):
        return a, b
    if k == 0 and (name := name_before(ctx, b)):
        return b - len(name), b
    if k == len(items) - 1 and (name := name_after(ctx, a)):
        return a, a + len(name)
    return None


def extract_figures(doc: Analysis) -> list[Figure]:
    """Every named person in the document, once, with titles, roles and mentions."""
    ctx = Context.of(doc, lexicon())
    found = without_parts(ctx.text, sightings(ctx))
    canon = canonical_names(found)
    groups: dict[str, list[Sighting]] = {}
    for sg in found:
        groups.setdefault(canon[sg.name], []).append(sg)
    names = Occurrences(ctx.text, list(groups), [(s.start, s.end) for s in found])
    figures = [_figure(ctx, name, group, names) for name, group in groups.items()]
    return [f for f in figures if supported(f.name, groups[f.name], f, ctx.lex, ctx.text, names)
            and not local_product(ctx, f.name, groups[f.name], names)]


def local_product(ctx: Context, name: str, group: list[Sighting], names: Occurrences) -> bool:
    """A name only the model found that the text also writes right after a place's name
    (炎陵黄桃, 赣南脐橙): a local product or brand, not a person."""
    if any(s.source != "ner" for s in group):
        return False
    return any(_after_place(ctx, a) for a in names.of(name))


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
