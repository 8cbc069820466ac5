"""Status of a candidate: held (a trigger verb, a frame, its own date), a
reference, a mention, or excluded (cited, planned, negated, standing, aggregate)."""

from __future__ import annotations

import re

from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.document import Doc, tokens_in
from pipeline.extract.meetings.text import PUNCT, QUANT


def classify(d: Doc, c: Candidate) -> None:
    """Sets c.status (held, reference, mention, excluded, or '' to drop) and c.how."""
    lex = d.lex
    after = d.masked[c.end:c.end + 8].lstrip()
    if _in_title_marks(d, c) or lex.starts("cited_after", after) or after.startswith("上的"):
        c.status, c.how = "excluded", "cited"
        return
    if lex.starts("standing_after", after):
        c.status, c.how = "excluded", "standing"
        return
    if c.aggregate or after.startswith("等") or _aggregate_before(d, c):
        c.status, c.how = "excluded", "aggregate"
        return
    if lex.has("demonstrative", c.stop):
        c.status, c.how = "reference", "demonstrative"
        return
    if c.stop == "由":
        c.status, c.how = "mention", "sponsor"  # 由X组织召开的Y: X convened Y
        return
    if _cited_before(d, c):
        c.status, c.how = "excluded", "cited"
        return
    if not _tier_ok(d, c, after):
        c.status = ""
        return
    c.generic = _is_generic(d, c)
    c.status, c.how = _evidence(d, c)
    if c.status == "held":
        blocked = _blocked(d, d.clause_start(c.start, c.floor), c.start) or _plan_after(d, c)
        if blocked:
            c.status, c.how = "excluded", blocked


def _plan_after(d: Doc, c: Candidate) -> str:
    """为X做准备: X is still to come."""
    tail = d.masked[c.end:d.clause_end(c.end, c.ceiling)]
    return "plan" if any(w in tail for w in d.lex.words["plan_after"]) else ""


def _frame_after(d: Doc, end: int) -> bool:
    """The word right after the name is 上/期间/现场 (在X上), not 上海."""
    while end < len(d.text) and d.text[end].isspace():
        end += 1
    s, e = d.token_after(end)
    return d.lex.has("frame", d.masked[s:e])


def _in_title_marks(d: Doc, c: Candidate) -> bool:
    """The kind word sits inside 《》: a document title (《……联席会议制度》)."""
    before = d.text[c.floor:c.heads[0][0]]
    return before.rfind("《") > before.rfind("》")


_SEVERAL_TIMES = re.compile(r"(?:[两三四五六七八九十几数多]|\d+)\s?[度次回](?:召开|举行|举办|参加|出席)")
_SEVERAL_PLACES = re.compile(r"(?:在|赴|到|于)[^,，。;；:：]*、[^,，。;；:：]*等")


def _several_places(d: Doc, start: int, end: int) -> bool:
    """在A、B等地: a list of places, at least two of them region mentions
    (在张三、李四等陪同下 lists people, not places)."""
    m = _SEVERAL_PLACES.search(d.masked, start, end)
    return bool(m) and sum(m.start() <= r.start < m.end() for r in d.regions) >= 2


def _aggregate_before(d: Doc, c: Candidate) -> bool:
    """每年举办X; 在黑河、抚远等边境市县举办X: many meetings, not one."""
    start = d.clause_start(c.start, c.floor)
    if _several_places(d, start, c.start):
        return True
    clause = d.masked[start:c.start]
    if any(len(w) >= 3 and w in clause for w in d.lex.words["aggregate"]) or _SEVERAL_TIMES.search(clause):
        return True
    return any(d.lex.has("aggregate", d.masked[s:e]) for s, e in tokens_in(d, start, c.start))


def _cited_before(d: Doc, c: Candidate) -> bool:
    """学习贯彻X / 按照X的要求: a citing verb before the name with no trigger between."""
    start = d.clause_start(c.start, c.floor)
    for s, e in reversed(tokens_in(d, start, c.start)):
        word = d.masked[s:e]
        if d.lex.has("pre", word) or d.lex.has("post", word):
            return False
        if d.lex.has("cited_before", word):
            return True
    return False


def _tier_ok(d: Doc, c: Candidate, after: str) -> bool:
    if all(t == "attached" for t in c.tiers):
        return False
    if c.tiers[-1] == "verbal":
        bare = c.name == c.kind
        ends_phrase = not after or after[0] in PUNCT or _frame_after(d, c.end)
        return not bare and ends_phrase
    return True


def _is_generic(d: Doc, c: Candidate) -> bool:
    """Nothing but generic words and kind words before the kind: 会议, 专题会议,
    新闻发布会, 论坛大会 (a kind that is a proper name itself, 两会, never is)."""
    if d.lex.has("proper_kind", c.kind):
        return False
    rest = c.name[: len(c.name) - len(c.kind)] if c.name.endswith(c.kind) else c.name
    for s, e in c.heads[:-1]:  # 论坛大会: the forum's plenary, named by kind words alone
        rest = rest.replace(d.text[s:e], "", 1)
    for word in d.lex.longest_first["generic"]:
        rest = rest.replace(word, "")
    return rest == ""


def _evidence(d: Doc, c: Candidate) -> tuple[str, str]:
    body = c.tiers[-1] == "body" and "core" not in c.tiers
    found = [(f, how) for f, how in ((_post_trigger(d, c), "post"), (_pre_trigger(d, c), "pre")) if f]
    blocked = next((f[2] for f, _ in found if f[2]), "")
    if blocked:
        return "excluded", blocked
    for (verb, span, _), how in found:
        if not body or verb in ("召开", "举行", "举办"):
            c.trigger = span
            return "held", how
    if body:
        return "mention", ""
    if c.stop == "的" and d.date_ending(c.stop_start) is not None:
        return "held", "dated"
    if _frame_after(d, c.end) and (c.stop in ("在", "于", "") or c.stop in PUNCT):
        return "held", "frame"
    return "mention", ""


def _pre_trigger(d: Doc, c: Candidate):
    """(verb, span, blocked) for a trigger before the name: 召开X, 举行了一场X,
    在京举行X, 召开的X, 刚刚闭幕的X, 举办优胜者的X; blocked names a plan or negation
    before the verb."""
    if c.stop in ("", " ") or c.stop in PUNCT:
        return None
    s, e = c.stop_start, c.start
    word, crossed = d.masked[s:e].strip(), False
    while word and (d.lex.has("filler", word) or word == "的" or QUANT.fullmatch(word)):
        crossed |= word == "的"
        s, e = d.token_before(s)
        word = d.masked[s:e]
        if s < c.floor:
            return None
    verb = d.lex.ends("pre", word)
    if crossed and not verb:
        verb = d.lex.ends("post", word) or (word if d.lex.has("sponsor", word) else None)
    if crossed and not verb:
        s, e, verb = _verb_before_modifier(d, s, c.floor)
    if not verb:
        return None
    return verb, (e - len(verb), e), _blocked(d, d.clause_start(s, c.floor), s)


def _verb_before_modifier(d: Doc, pos: int, floor: int):
    """举办优胜者的颁奖典礼: a trigger a few words before an X的 modifier."""
    for s, e in reversed(tokens_in(d, max(floor, pos - 8), pos)):
        word = d.masked[s:e]
        if any(ch in PUNCT for ch in word):
            break
        if d.lex.has("pre", word):
            return s, e, word
    return pos, pos, None


def _post_trigger(d: Doc, c: Candidate):
    """A trigger after the name in its clause: X在汕尾召开, X于5月17日开幕; not after
    X的<noun>, where a later verb belongs to the noun."""
    if d.masked[c.end:c.end + 2].strip().startswith("的") or _modifies_a_body(d, c):
        return None
    end = d.clause_end(c.end, c.ceiling)
    nxt = next((h for h in d.hit_starts if h >= c.end), None)
    if nxt is not None and nxt < end:
        end = nxt
    for s, e in tokens_in(d, c.end, end):
        word = d.masked[s:e]
        adverb = d.lex.starts("adverb", word)
        glued = bool(adverb) and d.is_token_start(s) and bool(d.lex.starts("post", word[len(adverb):]))
        s += len(adverb) if glued else 0  # 隆重举行, 顺利召开: jieba's one token, an adverb and the verb
        verb = d.lex.starts("post", d.masked[s:end])
        if verb and (glued or d.is_token_start(s)) and not d.masked[c.end:s].strip().endswith(("的", "所")):
            if d.masked.startswith("的", s + len(verb)):
                return None  # X召开的意义: the convening as a topic, not a report
            if _ANNIVERSARY.match(d.masked, s + len(verb)):
                return verb, (s, s + len(verb)), "cited"  # X召开20周年: an anniversary
            return verb, (s, s + len(verb)), _blocked(d, c.end, s)
        if d.lex.has("pre", word):
            return None
    return None


def _modifies_a_body(d: Doc, c: Candidate) -> bool:
    """十四届全国人大二次会议湖南代表团在……举行: the name modifies the organization
    after it, the subject of the verb, and is not what was held."""
    s, e = d.token_after(c.end)
    first = d.masked[s:e]
    if not first or d.lex.has("place_prep", first) or d.lex.has("post", first) or d.date_covering(s):
        return False
    stretch = d.masked[c.end:d.clause_end(c.end, c.ceiling)]
    cut = min((i for i in (stretch.find(w) for w in ("在", "于")) if i > 0), default=len(stretch))
    return d.lex.org_word(stretch[:cut])


_ANNIVERSARY = re.compile(r"\s?(?:\d+|[一二三四五六七八九十百]+)\s?周年")


def _blocked(d: Doc, start: int, end: int) -> str:
    for s, e in tokens_in(d, start, end):
        word = d.masked[s:e]
        if d.lex.has("negation", word):
            return "negated"
        if d.lex.has("plan", word):
            return "plan"
    return ""
