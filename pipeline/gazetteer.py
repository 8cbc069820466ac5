"""Gazetteer: Chinese administrative divisions, named areas and foreign countries.

Reads the data files in pipeline/data/ (built by scripts/build_gazetteer.py from the
jionlp 1.5.31 wheel plus curated corrections), validates them once and answers
look-ups. Use the cached instance::

    from pipeline.gazetteer import gazetteer
    gaz = gazetteer()
    gaz.candidates("汕尾")      # [Candidate(division=Division('441500', '汕尾市', ...), how='alias')]
    gaz.path("441521")          # ['广东省', '汕尾市', '海丰县']

Hierarchy: municipalities (北京/天津/上海/重庆) are provinces with their districts and
counties directly below them; province-governed county-level units whose GB/T 2260
"prefecture" code is a placeholder (仙桃市 429004, 济源市 419001, 五家渠市 659004 ...)
have the province as parent; prefecture-level cities without counties (东莞市, 中山市,
儋州市, 嘉峪关市) have no children and own their townships directly.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.data import DataFileError

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVELS = ("province", "prefecture", "county")
HOW_ORDER = ("official", "alias", "renamed")
CHANGE_KINDS = {"rename", "merge", "upgrade", "transfer", "recode"}
TIERS = {"core", "borderline"}
CODE_RE = re.compile(r"^\d{6}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

REGION_COLUMNS = ["code", "name", "level", "parent", "aliases", "common"]
CHANGE_COLUMNS = ["old_name", "old_aliases", "old_code", "new_code", "new_name", "date",
                  "kind", "common", "note"]
AREA_COLUMNS = ["name", "group", "tier", "kind", "within", "note"]
FOREIGN_COLUMNS = ["name", "full_name", "aliases", "tier", "common", "note"]
TOWNSHIP_COLUMNS = ["county", "name"]


class GazetteerDataError(DataFileError):
    """A data file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    old_name: str
    old_aliases: tuple[str, ...]
    old_code: str | None
    new_code: str
    new_name: str
    date: str
    kind: str
    note: str


@dataclass(frozen=True)
class Candidate:
    """A division a surface may name, and how it matched (official | alias | renamed)."""
    division: Division
    how: str
    common: bool = False
    change: Change | None = None


@dataclass(frozen=True)
class Area:
    name: str
    group: str
    tier: str
    kind: str
    within: str | None
    note: str


@dataclass(frozen=True)
class Foreign:
    name: str
    full_name: str | None
    aliases: tuple[str, ...]
    tier: str
    common: frozenset[str]
    note: str

    def surfaces(self) -> list[str]:
        """Its written forms (name, full name, aliases) that are not also common words."""
        return [n for n in (self.name, self.full_name, *self.aliases) if n and n not in self.common]


@dataclass(frozen=True)
class Surface:
    """One written form and what it points to (for building a matcher).

    level: province | prefecture | county | area | foreign; ref: the division code, or the
    area / foreign name; how: official | alias | renamed."""
    text: str
    level: str
    ref: str
    how: str
    common: bool = False


# ---------------------------------------------------------------- reading

def read_tsv(path: Path, columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a data file as dicts, with their line numbers; '#' lines are comments."""
    with _open_text(path) as f:
        lines = f.read().split("\n")
    header_seen = False
    for lineno, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            _check(fields == columns, path, lineno, f"header {fields}, expected {columns}")
            header_seen = True
            continue
        _check(len(fields) == len(columns), path, lineno,
               f"{len(fields)} fields, expected {len(columns)}")
        yield lineno, dict(zip(columns, fields))
    _check(header_seen, path, len(lines), "no header line")


def _open_text(path: Path):
    if not path.is_file():
        raise GazetteerDataError(f"{path}: data file missing")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _check(ok: bool, path: Path, lineno: int, message: str) -> None:
    if not ok:
        raise GazetteerDataError(f"{path.name}:{lineno}: {message}")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split("|") if v)


# ---------------------------------------------------------------- validation

def expected_level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _division(path: Path, lineno: int, row: dict[str, str]) -> Division:
    code, level = row["code"], row["level"]
    _check(bool(CODE_RE.match(code)), path, lineno, f"code {code!r} is not 6 digits")
    _check(level == expected_level(code), path, lineno, f"level {level} does not fit code {code}")
    _check(bool(row["name"]), path, lineno, "empty name")
    aliases = _split(row["aliases"])
    _check(all(len(a) >= 2 for a in aliases), path, lineno, "single-character alias")
    _check(set(_split(row["common"])) <= {row["name"], *aliases}, path, lineno,
           "common lists a form that is neither the name nor an alias")
    return Division(code, row["name"], level, row["parent"] or None, aliases)


def _check_parents(path: Path, divisions: dict[str, Division], lines: dict[str, int]) -> None:
    for div in divisions.values():
        parent = divisions.get(div.parent) if div.parent else None
        lineno = lines[div.code]
        if div.level == "province":
            _check(div.parent is None, path, lineno, "a province has no parent")
            continue
        _check(parent is not None, path, lineno, f"parent {div.parent} is not in the file")
        _check(LEVELS.index(parent.level) < LEVELS.index(div.level) and
               parent.code[:2] == div.code[:2], path, lineno,
               f"parent {parent.code} does not fit {div.code}")


# ---------------------------------------------------------------- loading

def load_divisions(path: Path) -> tuple[dict[str, Division], dict[str, frozenset[str]]]:
    divisions, lines, common = {}, {}, {}
    for lineno, row in read_tsv(path, REGION_COLUMNS):
        div = _division(path, lineno, row)
        _check(div.code not in divisions, path, lineno, f"duplicate code {div.code}")
        divisions[div.code], lines[div.code] = div, lineno
        common[div.code] = frozenset(_split(row["common"]))
    _check_parents(path, divisions, lines)
    return divisions, common


def load_changes(path: Path, divisions: dict[str, Division]) -> list[tuple[Change, frozenset]]:
    out = []
    for lineno, row in read_tsv(path, CHANGE_COLUMNS):
        target = divisions.get(row["new_code"])
        _check(target is not None and target.name == row["new_name"], path, lineno,
               f"{row['new_code']} {row['new_name']} is not a division in regions.tsv")
        _check(row["kind"] in CHANGE_KINDS, path, lineno, f"unknown kind {row['kind']!r}")
        _check(bool(DATE_RE.match(row["date"])), path, lineno, f"bad date {row['date']!r}")
        _check(not row["old_code"] or bool(CODE_RE.match(row["old_code"])), path, lineno,
               f"old_code {row['old_code']!r} is not 6 digits")
        change = Change(row["old_name"], _split(row["old_aliases"]), row["old_code"] or None,
                        row["new_code"], row["new_name"], row["date"], row["kind"], row["note"])
        out.append((change, frozenset(_split(row["common"]))))
    return out


def load_areas(path: Path, divisions: dict[str, Division]) -> tuple[Area, ...]:
    out = []
    for lineno, row in read_tsv(path, AREA_COLUMNS):
        _check(row["tier"] in TIERS, path, lineno, f"unknown tier {row['tier']!r}")
        _check(not row["within"] or row["within"] in divisions, path, lineno,
               f"within {row['within']} is not a division")
        out.append(Area(row["name"], row["group"], row["tier"], row["kind"],
                        row["within"] or None, row["note"]))
    return tuple(out)


def load_foreign(path: Path) -> tuple[Foreign, ...]:
    out = []
    for lineno, row in read_tsv(path, FOREIGN_COLUMNS):
        _check(row["tier"] in TIERS, path, lineno, f"unknown tier {row['tier']!r}")
        aliases, common = _split(row["aliases"]), frozenset(_split(row["common"]))
        _check(common <= {row["name"], row["full_name"], *aliases}, path, lineno,
               "common lists a form that is not a name of this row")
        _check(all(len(a) >= 2 for a in (row["name"], *aliases)), path, lineno,
               "single-character name or alias")
        out.append(Foreign(row["name"], row["full_name"] or None, aliases, row["tier"],
                           common, row["note"]))
    return tuple(out)


def load_townships(path: Path, divisions: dict[str, Division]) -> dict[str, frozenset[str]]:
    towns: dict[str, set[str]] = {}
    for lineno, row in read_tsv(path, TOWNSHIP_COLUMNS):
        _check(row["county"] in divisions, path, lineno, f"unknown county {row['county']}")
        _check(bool(row["name"]), path, lineno, "empty township name")
        towns.setdefault(row["county"], set()).add(row["name"])
    return {code: frozenset(names) for code, names in towns.items()}


# ---------------------------------------------------------------- the gazetteer

class Gazetteer:
    """Look-ups over the loaded data. Build it with gazetteer() (cached)."""

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = Path(data_dir)
        self._divisions, self._common = load_divisions(self.data_dir / "regions.tsv")
        self._changes = load_changes(self.data_dir / "region_changes.tsv", self._divisions)
        self._areas = load_areas(self.data_dir / "areas.tsv", self._divisions)
        self._foreign = load_foreign(self.data_dir / "foreign.tsv")
        self._area_by_name = {a.name: a for a in self._areas}
        self._foreign_by_name = {f.name: f for f in self._foreign}
        self._children = _index_children(self._divisions.values())
        self._by_surface = _index_surfaces(self._divisions, self._common, self._changes)
        self._towns: dict[str, frozenset[str]] | None = None
        self._ancestors: dict[str, tuple[str, ...]] = {}

    def by_code(self, code: str) -> Division | None:
        return self._divisions.get(code)

    def divisions(self) -> tuple[Division, ...]:
        return tuple(self._divisions.values())

    def candidates(self, surface: str) -> list[Candidate]:
        """Divisions `surface` may name: official names first, then aliases, then old
        names (renamed); within each, higher levels first."""
        return list(self._by_surface.get(surface, ()))

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Codes of the divisions above `code`, nearest first (empty for a province
        or an unknown code)."""
        chain = self._ancestors.get(code)
        if chain is None:
            div = self._divisions.get(code)
            parent = div.parent if div is not None else None
            chain = (parent, *self.ancestors(parent)) if parent in self._divisions else ()
            self._ancestors[code] = chain
        return chain

    def path(self, code: str) -> list[str]:
        """Names from the province down to the division itself."""
        if code not in self._divisions:
            return []
        return [self._divisions[c].name for c in (*self.ancestors(code)[::-1], code)]

    def code_of_path(self, names: list[str]) -> str | None:
        """The division whose path is exactly `names` (['浙江省', '宁波市', '宁海县'])."""
        if not names:
            return None
        return next((c.division.code for c in self.candidates(names[-1]) if self.path(c.division.code) == names), None)

    def province_of(self, code: str) -> Division | None:
        if code not in self._divisions:
            return None
        return self._divisions[(code, *self.ancestors(code))[-1]]

    def children(self, code: str) -> list[Division]:
        return list(self._children.get(code, ()))

    def townships(self, county_code: str) -> frozenset[str]:
        """Township-level names (镇/乡/街道/苏木 ...) of a county, or of a prefecture-level
        city without counties (东莞市). Loaded on first use."""
        if self._towns is None:
            self._towns = load_townships(self.data_dir / "townships.tsv.gz", self._divisions)
        return self._towns.get(county_code, frozenset())

    def township_names(self) -> frozenset[str]:
        """Township-level names of every county (稠城街道, 佛堂镇, also 农场, 北城)."""
        self.townships("")
        return frozenset().union(*self._towns.values())

    def changes(self) -> tuple[Change, ...]:
        return tuple(change for change, _ in self._changes)

    def areas(self) -> tuple[Area, ...]:
        return self._areas

    def foreign(self) -> tuple[Foreign, ...]:
        return self._foreign

    def area_named(self, name: str) -> Area | None:
        return self._area_by_name.get(name)

    def foreign_named(self, name: str) -> Foreign | None:
        return self._foreign_by_name.get(name)

    def all_surfaces(self) -> dict[str, tuple[Surface, ...]]:
        """Every written form (divisions, old names, areas, foreign) and what it names."""
        out: dict[str, list[Surface]] = {}
        for text, cands in self._by_surface.items():
            out[text] = [Surface(text, c.division.level, c.division.code, c.how, c.common)
                         for c in cands]
        for surface in _area_surfaces(self._areas) + _foreign_surfaces(self._foreign):
            out.setdefault(surface.text, []).append(surface)
        return {text: tuple(surfaces) for text, surfaces in out.items()}


def _index_children(divisions: Iterable[Division]) -> dict[str, tuple[Division, ...]]:
    children: dict[str, list[Division]] = {}
    for div in sorted(divisions, key=lambda d: d.code):
        if div.parent:
            children.setdefault(div.parent, []).append(div)
    return {code: tuple(kids) for code, kids in children.items()}


def _index_surfaces(divisions, common, changes) -> dict[str, tuple[Candidate, ...]]:
    found: dict[str, dict[str, Candidate]] = {}
    for cand_text, cand in _division_candidates(divisions, common, changes):
        found.setdefault(cand_text, {}).setdefault(cand.division.code, cand)
    return {text: tuple(sorted(by_code.values(), key=_candidate_order))
            for text, by_code in found.items()}


def _division_candidates(divisions, common, changes) -> Iterator[tuple[str, Candidate]]:
    """(surface, candidate) pairs, best match kind first so it wins per division."""
    for div in divisions.values():
        yield div.name, Candidate(div, "official", div.name in common[div.code])
    for div in divisions.values():
        for alias in div.aliases:
            yield alias, Candidate(div, "alias", alias in common[div.code])
    for change, old_common in changes:
        for text in (change.old_name, *change.old_aliases):
            if text != change.new_name:
                yield text, Candidate(divisions[change.new_code], "renamed",
                                      text in old_common, change)


def _candidate_order(cand: Candidate) -> tuple[int, int, str]:
    return HOW_ORDER.index(cand.how), LEVELS.index(cand.division.level), cand.division.code


def _area_surfaces(areas: tuple[Area, ...]) -> list[Surface]:
    return [Surface(a.name, "area", a.name, "official") for a in areas]


def _foreign_surfaces(rows: tuple[Foreign, ...]) -> list[Surface]:
    out = []
    for row in rows:
        forms = [(row.name, "official"), (row.full_name, "official")]
        forms += [(alias, "alias") for alias in row.aliases]
        out += [Surface(text, "foreign", row.name, how, text in row.common)
                for text, how in forms if text]
    return out


@lru_cache(maxsize=None)
def gazetteer(data_dir: Path = DATA_DIR) -> Gazetteer:
    """The process-wide gazetteer, loaded and validated on first call."""
    return Gazetteer(Path(data_dir))


def place_words(gaz: Gazetteer) -> list[str]:
    """Place names jieba should keep whole: official names of three characters or
    more that are not common words. Short forms stay out: given to jieba they
    would cut person names and words around them (尚志|民, 新乡|贤)."""
    return sorted(text for text, surfaces in gaz.all_surfaces().items()
                  if len(text) >= 3 and not any(s.common for s in surfaces)
                  and any(s.how == "official" for s in surfaces))
