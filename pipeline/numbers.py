"""Read the value of a numeral span that has already been isolated.

    >>> parse_number("3.5万").value
    35000
    >>> parse_number("十二万三千").value
    123000
    >>> parse_number("三四十")
    Number(value=30, upper=40, percent=False, approx='about')

Handles Arabic numerals (1,200 and 1，200; decimals; full-width digits),
Chinese numerals (两千, 廿三, 一百零五, 二〇二四, 三点五, financial 壹贰),
both mixed with 十/百/千/万/亿 (3.5万, 1亿2000万, 两万三), the letters k and
w after Arabic digits as 千 and 万 (3k, 1.5w, 10~15k), 余/多/几 inside
a numeral (20余万, 1万余, 十几), percentages (86%, 百分之八十六, 千分之五),
approximate numerals (两三, 三四十, 十二三 -> a range with approx 'about')
and explicit ranges (100-200, 100至200, 1~2万, 10%-20%).

It never looks at surrounding text and never raises on bad input: a span
that is not one number gives None. Finding numerals in running text, and
deciding whether one is a count, is the job of pipeline/extract/counts.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional, Union

Num = Union[int, float]

# Financial capitals (壹贰叁 … 拾佰仟): the money register of 一二三 … 十百千.
CAPITAL_DIGITS = "壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = "拾佰仟"
DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "幺": 1, "二": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "參": 3, "四": 4, "五": 5, "六": 6, "陸": 6, "七": 7, "八": 8, "九": 9,
    **{ch: n for n, ch in enumerate(CAPITAL_DIGITS, 1)},
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, **dict(zip(CAPITAL_UNITS, (10, 100, 1000)))}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_TENS = {"廿": "二十", "卅": "三十", "卌": "四十"}
# 3k, 5w, 1.5w: the colloquial thousand and ten thousand, written in lower case
# (upper case K and W are kilobytes, carats, a resolution or watts: 64K, 24K, 4K, 65W).
LETTER_MULTIPLIERS = {"k": "千", "w": "万"}
LETTER_PATTERN = r"(?:[kw](?![A-Za-z]))"  # the letter alone, as written after Arabic digits
_LETTER = re.compile(rf"(?<=\d)({LETTER_PATTERN})")
APPROX_MARKS = {"余": "more_than", "多": "more_than", "几": "more_than"}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + CN_UNIT_CHARS + "".join(_TENS)

_WIDE = str.maketrans("０１２３４５６７８９％．，～－", "0123456789%.,~-")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_ARABIC = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_RANGE = re.compile(r"^(.+?)(?:——|--|-|~|—|–|至|到)(.+)$")
_CN_DECIMAL = re.compile(r"([^点]+)点([零〇○一二三四五六七八九]+)([万亿萬億]*)")
_PERCENT_WORDS = {"百分之": "%", "千分之": "‰"}


@dataclass(frozen=True)
class Number:
    """A parsed numeral: `value` (int when integral), `upper` for a range,
    `percent` for % (and ‰), `approx` 'more_than' (余/多) or 'about' (两三)."""

    value: Num
    upper: Optional[Num] = None
    percent: bool = False
    approx: Optional[str] = None
    permille: bool = False


def parse_number(span: str) -> Optional[Number]:
    """The Number a whole span denotes, or None when it is not one number."""
    if not isinstance(span, str):
        return None
    text = _SPACES.sub("", span.translate(_WIDE)).replace("，", ",")
    text = _LETTER.sub(lambda m: LETTER_MULTIPLIERS[m.group(1)], text)
    if not text or len(text) > 40:
        return None
    try:
        return _parse(text)
    except (InvalidOperation, ValueError, OverflowError, ArithmeticError):
        return None


def _parse(text: str) -> Optional[Number]:
    mark, body = _percent_mark(text)
    if mark is None and not body:
        return None
    found = _parse_range(body) or _parse_single(body)
    if found is None:
        return None
    value, upper, approx = found
    return Number(
        value=_plain(value), upper=None if upper is None else _plain(upper),
        percent=mark == "%", approx=approx, permille=mark == "‰",
    )


def _percent_mark(text: str) -> tuple[Optional[str], str]:
    for words, mark in _PERCENT_WORDS.items():
        if text.startswith(words):
            return mark, text[len(words):]
    for mark in ("%", "‰"):
        if text.endswith(mark):
            inner = text[:-1]
            # 10%-20%: the first half carries its own mark
            return mark, re.sub(rf"{mark}(?=(?:-|~|—|–|至|到))", "", inner)
    return None, text


def _parse_range(text: str):
    """100-200, 100至200, 1~2万, 两到三千 (the first half borrows the second's
    multiplier; a Chinese 十 is not lent: 三到五十 stays 3-50)."""
    m = _RANGE.match(text)
    if not m:
        return None
    low, high = _parse_single(m.group(1)), _parse_single(m.group(2))
    if low is None or high is None or low[1] is not None or high[1] is not None:
        return None
    lo, hi = low[0], high[0]
    scale = _trailing_multiplier(m.group(2), chinese_hundreds=True)
    if scale > 1 and _trailing_multiplier(m.group(1)) == 1 and lo * scale <= hi:
        lo = lo * scale
    if not lo < hi:
        return None
    return lo, hi, None


def _trailing_multiplier(text: str, chinese_hundreds: bool = False) -> int:
    """The multiplier a numeral ends in (1.2万: 10000); 十百千 count after Arabic
    digits (3千) and, with `chinese_hundreds`, 百/千 after Chinese ones (三千)."""
    scale = 1
    for ch in reversed(text.rstrip("余多几")):
        if ch in BIG_UNITS:
            scale *= BIG_UNITS[ch]
        elif ch in SMALL_UNITS and scale == 1 and (re.search(r"\d", text) or (chinese_hundreds and SMALL_UNITS[ch] >= 100)):
            scale *= SMALL_UNITS[ch]
        else:
            break
    return scale


def _parse_single(text: str):
    """(value, upper, approx) for one numeral, or None."""
    if not text:
        return None
    for old, new in _TENS.items():
        text = text.replace(old, new)
    pair = _adjacent_pair(text)
    if pair is not None:
        return pair
    approx = None
    marks = [ch for ch in text if ch in APPROX_MARKS]
    if len(marks) > 1:
        return None
    if marks:
        approx = APPROX_MARKS[marks[0]]
        if not _mark_placed_well(text, marks[0]):
            return None
        text = text.replace(marks[0], "")
    value = _value(text)
    return None if value is None else (value, None, approx)


def _mark_placed_well(text: str, mark: str) -> bool:
    """余/多 follow a digit or a unit (20余万, 1万余, 十多); 几 follows a unit
    or an Arabic digit (十几, 20几), never a Chinese digit (几十 is vague)."""
    i = text.index(mark)
    if i == 0:
        return False
    before = text[i - 1]
    if mark == "几":
        return before.isdigit() or before in SMALL_UNITS or before in BIG_UNITS
    return before.isdigit() or before in SMALL_UNITS or before in BIG_UNITS or before in DIGITS


def _adjacent_pair(text: str):
    """两三, 三四十, 十二三, 一两千: two neighbouring digits give a range."""
    if "零" in text or "〇" in text or "○" in text or any(ch.isdigit() for ch in text):
        return None
    chars = list(text)
    pairs = [
        i for i in range(len(chars) - 1)
        if chars[i] in DIGITS and chars[i + 1] in DIGITS
    ]
    if len(pairs) != 1:
        return None
    i = pairs[0]
    a, b = DIGITS[chars[i]], DIGITS[chars[i + 1]]
    if not (1 <= a < b <= 9 and b - a <= 2):
        return None
    low = _value("".join(chars[: i + 1] + chars[i + 2:]))
    high = _value("".join(chars[:i] + chars[i + 1:]))
    if low is None or high is None or not low < high:
        return None
    return low, high, "about"


def _value(text: str) -> Optional[Decimal]:
    if "点" in text:
        return _chinese_decimal(text)
    tokens = _tokens(text)
    if not tokens:
        return None
    if all(kind == "d" for kind, _ in tokens) and len(tokens) > 1:
        return _digit_string(text)
    return _positional(tokens)


def _chinese_decimal(text: str) -> Optional[Decimal]:
    """三点五 -> 3.5, 十点五 -> 10.5, 一点二万 -> 12000."""
    m = _CN_DECIMAL.fullmatch(text)
    if not m:
        return None
    whole = _value(m.group(1))
    if whole is None or whole != whole.to_integral_value():
        return None
    frac = "".join(str(DIGITS[c]) for c in m.group(2))
    value = Decimal(f"{int(whole)}.{frac}")
    for ch in m.group(3):
        value *= BIG_UNITS[ch]
    return value


def _digit_string(text: str) -> Optional[Decimal]:
    """二〇二四 -> 2024: Chinese digits read one by one (no unit characters)."""
    if not all(ch in DIGITS for ch in text) or len(text) < 2:
        return None
    if len(text) == 2 and not any(ch in "零〇○" for ch in text):
        return None  # 九五 is neither a number nor a pair range
    return Decimal("".join(str(DIGITS[ch]) for ch in text))


def _tokens(text: str) -> Optional[list[tuple[str, Decimal]]]:
    """Split into ('n', arabic number), ('d', Chinese digit), ('u', 十百千),
    ('b', 万亿) and ('z', 零) tokens; None on any other character."""
    out: list[tuple[str, Decimal]] = []
    i = 0
    while i < len(text):
        m = _ARABIC.match(text, i)
        if m:
            if out and out[-1][0] in "nd":
                return None
            out.append(("n", Decimal(m.group().replace(",", ""))))
            i = m.end()
            continue
        ch = text[i]
        if ch in "零〇○" and out and out[-1][0] in "ub":
            out.append(("z", Decimal(0)))
        elif ch in DIGITS:
            out.append(("d", Decimal(DIGITS[ch])))
        elif ch in SMALL_UNITS:
            out.append(("u", Decimal(SMALL_UNITS[ch])))
        elif ch in BIG_UNITS:
            out.append(("b", Decimal(BIG_UNITS[ch])))
        else:
            return None
        i += 1
    return out


def _positional(tokens: list[tuple[str, Decimal]]) -> Optional[Decimal]:
    """十二万三千 -> 123000; 一百零五 -> 105; 两万三 -> 23000; 3.5万 -> 35000."""
    total, section = Decimal(0), Decimal(0)
    number: Optional[Decimal] = None
    last_small: Optional[Decimal] = None
    last_big: Optional[Decimal] = None
    biggest = Decimal(1)
    after_zero = False
    for kind, val in tokens:
        if kind in "nd":
            if number is not None:
                return None
            number = val
        elif kind == "z":
            after_zero = True
        elif kind == "u":
            if last_small is not None and val >= last_small:
                return None
            section += (number if number is not None else Decimal(1)) * val
            number, last_small, after_zero = None, val, False
        else:  # big unit
            section += number if number is not None else Decimal(0)
            if section == 0 and total == 0:
                section = Decimal(1)  # 万 alone, 亿元: one of it
            if val > biggest:
                total = (total + section) * val
                biggest = val
            elif last_big is not None and val == last_big:
                return None
            else:
                total += section * val
            section, number, last_small, last_big, after_zero = Decimal(0), None, None, val, False
    if number is not None:
        number *= _implied_scale(last_small, last_big, after_zero)
        section += number
    return total + section


def _implied_scale(last_small, last_big, after_zero) -> Decimal:
    """A bare digit after a unit counts in the next lower place (三千五 = 3500)."""
    if after_zero:
        return Decimal(1)
    if last_small is not None and last_small > 10:
        return last_small / 10
    if last_small is None and last_big is not None:
        return last_big / 10
    return Decimal(1)


def _plain(value: Decimal) -> Num:
    """int when integral, else float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
