"""Reduce an HTML page to its article text (stdlib only).

Page chrome (scripts, styles, navigation, headers, footers, forms, asides)
is dropped; block elements become line breaks. When the page has an
<article> element (or an element whose id/class says it is the article
body), only that part is kept. The <title> is returned separately.
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
        self.title = ""
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
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self._emit(data)

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        if self._article_depth > 0:
            self.article_parts.append(text)


def _tidy(parts: list[str]) -> str:
    lines = (re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> tuple[str, str]:
    """(article text, page title) of an HTML document."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    article = _tidy(collector.article_parts)
    whole = _tidy(collector.parts)
    text = article if len(article) >= 0.2 * len(whole) and article else whole
    return text, re.sub(r"\s+", " ", collector.title).strip()


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or "<body" in text[:2000].lower()
