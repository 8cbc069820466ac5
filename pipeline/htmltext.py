"""Reduce an HTML page to its article text (stdlib only).

Page chrome (scripts, styles, navigation, headers, footers, forms, asides)
is dropped; block elements become line breaks. When the page has an
<article> element (or an element whose id/class says it is the article
body), only that part is kept. The <title> is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "button", "select", "template", "head"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
          "article", "blockquote", "pre", "dd", "dt", "ul", "ol", "hr", "td"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
_BODY_HINT = re.compile(r"(article|content|正文|main-text|detail|TRS_Editor|art_con|zoom)", re.I)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self._skip_depth = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, starts an article region)
        self._article_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in _VOID:
            if tag in _BLOCK:
                self._emit("\n")
            return
        marks = dict(attrs)
        is_article = tag == "article" or bool(_BODY_HINT.search(f"{marks.get('id', '')} {marks.get('class', '')}"))
        self._stack.append((tag, is_article))
        self._article_depth += is_article
        if tag in _SKIP:
            self._skip_depth += 1
        if tag in _BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _VOID:
            return
        while self._stack:
            name, is_article = self._stack.pop()
            self._article_depth -= is_article
            if name in _SKIP:
                self._skip_depth -= 1
            if name == tag:
                break
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data):
        if not self._in_title and not self._skip_depth:
            self._emit(data)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self._article_depth > 0:
            self.article_parts.append(text)


def _tidy(parts: list[str]) -> str:
    lines = (re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """The article text of an HTML document."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    article = _tidy(collector.article_parts)
    whole = _tidy(collector.parts)
    return article if len(article) >= 0.2 * len(whole) and article else whole


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or "<body" in text[:2000].lower()


# Page chrome at the edges of an extracted article: menus (runs of short
# lines, list items), link lists and page notices after the last paragraph.
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。！？；!?]")
_ITEM = re.compile(r"^\s*[-•·*]\s")
# What may follow the last paragraph and still belong to the article.
_ARTICLE_TAIL = re.compile(
    r"^(?:[(（【\[]|[^，。]{0,4}(?:编辑|来源|作者|记者|原题|原标题|本文来自|转载|供稿|校对|摄影|通讯员|审核|责编|监制))")
_NOTICE = re.compile(r"^[【\[(（]?(?:免责声明|版权声明|特别声明|声明)[】\])）:：]")
_MENU_WORDS = re.compile(r"\s*[|｜/·•]\s*|\s+")
_SHORT = 10
_MENU_RUN = 3
_ISLAND = 50
_TAIL_KEEP = 3


def is_prose(line: str) -> bool:
    """A line that reads as article prose: a sentence of some length."""
    cjk = len(_CJK.findall(line))
    return (cjk >= 12 and bool(_SENTENCE_END.search(line))) or cjk >= 40


def trim_chrome(text: str) -> str:
    """The article without the menus and link lists at its edges."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    lines = lines[_leading_chrome(lines):]
    end = _last_paragraph(lines)
    if end is None:
        return "\n".join(lines)
    return "\n".join(lines[: end + 1 + _article_tail(lines[end + 1:])])


def _leading_chrome(lines: list[str]) -> int:
    """How many first lines are menu: list items, runs of short lines."""
    i = 0
    while i < len(lines):
        run = _short_run(lines, i)
        if _ITEM.match(lines[i]) or is_menu_line(lines[i]):
            i += 1
        elif run >= _MENU_RUN:
            i += run
        else:
            break
    return i


def is_menu_line(line: str) -> bool:
    """A navigation bar on one line: two or more short words, separated by
    bars or spaces (首页 | 新闻 | 国内)."""
    words = [w for w in _MENU_WORDS.split(line.strip()) if w]
    return len(words) >= 2 and all(len(w) <= 4 for w in words) and not _SENTENCE_END.search(line)


def _short_run(lines: list[str], i: int) -> int:
    n = 0
    while i + n < len(lines) and len(lines[i + n]) <= _SHORT and not is_prose(lines[i + n]):
        n += 1
    return n


def _last_paragraph(lines: list[str]) -> int | None:
    """The last prose line of the article: page notices (免责声明) and short
    prose islands inside chrome (a sentence between a share button and a
    link list) do not count."""
    prose = [i for i, line in enumerate(lines) if is_prose(line) and not _NOTICE.match(line)]
    while len(prose) > 1 and _island(lines, prose[-1]):
        prose.pop()
    return prose[-1] if prose else None


def _island(lines: list[str], i: int) -> bool:
    """A short sentence with chrome before and after it."""
    after = [line for line in lines[i + 1:] if not _ARTICLE_TAIL.match(line)]
    return len(lines[i]) < _ISLAND and not is_prose(lines[i - 1]) and bool(after)


def _article_tail(after: list[str]) -> int:
    """How many lines after the last paragraph still belong to the article
    (a short closing sentence, editor, source, credits: at most a few)."""
    n = 0
    while n < min(_TAIL_KEEP, len(after)) and _belongs(after[n]):
        n += 1
    return n


def _belongs(line: str) -> bool:
    ends = bool(_SENTENCE_END.search(line[-1:]))
    return (bool(_ARTICLE_TAIL.match(line)) or ends) and not _NOTICE.match(line)
