"""What keeps the review server to its editors.

- Bound to loopback (the default), it answers only requests addressed to
  127.0.0.1, localhost or [::1] (a page elsewhere cannot reach it through a
  DNS name of its own). Bound to anything else it needs an access token
  (`--token`), on every request: the address it prints carries it once
  (`/?token=...`, then a cookie), tools send `Authorization: Bearer ...`.
- Every state-changing request (any POST) needs the session token of the page
  that sends it: the `X-CSRF-Token` header must be the server's HMAC of the
  browser's session cookie (a page from another site can neither read the
  token nor set the header), and an `Origin` other than the server's own is
  refused. A tool gets a session from `GET /api/session`, or sends the
  access token as a bearer token.
- Request bodies are limited (MAX_BODY bytes); more is refused with 413
  before the application reads it.
- Responses forbid inline scripts and framing (Content-Security-Policy).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse

from pipeline.errors import Codes
from pipeline.review.errors import error_response

MAX_BODY = 1_000_000            # bytes: a long article as JSON fits many times over
SESSION_COOKIE = "zhnews_review_session"
TOKEN_COOKIE = "zhnews_review_token"
CSRF_HEADER = "x-csrf-token"
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


@dataclass(frozen=True)
class Settings:
    """One review server: its knowledge base and how it is guarded."""

    db: Path
    token: Optional[str] = None     # the access token; required unless bound to loopback
    loopback: bool = True           # bound to 127.0.0.1 / localhost / ::1
    max_body: int = MAX_BODY
    ner: bool = True                # POST /api/extract runs the NER model
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def csrf(self, session: str) -> str:
        """The session token of a browser session (what pages put in their meta tag)."""
        return hmac.new(self.secret, session.encode("ascii"), hashlib.sha256).hexdigest()


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def _same(a: Optional[str], b: Optional[str]) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class Guard:
    """ASGI middleware: host and access token, session and its token, body size,
    security headers. Refusals come in the one error shape."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            return await error_response(request, *refusal)(scope, receive, self._headers(send, None))
        if self._token_in_query(request):
            return await self._enter(request)(scope, receive, self._headers(send, None))
        session = request.cookies.get(SESSION_COOKIE, "")
        fresh = None if _valid_session(session) else secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf"] = self.settings.csrf(fresh or session)
        if request.method not in SAFE_METHODS:
            body = await self._body(receive)
            if body is None:
                response = error_response(request, 413, Codes.TOO_LARGE, self._too_large())
                return await response(scope, receive, self._headers(send, None))
            receive = _replay(body, receive)
        await self.app(scope, receive, self._headers(send, fresh))

    # -- refusals ----------------------------------------------------------------

    def _refusal(self, request: Request) -> Optional[tuple[int, str, str]]:
        s = self.settings
        host = _host_name(request.headers.get("host", ""))
        if s.loopback and not is_loopback(host):
            return 403, Codes.FORBIDDEN, (f"this server answers requests to 127.0.0.1, localhost or [::1] only, "
                                          f"not to {host or 'no host'!r}")
        if s.token and not self._has_token(request):
            return 403, Codes.FORBIDDEN, ("this server needs its access token: open the address `zhnews review` "
                                          "printed (it ends in ?token=...), or send 'Authorization: Bearer TOKEN'")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > s.max_body:
            return 413, Codes.TOO_LARGE, self._too_large()
        if request.method not in SAFE_METHODS:
            return self._csrf_refusal(request)
        return None

    def _has_token(self, request: Request) -> bool:
        token = self.settings.token
        bearer = request.headers.get("authorization", "")
        return (_same(request.cookies.get(TOKEN_COOKIE), token) or _same(bearer.removeprefix("Bearer "), token)
                or (request.method == "GET" and _same(request.query_params.get("token"), token)))

    def _csrf_refusal(self, request: Request) -> Optional[tuple[int, str, str]]:
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin is not None and origin != own:
            return 403, Codes.CSRF, f"a request from {origin} cannot change this knowledge base"
        if request.headers.get("sec-fetch-site") == "cross-site":
            return 403, Codes.CSRF, "a request from another site cannot change this knowledge base"
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if self.settings.token and _same(bearer, self.settings.token):
            return None  # a tool holding the access token; no browser sends this header by itself
        session = request.cookies.get(SESSION_COOKIE, "")
        if _valid_session(session) and _same(request.headers.get(CSRF_HEADER), self.settings.csrf(session)):
            return None
        return 403, Codes.CSRF, ("this request needs the page's session token (header X-CSRF-Token with the "
                                 "session cookie): reload the page, or get one from GET /api/session")

    def _too_large(self) -> str:
        return f"the request body is larger than {self.settings.max_body:,} bytes"

    # -- entering with ?token= -----------------------------------------------------

    def _token_in_query(self, request: Request) -> bool:
        return bool(self.settings.token) and "token" in request.query_params and request.method == "GET"

    def _enter(self, request: Request) -> RedirectResponse:
        """The same address without the token (so that it stays out of the
        history), with the token in a cookie."""
        query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
        response = RedirectResponse(request.url.path + (f"?{query}" if query else ""), status_code=303)
        response.set_cookie(TOKEN_COOKIE, self.settings.token, httponly=True, samesite="lax")
        return response

    # -- sending -------------------------------------------------------------------

    def _headers(self, send, fresh_session: Optional[str]):
        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if fresh_session:
                    headers.append("set-cookie", f"{SESSION_COOKIE}={fresh_session}; HttpOnly; Path=/; "
                                                 "SameSite=Lax")
            await send(message)
        return sending

    async def _body(self, receive) -> Optional[bytes]:
        """The whole request body, or None past the limit (a chunked body has no
        length to check first): read before the application sees any of it."""
        chunks, seen = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.settings.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive):
    """The body read already, in one message; then the connection's own messages."""
    sent = False

    async def replaying():
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replaying


def _valid_session(value: str) -> bool:
    return 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()
