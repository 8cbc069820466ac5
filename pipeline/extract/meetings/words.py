"""The meeting lexicon: kind words, word classes and role phrases, read from
meeting_kinds.tsv, meeting_words.tsv, meeting_roles.tsv and meeting_places.tsv and
validated once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Optional

from pipeline.data import DataFileError, load_rows
from pipeline.gazetteer import gazetteer


TIERS = ("core", "body", "attached", "verbal")
WORD_CLASSES = (
    "pre", "post", "filler", "frame", "plan", "negation", "cited_before", "cited_after",
    "standing_after", "not_after", "demonstrative", "aggregate", "stop", "de_keep", "adverb",
    "venue_suffix", "org_suffix", "org_not", "scope", "bare_org", "participate_self",
    "participate_verb", "participant_noun", "person_noun", "person_unit", "sponsor", "audience",
    "generic", "plan_after", "not_kind", "proper_kind", "meeting_noun", "place_prep",
    "national_org", "here",
)
# Every class whose words also end a name on the left.
STOPPING = ("stop", "pre", "plan", "negation", "cited_before", "demonstrative", "aggregate",
            "participate_verb")


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, str]
    words: dict[str, frozenset[str]]
    roles: tuple[tuple[str, str], ...]
    kind_re: re.Pattern
    stops: frozenset[str]
    places: dict[str, str]  # 京 -> 110000, 人民大会堂 -> 110000 (meeting_places.tsv)

    def has(self, cls: str, word: str) -> bool:
        return word in self.words[cls]

    @cached_property
    def longest_first(self) -> dict[str, tuple[str, ...]]:
        """Each class's words, longer first (ties in a fixed order)."""
        return {cls: tuple(sorted(ws, key=lambda w: (-len(w), w))) for cls, ws in self.words.items()}

    @cached_property
    def sponsor_re(self) -> re.Pattern:
        """由X主办 / 由X举办: X up to the first sponsor verb."""
        verbs = "|".join(map(re.escape, self.longest_first["sponsor"]))
        return re.compile(f"由([^由,，。;；:：]{{2,30}}?)(?:{verbs})")

    def starts(self, cls: str, text: str) -> Optional[str]:
        """The longest word of `cls` that `text` starts with."""
        return max((w for w in self.words[cls] if text.startswith(w)), key=len, default=None)

    def ends(self, cls: str, text: str) -> Optional[str]:
        return max((w for w in self.words[cls] if text.endswith(w)), key=len, default=None)

    def org_word(self, word: str) -> bool:
        """A word naming an organization: 统战部, 服务团, 国务院; not bare 部 or 组织."""
        suffix = self.ends("org_suffix", word)
        if not suffix or self.ends("org_not", word):
            return False
        return len(word) > len(suffix) or len(suffix) >= 3


def _rows(name: str, columns: int, header: tuple[str, ...] = ()) -> list[list[str]]:
    rows = load_rows(name, columns)
    return rows[1:] if header and rows and tuple(rows[0][:columns]) == header else rows


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The meeting rules, read and validated once per process."""
    kinds = {}
    for kind, tier in _rows("meeting_kinds.tsv", 2, ("kind", "tier")):
        if tier not in TIERS:
            raise DataFileError(f"meeting_kinds.tsv: kind {kind!r} has unknown tier {tier!r}")
        kinds[kind] = tier
    words: dict[str, set[str]] = {cls: set() for cls in WORD_CLASSES}
    for cls, word in _rows("meeting_words.tsv", 2):
        if cls not in words:
            raise DataFileError(f"meeting_words.tsv: unknown class {cls!r} (word {word!r})")
        words[cls].add(word)
    roles = tuple(sorted(((p, r) for p, r in _rows("meeting_roles.tsv", 2, ("phrase", "role"))),
                         key=lambda pr: -len(pr[0])))
    places = _places()
    alternation = "|".join(re.escape(k) for k in sorted(kinds, key=len, reverse=True))
    return Lexicon(
        kinds=kinds,
        words={cls: frozenset(ws) for cls, ws in words.items()},
        roles=roles,
        kind_re=re.compile(f"(?=({alternation}))"),
        stops=frozenset().union(*(words[c] for c in STOPPING)),
        places=places,
    )


def _places() -> dict[str, str]:
    """meeting_places.tsv, every code checked against the gazetteer."""
    gaz = gazetteer()
    places = {}
    for place, code, _note in _rows("meeting_places.tsv", 3, ("place", "code", "note")):
        if gaz.by_code(code) is None:
            raise DataFileError(f"meeting_places.tsv: place {place!r} has code {code!r}, not in regions.tsv")
        places[place] = code
    return places
