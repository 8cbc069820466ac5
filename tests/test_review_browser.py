"""The review page in a real browser: Debian's chromium, headless, driven by
Playwright for Python (never `playwright install`: .ci/run installs chromium
with apt when it is missing).

`zhnews review` runs as a subprocess on a free loopback port; the test opens
a document, accepts a fact with the keyboard, corrects another in the form,
adds a missing one by selecting its words, reloads and finds all three with
their history, and opens an article full of markup whose scripts must not
run. Screenshots go to tmp/artifacts/review/ (not committed; ZHNEWS_ARTIFACTS
moves them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

import pipeline.kb
from review_docs import MISSING_PERSON, NINGHAI_ID, SCRIPT_ID, SCRIPT_TEXT, ninghai, script_article

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ZHNEWS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("ZHNEWS_ARTIFACTS", ROOT / "tmp" / "artifacts")) / "review"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
REVIEWER = "王编辑"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no chromium binary at {CHROMIUM} "
                                "(Debian: apt-get install -y chromium; .ci/run does it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`zhnews review` on a free loopback port, over a knowledge base of the two
    hand-made documents; stopped at the end."""
    db = tmp_path_factory.mktemp("review") / "kb.sqlite"
    with pipeline.kb.open(db, write=True) as kb:
        kb.load([ninghai(), script_article()])
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "review", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, proc)
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_for(base: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"zhnews review exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            if httpx.get(base + "/api/session", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("zhnews review did not answer within a minute")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def fact(page, fact_id: str):
    return page.locator(f'#fact-list li.fact[data-fact-id="{fact_id}"]')


def wait_for(page, locator) -> None:
    """Wait for `locator`; on a time-out say what the page said (the form's error, the last message)."""
    try:
        locator.wait_for(timeout=30_000)
    except sync_api.TimeoutError:
        said = page.evaluate("[document.getElementById('editor-error').textContent,"
                             " document.getElementById('toast').textContent]")
        raise AssertionError(f"{locator} never appeared; the page said {said}") from None


def select_words(page, words: str) -> None:
    """Select `words` in the article as a reader would with the mouse."""
    page.evaluate("""words => {
        const article = document.getElementById("article");
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at >= 0) {
                window.getSelection().setBaseAndExtent(node, at, node, at + words.length);
                return;
            }
        }
        throw new Error("not in the article: " + words);
    }""", words)


def test_an_editor_accepts_corrects_and_adds_and_finds_it_all_after_a_reload(server, page):
    base, db = server
    page.goto(base + "/")
    shot(page, "1-overview")
    page.get_by_role("link", name="宁海县召开新的社会阶层人士统战工作推进会").click()
    page.wait_for_selector("#article")
    article = page.locator("#article")
    assert "寧海縣召開新的社會階層人士統戰工作推進會" in article.inner_text()  # traditional stays traditional
    page.fill("#reviewer", REVIEWER)

    # accept with the keyboard: j selects the first fact (the lowest confidence), a accepts it
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    first = page.locator("#fact-list li.fact.selected")
    first_id = first.get_attribute("data-fact-id")
    assert first_id.startswith("counts:") and "近80人" in first.inner_text()
    assert page.locator("#article .hl.sel").inner_text() == "近80人"  # the list selects the text
    page.keyboard.press("a")
    wait_for(page, fact(page, first_id).and_(page.locator(".s-accepted")))

    # correct the meeting's date: click its words in the article, e then the form
    page.locator("#article .hl.t-meetings").first.click()
    meeting = page.locator("#fact-list li.fact.selected")
    meeting_id = meeting.get_attribute("data-fact-id")
    assert meeting_id.startswith("meetings:")                         # the text selects the list
    page.keyboard.press("e")
    page.fill("#editor input[name=date]", "2024-07-27")
    shot(page, "2-correcting")
    page.keyboard.press("Enter")
    wait_for(page, fact(page, meeting_id).and_(page.locator(".s-corrected")))

    # add the person the extractor missed: select his name, + figure, give his title
    select_words(page, MISSING_PERSON)
    page.locator("#adder-choice").wait_for()
    assert page.locator("#adder-text").inner_text() == MISSING_PERSON
    page.click("button[data-add=figures]")
    page.fill("#editor input[name=titles]", "县民政局局长")
    page.click("#editor-save")
    added = page.locator("#fact-list li.fact.s-added")
    wait_for(page, added)
    assert "陈思远 — 县民政局局长" in added.inner_text()  # the name in simplified script, as records are
    shot(page, "3-decided")

    page.reload()
    page.wait_for_selector("#article")
    assert page.input_value("#reviewer") == REVIEWER  # remembered
    history = {fid: fact(page, fid).locator("ol.history").inner_text() for fid in (first_id, meeting_id)}
    assert f"{REVIEWER} · accepted" in history[first_id]
    assert f"{REVIEWER} · corrected date: 07-27 (year unknown) → 2024-07-27" in history[meeting_id]
    assert "2024-07-27" in fact(page, meeting_id).locator(".summary").inner_text()
    assert "07-27 (year unknown)" in fact(page, meeting_id).locator(".was").inner_text()  # what the extractor read
    added = page.locator("#fact-list li.fact.s-added")
    assert f"{REVIEWER} · added" in added.locator("ol.history").inner_text()
    added_id = added.get_attribute("data-fact-id")
    start = ninghai().text.index(MISSING_PERSON)
    assert added_id == f"figures:{NINGHAI_ID}:{start}-{start + len(MISSING_PERSON)}"
    assert page.locator(f"#article .hl.t-figures >> text={MISSING_PERSON}").count() == 1  # now highlighted
    page.keyboard.press("?")
    page.locator("#help").wait_for()
    shot(page, "4-help")
    page.keyboard.press("Escape")

    with pipeline.kb.open(db) as kb:  # the knowledge base holds the same
        status = dict(kb.conn.execute("SELECT fact_id, status FROM facts WHERE status != 'unreviewed'"))
        decisions = kb.conn.execute("SELECT reviewer, decision, field FROM reviews ORDER BY review_id").fetchall()
    assert status == {first_id: "accepted", meeting_id: "corrected", added_id: "added"}
    assert decisions == [(REVIEWER, "accept", None), (REVIEWER, "correct", "date"), (REVIEWER, "add", None)]


def test_an_article_holding_scripts_shows_them_as_text_and_runs_none(server, page):
    base, _ = server
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/documents/" + quote(SCRIPT_ID))
    page.wait_for_selector("#article")
    assert page.locator("#article").text_content() == SCRIPT_TEXT
    assert page.locator("h1").inner_text().startswith("<script>")
    assert page.locator("#article .hl.t-brands").inner_text() == "<script>"
    page.locator("#article .hl.t-brands").click()  # a fact on the markup itself is selectable like any other
    assert "<script>" in page.locator("#fact-list li.fact.selected").inner_text()
    shot(page, "5-script-article")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article script, #article img, #article b").count() == 0
    assert page.locator("a[href^=javascript]").count() == 0
    assert dialogs == []
