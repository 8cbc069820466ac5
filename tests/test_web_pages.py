"""The 27 real news pages of ../shared/web_pages, read the way `zhnews
extract` reads them: every publication date right (the folder's README),
the article body kept and no menu text in any article.

The article of each page is the element that holds it on its site
(scripts/measure_web_pages.py REFERENCE); the body is kept when >= 90% of
its sentences are in the text; chrome is left out when the text is at most
1.5x the article and does not open with the portal's navigation words. The
pages are third-party: read from ../shared, never copied; without them the
tests skip and say why.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _measure():
    spec = importlib.util.spec_from_file_location("measure_web_pages", REPO / "scripts" / "measure_web_pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


MEASURE = _measure()
FOLDER = MEASURE.pages_folder()
WANT = MEASURE.expected_dates(FOLDER) if FOLDER else {}
NAMES = sorted(WANT) or [pytest.param("web_pages", marks=pytest.mark.skip(
    reason="../shared/web_pages not found (set ZHNEWS_SHARED to the shared folder)"))]


@pytest.fixture(scope="module")
def documents():
    from pipeline import extract_paths

    docs = list(extract_paths([str(FOLDER)], ner=False))
    return {Path(d.source).name: d for d in docs}


@pytest.fixture(scope="module")
def references():
    return {name: MEASURE.reference_text(name, (FOLDER / name).read_bytes().decode("utf-8")) for name in WANT}


def test_the_folder_holds_the_27_pages():
    if FOLDER is None:
        pytest.skip("../shared/web_pages not found (set ZHNEWS_SHARED to the shared folder)")
    assert len(WANT) == 27


@pytest.mark.parametrize("name", NAMES)
def test_publication_date(name, documents):
    doc = documents[name]
    assert doc.error is None
    assert (doc.published_at or "")[:10] in WANT[name]
    assert doc.published_at_source is not None and doc.published_at_source.confidence >= 0.5


@pytest.mark.parametrize("name", NAMES)
def test_body_kept_and_no_menu_text(name, documents, references):
    doc = documents[name]
    verdict = MEASURE.judge(doc.text, doc.published_at, references[name], WANT[name])
    assert doc.text_extractor == "trafilatura"
    assert verdict.body_share >= MEASURE.MIN_KEPT
    assert not verdict.opens_with_menu
    assert verdict.ratio <= MEASURE.MAX_RATIO


@pytest.mark.parametrize("name", NAMES)
def test_title_is_the_headline(name, documents):
    """The title is one of the page's own headlines, not a logo or a section name."""
    doc = documents[name]
    html = (FOLDER / name).read_bytes().decode("utf-8")
    assert doc.title and len(doc.title) >= 6
    assert doc.title.replace(" ", "")[:6] in html.replace(" ", "")


def test_menu_check_catches_a_portal_menu():
    assert MEASURE.opens_with_menu("新闻\n国内\n国际\n图片\n某地召开会议。")
    assert not MEASURE.opens_with_menu("新闻发布会在国内举行，国际媒体关注。")
