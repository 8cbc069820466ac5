"""Measure the HTML ingest on real news pages and on the golden skeletons.

    python scripts/measure_web_pages.py                 # zhnews vs plain trafilatura vs the fallback reducer
    python scripts/measure_web_pages.py --settings      # trafilatura settings side by side (text only)
    python scripts/measure_web_pages.py --pages DIR     # another folder of pages with the same README table

For each page: is the publication date right (the README table of
../shared/web_pages), is the article body kept, is the page chrome left out.
The article of a real page is the element that holds it on that site
(REFERENCE below, found by reading the pages): the body is kept when the
text holds >= 90% of the characters of its sentences; chrome is left out
when the text is at most 1.5x the article and does not open with the
portal's navigation words. The skeletons (tests/golden/html) say what they
hold in their expected.json. tests/test_web_pages.py imports this module.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.corpus_context import find_shared  # noqa: E402

SKELETONS = REPO / "tests" / "golden" / "html"
# The element holding the article on each site of ../shared/web_pages (by page name, else site prefix).
REFERENCE = {
    "163_9": '//div[@id="content"]',
    "163": '//div[@id="endText"]',
    "baijiahao": '//div[@class="article-content"]',
    "cjn": '//div[@class="TRS_Editor"]',
    "csdn": '//div[contains(@class, "news_content")]',
    "hexun": '//div[@class="art_contextBox"]',
    "sina": '//div[@id="artibody" or @id="article"]',
    "thepaper": '//div[@class="news_txt"]',
}
# A portal's navigation words: an article that opens with three of them opens with the menu.
NAV_WORDS = frozenset(
    "首页 新闻 国内 国际 社会 体育 娱乐 财经 股票 基金 科技 数码 手机 军事 汽车 房产 时尚 女人 "
    "健康 教育 旅游 游戏 图片 视频 推荐 直播 登录 注册 专题 评论 博客 微博 本地".split()
)
MAX_RATIO = 1.5
MIN_KEPT = 0.9
_SENTENCES = re.compile(r"[^。！？!?\n\u3000]{10,}[。！？!?]")


@dataclass
class Verdict:
    date_right: bool
    body_share: float
    ratio: float
    opens_with_menu: bool

    @property
    def body_kept(self) -> bool:
        return self.body_share >= MIN_KEPT

    @property
    def chrome_out(self) -> bool:
        return self.ratio <= MAX_RATIO and not self.opens_with_menu


def pages_folder(given: Optional[str] = None) -> Optional[Path]:
    if given:
        return Path(given)
    shared = find_shared()
    folder = shared / "web_pages" if shared else None
    return folder if folder and folder.is_dir() else None


def expected_dates(folder: Path) -> dict[str, list[str]]:
    """page -> accepted publication dates, from the folder's README table."""
    readme = (folder / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", readme, re.M)
    return {name: [d.strip() for d in dates.split(" or ")] for name, dates in rows}


def reference_text(name: str, html: str) -> str:
    """The text of the element that holds the article on the page's site."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    for junk in tree.xpath("//script|//style"):
        junk.drop_tree()
    stem = Path(name).stem
    xpath = REFERENCE.get(stem) or REFERENCE[stem.split("_")[0]]
    return "\n".join(el.text_content() for el in tree.xpath(xpath))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_share(text: str, reference: str) -> float:
    """Share of the reference's sentence characters found in the text."""
    sentences = [_flat(s) for s in _SENTENCES.findall(reference)]
    flat = _flat(text)
    total = sum(map(len, sentences))
    return sum(len(s) for s in sentences if s in flat) / total if total else 1.0


def opens_with_menu(text: str) -> bool:
    words = re.split(r"[\s|/·•>-]+", text.strip()[:80])
    return sum(w in NAV_WORDS for w in words[:10]) >= 3


def judge(text: str, date: Optional[str], reference: str, want: list[str]) -> Verdict:
    return Verdict(
        date_right=bool(date) and date[:10] in want,
        body_share=body_share(text, reference),
        ratio=len(_flat(text)) / max(1, len(_flat(reference))),
        opens_with_menu=opens_with_menu(text),
    )


# ------------------------------------------------------------- the readers compared


def read_zhnews(html: str) -> tuple[str, Optional[str]]:
    """The project's ingest: trafilatura + trimming, pubdate + htmldate."""
    from pipeline.webpage import read_page

    page = read_page(html)
    return page.text, page.published.value if page.published else None


def read_trafilatura(html: str, **options) -> tuple[str, Optional[str]]:
    """trafilatura alone (its text untrimmed, and the date of its metadata pass: htmldate)."""
    from trafilatura import bare_extraction

    from pipeline.webpage import TRAFILATURA_OPTIONS

    doc = bare_extraction(html, **{**TRAFILATURA_OPTIONS, "with_metadata": True, **options})
    return (doc.text or "", doc.date) if doc is not None else ("", None)


def read_fallback(html: str) -> tuple[str, Optional[str]]:
    """The project's stdlib reducer (trimmed) and the text header's date."""
    from pipeline.header import read_header
    from pipeline.htmltext import html_to_text, trim_chrome
    from pipeline.normalize import normalize

    text = trim_chrome(html_to_text(html))
    return text, read_header(normalize(text).text).published_at


READERS: dict[str, Callable[[str], tuple[str, Optional[str]]]] = {
    "zhnews": read_zhnews,
    "trafilatura": read_trafilatura,
    "htmltext": read_fallback,
}
SETTINGS = {
    "default": {"favor_recall": False, "fast": False},
    "favor_precision": {"favor_recall": False, "favor_precision": True, "fast": False},
    "favor_recall": {"fast": False},
    "favor_recall + fast (chosen)": {},
    "favor_precision + fast": {"favor_recall": False, "favor_precision": True},
}


def measure_pages(folder: Path, reader) -> dict[str, Verdict]:
    want = expected_dates(folder)
    out = {}
    for name in sorted(want):
        html = (folder / name).read_bytes().decode("utf-8")
        text, date = reader(html)
        out[name] = judge(text, date, reference_text(name, html), want[name])
    return out


def skeleton_pages() -> dict[str, dict]:
    return json.loads((SKELETONS / "expected.json").read_text(encoding="utf-8"))["pages"]


def measure_skeletons(reader) -> dict[str, Verdict]:
    out = {}
    for name, want in skeleton_pages().items():
        data = (SKELETONS / name).read_bytes()
        text, date = reader(data.decode(want["encoding"]))
        out[name] = Verdict(
            date_right=(date or None) == want["published_at"] or bool(date) and date[:10] == (want["published_at"] or "")[:10],
            body_share=sum(b in text for b in want["body"]) / len(want["body"]),
            ratio=1.0 if not any(c in text for c in want["chrome"]) else 99.0,
            opens_with_menu=False,
        )
    return out


def _timed(reader):
    """The reader, adding up the seconds it takes in `seconds`."""
    import time

    def timed(html):
        start = time.perf_counter()
        try:
            return reader(html)
        finally:
            timed.seconds += time.perf_counter() - start

    timed.seconds = 0.0
    return timed


def _row(label: str, verdicts: dict[str, Verdict]) -> str:
    n = len(verdicts)
    dates = sum(v.date_right for v in verdicts.values())
    body = sum(v.body_kept for v in verdicts.values())
    clean = sum(v.chrome_out for v in verdicts.values())
    misses = [f"{k}({'d' if not v.date_right else ''}{'b' if not v.body_kept else ''}{'c' if not v.chrome_out else ''})"
              for k, v in verdicts.items() if not (v.date_right and v.body_kept and v.chrome_out)]
    return f"| {label} | {dates}/{n} | {body}/{n} | {clean}/{n} | {' '.join(misses) or '-'} |"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="folder of saved pages with a README date table (default ../shared/web_pages)")
    parser.add_argument("--settings", action="store_true", help="compare trafilatura settings instead of the readers")
    args = parser.parse_args(argv)
    folder = pages_folder(args.pages)
    print("| reader | date right | body kept | chrome left out | misses (d date, b body, c chrome) |")
    print("| --- | --- | --- | --- | --- |")
    if args.settings:
        for label, options in SETTINGS.items():
            reader = _timed(lambda h, o=options: read_trafilatura(h, **o))
            if folder:
                print(_row(f"trafilatura {label}, {folder.name}", measure_pages(folder, reader)))
            print(_row(f"trafilatura {label}, skeletons", measure_skeletons(reader)))
            print(f"|  | {reader.seconds:.1f} s in trafilatura | | | |")
        return 0
    for label, reader in READERS.items():
        if folder:
            print(_row(f"{label}, {folder.name}", measure_pages(folder, reader)))
        print(_row(f"{label}, skeletons", measure_skeletons(reader)))
    if folder is None:
        print("(no web_pages folder found: pass --pages or set ZHNEWS_SHARED)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
