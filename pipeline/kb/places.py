"""Regions as the knowledge base sees them: ids, rows, and which lies in which.

A region id is the GB/T 2260 code of a division ("441500"), "<county code>:<name>"
for a township (which has no code in the records), "area:<name>" for a named
area (西部地区) and "foreign:<name>" for a foreign country. The gazetteer gives
names, levels and parents; a code it does not know (a file made with another
gazetteer) gets its parent from the code's own prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

from pipeline.gazetteer import Gazetteer, expected_level, gazetteer


@dataclass(frozen=True)
class RegionRow:
    """One row of the `regions` table."""

    region_id: str
    code: Optional[str]
    name: str
    level: str
    parent: Optional[str]


class Places:
    """Region ids and their nesting, over the gazetteer (built once per process)."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz

    # -- ids ------------------------------------------------------------------

    def region_id(self, name: str, code: Optional[str], level: str, path: list[str]) -> tuple[Optional[str], str]:
        """The id a region record resolves to and why (None: cannot be placed)."""
        if code:
            return code, f"code {code}"
        if level in ("area", "foreign"):
            return f"{level}:{name}", f"{level} named {name}"
        county = self.gaz.code_of_path(path[:-1]) if level == "township" else None
        if county:
            return f"{county}:{name}", f"township {name} of {self.gaz.by_code(county).name} {county}"
        return None, f"no code and no known county for {name}"

    # -- rows -----------------------------------------------------------------

    def rows(self, region_id: str, name: Optional[str] = None, level: Optional[str] = None) -> Iterator[RegionRow]:
        """The row of `region_id` and of every region above it, nearest first."""
        yield self._row(region_id, name, level)
        for above in self.ancestors(region_id):
            yield self._row(above, None, None)

    def _row(self, region_id: str, name: Optional[str], level: Optional[str]) -> RegionRow:
        parents = self.ancestors(region_id)
        parent = parents[0] if parents else None
        kind, _, rest = region_id.partition(":")
        if kind in ("area", "foreign"):
            return RegionRow(region_id, None, rest, kind, parent)
        if rest:  # a township: "<county code>:<name>"
            return RegionRow(region_id, None, rest, "township", parent)
        div = self.gaz.by_code(region_id)
        if div is not None:
            return RegionRow(region_id, region_id, div.name, div.level, parent)
        return RegionRow(region_id, region_id, name or region_id, level or expected_level(region_id), parent)

    # -- nesting --------------------------------------------------------------

    def ancestors(self, region_id: str) -> tuple[str, ...]:
        """The ids of the regions `region_id` lies in, nearest first."""
        kind, _, rest = region_id.partition(":")
        if kind == "area":
            area = self.gaz.area_named(rest)
            within = area.within if area is not None else None
            return (within, *self.ancestors(within)) if within else ()
        if kind == "foreign":
            return ()
        if rest:
            return (kind, *self.ancestors(kind))
        if self.gaz.by_code(region_id) is not None:
            return self.gaz.ancestors(region_id)
        return tuple(code for code in _prefix_parents(region_id) if self.gaz.by_code(code) is not None)

    def within(self, inner: str, outer: str) -> bool:
        return inner == outer or outer in self.ancestors(inner)

    def related(self, a: str, b: str) -> bool:
        """One lies in the other (or they are the same)."""
        return self.within(a, b) or self.within(b, a)

    def comparable(self, region_id: str) -> bool:
        """Divisions and townships can be told apart by nesting; a named area's
        extent is not known (西部地区 holds 成都 without saying so)."""
        return not region_id.startswith("area:")

    def level(self, region_id: str) -> str:
        return self._row(region_id, None, None).level

    def name(self, region_id: str) -> str:
        return self._row(region_id, None, None).name

    # -- regions named in a string (titles, organisations) ---------------------

    def named_in(self, text: str) -> frozenset[str]:
        """Codes of the divisions a short string such as a title names
        (宁波市委统战部副部长 -> 330200); ambiguous names are left out."""
        return _named_in(self.gaz, text)


def _prefix_parents(code: str) -> tuple[str, ...]:
    if len(code) != 6 or not code.isdigit():
        return ()
    return tuple(c for c in (code[:4] + "00", code[:2] + "0000") if c != code)


@lru_cache(maxsize=65536)
def _named_in(gaz: Gazetteer, text: str) -> frozenset[str]:
    found: list[str] = []
    i = 0
    while i < len(text):
        for j in range(min(len(text), i + 12), i + 1, -1):
            code = _one_division(gaz, text[i:j], found)
            if code:
                found.append(code)
                i = j - 1
                break
        i += 1
    return frozenset(found)


def _one_division(gaz: Gazetteer, surface: str, found: list[str]) -> Optional[str]:
    codes = {c.division.code for c in gaz.candidates(surface) if not c.common}
    inside = {code for code in codes if any(f in gaz.ancestors(code) for f in found)}
    if len(inside) == 1:
        return inside.pop()
    return codes.pop() if len(codes) == 1 else None


@lru_cache(maxsize=1)
def places() -> Places:
    """The process-wide Places over the packaged gazetteer."""
    return Places(gazetteer())
