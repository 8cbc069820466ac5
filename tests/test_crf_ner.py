"""The CRF NER model's pieces (pipeline.crf_ner): features, BIO labels, the spaCy component."""

import pytest

from pipeline.crf_ner import CrfNer, bio_tags, sentence_features, tag_spans
from pipeline.segment import tokenize


@pytest.mark.parametrize("tags, spans", [
    (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
    (["O", "I-ORG", "I-ORG", "O"], [(1, 3, "ORG")]),
    (["B-PER", "I-LOC", "O"], [(0, 1, "PER"), (1, 2, "LOC")]),
    (["B-PER", "B-PER", "I-PER"], [(0, 1, "PER"), (1, 3, "PER")]),
    ([], []),
], ids=["plain", "stray-inside-opens", "label-change-splits", "adjacent", "empty"])
def test_tag_spans(tags, spans):
    assert tag_spans(tags) == spans


def test_bio_tags_round_trip():
    spans = [(0, 3, "PER"), (5, 7, "LOC"), (7, 9, "ORG")]
    assert tag_spans(bio_tags(10, spans)) == spans


def test_features_describe_every_character():
    text = "宁海县委常委娄黛敏出席会议。"
    feats = sentence_features(text, tokenize(text))
    assert len(feats) == len(text)
    assert "c=娄" in feats[6] and "sur" in feats[6] and "c-1=委" in feats[6]
    assert "l=出席会议" in feats[9] and "p=B" in feats[9]
    assert feats[0][3] == "c-2=\x02" and feats[-1][2] == "c+1=\x03"


def test_component_without_a_model_says_so():
    with pytest.raises(ValueError, match="train it with scripts/train_ner.py"):
        CrfNer().spans("张三出席", tokenize("张三出席"))


def test_component_saves_and_loads_its_model(tmp_path):
    from pipeline.crf_ner import FACTORY
    from pipeline.nlp import _register, blank

    _register()
    nlp = blank()
    pipe = nlp.add_pipe(FACTORY, name="ner")
    pipe.crf.model = b"model bytes"
    pipe.to_disk(tmp_path / "ner")
    assert pipe.from_disk(tmp_path / "ner").crf.model == b"model bytes"
    assert pipe.from_bytes(pipe.to_bytes()).crf.model == b"model bytes"
