"""Read an article's publication date wherever a news page puts it.

One reader for plain text and for HTML, with its rules in
`pipeline/data/pubdate.json` (labels in both scripts, meta names, JSON-LD
keys, script variables, confidences):

- `text_clues(text)`: the lines a news page prints around the article: a
  labelled line (发布时间：…, 發布時間：…, 发表于…), a date line under the
  title (2021年03月15日 09:30:12, 2022-06-01 07:45, and page chrome in
  day.month.year order: 06.05.2023 10:20), a date and time inside a source
  line (来源：XX 2023-05-06 10:20), or a date line at the end (the sign-off
  of a notice: 2023年9月12日, 二〇二二年三月八日). A line that reads as a
  sentence (。，；！？) never gives a date, nor does a period (…至…).
- `page_clues(tree, ...)`: meta tags, JSON-LD, <time>, script variables
  holding a Unix time (WeChat: var ct = "1615771812"), the visible lines
  under the page's title (read with the text rules) and the URL path.

`best_clue` prefers a publication date over an update time (a comment time
never counts) and the most confident clue, with a small bonus when clues
of different kinds agree on the day. Values are ISO 8601 local dates or
datetimes; a time with a zone is given in China time (UTC+8).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from pipeline.data import DataFileError, load_json

KINDS = ("published", "updated", "comment")
CHINA = dt.timezone(dt.timedelta(hours=8))
_DATA_FILE = "pubdate.json"

_TIME = (r"(?:\s*T?\s*(?P<H>[0-2]?\d)\s*[:：时]\s*(?P<M>[0-5]\d)(?:\s*[:：分]\s*(?P<S>[0-5]\d)(?:\.\d+)?)?\s*秒?"
         r"\s*(?P<Z>Z|[+-]\d{2}:?\d{2})?)?")
_YMD = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>[01]?\d)\s*[-/.月]\s*(?P<d>[0-3]?\d)(?!\d)\s*日?" + _TIME)
_DMY = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)[./](?P<y>(?:19|20)\d{2})(?!\d)" + _TIME)
_YY = re.compile(r"(?<!\d)(?P<y>\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)" + _TIME)
_COMPACT = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?")
_UNIX = re.compile(r"\d{10}(?:\d{3})?")
_URL_DATE = re.compile(r"(?<![0-9])(?P<y>(?:19|20)\d{2})[/_-]?(?P<m>[01]\d)[/_-]?(?P<d>[0-3]\d)(?![0-9])")
_SENTENCE = re.compile(r"[。，；！？]")
# A newspaper's edition line: 《人民日报》（2009年06月12日 第04版）, or with 04版.
_PRINT_EDITION = re.compile(r"《[^《》]{1,12}》(?:第?[0-9０-９一二三四五六七八九十]{1,3}版)?")
_PERIOD = re.compile(r"\s*(?:至|到|—|－|~|～|-\s*\d)")
# What may stand around a bare date line: brackets, a weekday, separators.
_DATE_LINE_NOISE = re.compile(r"[\s()（）【】\[\]|｜/·•:：-]|星期[一二三四五六日天]|周[一二三四五六日天]")
_HEAD_LINES = 8
_TAIL_LINES = 4
_MAX_LINE = 100


@dataclass(frozen=True)
class DateClue:
    """One reading of a publication date: what, how, how sure, from where.

    start/end: the line's offsets in the text read (text clues only)."""

    value: str
    method: str
    confidence: float
    text: str
    kind: str = "published"
    start: Optional[int] = None
    end: Optional[int] = None

    @property
    def day(self) -> str:
        return self.value[:10]


@dataclass(frozen=True)
class Rules:
    labels: dict[str, str]  # label -> published | updated | comment | generic
    label_re: re.Pattern
    source_re: re.Pattern
    meta: dict[str, tuple[str, float]]
    jsonld: dict[str, tuple[str, float]]
    script_re: re.Pattern
    script_vars: dict[str, tuple[str, float]]
    conf: dict[str, float]


# ---------------------------------------------------------------- rules


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = load_json(_DATA_FILE)
    _validate(data)
    labels = {word: kind for kind, words in data["labels"].items() for word in words}
    scripts = _named(data["script_vars"])
    return Rules(
        labels=labels,
        label_re=re.compile(rf"(?<![\u4e00-\u9fff])(?P<label>{_alternation(labels)})\s*[】\]〗]?\s*[:：]?\s*"),
        source_re=re.compile(_alternation(data["source_words"])),
        meta={k.lower(): v for k, v in _named(data["meta"]).items()},
        jsonld=_named(data["jsonld"]),
        script_re=re.compile(
            rf"\b(?P<name>{_alternation(scripts)})\b[\"']?\s*[=:]\s*"
            r"(?:[\"'](?P<q>[^\"'\n]{1,40})[\"']|(?P<n>\d{10,13})\b)"),
        script_vars=scripts,
        conf=data["confidence"],
    )


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _named(entries: list[dict]) -> dict[str, tuple[str, float]]:
    return {e["name"]: (e["kind"], float(e["confidence"])) for e in entries}


def _validate(data) -> None:
    where = f"pipeline/data/{_DATA_FILE}"
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: expected an object")
    for key in ("labels", "source_words", "meta", "jsonld", "script_vars", "confidence"):
        if key not in data:
            raise DataFileError(f"{where}: missing {key!r}")
    if set(data["labels"]) != {"published", "generic", "updated", "comment"}:
        raise DataFileError(f"{where}: labels must be published, generic, updated and comment")
    for table in ("meta", "jsonld", "script_vars"):
        for n, entry in enumerate(data[table]):
            _check_entry(entry, f"{where}: {table}[{n}]")
    for name, value in data["confidence"].items():
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise DataFileError(f"{where}: confidence {name!r} must be a number in [0, 1], got {value!r}")


def _check_entry(entry, where: str) -> None:
    if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"]):
        raise DataFileError(f"{where}: expected {{name, kind, confidence}}, got {entry!r}")
    if entry.get("kind") not in KINDS:
        raise DataFileError(f"{where}: kind must be one of {KINDS}, got {entry.get('kind')!r}")
    if not isinstance(entry.get("confidence"), (int, float)) or not 0 <= entry["confidence"] <= 1:
        raise DataFileError(f"{where}: confidence must be in [0, 1], got {entry.get('confidence')!r}")


# ---------------------------------------------------------------- values


def _iso(m: re.Match, *, century: int = 0) -> Optional[str]:
    """ISO date or local datetime from a match with y, m, d (H, M, S, Z)."""
    parts = m.groupdict()
    try:
        day = dt.date(century + int(parts["y"]), int(parts["m"]), int(parts["d"]))
    except ValueError:
        return None
    if not 1900 <= day.year <= 2100:
        return None
    if parts.get("H") is None or int(parts["H"]) > 23:
        return day.isoformat()
    when = dt.datetime(day.year, day.month, day.day, int(parts["H"]), int(parts["M"]), int(parts.get("S") or 0))
    return _local(when, parts.get("Z")).isoformat()


def _local(when: dt.datetime, zone: Optional[str]) -> dt.datetime:
    """China time for a time given with a zone; a local time stays as it is."""
    if not zone:
        return when
    offset = dt.timezone.utc if zone == "Z" else _offset(zone)
    return when.replace(tzinfo=offset).astimezone(CHINA).replace(tzinfo=None)


def _offset(zone: str) -> dt.timezone:
    digits = zone[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt.timezone(-delta if zone[0] == "-" else delta)


def _unix(value: str) -> Optional[str]:
    seconds = int(value[:10])
    if not 631152000 <= seconds <= 4102444800:  # 1990 .. 2100
        return None
    return dt.datetime.fromtimestamp(seconds, CHINA).replace(tzinfo=None).isoformat()


def parse_value(value: str) -> Optional[str]:
    """A machine-written date (meta, JSON-LD, script): ISO 8601 with or
    without zone, 2021/3/15 09:30, 20210315, a Unix time in s or ms."""
    value = value.strip()
    if _UNIX.fullmatch(value):
        return _unix(value)
    if m := _YMD.match(value):
        return _iso(m)
    if m := _COMPACT.fullmatch(value):
        return _iso(m)
    return None


def _date_at(text: str, pos: int) -> Optional[tuple[re.Match, str]]:
    """The full date that starts at `pos` (after a label), with its ISO value;
    a label also vouches for a two-digit year (发布时间：18-03-08)."""
    for pattern in (_YMD, _DMY, _YY):
        if (m := pattern.match(text, pos)) and (value := _iso(m, century=2000 if pattern is _YY else 0)):
            return m, value
    return None


def _find_date(text: str) -> Optional[re.Match]:
    """The first full date in a line (numeric forms, four-digit year)."""
    found = [m for p in (_YMD, _DMY) if (m := p.search(text)) and _iso(m)]
    return min(found, key=lambda m: m.start()) if found else None


# ---------------------------------------------------------------- text


def text_clues(text: str) -> list[DateClue]:
    """Publication-date clues in plain (normalized) text, in text order."""
    lines = [(start, line) for start, line in _lines(text) if line.strip()]
    zones = _zones([line for _, line in lines])
    out: list[DateClue] = []
    for (start, line), zone in zip(lines, zones):
        out.extend(line_clues(line, start=start, zone=zone))
    return out


def _lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _zones(lines: list[str]) -> list[str]:
    """head: the lines before the first paragraph (and before a salutation
    such as 各有关单位：); tail: the last few lines; body: the rest."""
    zones = ["body"] * len(lines)
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _is_paragraph(line) or (i and line.rstrip().endswith(("：", ":"))):
            break
        zones[i] = "head"
    for i in range(max(0, len(lines) - _TAIL_LINES), len(lines)):
        if zones[i] == "body":
            zones[i] = "tail"
    return zones


def _is_paragraph(line: str) -> bool:
    return len(line.strip()) > _MAX_LINE or "。" in line


def line_clues(line: str, *, start: int = 0, zone: str = "head") -> list[DateClue]:
    """The clues of one line in a zone (head, body or tail)."""
    if len(line.strip()) > _MAX_LINE:
        return []
    labelled = _labelled(line, zone)
    if labelled is not None:
        return [replace(c, start=start, end=start + len(line)) for c in labelled]
    if zone == "body" or _SENTENCE.search(line):
        return []
    clue = _date_line(line, zone)
    return [replace(clue, start=start, end=start + len(line))] if clue else []


def _labelled(line: str, zone: str) -> Optional[list[DateClue]]:
    """The clues after date labels; None when the line has no date label.
    Generic labels (时间, 日期) count in the head and tail only."""
    r = rules()
    found = list(r.label_re.finditer(line))
    if not found:
        return None
    clues = (_label_clue(m["label"], r.labels[m["label"]], line, m.end(), zone) for m in found)
    return [c for c in clues if c]


def _label_clue(label: str, kind: str, line: str, pos: int, zone: str) -> Optional[DateClue]:
    conf = rules().conf
    date = _date_at(line, pos)
    if date is None or _PERIOD.match(line, date[0].end()) or (kind == "generic" and zone == "body"):
        return None
    confidence = conf["label_generic" if kind == "generic" else "label"]
    confidence *= 1 if zone == "head" else conf["tail_factor"]
    kind = "published" if kind == "generic" else kind
    return DateClue(date[1], "label", round(confidence, 3), f"{label}：{date[0].group(0).strip()}", kind)


def _date_line(line: str, zone: str) -> Optional[DateClue]:
    """A line that is a date (bare, or with a source, author or counter)."""
    conf = rules().conf
    m = _find_date(line)
    if m is None:
        return _numeral_date_line(line, zone)
    if _PERIOD.match(line, m.end()):
        return None
    rest = _DATE_LINE_NOISE.sub("", line[: m.start()] + line[m.end():])
    if not rest:
        method, confidence = ("date_line", conf["date_line"]) if zone == "head" else ("date_line_end", conf["date_line_end"])
    elif rules().source_re.search(rest) or _PRINT_EDITION.fullmatch(rest):
        method, confidence = "source_line", conf["source_line"] * (1 if zone == "head" else conf["tail_factor"])
    else:
        return None
    return DateClue(_iso(m), method, round(confidence, 3), m.group(0).strip())


def _numeral_date_line(line: str, zone: str) -> Optional[DateClue]:
    """A sign-off date in Chinese numerals (二〇二二年三月八日) alone on its line."""
    from pipeline.dates import resolve

    core = _DATE_LINE_NOISE.sub("", line)
    if not core or core[0] not in "〇○零一二三四五六七八九" or "年" not in core:
        return None
    mention = resolve(core)
    if mention is None or mention.precision != "day" or mention.relative or mention.inferred:
        return None
    method = "date_line" if zone == "head" else "date_line_end"
    return DateClue(mention.iso, method, rules().conf[method], core)


# ---------------------------------------------------------------- choice


def best_clue(clues: Iterable[DateClue]) -> Optional[DateClue]:
    """The publication date: published before updated (comment times never),
    then confidence, plus a bonus per other kind of clue agreeing on the day.
    Of the winning day's clues, one with a time of day is preferred. The
    clue returned is the publication reading: kind published, its
    confidence the day's score (so choosing again does not discount it)."""
    conf = rules().conf
    usable = [c for c in clues if c.kind != "comment"]
    if not usable:
        return None
    by_day: dict[str, list[DateClue]] = defaultdict(list)
    for clue in usable:
        by_day[clue.day].append(clue)
    day = max(by_day, key=lambda d: _day_score(by_day[d], conf))
    best = max(by_day[day], key=lambda c: _score(c, conf))
    score = min(1.0, _day_score(by_day[day], conf))
    timed = [c for c in by_day[day] if "T" in c.value and c.kind == best.kind]
    value = best.value if "T" in best.value or not timed else max(timed, key=lambda c: c.confidence).value
    return replace(best, value=value, confidence=round(score, 3), kind="published")


def _score(clue: DateClue, conf: dict) -> float:
    return clue.confidence * (conf["updated_factor"] if clue.kind == "updated" else 1.0)


def _day_score(clues: list[DateClue], conf: dict) -> float:
    methods = {c.method.split(":")[0] for c in clues}
    return max(_score(c, conf) for c in clues) + conf["agreement_bonus"] * (len(methods) - 1)


# ---------------------------------------------------------------- HTML


def page_clues(tree, *, head: Iterable[str] = (), tail: Iterable[str] = (), url: Optional[str] = None) -> list[DateClue]:
    """Publication-date clues of an lxml HTML tree (see the module doc);
    `head`: the visible lines under the title (`head_lines`); `tail`: the
    lines right after the article (`tail_lines`), where a sign-off date sits."""
    return [
        *_meta_clues(tree),
        *_jsonld_clues(tree),
        *_time_clues(tree),
        *_script_clues(tree),
        *(clue for line in head for clue in line_clues(line, zone="head")),
        *(clue for line in tail for clue in line_clues(line, zone="tail")),
        *url_clues(url),
    ]


def _meta_clues(tree) -> Iterator[DateClue]:
    """<meta> tags and elements marked with itemprop (datePublished ...)."""
    table = rules().meta
    for el in tree.iter("meta", "span", "div", "p", "time", "em"):
        key = next((el.get(a) for a in ("property", "name", "itemprop", "http-equiv") if el.get(a)), None)
        if not key or key.strip().lower() not in table:
            continue
        raw = el.get("content") or el.get("datetime") or el.text_content()
        value = parse_value(raw or "")
        if value:
            kind, confidence = table[key.strip().lower()]
            yield DateClue(value, f"meta:{key.strip()}", confidence, raw.strip(), kind)


def _jsonld_clues(tree) -> Iterator[DateClue]:
    table = rules().jsonld
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for key, raw in _json_items(data):
            if key in table and isinstance(raw, str) and (value := parse_value(raw)):
                yield DateClue(value, f"jsonld:{key}", table[key][1], raw, table[key][0])


def _json_items(data) -> Iterator[tuple[str, object]]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
            yield from item.items()
        elif isinstance(item, list):
            stack.extend(item)


def _time_clues(tree) -> Iterator[DateClue]:
    """The page's first <time> element (later ones are often comments)."""
    for el in tree.iter("time"):
        raw = el.get("datetime") or el.text_content()
        if value := parse_value(raw or ""):
            yield DateClue(value, "time", rules().conf["time_element"], raw.strip())
        return


def _script_clues(tree) -> Iterator[DateClue]:
    r = rules()
    for script in tree.iter("script"):
        if script.get("src") or not script.text:
            continue
        for m in r.script_re.finditer(script.text):
            value = parse_value(m["q"] or m["n"])
            if value:
                kind, confidence = r.script_vars[m["name"]]
                yield DateClue(value, f"script:{m['name']}", confidence, m.group(0), kind)


def url_clues(url: Optional[str]) -> list[DateClue]:
    """A date in the URL path: /2021/0315/, /20210315/, /2021-03-15/, t20210315_."""
    if not url:
        return []
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I).split("?")[0]
    for m in _URL_DATE.finditer(path):
        if value := _iso(m):
            return [DateClue(value, "url", rules().conf["url"], m.group(0))]
    return []


# Visible text: the lines a reader sees, to find the date line under the title.
_INVISIBLE = {"script", "style", "noscript", "template", "head", "title", "select", "option", "svg", "iframe"}
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "section",
           "article", "header", "footer", "nav", "aside", "blockquote", "pre", "dd", "dt", "ul", "ol", "hr",
           "form", "main", "figure", "figcaption", "body"}


def visible_lines(tree) -> list[str]:
    """The page's visible text as lines (block elements break lines; the
    texts of neighbouring inline elements are kept apart by a space)."""
    parts: list[str] = []
    stack = [(tree, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            parts.append("\n" if _tag(el) in _BLOCKS else " ")
            parts.append(el.tail or "")
            continue
        if _tag(el) in _INVISIBLE or not isinstance(el.tag, str):
            parts.append(el.tail or "" if el is not tree else "")
            continue
        parts.append("\n" if _tag(el) in _BLOCKS else " ")
        parts.append(el.text or "")
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    lines = (re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def head_lines(lines: list[str], at: int) -> list[str]:
    """The few lines under the title line `at`, up to the first paragraph."""
    out = []
    for line in lines[at + 1: at + 1 + _HEAD_LINES]:
        if _is_paragraph(line):
            break
        out.append(line)
    return out


def tail_lines(lines: list[str], last: str, *, after: int = 0) -> list[str]:
    """The few lines after the article's last line `last` (found below line `after`)."""
    at = title_line(lines[after:], last)
    return lines[after + at + 1: after + at + 1 + _TAIL_LINES] if at is not None else []


def title_line(lines: list[str], title: Optional[str]) -> Optional[int]:
    """The index of the first line that is the title (or most of it)."""
    if not title:
        return None
    want = re.sub(r"\s+", "", title)
    for i, line in enumerate(lines):
        flat = re.sub(r"\s+", "", line)
        if flat and (flat == want or _covers(flat, want) or _covers(want, flat)):
            return i
    return None


def _covers(outer: str, inner: str) -> bool:
    return len(inner) >= 6 and inner in outer and len(inner) >= 0.6 * len(outer)
