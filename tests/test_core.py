"""The Python API: extract() and extract_paths() return Pydantic Documents."""

import json
from pathlib import Path

import pytest

import pipeline
from pipeline.records import Document

ROOT = Path(__file__).resolve().parent.parent


def test_extract_returns_a_document_with_original_and_normalized_text():
    doc = pipeline.extract("寧波市委統戰部召開座談會。", ner=False)
    assert isinstance(doc, Document)
    assert doc.text == "寧波市委統戰部召開座談會。"
    assert doc.normalized_text == "宁波市委统战部召开座谈会。"
    assert doc.script == "traditional" and doc.error is None


def test_given_fields_override_the_header():
    doc = pipeline.extract("正文。", title="給定標題", published_at="2024-05-01", source="x", doc_id="id-1", ner=False)
    assert (doc.title, doc.published_at, doc.source, doc.doc_id) == ("给定标题", "2024-05-01", "x", "id-1")


def test_header_fields_are_read():
    doc = pipeline.extract("推进会召开\n时间: 2024-02-05 08:42:24 来源: 本网\n正文。\n编辑:李晨阳", ner=False)
    assert doc.published_at == "2024-02-05T08:42:24"
    assert doc.origin == "本网" and doc.editor == "李晨阳" and doc.title == "推进会召开"


def test_extractor_failure_becomes_an_error_record(monkeypatch):
    import pipeline.core

    def boom(doc):
        raise RuntimeError("broken rule")

    monkeypatch.setattr(pipeline.core, "extract_regions", boom)
    doc = pipeline.extract("汕尾。", source="a.txt", ner=False)
    assert doc.error.code == "extract_failed"
    assert "a.txt" in doc.error.message and "broken rule" in doc.error.message


SEEDS = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
GOLD = ROOT / "corpora" / "gold" / "seeds"
KINDS = ("regions", "figures", "brands", "counts", "meetings")


@pytest.fixture(scope="module")
def seed_docs():
    """The seed articles through extract_paths (rules only), by file name."""
    return {Path(doc.source).name: doc for doc in pipeline.extract_paths([str(ROOT / "corpora" / "seeds")], ner=False)}


def test_every_seed_is_extracted(seed_docs):
    assert len(SEEDS) == 5 and sorted(seed_docs) == [p.name for p in SEEDS]


@pytest.mark.parametrize("name", [p.name for p in SEEDS])
def test_every_mention_points_at_original_characters(seed_docs, name):
    doc = seed_docs[name]
    assert doc.error is None
    mentions = [(kind, record, m) for kind in KINDS for record in getattr(doc, kind) for m in record.mentions]
    wrong = [(kind, m.start, m.end, m.text, doc.text[m.start:m.end]) for kind, _, m in mentions
             if doc.text[m.start:m.end] != m.text]
    assert wrong == []
    gold = json.loads((GOLD / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
    checked = {kind for kind, _, _ in mentions}
    assert [kind for kind in KINDS if gold[kind] and kind not in checked] == []  # a gold type with no mention
    assert [(kind, r.name if hasattr(r, "name") else r.text) for kind in KINDS for r in getattr(doc, kind)
            if not r.mentions] == []


def test_to_dataframes(seed_docs):
    docs = list(seed_docs.values())
    frames = pipeline.to_dataframes(docs)
    assert len(frames["documents"]) == 5
    assert set(frames) == {"documents", "regions", "figures", "brands", "counts", "meetings"}
    assert list(frames["documents"]["n_regions"]) == [len(d.regions) for d in docs]


def test_to_dataframes_without_pandas_says_how_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="zhnews\\[pandas\\]"):
        pipeline.to_dataframes([])


@pytest.mark.parametrize(
    "given, expected",
    [
        ("2024-02-05", "2024-02-05"),
        ("2024/2/5", "2024-02-05"),
        ("20240205", "2024-02-05"),
        ("2024年2月5日", "2024-02-05"),
        ("2024-02-05 8:42", "2024-02-05T08:42:00"),
        ("2024-02-05T08:42:24+08:00", "2024-02-05T08:42:24"),
        ("2024-02-05T08:42:24.5Z", "2024-02-05T08:42:24"),
    ],
)
def test_published_at_as_feeds_give_it(given, expected):
    assert pipeline.extract("正文。", published_at=given, ner=False).published_at == expected


def test_unreadable_published_at_is_ignored_with_a_notice():
    doc = pipeline.extract("正文。", published_at="昨天下午", ner=False)
    assert doc.error is None and doc.published_at is None
    assert [w.code for w in doc.warnings] == ["bad_published_at"]


def test_extract_with_a_lone_surrogate_does_not_raise():
    doc = pipeline.extract("汕尾召开会议\ud800。", ner=False)
    assert doc.error is None and "\ud800" not in doc.text
    doc.model_dump_json()
