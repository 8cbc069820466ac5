"""The review room's FastAPI application: the pages, the API (api.py), the
exports, the page's own script and style, behind the Guard (security.py).

    from pipeline.review import Settings, create_app
    app = create_app(Settings(db=Path("kb.sqlite")))     # then: uvicorn.run(app, host="127.0.0.1")
"""

from __future__ import annotations

import io

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from pipeline import __version__
from pipeline.errors import Codes, ReviewError
from pipeline.kb import KnowledgeBase
from pipeline.kb.gold import export_reviewed
from pipeline.kb.overview import (STATUS_FILTERS, DocumentList, dashboard, list_documents,
                                  next_to_review)
from pipeline.kb.when import PLAIN_DATE
from pipeline.review import charts, errors
from pipeline.review.api import Filters, reading, router
from pipeline.review.pages import STATIC_TYPES, doc_url, query_url, render, static_file
from pipeline.review.security import Guard, Settings
from pipeline.review.views import FORM_FIELDS, article_pieces, document_detail, fact_items

PAGE_SIZE = 50
REGIONS_LISTED = 300  # the region filter's choices, most reported first
REGIONS_CHARTED = 10  # the bars of the regions chart
EXPORTS = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="zhnews review", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="The editors' review page of a zhnews knowledge base, and its JSON API. Every "
                              "failure has one shape (ErrorBody). POSTs need the page's session token "
                              "(X-CSRF-Token, see GET /api/session) or the server's access token.")
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(Guard, settings=settings)
    app.include_router(router)
    _pages(app)
    return app


def _pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request, filters: Filters = Depends(),
                 page: int = Query(1, ge=1, le=10_000)) -> HTMLResponse:
        with reading(request) as kb:
            return HTMLResponse(render("overview.html", request, **_overview(kb, filters, page)))

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def document(doc_id: str, request: Request) -> HTMLResponse:
        with reading(request) as kb:
            return HTMLResponse(render("document.html", request, kb_name=kb.path.name,
                                       next=next_to_review(kb.conn, doc_id), **_review(kb, doc_id)))

    @app.get("/panel/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def panel(doc_id: str, request: Request) -> HTMLResponse:
        """The article and the fact list again, after a decision (the page swaps them in)."""
        with reading(request) as kb:
            return HTMLResponse(render("_panel.html", request, **_review(kb, doc_id)))

    @app.get("/export/reviewed.{fmt}", include_in_schema=False)
    def export(fmt: str, request: Request) -> Response:
        if fmt not in EXPORTS:
            raise ReviewError(Codes.INVALID_REQUEST, f"export: reviewed.jsonl or reviewed.csv, not reviewed.{fmt}")
        out = io.StringIO()
        with reading(request) as kb:
            export_reviewed(kb.conn, out, format=fmt)
        name = request.app.state.settings.db.stem
        return Response(out.getvalue(), media_type=EXPORTS[fmt], headers={
            "content-disposition": f'attachment; filename="{name}-reviewed.{fmt}"'})

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_TYPES:
            raise ReviewError(Codes.NOT_FOUND, f"no file {name!r} here")
        return Response(static_file(name), media_type=STATIC_TYPES[name], headers={"cache-control": "no-cache"})


def _overview(kb: KnowledgeBase, filters: Filters, page: int) -> dict:
    message = None
    try:
        found = list_documents(kb.conn, filters.filter(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    except ReviewError as err:  # a region the file does not know: say so on the page
        found, message = DocumentList(total=0, offset=0, limit=PAGE_SIZE, documents=[]), err.message
    board, params = dashboard(kb.conn, regions=REGIONS_LISTED), filters.model_dump()
    return {"kb_name": kb.path.name, "found": found, "filters": params, "message": message, "page": page,
            "pages": max(1, -(-found.total // PAGE_SIZE)), "statuses": tuple(STATUS_FILTERS),
            "date_pattern": PLAIN_DATE, "page_url": lambda n: query_url("/", {**params, "page": n}), "regions": board.regions,
            "charts": [charts.facts_chart(board.facts), charts.months_chart(board.meetings_per_month),
                       charts.regions_chart(board.regions[:REGIONS_CHARTED])]}


def _review(kb: KnowledgeBase, doc_id: str) -> dict:
    detail = document_detail(kb.conn, doc_id)
    return {"doc": detail, "items": fact_items(detail), "pieces": article_pieces(detail),
            "fields": FORM_FIELDS, "panel_url": doc_url(doc_id, "/panel/")}
