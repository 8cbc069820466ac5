"""HTML ingest: the golden skeletons (one per site type and encoding), the
fallback reducer, and the chrome trimming at the edges of an article."""

import json
from pathlib import Path

import pytest

from pipeline import webpage
from pipeline.core import extract_raw
from pipeline.htmltext import is_menu_line, is_prose, trim_chrome
from pipeline.ingest import read_bytes, read_file

SKELETONS = Path(__file__).parent / "golden" / "html"
EXPECTED = json.loads((SKELETONS / "expected.json").read_text(encoding="utf-8"))["pages"]


@pytest.fixture(scope="module")
def documents():
    """Each skeleton read the way `zhnews extract` reads a file (rules only)."""
    out = {}
    for name in EXPECTED:
        raw = read_file(SKELETONS / name)
        out[name] = (raw, extract_raw(raw, nlp=None))
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_skeleton_metadata(name, documents):
    want, (raw, doc) = EXPECTED[name], documents[name]
    assert doc.error is None
    assert raw.encoding == want["encoding"]
    assert doc.published_at == want["published_at"]
    assert doc.published_at_source.method == want["method"]
    for field in ("title", "origin", "author", "url"):
        if field in want:
            assert getattr(doc, field) == want[field], field


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_skeleton_body_kept_and_chrome_left_out(name, documents):
    want, (_, doc) = EXPECTED[name], documents[name]
    assert doc.text_extractor == "trafilatura"
    assert [b for b in want["body"] if b not in doc.text] == []
    assert [c for c in want["chrome"] if c in doc.text] == []


def test_skeletons_cover_the_site_types_and_encodings():
    methods = {w["method"].split(":")[0] for w in EXPECTED.values()}
    assert {"label", "script", "url", "meta", "jsonld", "source_line", "date_line_end"} <= methods
    assert {"utf-8", "gb18030", "big5hkscs", "utf-8-sig", "utf-16"} <= {w["encoding"] for w in EXPECTED.values()}


def test_offsets_point_into_the_extracted_text(documents):
    _, doc = documents["gov_release.html"]
    mentions = [m for r in doc.regions + doc.counts for m in r.mentions]
    assert mentions
    assert all(doc.text[m.start:m.end] == m.text for m in mentions)


def test_fallback_reducer_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr(webpage, "_trafilatura", lambda html: (None, []))
    raw = read_file(SKELETONS / "gov_release.html")
    assert raw.page.extractor == "htmltext"
    assert "5月5日下午，市委统战部召开新的社会阶层人士座谈会" in raw.text
    assert [n.code for n in raw.warnings] == ["html_fallback"]
    assert raw.page.published.value == "2023-05-06T10:20:00"


def test_a_failing_trafilatura_is_reported_and_the_fallback_reads_the_page(monkeypatch):
    def broken(html, **options):
        raise RuntimeError("boom")

    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    raw = read_bytes((SKELETONS / "gbk.html").read_bytes(), "gbk.html", html=True)
    assert raw.error is None and raw.page.extractor == "htmltext"
    assert [n.code for n in raw.warnings] == ["html_extractor_failed", "html_fallback"]


def test_a_page_without_article_text_is_an_error_record():
    raw = read_bytes(b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>",
                     "blank.html", html=True)
    assert raw.error is not None and raw.error.code == "empty"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("首页 | 新闻 | 国内\n- 推荐\n- 娱乐\n正文第一句，讲述一件事情的经过。\n正文第二句，还有更多内容在这里。",
         "正文第一句，讲述一件事情的经过。\n正文第二句，还有更多内容在这里。"),
        ("登录超时\n免注册\n消息\n通知\n据报道，今日某地召开新闻发布会，介绍有关情况。",
         "据报道，今日某地召开新闻发布会，介绍有关情况。"),
        ("据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。\n责任编辑：王明\n热门推荐\n- 另一条新闻的标题",
         "据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。\n责任编辑：王明"),
        ("据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。\n【免责声明】本文仅代表作者本人观点，与本网无关，请读者仅作参考。",
         "据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。"),
        ("据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。\n分享到：\n网友评论仅代表个人看法，不代表本站立场。\n"
         "为您推荐\n- 另一条新闻的标题", "据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。"),
        ("据报道，今日某地召开新闻发布会，介绍有关情况和下一步工作安排。\n会议要求抓好落实。\n（完）", None),
    ],
    ids=["menu-lines", "short-run", "link-list-after-editor", "disclaimer", "prose-island", "short-last-paragraph"],
)
def test_trim_chrome(text, expected):
    assert trim_chrome(text) == (text if expected is None else expected)


def test_trim_keeps_an_article_without_chrome():
    article = "第一段写的是会议的召开，参会人员有二十余人。\n一、总体要求\n第二段写的是会议的要求，要抓好落实。"
    assert trim_chrome(article) == article


@pytest.mark.parametrize(
    "line, menu, prose",
    [("首页 | 新闻 | 国内", True, False), ("市委统战部召开座谈会", False, False),
     ("会议强调，要发挥作用，推动工作落实。", False, True)],
)
def test_line_kinds(line, menu, prose):
    assert (is_menu_line(line), is_prose(line)) == (menu, prose)


def test_a_layout_table_page_keeps_its_paragraphs(documents):
    _, doc = documents["gov_release.html"]
    lines = doc.text.split("\n")
    assert "会议强调，要加强政治引领，搭建实践平台，引导新的社会阶层人士在推动高质量发展中贡献力量。" in lines
    assert "|" not in doc.text


def test_layout_tables_are_unwrapped_and_data_tables_kept():
    import lxml.html

    tree = lxml.html.fromstring(
        "<html><body><table><tr><td><p>正文一段。</p><table><tr><td>项目</td><td>金额</td></tr>"
        "<tr><td>助学金</td><td>20万元</td></tr></table></td></tr></table></body></html>")
    webpage.unwrap_layout_tables(tree)
    assert [t.xpath("count(.//td)") for t in tree.iter("table")] == [4.0]


def test_the_readme_html_example_is_what_extract_gives(documents):
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"gov_release\.html --no-ner.*?```\n(\{.*?)```", readme, re.S).group(1)
    shown = json.loads(block)
    _, doc = documents["gov_release.html"]
    record = json.loads(doc.model_dump_json())
    for field in ("title", "published_at", "published_at_source", "origin", "url", "text_extractor"):
        assert shown[field] == record[field], field
    assert record["text"].startswith(shown["text"].rstrip("…"))
    assert [m["name"] for m in shown["meetings"]] == [m["name"] for m in record["meetings"]]
