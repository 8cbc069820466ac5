"""Read the header lines news pages carry: title, date, outlet, editor, keywords.

Works on normalized (simplified) text. Breadcrumb lines (首页>党派·声音>...)
are skipped; the title is the first short line that is not metadata and
does not read like body text. Metadata may also sit at the end of the
article (编辑:李晨阳, 关键词:..., (宁波市委统战部供稿)). The publication date
comes from pipeline.pubdate (labels, date lines, source lines; never a
date inside a sentence), with the clue it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from pipeline.pubdate import DateClue, best_clue, text_clues

# A label starts its field: 资金来源：, 活动编辑 are body text, not header labels.
_LABEL_START = r"(?<![\u4e00-\u9fff])"
_ORIGIN = re.compile(
    rf"{_LABEL_START}(?:来源|稿源|出处)\s*[:：]\s*(?P<v>[^\s|｜,，:：]{{2,30}})"
    r"|[(（](?P<w>[^()（）\n]{2,30}?)供稿[)）]"
    r"|转载自+\s*(?:微信号|微信公众号|公众号)?\s*(?P<x>[^\s|｜(（,，]{2,30})"
)
_EDITOR = re.compile(rf"{_LABEL_START}(?:责任编辑|责编|编辑)\s*[:：]\s*(?P<v>[\u4e00-\u9fff·]{{2,5}})")
_KEYWORDS = re.compile(r"^\s*(?:关键词|关键字|标签)\s*[:：]\s*(?P<v>.+)$")
_BREADCRUMB = re.compile(r"(>|＞|»|当前位置|您现在的位置)")
_META_WORDS = re.compile(r"(来源|时间|日期|编辑|记者|作者|字体|打印|关键词|点击|浏览|分享|【)")
_MAX_TITLE = 80


@dataclass
class Header:
    title: Optional[str] = None
    published_at: Optional[str] = None
    published: Optional[DateClue] = None  # the clue published_at was read from
    origin: Optional[str] = None
    editor: Optional[str] = None
    keywords: list[str] = field(default_factory=list)
    title_span: Optional[tuple[int, int]] = None
    meta_spans: list[tuple[int, int]] = field(default_factory=list)


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _is_title(line: str) -> bool:
    body = line.strip()
    return (
        4 <= len(body) <= _MAX_TITLE
        and not body.endswith(("。", "：", ":"))
        and not _BREADCRUMB.search(body)
        and not _META_WORDS.match(body)
    )


def read_header(text: str, *, head_lines: int = 8) -> Header:
    header = Header()
    clues = text_clues(text)
    dated = {clue.start for clue in clues}
    header.published = best_clue(clues)
    header.published_at = header.published.value if header.published else None
    lines = list(_lines(text))
    for number, (start, line) in enumerate(lines):
        in_head = number < head_lines
        if _read_meta(header, line) or start in dated:
            header.meta_spans.append((start, start + len(line)))
            continue
        if in_head and line.strip() and _take_title(header, start, line):
            continue
        if in_head and line.strip() and not _BREADCRUMB.search(line):
            head_lines = 0  # body text started: no title below it
    return header


def _take_title(header: Header, start: int, line: str) -> bool:
    """Take a title line; a second headline restating the first replaces it
    when it is longer (list title, then the full headline)."""
    if not _is_title(line):
        return False
    body = line.strip()
    if header.title is not None and not _restates(header.title, body):
        return False
    if header.title is None or len(body) > len(header.title):
        lead = len(line) - len(line.lstrip())
        header.title = body
        header.title_span = (start + lead, start + lead + len(body))
    return True


def _restates(first: str, second: str) -> bool:
    shorter, longer = sorted((first, second), key=len)
    return sum(ch in longer for ch in shorter) >= 0.6 * len(shorter)


def _read_meta(header: Header, line: str) -> bool:
    """Fill header fields from one short line; True when the line is metadata."""
    if len(line.strip()) > _MAX_TITLE:
        return False
    found = False
    if header.origin is None and (m := _ORIGIN.search(line)):
        header.origin = m["v"] or m["w"] or m["x"]
        found = True
    if header.editor is None and (m := _EDITOR.search(line)):
        header.editor = m["v"]
        found = True
    if not header.keywords and (m := _KEYWORDS.match(line)):
        header.keywords = [k for k in re.split(r"[\s,，;；、]+", m["v"]) if k]
        found = True
    return found
