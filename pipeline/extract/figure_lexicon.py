"""The figures extractor's data: surnames, positions, bylines, cue words, roles,
non-persons and historical persons (pipeline/data/figure_*, surnames.txt), read
and validated once per process into one Lexicon."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
CUE_KINDS = ("follow", "stop", "start", "skip", "verb", "notafter", "honorific", "after", "org", "unit", "joiner",
             "address", "group", "placeend", "describer")
# A byline name: a two-character name set with a space to the width of three
# (记者 陈 墨) or two to four characters.
NAME_UNIT = r"(?:[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff](?![\u4e00-\u9fff·]|[ \u3000]?[\u4e00-\u9fff]{2,4}[ \u3000]?[)）])|[\u4e00-\u9fff·]{2,4})"
OWN_OUTLET = "(?:本报|本刊|本台|本网|本站)?"
# What joins the names of a list (副会长张明华、李卫和王建).
LIST_JOINTS = ("、", "以及", "和", "及", "与")


@dataclass(frozen=True)
class Lexicon:
    """Everything the figures rules look up, built once by lexicon()."""

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
    pennames: frozenset
    address: re.Pattern
    compounds: re.Pattern
    describers: re.Pattern
    place_ends: frozenset
    group: tuple  # longest first: 人士 before 人
    org: tuple
    units: frozenset
    joiners: frozenset
    # Built from the above, for str.startswith:
    long_units: tuple  # units of two characters or more (自治区, 特别行政区)
    verb_starts: tuple  # verbs
    clause_follow: tuple  # follow words of two characters or more that join no list


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    from pipeline.data import load_words

    surnames = _surnames()
    positions = sorted(set(load_words("figure_positions.txt")), key=len, reverse=True)
    bylines = sorted(set(load_words("figure_bylines.txt")), key=len, reverse=True)
    cues = _cues()
    follow = tuple(sorted(cues["follow"], key=len, reverse=True))
    return Lexicon(
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        word_surnames=frozenset(s for s, kind in surnames.items() if kind == "word"),
        positions=re.compile("|".join(map(re.escape, positions))),
        position_words=frozenset(positions),
        bylines=_byline_pattern(bylines),
        byline_words=frozenset(bylines),
        roles=_roles(),
        follow=follow,
        stop=frozenset(cues["stop"]),
        skip=tuple(sorted(cues["skip"], key=len, reverse=True)),
        verbs=frozenset(cues["verb"]),
        not_after=frozenset(cues["notafter"]),
        honorifics=frozenset(cues["honorific"]),
        starts=frozenset(cues["start"]),
        after=tuple(sorted(cues["after"], key=len, reverse=True)),
        nonpersons=frozenset(w for w, kind in _nonpersons() if kind != "penname"),
        pennames=frozenset(w for w, kind in _nonpersons() if kind == "penname"),
        address=re.compile("|".join(map(re.escape, cues["address"]))),
        describers=re.compile("|".join(map(re.escape, sorted(cues["describer"], key=len, reverse=True)))),
        compounds=re.compile("|".join(s for s, kind in surnames.items() if len(s) == 2 and kind != "word")),
        group=tuple(sorted(cues["group"], key=len, reverse=True)),
        place_ends=frozenset(cues["placeend"]),
        org=tuple(cues["org"]),
        units=frozenset(cues["unit"]),
        joiners=frozenset(cues["joiner"]),
        long_units=tuple(u for u in frozenset(cues["unit"]) if len(u) > 1),
        verb_starts=tuple(frozenset(cues["verb"])),
        clause_follow=tuple(w for w in follow if len(w) > 1 and w not in LIST_JOINTS),
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
        if kind not in {"persona", "penname", "unnamed", "generic"}:
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


@lru_cache(maxsize=1)
def historical_names() -> frozenset:
    from pipeline.data import DataFileError, load_words

    names = load_words("figure_historical.txt")
    bad = [n for n in names if not HAN.match(n) or not 2 <= len(n) <= 4]
    if bad:
        raise DataFileError(f"figure_historical.txt: not a name: {bad[0]!r}")
    return frozenset(names)


@lru_cache(maxsize=1)
def historical_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(historical_names(), key=len, reverse=True))))


