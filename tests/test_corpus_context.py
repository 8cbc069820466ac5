"""Finding the shared THUCNews sample and cutting context back out of it."""

import json
from pathlib import Path

import pytest

from pipeline import corpus_context as cc


def test_env_names_the_shared_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    assert cc.find_shared() == tmp_path
    assert cc.sample_path() == tmp_path / "corpora" / "thucnews_sample.jsonl"


def test_missing_sample_names_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHNEWS_SHARED", str(tmp_path))
    with pytest.raises(cc.CorpusMissing, match=f"not found at {tmp_path}.*ZHNEWS_SHARED"):
        cc.thucnews_texts()


def test_texts_are_read_by_id(tmp_path):
    path = tmp_path / "sample.jsonl"
    docs = [{"id": "a", "category": "时政", "text": "第一篇。"}, {"id": "b", "category": "教育", "text": "第二篇"}]
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n\n", encoding="utf-8")
    assert cc.thucnews_texts(path) == {"a": "第一篇。", "b": "第二篇"}


@pytest.mark.parametrize("start, end, width, expected", [
    (2, 4, 2, ("甲乙", "戊")),
    (3, 4, 2, ("乙丙", "戊")),
    (0, 2, 5, ("", "丙丁戊")),
    (3, 5, 10, ("甲乙丙", "")),
])
def test_window(start, end, width, expected):
    assert cc.window("甲乙丙丁戊", start, end, width) == expected


# --- the hand checks and labels under corpora/ ---------------------------------

REPO = Path(__file__).resolve().parent.parent
COUNT_CHECKS = sorted((REPO / "corpora" / "counts_check").glob("*.json"))
REGION_CHECKS = sorted((REPO / "corpora" / "regions_check").glob("*.json"))
OWN_FILES = (REPO / "corpora" / "gold",)
# fields that hold our own words, or the annotated span itself
FREE_TEXT = {"note", "reason", "text", "full_text", "mention"}
MAX_STRING = 30


def _rows(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _thucnews_rows():
    for path in sorted((REPO / "corpora").rglob("*.json")):
        if any(path.is_relative_to(own) for own in OWN_FILES):
            continue
        rows = _rows(path)
        for row in rows if isinstance(rows, list) else []:
            if str(row.get("doc") or row.get("doc_id") or "").startswith("thucnews-"):
                yield path, row


def test_no_thucnews_text_is_stored_in_corpora():
    """THUCNews rows keep ids, offsets, labels and notes: no string longer than a short
    annotated span outside our own notes and the span itself."""
    rows = list(_thucnews_rows())
    assert len(rows) > 2000
    long = [(p.name, k, v[:20]) for p, row in rows for k, v in _strings(row)
            if k not in FREE_TEXT and len(v) > MAX_STRING]
    assert long == []


@pytest.fixture(scope="module")
def texts():
    try:
        return cc.thucnews_texts()
    except cc.CorpusMissing as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("path", COUNT_CHECKS, ids=lambda p: p.name)
def test_count_check_rows(path):
    rows = _rows(path)
    assert len(rows) == 200 and [r["id"] for r in rows] == list(range(200))
    assert all(set(r) == {"id", "doc_id", "category", "start", "end", "counts"} for r in rows)
    assert all(c["verdict"] in ("correct", "wrong", "optional") for r in rows for c in r["counts"])


@pytest.mark.parametrize("path", COUNT_CHECKS, ids=lambda p: p.name)
def test_count_check_sentences_rebuild(path, texts):
    from pipeline.normalize import normalize

    for r in _rows(path):
        sentence = normalize(texts[r["doc_id"]][r["start"]:r["end"]]).text
        assert 6 <= len(sentence) and sentence == sentence.strip(), r["id"]
        assert all(c["text"] in sentence for c in r["counts"]), r["id"]


@pytest.mark.parametrize("path", REGION_CHECKS, ids=lambda p: p.name)
def test_region_check_rows(path):
    rows = _rows(path)
    assert rows and all("context" not in r and r["end"] - r["start"] == len(r["mention"]) for r in rows)
    assert all(r.get("verdict") or r.get("kind") for r in rows)


@pytest.mark.parametrize("path", REGION_CHECKS, ids=lambda p: p.name)
def test_region_check_mentions_rebuild(path, texts):
    bad = [r["doc"] for r in _rows(path) if texts[r["doc"]][r["start"]:r["end"]] != r["mention"]]
    assert bad == []
