"""Folding candidates into meetings: one group per meeting, short forms, parts
and references joined; different dates kept apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from pipeline.dates import DateMention
from pipeline.textutil import longest_common_substring, ordinal_digits, ordinals
from pipeline.extract.meetings.candidates import Candidate
from pipeline.extract.meetings.text import name_key


@dataclass
class Group:
    cands: list[Candidate] = field(default_factory=list)
    refs: list[Candidate] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(c.start for c in self.cands + self.refs)

    def best(self) -> Candidate:
        """The candidate giving the name: the longest specific one, then the one with
        most attributes, then the earliest."""
        pool = [c for c in self.cands if not c.generic] or self.cands
        return max(pool, key=lambda c: (len(c.name), c.date is not None, c.place is not None, -c.start))

    def value(self, attr: str):
        for c in self.ordered():
            if getattr(c, attr) is not None:
                return getattr(c, attr)
        return None

    def ordered(self) -> list[Candidate]:
        return [self.best()] + sorted(self.cands + self.refs, key=lambda c: c.start)

    def date(self) -> Optional[DateMention]:
        """The most precise date its mentions give (7月27日 over 今年)."""
        dates = [c.date for c in self.ordered() if c.date is not None]
        return max(dates, key=_date_rank, default=None)


def _same(a: Candidate, b: Candidate) -> bool:
    """One meeting under two names: one holds the other (工作推进会), the shorter's
    modifier is in the longer (西部地区片会), or, with the same kind and the same
    ordinals, they share most of the shorter (上合组织/上海合作组织……秘书会议)."""
    if _dates_conflict(a.date, b.date):
        return False
    ka, kb = name_key(a.name), name_key(b.name)
    if ka in kb or kb in ka:
        return True
    if a.kind != b.kind:
        return False
    short, long_ = sorted((ka, kb), key=len)
    modifier = short[: -len(a.kind)] if short.endswith(a.kind) else ""
    if len(modifier) >= 2 and modifier in long_:
        return True
    shared = longest_common_substring(ordinal_digits(ka), ordinal_digits(kb))
    return shared >= 4 and shared >= 0.6 * len(short) and ordinals(ka) == ordinals(kb)


def _date_rank(m: DateMention) -> tuple[bool, int]:
    return m.iso is not None and not m.vague, len(m.iso or "")


def _dates_conflict(a: Optional[DateMention], b: Optional[DateMention]) -> bool:
    if a is None or b is None or a.iso is None or b.iso is None or a.vague or b.vague:
        return False
    n = min(len(a.iso), len(b.iso))
    return a.iso[:n] != b.iso[:n]


def fold(cands: list[Candidate]) -> list[Group]:
    groups: list[Group] = []
    held = sorted((c for c in cands if c.status == "held"), key=lambda c: c.start)
    for c in (c for c in held if not c.generic):
        match = next((g for g in groups if _same(c, g.best())), None)
        if match:
            match.cands.append(c)
        else:
            groups.append(Group([c]))
    for c in (c for c in held if c.generic):
        _fold_generic(groups, c)
    for c in cands:
        if c.status in ("reference", "mention"):
            _fold_reference(groups, c)
    plans = [c for c in cands if c.how == "plan" and not c.generic]
    kept = [g for g in _merge_groups(groups) if not any(name_key(p.name) == name_key(g.best().name) for p in plans)]
    return sorted(kept, key=lambda g: g.first)


def _merge_groups(groups: list[Group]) -> list[Group]:
    """Groups whose names turn out to be one meeting once each has its longest name."""
    merged: list[Group] = []
    for g in sorted(groups, key=lambda g: -len(g.best().name)):
        home = next((m for m in merged if _same(g.best(), m.best())), None)
        if home is None:
            merged.append(g)
        else:
            home.cands += g.cands
            home.refs += g.refs
    return merged


def _fold_generic(groups: list[Group], c: Candidate) -> None:
    """A bare held meeting (召开会议) refers to the meeting before it; alone, it is
    one of its own when its sentence gives a date, place or organizer."""
    before = [g for g in groups if g.first < c.start and not _dates_conflict(g.date(), c.date)]
    if before:
        max(before, key=lambda g: g.first).refs.append(c)
    elif c.organizer is not None and c.how == "pre":
        groups.append(Group([c]))


def _fold_reference(groups: list[Group], c: Candidate) -> None:
    if c.status == "mention" and not c.generic:
        match = next((g for g in groups if _same(c, g.best())), None)
        if match:
            match.refs.append(c)
        return
    before = [g for g in groups if g.first <= c.start]
    if before:
        max(before, key=lambda g: max(x.start for x in g.cands + g.refs if x.start <= c.start)).refs.append(c)
