"""People at a meeting: attendees with their role (figure records) and the head
count (count records)."""

from __future__ import annotations

import re
from typing import Optional

from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.document import Doc, Span
from pipeline.records import Attendee


def _roles_in(d: Doc, a: int, b: int) -> list[tuple[int, int, str]]:
    """Role phrases in [a, b): (start, end, role), longest first at each place."""
    out, pos = [], a
    while pos < b:
        hit = next(((p, r) for p, r in d.lex.roles if d.masked.startswith(p, pos)), None)
        if hit:
            out.append((pos, pos + len(hit[0]), hit[1]))
            pos += len(hit[0])
        else:
            pos += 1
    return out


def attendees_of(d: Doc, sentences: list, spans: list[tuple[int, int]]) -> list[Attendee]:
    """Figures followed in their sentence by a role phrase (李四出席会议并讲话;
    卢文祥,娄黛敏出席会议; 出席<name>并讲话). `spans` are the meeting's own mentions:
    a bare 出席/参加 counts only when one of them follows it."""
    out: dict[str, str] = {}
    for sent in sentences:
        roles = _roles_in(d, sent.start, sent.end)
        for f in d.figures:
            if not (sent.start <= f.start < sent.end) or f.item.name in out or _in_brackets(d, f, sent):
                continue
            role = _role_after(d, f, roles, spans)
            if role:
                out[f.item.name] = role
    return [Attendee(name=n, role=r) for n, r in out.items()]


_AND_SPEAK = re.compile(r"并(?:发表)?(讲话|致辞)")
_BRACKETS = "()（）【】[]"


def _in_brackets(d: Doc, f: Span, sent) -> bool:
    """A byline or credit: (记者 刘东凯 王星桥)."""
    before = d.masked[sent.start:f.start]
    return max(before.rfind("("), before.rfind("（")) > max(before.rfind(")"), before.rfind("）"))


def _role_after(d: Doc, f: Span, roles, spans) -> Optional[str]:
    """The first role phrase after a person, reached over nothing but a list of other
    persons (卢文祥,宁海县委常委、统战部部长娄黛敏出席会议)."""
    role = next(((s, e, r) for s, e, r in roles if s >= f.end), None)
    if role is None or not _listed_up_to(d, f.end, role[0]):
        return None
    s, e, name = role
    if name in ("出席", "参加"):
        rest = d.clause_end(e, len(d.text))
        if not any(e <= a < rest for a, _ in spans):
            return None
        m = _AND_SPEAK.search(d.masked, e, rest) if name == "出席" else None
        return f"出席并{m.group(1)}" if m else name
    return name


def _listed_up_to(d: Doc, pos: int, end: int) -> bool:
    between = d.masked[pos:end]
    if end - pos > 40 or any(ch in "。;；" or ch in _BRACKETS for ch in between):
        return False
    for i, ch in enumerate(between):
        if ch in ",，":
            nxt = next((j for j in range(i + 1, len(between)) if between[j] in ",，"), len(between))
            if not _figure_ends_near(d, pos + nxt):
                return False
    return True


def _figure_ends_near(d: Doc, pos: int) -> bool:
    """A person's name ends at pos (allowing 同志 / 等 after it)."""
    for f in d.figures:
        tail = d.masked[f.end:pos]
        if f.end <= pos and tail in ("", "同志", "等", "等同志"):
            return True
    return False


def head_count(d: Doc, sentences: list, c: Candidate) -> Optional[int]:
    """The head count: N人参会 / N人参加<meeting> in the meeting's sentences of its own
    paragraph, or the audience of its trigger clause (为200多家企业负责人开启X). A count
    of firms (40余家企业负责人参加) is not a count of people, except as the audience
    the meeting was held for."""
    for sent in _same_paragraph(d, sentences, c):
        for cnt in d.counts:
            if sent.start <= cnt.start < sent.end and _counts_persons(d, cnt) and _attends(d, cnt, sent.end):
                return int(cnt.item.value)
    if c.trigger:
        start = d.clause_start(c.trigger[0], c.floor)
        for cnt in d.counts:
            if start <= cnt.start < c.trigger[0] and _counts_people(d, cnt):
                s, e = d.token_before(cnt.start)
                if d.lex.has("audience", d.masked[s:e]):
                    return int(cnt.item.value)
    return None


def _same_paragraph(d: Doc, sentences: list, c: Candidate) -> list:
    """The sentences before the next line break after the meeting's mention."""
    brk = d.text.find("\n", c.end)
    return [s for s in sentences if brk < 0 or s.start < brk]


def _counts_persons(d: Doc, cnt: Span) -> bool:
    return d.lex.has("person_unit", cnt.item.unit or "")


def _counts_people(d: Doc, cnt: Span) -> bool:
    unit = cnt.item.unit or ""
    if d.lex.has("person_unit", unit):
        return True
    following = d.masked[cnt.end:cnt.end + 10]
    return unit in ("家", "个") and any(w in following for w in d.lex.words["person_noun"])


_ATTENDEES_SPAN = 24  # characters of who they were (35名网络主播、自媒体从业人员和网络作家参加)


def _attends(d: Doc, cnt: Span, end: int) -> bool:
    clause_end = d.clause_end(cnt.end, end)
    tail = d.masked[cnt.end:clause_end]
    for i in range(len(tail)):
        if d.lex.starts("participate_self", tail[i:]):
            return i <= _ATTENDEES_SPAN
        verb = d.lex.starts("participate_verb", tail[i:])
        if verb:
            rest = tail[i + len(verb):]
            return i <= _ATTENDEES_SPAN and (rest == "" or d.lex.kind_re.search(rest) is not None
                                             or bool(d.lex.ends("meeting_noun", rest)))
    head = d.masked[d.clause_start(cnt.start, 0):cnt.start]
    return any(head.endswith(w) or w in head[-8:] for w in d.lex.words["participant_noun"])

