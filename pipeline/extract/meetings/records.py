"""Meeting records from the folded groups: name, date, place, people, mentions,
confidence."""

from __future__ import annotations

from typing import Optional

from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.document import Doc, Span, repaired
from pipeline.extract.meetings.merge import Group
from pipeline.extract.meetings.people import attendees_of, head_count
from pipeline.extract.meetings.place import location_of
from pipeline.records import Location, Meeting, Mention
from pipeline.textutil import strip_span


def meeting_record(d: Doc, g: Group, following: Optional[int]) -> Meeting:
    best = g.best()
    date = g.date()
    location, place = _group_location(d, g)
    sentences = _linked_sentences(d, g, following)
    return Meeting(
        name=_display_name(d, g, best),
        kind=best.kind,
        date=date.iso if date else None,
        date_end=date.end_iso if date else None,
        date_text=date.text if date else None,
        location=location,
        venue=g.value("venue"),
        organizer=g.value("organizer"),
        attendees=attendees_of(d, sentences, [(c.start, c.end) for c in g.cands + g.refs]),
        participants=next((p for c in sorted(g.cands, key=lambda c: c.start)
                           if (p := head_count(d, sentences, c)) is not None), None),
        mentions=_mentions(d, g, best, date, place),
        method=f"meetings.rules:{best.how}",
        confidence=_confidence(best, date, location),
    )


_MAX_CONVENER = 20  # 十一届全国人大二次会议湖南代表团 + 全体会议


def _display_name(d: Doc, g: Group, best: Candidate) -> str:
    """The name as written; a bare generic name (会议, 新闻发布会) takes its convener in
    front, as such meetings are cited (中共中央政治局召开会议 -> 中共中央政治局会议):
    a judgement call the golden table fixes, since "会议" alone names nothing."""
    name = repaired(d, best.start, best.end)
    organizer = g.value("organizer")
    if best.generic and organizer and len(organizer) <= _MAX_CONVENER and "的" not in organizer and not name.startswith(organizer):
        return organizer + name
    return name


def _group_location(d: Doc, g: Group) -> tuple[Optional[Location], Optional[Span]]:
    for c in [g.best()] + sorted(g.cands + g.refs, key=lambda c: c.start):
        if c.status == "held" or c.place is not None:
            location, span = location_of(d, c)
            if location is not None:
                return location, span
    return None, None


def _linked_sentences(d: Doc, g: Group, following: Optional[int]) -> list:
    """The sentences of its mentions and, after each held mention, up to two more
    before the next meeting starts."""
    sents = d.analysis.seg.sentences
    idx = set()
    for c in g.cands + g.refs:
        i = d.analysis.seg.sentence_at(c.start)
        idx.add(i)
        if c.status == "held":
            for j in range(i + 1, min(i + 4, len(sents))):
                if following is not None and sents[j].start >= following:
                    break
                idx.add(j)
    return [sents[i] for i in sorted(idx)]


def _mentions(d: Doc, g: Group, best: Candidate, date, place: Optional[Span]) -> list[Mention]:
    spans = [strip_span(d.text, best.start, best.end)]
    if date is not None:
        spans.append((date.start, date.end))
    if place is not None:
        spans.append((place.start, place.end))
    spans += [strip_span(d.text, c.start, c.end) for c in sorted(g.cands, key=lambda c: c.start) if c is not best]
    out, seen = [], set()
    for s, e in spans:
        if e > s and (s, e) not in seen:
            seen.add((s, e))
            out.append(d.analysis.mention(s, e))
    return out


def _confidence(best: Candidate, date, location) -> float:
    score = 0.55 + (0.15 if best.how in ("pre", "post") else 0.05)
    score += 0.1 if date is not None else 0.0
    score += 0.1 if location is not None else 0.0
    score -= 0.15 if best.generic else 0.0
    return round(min(score, 0.95), 2)
