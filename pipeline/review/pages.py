"""The server-rendered pages: Jinja2 templates with autoescaping on, so that
article text, titles and every other value from the knowledge base reach the
browser as text, never as markup (an article holding `<script>` shows it)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from starlette.requests import Request

from pipeline.records import RECORD_TYPES
from pipeline.review.views import SINGULAR

# The page's own files, read once: /static/{name} serves these and nothing else
# (no file path ever comes from a request).
STATIC_TYPES = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("pipeline.review", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["doc_url"] = doc_url
    env.globals.update(RECORD_TYPES=RECORD_TYPES, SINGULAR=SINGULAR, safe_link=safe_link)
    return env


def render(name: str, request: Request, **context: Any) -> str:
    state = request.scope.get("state", {})
    return environment().get_template(name).render(csrf=state.get("csrf", ""), **context)


@lru_cache(maxsize=None)
def static_file(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def doc_url(doc_id: str, prefix: str = "/documents/") -> str:
    """A document's page address: its id escaped, '/' included."""
    return prefix + quote(doc_id, safe="")


def query_url(path: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return path + (f"?{urlencode(kept)}" if kept else "")


def safe_link(url: Any) -> str | None:
    """An http(s) address to link to, or None (a javascript: or data: URL from a
    page never becomes a link)."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
