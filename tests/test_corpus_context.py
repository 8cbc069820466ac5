"""Finding the shared THUCNews sample and cutting context back out of it."""

import json

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
