"""The fresh held-out gold (corpora/gold/genre_fresh and corpora/gold/genre_fresh2,
articles in corpora/genre_fresh and corpora/genre_fresh2): each file has the format
of ANNOTATION.md, every name, title and count text it gives occurs in its article
(read in simplified script), and every code exists in the gazetteer. The articles
are kept aside for measuring; nothing is tuned on them."""

import json
import re
from pathlib import Path

import opencc
import pytest

from pipeline.gazetteer import gazetteer

ROOT = Path(__file__).resolve().parent.parent
SETS = {"genre_fresh": 16, "genre_fresh2": 14}  # held-out set -> number of articles
GOLD = [path for name in SETS for path in sorted((ROOT / "corpora" / "gold" / name).glob("*.json"))]
TYPES = ("regions", "figures", "brands", "counts", "meetings")
KEYS = {"doc", "published_at", *TYPES, *(f"{t}_optional" for t in TYPES)}
QUALIFIERS = {"exact", "nearly", "about", "more_than", "at_least", "at_most", "less_than"}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MEETING_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?|--\d{2}(-\d{2})?")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
TOWNSHIP_ENDINGS = ("镇", "乡", "街道")
_T2S = opencc.OpenCC("t2s")


def _case(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _article(path: Path) -> Path:
    """The article a gold file annotates: corpora/<set>/<stem>.txt."""
    return ROOT / "corpora" / path.parent.name / f"{path.stem}.txt"


def _gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _simplified(path: Path) -> str:
    """The article as the gold reads it: pinyin annotations (統(tǒng)) dropped,
    traditional script converted, corner quotes unified."""
    text = PINYIN.sub("", path.read_text(encoding="utf-8"))
    return _T2S.convert(text).translate(QUOTES)


def _unquoted(text: str) -> str:
    return re.sub(r"[“”‘’\"']", "", text)


def _items(gold: dict, kind: str) -> list[dict]:
    return gold[kind] + gold[f"{kind}_optional"]


def _township_of(gold: dict, name: str) -> bool:
    """`name` is a township of a county the gold names (an optional region may be
    the township's official name where the article writes 柳江古镇 or 关累港)."""
    codes = {r["code"] for r in gold["regions"]} - {None}
    return any(name in gazetteer().townships(code) for code in codes)


@pytest.mark.parametrize("name", SETS)
def test_every_article_has_gold_and_back(name):
    articles = {p.stem for p in (ROOT / "corpora" / name).glob("*.txt")}
    gold = {p.stem for p in GOLD if p.parent.name == name}
    assert articles == gold
    assert len(gold) == SETS[name]


@pytest.mark.parametrize("path", GOLD, ids=_case)
def test_format(path):
    gold = _gold(path)
    assert set(gold) == KEYS and gold["doc"] == f"{path.stem}.txt"
    assert gold["published_at"] is None or DAY.fullmatch(gold["published_at"])
    for kind in TYPES:
        assert all(isinstance(item, dict) for item in _items(gold, kind)), kind
    for r in _items(gold, "regions"):
        assert set(r) == {"name", "code"} and r["name"], r
    for f in _items(gold, "figures"):
        assert set(f) == {"name", "titles"} and all(isinstance(t, str) and t for t in f["titles"]), f
    for b in _items(gold, "brands"):
        assert set(b) == {"name"} and b["name"], b
    for c in _items(gold, "counts"):
        assert set(c) == {"value", "unit", "qualifier", "text"}, c
        assert isinstance(c["value"], (int, float)) and c["qualifier"] in QUALIFIERS, c
        assert c["unit"] is None or isinstance(c["unit"], str), c
    for m in _items(gold, "meetings"):
        assert set(m) == {"name", "date", "location", "organizer", "participants"}, m
        assert m["date"] is None or MEETING_DATE.fullmatch(m["date"]), m
        assert m["participants"] is None or isinstance(m["participants"], int), m


@pytest.mark.parametrize("path", GOLD, ids=_case)
def test_sets_hold_each_item_once(path):
    gold = _gold(path)
    for kind, key in (("regions", "name"), ("figures", "name"), ("brands", "name")):
        names = [item[key] for item in gold[kind]]
        assert len(names) == len(set(names)), kind
        assert not set(names) & {item[key] for item in gold[f"{kind}_optional"]}, kind
    codes = [r["code"] for r in gold["regions"] if r["code"]]
    assert len(codes) == len(set(codes))


def _written(name: str, text: str) -> bool:
    """A code-less region is written as annotated or, for a foreign country
    annotated by its common name (韩国), in its official full form (大韩民国)."""
    country = gazetteer().foreign_named(name)
    return name in text or (country is not None and bool(country.full_name) and country.full_name in text)


@pytest.mark.parametrize("path", GOLD, ids=_case)
def test_names_and_texts_occur_in_the_article(path):
    gold, text = _gold(path), _simplified(_article(path))
    missing = [r["name"] for r in gold["regions"] if r["code"] is None and not _written(r["name"], text)]
    missing += [r["name"] for r in gold["regions_optional"]
                if r["code"] is None and r["name"] not in text and not _township_of(gold, r["name"])]
    missing += [f["name"] for f in _items(gold, "figures") if f["name"] not in text]
    missing += [t for f in _items(gold, "figures") for t in f["titles"] if t not in text]
    missing += [b["name"] for b in _items(gold, "brands") if _unquoted(b["name"]) not in _unquoted(text)]
    missing += [m["name"] for m in _items(gold, "meetings") if m["name"] not in text]
    missing += [m["organizer"] for m in _items(gold, "meetings") if m["organizer"] and m["organizer"] not in text]
    assert missing == []


@pytest.mark.parametrize("path", GOLD, ids=_case)
def test_count_texts_occur_as_often_as_annotated(path):
    gold, text = _gold(path), _simplified(_article(path))
    texts = [c["text"] for c in gold["counts"]]
    assert [t for t in set(texts) if text.count(t) < texts.count(t)] == []
    assert [c["text"] for c in gold["counts_optional"] if c["text"] not in text] == []


@pytest.mark.parametrize("path", GOLD, ids=_case)
def test_codes_exist_in_the_gazetteer(path):
    gold, gaz = _gold(path), gazetteer()
    for r in _items(gold, "regions"):
        if r["code"] is not None:
            division = gaz.by_code(r["code"])
            assert division is not None and division.name == r["name"], r
    locations = {m["location"] for m in _items(gold, "meetings")} - {None}
    assert all(gaz.by_code(code) for code in locations), locations


@pytest.mark.parametrize("path", GOLD, ids=_case)
def test_places_are_annotated_with_their_county(path):
    """A meeting is held in a region the document's gold names, and a township
    (code null) lies in a county the document's gold names."""
    gold = _gold(path)
    codes = {r["code"] for r in gold["regions"]} - {None}
    assert [m["location"] for m in gold["meetings"] if m["location"] not in codes] == []
    towns = [r["name"] for r in gold["regions"] if r["code"] is None and r["name"].endswith(TOWNSHIP_ENDINGS)]
    assert [t for t in towns if not _township_of(gold, t)] == []
