"""The review server without a browser (FastAPI's TestClient): pages, the JSON
API, the one error shape, and what guards the knowledge base (host, access
token, session token, body size, escaping, file paths)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import lxml.html
import pytest
import uvicorn
from fastapi.testclient import TestClient

import pipeline.kb
from pipeline.cli import main
from pipeline.review import Settings, create_app
from pipeline.review.security import SESSION_COOKIE
from review_docs import MISSING_PERSON, NINGHAI_ID, NINGHAI_TEXT, SCRIPT_ID, SCRIPT_TEXT, ninghai, script_article

BASE = "http://127.0.0.1"
TOKEN = "s3cret-token-for-tests-0123"
HTML = {"accept": "text/html"}


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "kb.sqlite"
    with pipeline.kb.open(path, write=True) as kb:
        kb.load([ninghai(), script_article()])
    return path


def client(db: Path, **settings) -> TestClient:
    return TestClient(create_app(Settings(db=db, ner=False, **settings)), base_url=BASE,
                      raise_server_exceptions=False)


@pytest.fixture
def web(db) -> TestClient:
    return client(db)


def csrf(web: TestClient) -> dict:
    return {"x-csrf-token": web.get("/api/session").json()["csrf_token"]}


def first_fact(web: TestClient, kind: str) -> dict:
    return next(f for f in web.get(f"/api/documents/{NINGHAI_ID}").json()["facts"] if f["type"] == kind)


def state(db: Path) -> tuple:
    """Everything a decision could change."""
    with pipeline.kb.open(db) as kb:
        return (kb.conn.execute("SELECT * FROM reviews").fetchall(),
                kb.conn.execute("SELECT fact_id, status FROM facts ORDER BY fact_id").fetchall())


def assert_error(response, status: int, code: str) -> dict:
    body = response.json()
    assert response.status_code == status and body["status"] == status and body["code"] == code
    assert body["ok"] is False and body["message"] and isinstance(body["details"], list)
    return body


# --- pages ------------------------------------------------------------------------------

def test_the_overview_lists_documents_with_a_dashboard(web):
    page = web.get("/", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "宁海县召开新的社会阶层人士统战工作推进会" in html and html.count("<svg") >= 5  # 3 charts, 2 progress bars
    assert "Meetings per month" in html and "2024-07" in html and "宁海县" in html
    assert "6 to review" in html


@pytest.mark.parametrize("query, shown, hidden", [
    ("?type=meetings", "宁海县召开", "标題"),
    ("?region=岔路镇", "宁海县召开", "标題"),
    ("?q=同心驛站", "宁海县召开", "标題"),
    ("?since=2025", "No document matches", "宁海县召开"),
    ("?region=火星", "no region", "宁海县召开"),
])
def test_the_overview_filters(web, query, shown, hidden):
    html = web.get("/" + query, headers=HTML).text
    assert shown in html and hidden not in html


def article(html: str):
    return lxml.html.fromstring(html).get_element_by_id("article")


def test_the_document_page_shows_the_original_text_highlighted(web):
    html = web.get(f"/documents/{NINGHAI_ID}", headers=HTML).text
    text = article(html)
    assert text.text_content() == NINGHAI_TEXT  # traditional stays traditional, every character in place
    marks = {(el.get("class"), el.text_content()) for el in text.xpath(".//span[@data-facts]")}
    assert {("hl t-regions", "寧海縣"), ("hl t-counts", "近80人"), ("hl t-figures", "周文華"),
            ("hl t-regions u-meetings", "寧海縣")} <= marks  # a region inside the meeting's name
    for el in text.xpath(".//span"):  # every piece knows its offset in the original text
        start = int(el.get("data-start"))
        assert NINGHAI_TEXT[start:start + len(el.text_content())] == el.text_content()
    assert html.index("近80人 → 80 人") < html.index("宁海县 · code 330226")  # low confidence first


def test_article_markup_is_escaped_everywhere(web):
    html = web.get(f"/documents/{SCRIPT_ID}", headers=HTML).text
    text = article(html)
    assert text.text_content() == SCRIPT_TEXT and not text.xpath(".//script | .//img | .//b")
    assert "<script>window" not in html and "<img src=x" not in html and "<b>寧海縣" not in html
    assert "&lt;script&gt;window.__pwned = 3" in html  # the title
    assert 'href="javascript' not in html
    assert web.get(f"/documents/{SCRIPT_ID}").headers["content-security-policy"].startswith("default-src 'self'")
    assert "<script>window" not in web.get("/", headers=HTML).text


def test_a_document_id_with_a_slash_has_its_page(db):
    with pipeline.kb.open(db, write=True) as kb:
        kb.load([ninghai().model_copy(update={"doc_id": "a/b c"})])
    web = client(db)
    assert web.get("/documents/" + quote("a/b c", safe=""), headers=HTML).status_code == 200
    assert web.get("/api/documents/" + quote("a/b c", safe="")).json()["doc_id"] == "a/b c"


# --- the API ----------------------------------------------------------------------------

def test_get_documents_with_filters(web):
    body = web.get("/api/documents", params={"type": "brands", "status": "pending", "limit": 1}).json()
    assert body["total"] == 2 and len(body["documents"]) == 1 and body["documents"][0]["doc_id"] == NINGHAI_ID
    assert body["documents"][0]["unreviewed"] == 6


def test_get_one_document_gives_text_and_facts_lowest_confidence_first(web):
    body = web.get(f"/api/documents/{NINGHAI_ID}").json()
    assert body["text"] == NINGHAI_TEXT and body["script"] == "traditional"
    confidences = [f["confidence"] for f in body["facts"]]
    assert confidences == sorted(confidences) and len(confidences) == 6
    assert body["facts"][0]["record"]["text"] == "近80人" and body["facts"][0]["history"] == []


def test_post_reviews_accept_correct_and_add(web, db):
    headers = csrf(web)
    count, meeting = first_fact(web, "counts"), first_fact(web, "meetings")
    accepted = web.post("/api/reviews", headers=headers,
                        json={"reviewer": "甲", "decision": "accept", "fact_id": count["fact_id"]})
    assert accepted.status_code == 200 and accepted.json()["fact"]["status"] == "accepted"
    corrected = web.post("/api/reviews", headers=headers, json={
        "reviewer": "甲", "decision": "correct", "fact_id": meeting["fact_id"], "changes": {"location": "330200"}})
    assert corrected.json()["fact"]["record"]["location"] == {"name": "宁波市", "code": "330200"}
    start = NINGHAI_TEXT.index(MISSING_PERSON)
    added = web.post("/api/reviews", headers=headers, json={
        "reviewer": "甲", "decision": "add", "doc_id": NINGHAI_ID, "type": "figures", "start": start,
        "end": start + 3, "changes": {"titles": "县民政局局长"}})
    assert added.status_code == 200 and added.json()["fact"]["record"]["name"] == "陈思远"
    history = [h["decision"] for f in web.get(f"/api/documents/{NINGHAI_ID}").json()["facts"] for h in f["history"]]
    assert sorted(history) == ["accept", "add", "correct"]
    assert len(state(db)[0]) == 3


@pytest.mark.parametrize("body, status, code", [
    ({"decision": "accept", "fact_id": "x"}, 422, "invalid_request"),                      # no reviewer
    ({"reviewer": "甲", "decision": "maybe", "fact_id": "x"}, 422, "invalid_request"),
    ({"reviewer": "甲", "decision": "accept"}, 422, "invalid_request"),                     # no fact_id
    ({"reviewer": "甲", "decision": "add", "doc_id": NINGHAI_ID}, 422, "invalid_request"),  # no type, span
    ({"reviewer": "甲", "decision": "accept", "fact_id": "x", "path": "/etc"}, 422, "invalid_request"),
    ({"reviewer": "甲", "decision": "accept", "fact_id": "counts:nothing:0-1"}, 404, "fact_not_found"),
    ({"reviewer": "甲", "decision": "correct", "fact_id": "COUNT", "changes": {"value": "八十"}}, 422, "invalid_review"),
    ({"reviewer": "甲", "decision": "add", "doc_id": NINGHAI_ID, "type": "counts", "start": 43, "end": 47},
     409, "fact_exists"),
    ({"reviewer": "甲", "decision": "add", "doc_id": "nothing", "type": "counts", "start": 0, "end": 1},
     404, "document_not_found"),
], ids=["no reviewer", "unknown decision", "no fact", "add without span", "unknown field", "unknown fact",
        "bad value", "fact exists", "unknown document"])
def test_a_refused_decision_has_the_error_shape_and_changes_nothing(web, db, body, status, code):
    if body.get("fact_id") == "COUNT":
        body = {**body, "fact_id": first_fact(web, "counts")["fact_id"]}
    if body.get("start") == 43:
        body = {**body, "start": NINGHAI_TEXT.index("近80人"), "end": NINGHAI_TEXT.index("近80人") + 4}
    before = state(db)
    assert_error(web.post("/api/reviews", headers=csrf(web), json=body), status, code)
    assert state(db) == before


def test_a_validation_error_says_where(web):
    body = assert_error(web.post("/api/reviews", headers=csrf(web), json={"decision": "accept", "fact_id": "x"}),
                        422, "invalid_request")
    assert body["message"].startswith("reviewer: ") and body["details"][0]["loc"] == ["body", "reviewer"]


def test_post_extract_gives_the_document_record(web, db):
    before = state(db)
    response = web.post("/api/extract", headers=csrf(web), json={"text": "5月17日，中央统战部在成都召开座谈会，近80人参会。"})
    assert response.status_code == 200
    record = pipeline.Document.model_validate(response.json())
    assert [r.name for r in record.regions] == ["成都市"] and [c.value for c in record.counts] == [80]
    assert state(db) == before  # nothing stored
    assert_error(web.post("/api/extract", headers=csrf(web), json={"text": ""}), 422, "invalid_request")


def test_the_openapi_schema_documents_the_api_and_its_error_shape(web):
    schema = web.get("/api/openapi.json").json()
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/reviews", "/api/extract"} <= set(schema["paths"])
    responses = schema["paths"]["/api/reviews"]["post"]["responses"]
    for status in ("403", "404", "413", "422", "500"):
        assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "ErrorBody" in schema["components"]["schemas"]


# --- one error shape --------------------------------------------------------------------

def test_unknown_pages_and_methods_have_the_error_shape(web):
    assert_error(web.get("/api/nothing"), 404, "not_found")
    assert_error(web.get("/api/documents/nothing"), 404, "document_not_found")
    assert_error(web.put("/api/reviews", headers=csrf(web), json={}), 405, "method_not_allowed")
    page = web.get("/documents/nothing", headers=HTML)
    assert page.status_code == 404 and "document_not_found" in page.text and "<h1>" in page.text


def test_a_crash_is_a_500_in_the_error_shape(web, monkeypatch):
    import pipeline.review.api as api

    def broken(conn, doc_id):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(api, "document_detail", broken)
    body = assert_error(web.get(f"/api/documents/{NINGHAI_ID}"), 500, "server_error")
    assert "disk on fire" not in body["message"] and "RuntimeError" in body["message"]


# --- what guards the knowledge base ----------------------------------------------------

@pytest.mark.parametrize("headers", [
    {},
    {"x-csrf-token": "0" * 64},
    {"origin": "http://evil.example"},
    {"sec-fetch-site": "cross-site"},
], ids=["no token", "wrong token", "other origin", "cross-site"])
def test_a_post_without_the_session_token_is_refused_and_changes_nothing(web, db, headers):
    fact_id = first_fact(web, "counts")["fact_id"]
    web.get("/")  # the browser has a session cookie, as a page from another site would make it send
    if "origin" in headers or "sec-fetch-site" in headers:
        headers = {**headers, **csrf(web)}  # even with the right token
    before = state(db)
    response = web.post("/api/reviews", headers=headers, json={"reviewer": "甲", "decision": "accept",
                                                                "fact_id": fact_id})
    assert_error(response, 403, "csrf")
    assert state(db) == before


def test_the_session_token_belongs_to_its_session(web, db):
    token = csrf(web)
    other = client(db)
    other.get("/")
    fact_id = first_fact(web, "counts")["fact_id"]
    assert_error(other.post("/api/reviews", headers=token, json={"reviewer": "甲", "decision": "accept",
                                                                  "fact_id": fact_id}), 403, "csrf")


def test_session_cookies_are_http_only_and_same_site(web):
    cookie = web.get("/").headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE) and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_request_to_another_host_name_is_refused(web):
    assert_error(web.get("/api/documents", headers={"host": "evil.example:8000"}), 403, "forbidden")
    assert web.get("/api/documents", headers={"host": "localhost:8000"}).status_code == 200


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_refused_with_413(db, chunked):
    web = client(db, max_body=2_000)
    payload = json.dumps({"text": "统战" * 2_000}).encode("utf-8")
    content = iter([payload[:1000], payload[1000:]]) if chunked else payload
    response = web.post("/api/extract", headers={**csrf(web), "content-type": "application/json"}, content=content)
    assert_error(response, 413, "too_large")


def test_with_an_access_token_every_request_needs_it(db):
    web = client(db, token=TOKEN, loopback=False)
    assert_error(web.get("/api/documents"), 403, "forbidden")
    assert_error(web.get("/?token=wrong"), 403, "forbidden")
    entered = web.get(f"/?token={TOKEN}&status=pending", follow_redirects=False)
    assert entered.status_code == 303 and entered.headers["location"] == "/?status=pending"
    assert web.get("/api/documents").status_code == 200  # the cookie now carries it
    tool = client(db, token=TOKEN, loopback=False)
    fact_id = first_fact(web, "counts")["fact_id"]
    decision = {"reviewer": "脚本", "decision": "accept", "fact_id": fact_id}
    assert_error(tool.post("/api/reviews", json=decision, headers={"authorization": "Bearer nope"}), 403, "forbidden")
    assert tool.post("/api/reviews", json=decision, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200


@pytest.mark.parametrize("path", ["/static/review.js", "/static/review.css"])
def test_the_page_files_are_served(web, path):
    assert web.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/static/..%2Fapp.py", "/static/../app.py", "/static/%2e%2e/security.py",
                                  "/static/templates", "/static/"])
def test_no_other_file_is_served(web, path):
    response = web.get(path)
    assert response.status_code == 404 and "import" not in response.text


def test_reviewed_facts_download_as_json_lines_and_csv(web):
    fact_id = first_fact(web, "counts")["fact_id"]
    web.post("/api/reviews", headers=csrf(web), json={"reviewer": "甲", "decision": "reject", "fact_id": fact_id})
    lines = web.get("/export/reviewed.jsonl").text.splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["rejected"]
    table = web.get("/export/reviewed.csv")
    assert table.headers["content-disposition"].endswith('reviewed.csv"')
    assert table.text.splitlines()[0].startswith("fact_id,doc_id,source,type,status,reviewer")
    assert_error(web.get("/export/reviewed.xml"), 422, "invalid_request")


def test_through_a_real_server_every_decision_is_read_back_at_once(db):
    """uvicorn runs endpoints in worker threads (a connection must stay in the
    thread that opened it), and the request after a decision must see it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=db, ner=False)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as web:
            token = {"x-csrf-token": web.get("/api/session").json()["csrf_token"]}
            fact_id = first_fact(web, "counts")["fact_id"]
            for i in range(30):
                decision = ("accept", "reject")[i % 2]
                posted = web.post("/api/reviews", headers=token, json={"reviewer": "甲", "decision": decision,
                                                                       "fact_id": fact_id})
                assert posted.status_code == 200, posted.text
                assert first_fact(web, "counts")["status"] == decision + "ed"
                assert web.get(f"/panel/{NINGHAI_ID}").status_code == 200
    finally:
        server.should_exit = True
        thread.join(10)


# --- the command --------------------------------------------------------------------------

@pytest.mark.parametrize("extra, says", [
    (["--host", "0.0.0.0"], "--token is required"),
    (["--host", "192.168.1.5"], "--token is required"),
    (["--token", "short"], "at least 16 characters"),
], ids=["all addresses", "a LAN address", "short token"])
def test_review_refuses_to_serve_unguarded(db, capsys, monkeypatch, extra, says):
    monkeypatch.delenv("ZHNEWS_REVIEW_TOKEN", raising=False)
    assert main(["review", "--db", str(db), *extra]) == 2
    assert says in capsys.readouterr().err


def test_the_other_commands_start_without_loading_the_web_stack():
    code = ("import sys, pipeline.cli; pipeline.cli.build_parser(); "
            "print(sorted(m for m in ('fastapi', 'starlette', 'uvicorn', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_review_needs_a_knowledge_base(tmp_path, capsys):
    assert main(["review", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "no such knowledge base" in capsys.readouterr().err


def test_review_says_when_the_port_is_taken(db, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["review", "--db", str(db), "--port", str(taken.getsockname()[1])]) == 2
    assert "choose another with --port" in capsys.readouterr().err


@pytest.mark.parametrize("value, shown", [
    ("--07-27", "07-27 (year unknown)"),   # the schema's date without a year
    ("--07", "07 (year unknown)"),
    ("--07-11T09:00", "07-11 09:00 (year unknown)"),
    ("2024-07-27", "2024-07-27"),
    ("--", "--"),
    (None, "—"),
    (["主任", "书记"], "主任、书记"),
    ({"name": "宁海县", "code": "330226"}, "宁海县 330226"),
])
def test_values_are_shown_as_an_editor_reads_them(value, shown):
    from pipeline.review.views import show

    assert show(value) == shown
