"""Money amounts in the 元/角/分 system, read after a count's core and unit.

The count reader (pipeline/extract/counts.py) finds a numeral and its unit;
these helpers finish a money amount the way the genre writes it, with the
tables in data/count_rules.json ("money"):

- a 元/角/分 or 块/毛 chain is one amount in 元 (12元8角 -> 12.8 元,
  3块5毛 -> 3.5 元, 一百三十五块六角七分钱 -> 135.67 元, 壹佰元整);
- a lone 角 or 毛 is a tenth of a 元 (5毛钱 -> 0.5 元);
- a currency written before the number names the unit (港币2960元 -> 港元);
- financial capital numerals (壹贰叁 … 拾佰仟) are a money register: a
  numeral written with them is a count only as an amount of money
  (壹号院, 伍佰, 陆家嘴 are names).

Every function is pure: text and positions in, a small result out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pipeline.numbers import CAPITAL_DIGITS, CAPITAL_UNITS, DIGITS

_CAPITAL = re.compile(f"[{CAPITAL_DIGITS}{CAPITAL_UNITS}]")
_D_CHARS = f"0-9一二两三四五六七八九{CAPITAL_DIGITS}"
_D = f"[{_D_CHARS}]"


@lru_cache(maxsize=4)
def _tail(tenths: str) -> re.Pattern:
    """After 元/圆: [零]N角 [零]N分, the tenths' marks (角, 毛) from count_rules.json's
    money subunits; after 块 the mark may be left out (3块5). 钱 and 整 close it."""
    return re.compile(rf"(?:零?(?P<jiao>{_D})(?:(?P<mark>[{tenths}])|(?![\d{_D_CHARS}十百千万亿{CAPITAL_UNITS}{tenths}分])))?"
                      rf"(?:零?(?P<fen>{_D})分(?!钟))?(?P<qian>钱)?(?P<zheng>整)?")


def _digit(ch: str) -> int:
    return int(ch) if ch.isascii() else DIGITS[ch]


@dataclass(frozen=True)
class Tail:
    """What follows a 元/块 amount: the value it adds (in 元) and where it ends."""

    add: float
    end: int
    chained: bool  # a 角/毛/分 part or a tenth after 块 was read


def is_capital(core: str) -> bool:
    """壹拾伍万: a numeral written (partly) in financial capitals."""
    return _CAPITAL.search(core) is not None


def money_tail(text: str, pos: int, unit_surface: str, tenths: str) -> Tail:
    """The 角/毛/分 part (and 钱, 整) after a 元, 圆 or 块 ending at `pos`; `tenths`
    are the marks of a tenth of it (角毛)."""
    m = _tail(tenths).match(text, pos)
    jiao, fen = m.group("jiao"), m.group("fen")
    if jiao and not m.group("mark") and unit_surface != "块":
        jiao = None  # 12元8: no tenth without 角 after 元 (8 begins another number)
    if jiao is None and m.group("mark") is None and m.group("fen") is None:
        end = pos + len(m.group("zheng") or "") if unit_surface != "块" else pos
        return Tail(0.0, end, False)
    add = _digit(jiao) / 10 if jiao else 0.0
    add += _digit(fen) / 100 if fen else 0.0
    end = m.end() if jiao or fen else pos
    return Tail(add, end, bool(jiao or fen))


def currency_before(text: str, start: int, currencies: dict[str, str]) -> Optional[tuple[str, int]]:
    """港币2960元: the currency written right before the number (its unit and
    where it starts), for a currency other than the 元 of renminbi."""
    at = len(text[:start].rstrip(" \u3000"))  # 新台币 177.1 亿元
    for word in sorted(currencies, key=len, reverse=True):
        if at >= len(word) and text.startswith(word, at - len(word)) and currencies[word] != "元":
            return currencies[word], at - len(word)
    return None
