"""An NER model that costs less: a linear-chain CRF over character features.

Measured against the shipped spaCy model (models/zhnews_ner/MODEL_CARD.md,
"A cheaper model"): about 5x less NER time, but a lower figure score on the
hand checks, so it is not the default. Train one with
`python scripts/train_ner.py --data ../shared/ner --family crf --out DIR` and
use it with `zhnews extract --spacy-model DIR`.

Each character of a sentence is described by a handful of string features:
the characters around it (-2..+2) and the two bigrams through it; the jieba
word it belongs to (its B/I/E/S position, the word's class: dictionary POS
tag, oov, num, eng or w, and the word itself when it is a dictionary word of
two characters or more); whether it can open a Chinese name (surnames.txt);
and how strongly jieba's POS-tagging HMM emits it as the start, middle or end
of a person's, place's or organization's name (bucketed log probabilities).
CRFsuite (python-crfsuite) decodes with BIO labels PER / LOC / ORG.

The model is a spaCy component (`zhnews_crf_ner`, saved as the pipe "ner"),
so `spacy.load` and `nlp.pipe` work as for any pipeline;
`pipeline.nlp.entities` calls `CrfNer.spans` directly on the sentence and the
jieba words it already has, without building a spaCy Doc.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.segment import Span

LABELS = ("PER", "LOC", "ORG")
FACTORY = "zhnews_crf_ner"
MODEL_FILE = "model.crfsuite"
# jieba POS-HMM states whose emission of a character is a feature: (position, tag).
EMISSION_STATES = (("B", "nr"), ("M", "nr"), ("E", "nr"), ("S", "nr"), ("B", "ns"), ("E", "ns"),
                   ("B", "nt"), ("E", "nt"))


# --- features ----------------------------------------------------------------

def sentence_features(text: str, words: Sequence[Span]) -> list[list[str]]:
    """The feature strings of every character of `text` (words: its jieba words, rebased)."""
    from pipeline.nlp import word_class

    pos, cls, lemma = ["S"] * len(text), ["w"] * len(text), [""] * len(text)
    for w in words:
        n, kind = w.end - w.start, word_class(w.text)
        keep = w.text if n >= 2 and kind not in ("oov", "num", "eng") else ""
        for k in range(n):
            i = w.start + k
            pos[i] = "S" if n == 1 else "B" if k == 0 else "E" if k == n - 1 else "I"
            cls[i], lemma[i] = kind, keep
    padded = "\x02\x02" + text + "\x03\x03"
    from pipeline.nlp import person_cues

    surnames, emission = person_cues()["surnames"], _emission_buckets()
    out = []
    for i, ch in enumerate(text):
        j = i + 2
        feats = [
            "c=" + ch, "c-1=" + padded[j - 1], "c+1=" + padded[j + 1], "c-2=" + padded[j - 2], "c+2=" + padded[j + 2],
            "b-1=" + padded[j - 1:j + 1], "b+1=" + padded[j:j + 2],
            "p=" + pos[i], "w=" + cls[i], "pw=" + pos[i] + cls[i], "w-1=" + (cls[i - 1] if i else "^"),
            "w+1=" + (cls[i + 1] if i + 1 < len(text) else "$"),
        ]
        if lemma[i]:
            feats.append("l=" + lemma[i])
        if ch in surnames:
            feats.append("sur")
        feats.extend(emission.get(ch, ()))
        out.append(feats)
    return out


@lru_cache(maxsize=1)
def _emission_buckets() -> dict[str, tuple[str, ...]]:
    """char -> features like 'eBnr=3': its log emission under a state, minus the
    state's mean over characters, rounded (jieba/posseg/prob_emit.p, MIT)."""
    from pipeline.nlp import _emissions

    emit = _emissions()
    out: dict[str, list[str]] = {}
    for state in EMISSION_STATES:
        table = emit.get(state, {})
        if not table:
            continue
        mean = sum(table.values()) / len(table)
        for ch, logp in table.items():
            out.setdefault(ch, []).append(f"e{state[0]}{state[1]}={round(logp - mean)}")
    return {ch: tuple(v) for ch, v in out.items()}


# --- labels ------------------------------------------------------------------

def bio_tags(length: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        tags[start] = "B-" + label
        for k in range(start + 1, end):
            tags[k] = "I-" + label
    return tags


def tag_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of the entities in a BIO tag sequence (a stray I- opens one)."""
    out, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == label
        if start is not None and not inside:
            out.append((start, i, label))
            start = label = None
        if tag.startswith("B-") or (tag.startswith("I-") and not inside):
            start, label = i, tag[2:]
    return out


# --- the tagger --------------------------------------------------------------

class CrfNer:
    """A CRFsuite model held in memory (the bytes of a model file)."""

    def __init__(self, model: bytes = b""):
        self.model = model
        self._tagger = None

    @property
    def tagger(self):
        if self._tagger is None:
            import pycrfsuite

            if not self.model:
                raise ValueError("the CRF NER component has no model: train it with scripts/train_ner.py")
            with tempfile.NamedTemporaryFile(suffix=".crfsuite") as f:
                f.write(self.model)
                f.flush()
                tagger = pycrfsuite.Tagger()
                tagger.open(f.name)  # CRFsuite reads the file once, into memory
            self._tagger = tagger
        return self._tagger

    def spans(self, text: str, words: Sequence[Span]) -> list[tuple[int, int, str]]:
        """Entities of one sentence: (start, end, label) in its offsets."""
        if not text:
            return []
        return tag_spans(self.tagger.tag(sentence_features(text, words)))


# --- the spaCy component -----------------------------------------------------

class CrfNerComponent:
    """spaCy pipe that sets doc.ents from the CRF (on the project tokenizer's
    character tokens, whose lemma_ is the jieba word)."""

    def __init__(self, nlp, name: str):
        self.name = name
        self.crf = CrfNer()

    @property
    def labels(self) -> tuple[str, ...]:
        return LABELS

    def __call__(self, doc):
        words = _words_of(doc)
        spans = [doc.char_span(s, e, label=lab) for s, e, lab in self.crf.spans(doc.text, words)]
        doc.ents = [s for s in spans if s is not None]
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / MODEL_FILE).write_bytes(self.crf.model)

    def from_disk(self, path, exclude=()):
        self.crf = CrfNer((Path(path) / MODEL_FILE).read_bytes())
        return self

    def to_bytes(self, exclude=()):
        return self.crf.model

    def from_bytes(self, data, exclude=()):
        self.crf = CrfNer(data)
        return self


def _words_of(doc) -> list[Span]:
    """The jieba words of a Doc made by the project tokenizer (lemma_ and B/I/E/S tag_)."""
    words, start = [], 0
    for tok in doc:
        if tok.tag_ in ("S", "E") or not tok.tag_:
            words.append(Span(start, tok.idx + len(tok.text), doc.text[start:tok.idx + len(tok.text)]))
            start = tok.idx + len(tok.text)
    if start < len(doc.text):
        words.append(Span(start, len(doc.text), doc.text[start:]))
    return words


def make_component(nlp, name: str) -> CrfNerComponent:
    """The spaCy factory `zhnews_crf_ner` (also an entry point in pyproject.toml)."""
    return CrfNerComponent(nlp, name)


def register() -> None:
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=make_component)


def crf_of(nlp) -> CrfNer | None:
    """The CRF of a pipeline whose NER is this component, else None."""
    for _name, pipe in nlp.pipeline:
        if isinstance(pipe, CrfNerComponent):
            return pipe.crf
    return None
