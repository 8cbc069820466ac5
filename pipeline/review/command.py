"""`zhnews review`: serve the review page of a knowledge base (uvicorn).

Imports FastAPI and uvicorn only when the command runs, so that the other
commands start as fast as before.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

MIN_TOKEN = 16
TOKEN_ENV = "ZHNEWS_REVIEW_TOKEN"
EXAMPLES = f"""\
examples:
  zhnews review --db kb.sqlite                    # then open http://127.0.0.1:8000/
  zhnews review --db kb.sqlite --port 8080
  zhnews review --db kb.sqlite --host 0.0.0.0 --token "$(python -c 'import secrets; print(secrets.token_urlsafe(24))')"

Bound to anything but 127.0.0.1 / localhost / ::1 the page needs --token (or
{TOKEN_ENV}): the address printed at start carries it once.
"""


def add_review_parser(sub) -> None:
    """Register `zhnews review` on the top-level subparsers."""
    p = sub.add_parser("review", help="serve the editors' review page for a knowledge base",
                       epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Serve the review page: check every fact against the article, accept, "
                       "reject, correct or add facts; decisions go to the knowledge base's reviews table.")
    p.add_argument("--db", type=Path, required=True, metavar="KB.sqlite", help="the knowledge base file")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", help=f"access token, at least {MIN_TOKEN} characters; required unless bound to "
                   f"loopback (default: ${TOKEN_ENV})")
    p.set_defaults(func=cmd_review)


def _fail(message: str) -> int:
    print(f"zhnews review: {message}", file=sys.stderr)
    return 2


def cmd_review(args: argparse.Namespace) -> int:
    import pipeline.kb
    from pipeline.errors import KnowledgeBaseError
    from pipeline.review.security import is_loopback

    token = args.token or os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(args.host)
    if not loopback and not token:
        return _fail(f"--token is required when binding to {args.host} (anything but 127.0.0.1, localhost or ::1): "
                     "everyone who can reach the address could otherwise read and change the knowledge base")
    if token is not None and len(token) < MIN_TOKEN:
        return _fail(f"--token: at least {MIN_TOKEN} characters (python -c 'import secrets; "
                     "print(secrets.token_urlsafe(24))' makes one)")
    try:
        pipeline.kb.open(args.db).close()
    except KnowledgeBaseError as err:
        return _fail(err.message)
    problem = _port_problem(args.host, args.port)
    if problem:
        return _fail(problem)
    return serve(args.db, args.host, args.port, token, loopback)


def _port_problem(host: str, port: int) -> str | None:
    try:
        with socket.create_server((host.strip("[]"), port), family=_family(host)):
            return None
    except OSError as err:
        return f"cannot listen on {host}:{port} ({err.strerror}): choose another with --port"


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def serve(db: Path, host: str, port: int, token: str | None, loopback: bool) -> int:
    import uvicorn

    from pipeline.review import Settings, create_app

    app = create_app(Settings(db=db, token=token, loopback=loopback))
    shown = f"[{host}]" if ":" in host else host
    print(f"zhnews review: {db} at http://{shown}:{port}/{'?token=' + token if token else ''} (Ctrl+C stops)",
          file=sys.stderr)
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning", server_header=False,
                proxy_headers=False)
    return 0
