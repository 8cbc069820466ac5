"""The spaCy stage: char tokenizer features, label mapping, loading with and
without a model, and any spaCy pipeline passed by name or path."""

from __future__ import annotations

import json

import pytest

from pipeline import nlp as nlpmod
from pipeline.nlp import _gated, _rebased, _sentence_ranges, blank, entities, load_nlp, name_cue, word_class
from pipeline.segment import Span, split_sentences, tokenize


def test_one_token_per_character_with_word_features():
    text = "统战部部长娄黛敏出席。"
    doc = blank()(text)
    assert [t.text for t in doc] == list(text)
    assert [t.tag_ for t in doc][:6] == ["B", "I", "E", "B", "E", "B"]
    assert doc[0].lemma_ == "统战部" and doc[2].lemma_ == "统战部"
    assert doc[5].norm_ == "oov"  # 娄黛敏 is not in the dictionary


@pytest.mark.parametrize("word, expected", [
    ("统战部", "nt"), ("2024", "num"), ("ABC", "eng"), ("，", "w"), ("娄黛敏", "oov"), ("北京", "ns"),
], ids=lambda v: str(v))
def test_word_class(word, expected):
    assert word_class(word) == expected


def test_from_words_keeps_given_segmentation():
    text = "卢文祥和娄黛敏"
    words = [Span(0, 3, "卢文祥"), Span(3, 4, "和"), Span(4, 7, "娄黛敏")]
    doc = blank().tokenizer.from_words(text, words)
    assert [t.lemma_ for t in doc] == ["卢文祥"] * 3 + ["和"] + ["娄黛敏"] * 3
    assert [t.tag_ for t in doc] == ["B", "I", "E", "S", "B", "I", "E"]


@pytest.fixture
def no_model(tmp_path, monkeypatch):
    """load_nlp pointed at an empty models/ folder (the rules-only install)."""
    monkeypatch.setattr(nlpmod, "MODELS_DIR", tmp_path)
    load_nlp.cache_clear()
    yield
    load_nlp.cache_clear()


def test_loads_without_a_model(no_model):
    nlp = load_nlp()
    assert nlp.pipe_names == []
    text = "中央统战部副部长邹晓东出席会议。"
    assert entities(nlp, text, tokenize(text)) == []


def test_pipeline_without_a_model_still_finds_figures(no_model):
    from pipeline.core import extract

    doc = extract("中央统战部副部长邹晓东出席会议并讲话。")
    assert [(f.name, f.titles) for f in doc.figures] == [("邹晓东", ["中央统战部副部长"])]


@pytest.fixture(scope="module")
def ontonotes_pipeline(tmp_path_factory):
    """A small pipeline with OntoNotes labels, standing in for zh_core_web_sm."""
    import spacy

    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "王进喜"},
        {"label": "GPE", "pattern": "大庆"},
        {"label": "ORG", "pattern": "新华社"},
        {"label": "DATE", "pattern": "今天"},
    ])
    path = tmp_path_factory.mktemp("onto") / "onto_zh"
    nlp.to_disk(path)
    return str(path)


def test_ontonotes_labels_are_mapped(ontonotes_pipeline):
    nlp = load_nlp(ontonotes_pipeline)
    text = "新华社今天报道，大庆人重温铁人王进喜的事迹。"
    got = {(e.text, e.label) for e in entities(nlp, text, tokenize(text))}
    assert {("新华社", "ORG"), ("大庆", "LOC"), ("王进喜", "PER")} <= got
    assert not any(e.text == "今天" for e in entities(nlp, text, tokenize(text)))


def test_spacy_model_flag(ontonotes_pipeline, tmp_path):
    from pipeline.cli import main

    src = tmp_path / "a.txt"
    src.write_text("重温铁人王进喜的先进事迹。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(src), "-o", str(out), "-q", "--spacy-model", ontonotes_pipeline]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [f["name"] for f in doc["figures"]] == ["王进喜"]


def _sentence_words(text):
    """(start, end, words rebased to start) per sentence, as the gate ranges them."""
    words = tokenize(text)
    return [(s.start, s.end, _rebased(text, words, s.start, s.end, i, j))
            for s, i, j in _sentence_ranges(words, split_sentences(text))]


def test_sentence_ranges_rebase_offsets():
    text = "会议召开。邹晓东出席。"
    pieces = _sentence_words(text)
    assert [(a, b) for a, b, _ in pieces] == [(0, 5), (5, 11)]
    a, _b, words = pieces[1]
    assert all(text[a + w.start:a + w.end] == w.text for w in words)


def test_sentence_ranges_follow_the_segmenter():
    """Quotes stay whole and 寧??h is not two questions: the NER sees the sentences
    every other stage sees."""
    text = "他说：“今天开会。明天再议。”寧??h县长李明出席……随后王刚讲话"
    pieces = [text[a:b] for a, b, _ in _sentence_words(text)]
    assert pieces == [s.text for s in split_sentences(text)]
    assert pieces[0] == "他说：“今天开会。明天再议。”"


@pytest.mark.parametrize("word, expected", [
    ("温家宝", True),    # tagged nr in jieba's dictionary
    ("卢文祥", True),    # unknown to the dictionary, starts with a surname
    ("谢莉尔", True),    # unknown and long: a transliteration
    ("副部长", False),   # a title is context, not a name
    ("基层", False),
])
def test_name_cues(word, expected):
    assert name_cue(word) is expected


def test_ner_windows_surround_name_cues_inside_their_sentence():
    """NER_CONTEXT characters either side of each name and TITLE_CONTEXT around
    each title (副部长: 4 back falls inside 中央统战部, read whole), widened to whole words, cut at
    the sentence end; two close names share one window; the clause with neither
    is not read at all."""
    text = "会议强调要深化基层治理并推进产业共建和乡村振兴工作，中央统战部副部长邹晓东出席并讲话。王刚、李明参加。"
    windows = [text[a:b] for a, b, _ in _gated(text, tokenize(text), split_sentences(text))]
    assert windows == ["中央统战部副部长邹晓东出席并讲话。", "王刚、李明参加。"]


def test_ner_window_words_are_rebased_to_the_window():
    text = "会议召开。邹晓东出席。"
    ((a, b, words),) = _gated(text, tokenize(text), split_sentences(text))
    assert (a, b) == (5, 11)
    assert [(w.start, w.end, w.text) for w in words][:1] == [(0, 3, "邹晓东")]
    assert "".join(w.text for w in words) == text[a:b]


def test_gate_reads_only_the_windows_around_name_cues():
    nlp = blank()
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PER", "pattern": "邹晓东"},
                                               {"label": "LOC", "pattern": "基层"}])
    text = "会议强调，要深化基层治理。中央统战部副部长邹晓东出席。"
    gated = entities(nlp, text, tokenize(text))
    assert [(text[e.start:e.end], e.label) for e in gated] == [("邹晓东", "PER")]
    full = entities(nlp, text, tokenize(text), gate=False)
    assert [(text[e.start:e.end], e.label) for e in full] == [("基层", "LOC"), ("邹晓东", "PER")]
    one_sentence = "要深化基层治理并推进产业共建和乡村振兴工作，中央统战部副部长邹晓东出席。"
    assert [e.text for e in entities(nlp, one_sentence, tokenize(one_sentence))] == ["邹晓东"]
