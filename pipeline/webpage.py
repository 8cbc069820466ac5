"""Read a saved news page: its article text and metadata.

The article text comes from trafilatura (settings chosen by measurement on
real Chinese news pages, see scripts/measure_web_pages.py: `favor_recall`
and `fast`, comments left out), with the menus and link lists at its edges
trimmed (`htmltext.trim_chrome`). Where trafilatura gives nothing the
project's own reducer (`htmltext.html_to_text`) is the fallback, and the
page says which one produced the text (`Page.extractor`).

Metadata: the publication date from `pipeline.pubdate` (meta tags, JSON-LD,
<time>, script variables, the date line under the title or after the
article, the URL), and htmldate's reading (trafilatura's date library)
only where the page gives none of those; the title: of og:title, the
<h1>s and <title>, the one a reader sees first on the page; the outlet from the 来源 line under
the title, else the page's source meta tags, else its site name; the
author from a byline under the title; the URL from the canonical link,
og:url, or the address a browser saved the page from.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Optional

from pipeline.htmltext import html_to_text, trim_chrome
from pipeline.pubdate import DateClue, best_clue, head_lines, page_clues, parse_value, rules, tail_lines, title_line, visible_lines
from pipeline.records import Notice

log = logging.getLogger(__name__)

TRAFILATURA = "trafilatura"
FALLBACK = "htmltext"
# Measured on ../shared/web_pages (scripts/measure_web_pages.py --settings):
# favor_precision loses the article on 10 of 27 pages; favor_recall + fast keeps
# all 27 and is the fastest. trafilatura's metadata pass (htmldate on every
# page) doubles its time and its title and author were wrong on several pages:
# the metadata is read here, htmldate only where the page names no date.
TRAFILATURA_OPTIONS = dict(favor_recall=True, fast=True, include_comments=False, include_tables=True,
                           with_metadata=False, deduplicate=False)
# A table cell longer than this holds prose, not data.
_LONG_CELL = 200
_SAVED_FROM = re.compile(r"^\s*(?:<!DOCTYPE[^>]*>\s*)?<!--\s*(?:saved from url=\(\d+\))?\s*(https?://\S+?)\s*-->", re.I)
_ORIGIN_META = ("contentsource", "source", "article:source", "og:article:source", "article:author")
_SITE_META = ("og:site_name", "sitename", "site_name", "application-name")
_COPYRIGHT = re.compile(r"(版权所有|copyright|©|all rights reserved)", re.I)
_BYLINE = re.compile(r"(?:(?<![\u4e00-\u9fff])(?:作者|撰文|文)|记者)\s*[:：/｜|]?\s*(?P<v>[\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])")
# An <h1> that is a headline is longer than a logo or a section name (新闻中心).
_MIN_TITLE = 6
_TITLE_SEP = re.compile(r"\s*[_|｜—–-]\s*")


@dataclass
class Page:
    """What a news page holds: article text, which tool produced it, metadata."""

    text: str
    extractor: str
    title: Optional[str] = None
    published: Optional[DateClue] = None
    origin: Optional[str] = None
    author: Optional[str] = None
    url: Optional[str] = None
    notices: list[Notice] = field(default_factory=list)


def read_page(html: str) -> Page:
    """The article and metadata of one HTML page (never raises for bad HTML)."""
    tree = _parse(html)
    # trafilatura changes the tree it reads: it gets a copy, its layout tables unwrapped.
    result, notices = _trafilatura(unwrap_layout_tables(deepcopy(tree)) if tree is not None else html)
    text = trim_chrome(result.text or "") if result is not None else ""
    page = Page(text=text, extractor=TRAFILATURA, notices=notices)
    if not text.strip():
        page.text = trim_chrome(html_to_text(html))
        page.extractor = FALLBACK
        page.notices.append(Notice(code="html_fallback",
                                   message="trafilatura found no article text; the project's reducer produced it"))
    if tree is not None:
        _read_metadata(page, tree, html)
    return page


def _parse(html: str):
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as err:  # empty or unparsable document
        log.debug("lxml could not parse the page: %s", err)
        return None


def unwrap_layout_tables(tree):
    """Layout tables (a cell that holds paragraphs, blocks or a long text: the
    frame of many government sites) become plain blocks, so that trafilatura
    reads their article as paragraphs and not as one table cell. Data tables
    (short cells) stay tables."""
    for table in list(tree.iter("table")):
        cells = table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th")
        if any(_holds_blocks(cell) for cell in cells):
            for el in [table, *table.xpath("./tr|./*|./*/tr"), *cells]:
                el.tag = "div"
    return tree


def _holds_blocks(cell) -> bool:
    return bool(cell.xpath("./p|./div|./table|./ul|./h1|./h2|./h3")) or len(cell.text_content().strip()) > _LONG_CELL


def _trafilatura(html):
    """trafilatura's extraction (None when it finds nothing), and a notice when it fails."""
    from trafilatura import bare_extraction

    try:
        return bare_extraction(html, **TRAFILATURA_OPTIONS), []
    except Exception as err:  # a library failure must fall back, not stop the document
        log.debug("trafilatura failed: %s", err)
        return None, [Notice(code="html_extractor_failed", message=f"trafilatura failed ({type(err).__name__}: {err})")]


def _read_metadata(page: Page, tree, html: str) -> None:
    page.url = page_url(tree, html)
    lines = visible_lines(tree)
    candidates = _title_candidates(tree)
    headline = _headline(lines, candidates)
    head = head_lines(lines, headline[0]) if headline else []
    page.title = headline[1] if headline else next(iter(candidates), None)
    last = page.text.rstrip().rsplit("\n", 1)[-1]
    tail = tail_lines(lines, last, after=headline[0] if headline else 0)
    clues = page_clues(tree, head=head, tail=tail, url=page.url)
    page.published = best_clue(clues) or best_clue(_htmldate_clue(tree, page.url))
    page.origin = _origin(head, tree)
    page.author = next((m["v"] for line in head if (m := _BYLINE.search(line))), None)


def _htmldate_clue(tree, url: Optional[str]) -> list[DateClue]:
    """htmldate's reading, for a page that names no date of its own."""
    from htmldate import find_date

    try:
        value = find_date(tree, url=url, original_date=True, extensive_search=True)
    except Exception as err:  # a library failure leaves the date unknown
        log.debug("htmldate failed: %s", err)
        return []
    parsed = parse_value(value) if value else None
    return [DateClue(parsed, "htmldate", rules().conf["htmldate"], value)] if parsed else []


def _title_candidates(tree) -> list[str]:
    """og:title, the <h1>s, the <title> and its first part."""
    heads = [h.text_content().strip() for h in tree.iter("h1")]
    titles = [t.text_content().strip() for t in tree.iter("title")][:1]
    parts = [_TITLE_SEP.split(t)[0] for t in titles]
    og = _meta(tree, ("og:title",))
    heads = [h for h in heads if len(h) >= _MIN_TITLE]
    return [t for t in [og, *heads, *titles, *parts] if t]


def _headline(lines: list[str], candidates: list[str]) -> Optional[tuple[int, str]]:
    """The title a reader sees first: the candidate whose line comes first
    (titles of related articles further down do not win)."""
    found = [(i, line) for t in candidates if (i := title_line(lines, t)) is not None for line in [lines[i]]]
    return min(found) if found else None


def _origin(head: list[str], tree) -> Optional[str]:
    from pipeline.header import read_header
    from pipeline.normalize import normalize

    if head and (origin := read_header(normalize("\n".join(head)).text, head_lines=0).origin):
        return origin
    named = _meta(tree, _ORIGIN_META) or _meta(tree, _SITE_META)
    return _site_name(named) if named else None


def _meta(tree, names: tuple[str, ...]) -> Optional[str]:
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key in names and (el.get("content") or "").strip():
            return el.get("content").strip()
    return None


def _site_name(name: str) -> Optional[str]:
    """A site name without a copyright notice (网易版权所有 -> 网易)."""
    return _COPYRIGHT.sub("", name).strip(" -_|·") or None


def page_url(tree, html: str) -> Optional[str]:
    """The page's address: canonical link, og:url, or a browser's saved-from mark."""
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").startswith("http"):
            return el.get("href").strip()
    if (url := _meta(tree, ("og:url",))) and url.startswith("http"):
        return url
    m = _SAVED_FROM.match(html[:2000])
    return m.group(1) if m else None
