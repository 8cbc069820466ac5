"""One error shape for every failure of the review server.

    {"ok": false, "status": 404, "code": "document_not_found", "message": "...", "details": []}

JSON for the API, the exports and any client that does not ask for HTML; a
page with the same four fields for a browser asking for a page. Codes come
from pipeline.errors.Codes.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

from pipeline.errors import Codes, KnowledgeBaseError, ReviewError

log = logging.getLogger(__name__)

STATUS_OF = {Codes.NOT_FOUND: 404, Codes.FACT_NOT_FOUND: 404, Codes.DOC_NOT_FOUND: 404, Codes.FACT_EXISTS: 409,
             Codes.INVALID_REVIEW: 422, Codes.INVALID_REQUEST: 422}
HTTP_CODES = {404: Codes.NOT_FOUND, 405: Codes.METHOD_NOT_ALLOWED, 403: Codes.FORBIDDEN, 413: Codes.TOO_LARGE,
              422: Codes.INVALID_REQUEST}


class ErrorBody(BaseModel):
    """Every failure: its HTTP status, a code from pipeline.errors.Codes, a
    message saying what was wrong and what was expected, and for a request
    that does not fit the schema, where (details)."""

    ok: bool = False
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []


ERROR_RESPONSES: dict = {status: {"model": ErrorBody, "description": text} for status, text in (
    (403, "no access token, no session token, or a request from another site"),
    (404, "no such document, fact or page"),
    (409, "a fact of this type already holds this text (correct it instead)"),
    (413, "the request body is larger than the server accepts"),
    (422, "the request does not fit the schema, or the decision cannot be taken"),
    (500, "the server failed (logged)"),
    (503, "the knowledge base cannot be used as asked (read-only file or folder, full disk)"),
)}


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api/", "/export/")) and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, code: str, message: str,
                   details: Optional[list] = None) -> Response:
    body = ErrorBody(status=status, code=code, message=message, details=details or [])
    if wants_html(request):
        from pipeline.review.pages import render

        return HTMLResponse(render("error.html", request, error=body), status_code=status)
    return JSONResponse(body.model_dump(), status_code=status)


def install(app: FastAPI) -> None:
    """Send every failure in the one shape."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, Codes.INVALID_REQUEST)
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                   for e in exc.errors()]
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "request"
        return error_response(request, 422, Codes.INVALID_REQUEST, f"{where}: {first['msg']}", details)

    @app.exception_handler(ReviewError)
    async def refused(request: Request, exc: ReviewError) -> Response:
        return error_response(request, STATUS_OF.get(exc.code, 422), exc.code, exc.message)

    @app.exception_handler(KnowledgeBaseError)
    async def kb_error(request: Request, exc: KnowledgeBaseError) -> Response:
        return error_response(request, 503, exc.code, exc.message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("review server: %s %s failed", request.method, request.url.path)
        return error_response(request, 500, Codes.SERVER_ERROR,
                              f"the server failed on {request.method} {request.url.path}: "
                              f"{type(exc).__name__} (the server's log has the details)")
