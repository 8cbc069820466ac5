"""Meetings: held events of the meeting kind, with date, place and people.

How a document is read (the words of every rule are data: meeting_kinds.tsv,
meeting_words.tsv, meeting_roles.tsv in pipeline/data/):

1. Kind words (推进会, 培训班, 启动仪式 ...) are found; adjacent ones and 暨
   joins make one name (培训班结业式; 推进会暨……座谈会); a short parenthesis
   after the name stays with it (片会(西部地区)).
2. The left edge of the name: walk left over jieba tokens until punctuation,
   a stop word (召开, 在, 这次, 学习贯彻 ...), a day or relative date, or a 的
   after a verb or a date (去年11月份的“深圳会议”). Quoted stretches are
   crossed whole, so inner quotes stay in the name.
3. Status: held (a trigger verb before or after it, the frame 在…上/期间, or
   its own earlier date), a reference (这次片会; bare 会议 with nothing of its
   own), or not a meeting (cited for its spirit, a plan, a standing body, an
   aggregate such as 每年举办……100多个班次, a document title).
4. Attributes from the sentence: the date governing it (pipeline.dates), the
   place (在…召开 -> region records, venue), the organizer, attendees with
   their role (figure records), the head count (count records).
5. Headline and body, short forms (西部地区片会), parts (启动仪式上) and
   references fold into one record per meeting; meetings with different
   dates stay apart.

Where each step lives (pipeline/extract/meetings/):

- words.py       the lexicon: kind words, word classes, role phrases (data files)
- text.py        quote masking (pairs from pipeline.quotes), name cleaning, clause marks
- document.py    Doc: the text, dates and other records as spans; token and clause lookups
                 (tokens, quotes and datelines come from the shared Analysis)
- candidates.py  1-2: kind words, grouping, the name's left and right edges
- status.py      3: held, reference, mention or excluded (cited, plan, aggregate ...)
- date.py        4: the date governing a meeting; future dates
- place.py       4: the 在/于 place, venue, region in the name, final Location
- organizer.py   4: the body that convened it
- people.py      4: attendees with their roles, the head count
- merge.py       5: folding candidates into one group per meeting
- records.py     the Meeting records built from the groups
"""

from __future__ import annotations

from typing import Optional, Sequence

from pipeline.analysis import Analysis
from pipeline.extract.meetings.candidates import Candidate, kind_groups, kind_hits, make_candidate
from pipeline.extract.meetings.date import is_future, meeting_date
from pipeline.extract.meetings.document import Doc, repaired
from pipeline.extract.meetings.merge import fold
from pipeline.extract.meetings.organizer import fill_organizer
from pipeline.extract.meetings.place import name_region, place_phrase_of, place_region, venue_of
from pipeline.extract.meetings.records import meeting_record
from pipeline.extract.meetings.status import classify
from pipeline.extract.meetings.text import clean_name
from pipeline.extract.meetings.words import TIERS, WORD_CLASSES, Lexicon, lexicon
from pipeline.records import Count, Figure, Location, Meeting, Region


__all__ = [
    "TIERS", "WORD_CLASSES", "Lexicon", "clean_name", "extract_meetings", "find_candidates", "lexicon",
    "repaired",
]


def _attributes(d: Doc, c: Candidate) -> None:
    """Step 4 for a held candidate: its date, place, venue and organizer."""
    c.date = meeting_date(d, c)
    c.place_phrase = place_phrase_of(d, c)
    if c.place_phrase:
        c.place = place_region(d, *c.place_phrase)
        c.venue = venue_of(d, *c.place_phrase)
    fill_organizer(d, c)
    if c.place is None:
        c.place = name_region(d, c)


def find_candidates(d: Doc) -> list[Candidate]:
    """Every kind-word name in the document with its status and attributes."""
    out = []
    hits = kind_hits(d)
    d.hit_starts = [h[0] for h in hits]
    for group in kind_groups(d, hits):
        c = make_candidate(d, group)
        if c is None:
            continue
        classify(d, c)
        if c.status == "held":
            _attributes(d, c)
            if is_future(d, c.date):
                c.status, c.how = "excluded", "plan"
        if c.status in ("held", "reference", "mention") or c.how == "plan":
            out.append(c)
    return out


def extract_meetings(
    doc: Analysis,
    *,
    regions: Sequence[Region] = (),
    figures: Sequence[Figure] = (),
    counts: Sequence[Count] = (),
    primary: Optional[Location] = None,
) -> list[Meeting]:
    """Held meetings of the document, one record each (see the module docstring)."""
    if not doc.text.strip():
        return []
    d = Doc.build(doc, lexicon(), regions, figures, counts, primary)
    groups = fold(find_candidates(d))
    starts = [g.first for g in groups] + [None]
    return [meeting_record(d, g, nxt) for g, nxt in zip(groups, starts[1:])]
