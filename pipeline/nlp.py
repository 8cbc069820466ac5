"""The spaCy stage: one Language per process.

The project's Language is Chinese with a jieba-backed tokenizer that emits
one token per character and records, on each character, the jieba word it
belongs to (`lemma_`), its position in that word (`tag_`: B, I, E or S) and
the word's class (`norm_`: the part-of-speech tag jieba's dictionary gives
the word, `oov` for a word only jieba's HMM found, `num`, `eng` or `w` for
digits, Latin letters and punctuation). Character tokens keep every entity
boundary (jieba words swallow 12% of People's Daily PER spans and 18% of
LOC spans, see models/zhnews_ner/MODEL_CARD.md), while the word features
let the NER model and the rules see jieba's segmentation.

The pipeline is, in order of preference: a spaCy pipeline named by the
caller (zh_core_web_sm or a path), the project's NER model in models/, or a
blank pipeline (which finds nothing: rules only). With the project
tokenizer, `entities` runs the pipeline only on short windows around the
words that may be part of a person's name, unless asked for the whole text
(`gate=False`).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.crf_ner import crf_of
from pipeline.segment import Span

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "zhnews_ner"
TOKENIZER_NAME = "zhnews.CharTokenizer.v1"
NER_BATCH = 64  # windows the NER model takes at once
NER_CONTEXT = (4, 6)  # characters the NER model reads before and after a name cue (its tok2vec sees 4 each side)
TITLE_CONTEXT = (4, 8)  # the same around a title word: the name it introduces follows it
TITLE_MAX = 5  # longest title word looked for at the end of a word
NER_JOIN = 4  # windows closer than this many characters are read as one
NAME_CLASSES = ("nr", "nrfg", "nrt")  # jieba's dictionary tags for person names

# OntoNotes (zh_core_web_sm) and CLUENER-style labels mapped to the project's.
LABEL_MAP = {
    "PERSON": "PER", "PER": "PER", "NAME": "PER",
    "GPE": "LOC", "LOC": "LOC", "ADDRESS": "LOC",
    "ORG": "ORG", "NORP": "ORG", "FAC": "LOC", "GOVERNMENT": "ORG", "ORGANIZATION": "ORG",
    "TITLE": "TITLE", "POSITION": "TITLE",
}


@dataclass(frozen=True)
class Entity:
    """A named entity in normalized-text offsets, label mapped to PER/LOC/ORG/TITLE."""

    start: int
    end: int
    text: str
    label: str
    source: str


class CharTokenizer:
    """One token per character, annotated with the jieba word around it."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from pipeline.segment import tokenize

        return self.from_words(text, tokenize(text))

    def from_words(self, text: str, words: Sequence[Span]):
        import numpy
        from spacy.attrs import NORM
        from spacy.tokens import Doc

        tags, lemmas, norms = _char_features(text, words)
        doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text), tags=tags, lemmas=lemmas)
        if norms:
            keys = numpy.array([self.vocab.strings.add(n) for n in norms], dtype="uint64")
            doc.from_array([NORM], keys.reshape(-1, 1))
        return doc

    # The tokenizer has no state of its own: serialization is a no-op.
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        return None

    def from_disk(self, path, **kwargs):
        return self


def _char_features(text: str, words: Iterable[Span]) -> tuple[list[str], list[str], list[str]]:
    tags = ["S"] * len(text)
    lemmas = list(text)
    norms = [word_class(c) for c in text]
    for w in words:
        n = w.end - w.start
        kind = word_class(w.text)
        for k in range(n):
            i = w.start + k
            tags[i] = "S" if n == 1 else "B" if k == 0 else "E" if k == n - 1 else "I"
            lemmas[i] = w.text
            norms[i] = kind
    return tags, lemmas, norms


def word_class(word: str) -> str:
    """The class of a jieba word: its dictionary POS tag, or oov/num/eng/w."""
    tag = word_tags().get(word)
    if tag:
        return tag
    if word.isdigit():
        return "num"
    if word.isascii() and word.isalpha():
        return "eng"
    if any("\u4e00" <= c <= "\u9fff" for c in word):
        return "oov"
    return "w"


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """POS tags of the words in the dictionaries the segmenter loads."""
    from pipeline.segment import _user_words, tokenizer

    tags = {}
    with tokenizer().get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = sys.intern(parts[2])
    for word, _freq, tag in _user_words():
        tags[word] = tag or tags.get(word, "n")
    return tags


def word_freq(word: str) -> int:
    """The word's frequency in the segmenter's dictionaries (0 when absent)."""
    from pipeline.segment import tokenizer

    return tokenizer().FREQ.get(word) or 0


_EMIT_FLOOR = -20.0


def name_score(word: str) -> float:
    """log P(chars | person-name states) - max over other tags of log P(chars | tag
    states), from jieba's POS-tagging HMM (B/M/E/S x tag emission tables)."""
    emit = _emissions()
    positions = ["S"] if len(word) == 1 else ["B"] + ["M"] * (len(word) - 2) + ["E"]

    def loglik(tag: str) -> float:
        return sum(emit.get((pos, tag), {}).get(c, _EMIT_FLOOR) for c, pos in zip(word, positions))

    other = max(loglik(tag) for tag in _tags() if not tag.startswith("nr"))
    return loglik("nr") - other


@lru_cache(maxsize=1)
def _emissions() -> dict:
    """jieba's POS-tagging emission table, read the way jieba.posseg reads it."""
    import os
    import pickle

    import jieba

    with open(os.path.join(os.path.dirname(jieba.__file__), "posseg", "prob_emit.p"), "rb") as f:
        return pickle.load(f)


@lru_cache(maxsize=1)
def _tags() -> tuple[str, ...]:
    return tuple(sorted({tag for _pos, tag in _emissions()}))


def _register() -> None:
    from spacy.util import registry

    from pipeline.crf_ner import register

    if TOKENIZER_NAME not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER_NAME, func=create_tokenizer)
    register()


def create_tokenizer():
    """spaCy registry entry: `[nlp.tokenizer] @tokenizers = "zhnews.CharTokenizer.v1"`."""

    def make(nlp):
        return CharTokenizer(nlp.vocab)

    return make


def blank():
    """A blank Chinese Language with the project's tokenizer."""
    import spacy

    _register()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


def resolve_model(name: str | None) -> str | Path | None:
    """What to load: an explicit name or path, else the shipped model if present."""
    if name:
        return name
    shipped = MODELS_DIR / DEFAULT_MODEL
    return shipped if (shipped / "meta.json").exists() else None


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None):
    """The process's Language (loaded once per model name)."""
    import spacy

    _register()
    target = resolve_model(model)
    if target is None:
        nlp = blank()
    else:
        nlp = spacy.load(target, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler"])
        log.info("loaded spaCy pipeline %s", target)
    return nlp


def has_project_tokenizer(nlp) -> bool:
    return isinstance(nlp.tokenizer, CharTokenizer)


def entities(nlp, text: str, words: Sequence[Span], *, sentences: Sequence | None = None,
             gate: bool = True) -> list[Entity]:
    """Run the pipeline over `text` and return its entities in char offsets.

    With the project tokenizer and gate=True (the default) the pipeline runs
    only on short windows around the words that may be part of a person's
    name (`name_cue`, `_gated`): the NER model costs far more than
    segmentation, persons are what it is for, and its network reads only 4
    characters either side of each character, so a window with NER_CONTEXT
    characters around a name finds what the whole sentence would (on 300
    THUCNews articles 3 figures of 751 differ, one of them gained; the hand
    checks, seeds and genre sets do not move; about 2x less NER time than
    whole sentences). gate=False runs it on the whole text (LOC and ORG
    everywhere).
    """
    model = model_source(nlp)
    if not nlp.pipe_names:
        return []  # a blank pipeline (no model installed) finds nothing
    if not has_project_tokenizer(nlp):
        return _entities(model, nlp(text), 0)
    if not gate:
        return _entities(model, nlp(nlp.tokenizer.from_words(text, words)), 0)
    if sentences is None:
        from pipeline.segment import split_sentences

        sentences = split_sentences(text)
    gated = _gated(text, words, sentences)
    crf = crf_of(nlp)
    if crf is not None:
        return _crf_entities(model, crf, text, gated)
    # Docs are made as the pipeline asks for them, a batch at a time: a long
    # document's character Docs are never all in memory at once.
    docs = (nlp.tokenizer.from_words(text[a:b], ws) for a, b, ws in gated)
    out = []
    for (offset, _b, _ws), doc in zip(gated, nlp.pipe(docs, batch_size=NER_BATCH)):
        out += _entities(model, doc, offset)
    return out


def model_source(nlp) -> str:
    """The `source` of the model's entities: ner:<pipeline name> (read once a
    document: `nlp.meta` builds a new dict on every access)."""
    return f"ner:{nlp.meta.get('name', 'model')}"


def _crf_entities(model: str, crf, text: str, gated) -> list[Entity]:
    """The CRF straight on each window and its jieba words: no spaCy Doc is built."""
    out = []
    for a, b, ws in gated:
        for s, e, label in crf.spans(text[a:b], ws):
            out.append(Entity(a + s, a + e, text[a + s:a + e], label, model))
    return out


def _entities(model: str, doc, offset: int) -> list[Entity]:
    out = []
    for ent in doc.ents:
        label = LABEL_MAP.get(ent.label_.upper())
        if label:
            source = "ruler" if ent.ent_id_ else model
            out.append(Entity(offset + ent.start_char, offset + ent.end_char, ent.text, label, source))
    return out


def _sentence_ranges(words: Sequence[Span], sentences: Sequence) -> Iterable[tuple[object, int, int]]:
    """(sentence, i, j): words[i:j] are the words that overlap the sentence."""
    i = 0
    for s in sentences:
        while i < len(words) and words[i].end <= s.start:
            i += 1
        j = i
        while j < len(words) and words[j].start < s.end:
            j += 1
        yield s, i, j
        i = j - 1 if j > i and words[j - 1].end > s.end else j


def _rebased(text: str, words: Sequence[Span], start: int, end: int, i: int, j: int) -> list[Span]:
    """words[i:j] clipped to text[start:end], offsets from start."""
    out = []
    for w in words[i:j]:
        a, b = max(w.start, start), min(w.end, end)
        if a < b:
            out.append(Span(a - start, b - start, w.text if (a, b) == (w.start, w.end) else text[a:b]))
    return out


def _gated(text: str, words: Sequence[Span], sentences: Sequence) -> list[tuple[int, int, list[Span]]]:
    """The windows the NER model reads, as (start, end, words rebased to start):
    around each name cue (`name_cue`), NER_CONTEXT characters either side,
    widened to whole words and kept inside the cue's sentence; windows closer
    than NER_JOIN characters are read as one."""
    out = []
    for s, i, j in _sentence_ranges(words, sentences):
        for ka, kb in _cue_windows(words, i, j):
            a, b = max(s.start, words[ka].start), min(s.end, words[kb - 1].end)
            out.append((a, b, _rebased(text, words, a, b, ka, kb)))
    return out


def _cue_windows(words: Sequence[Span], i: int, j: int) -> list[list[int]]:
    """Windows as word index ranges [ka, kb) within words[i:j]."""
    titles = person_cues()["titles"]
    windows: list[list[int]] = []
    for k in range(i, j):
        if name_cue(words[k].text):
            before, after = NER_CONTEXT
        elif _is_title(words[k].text, titles):
            before, after = TITLE_CONTEXT
        else:
            continue
        ka, kb = _word_back(words, k, i, words[k].start - before), _word_ahead(words, k, j, words[k].end + after)
        if windows and words[ka].start <= words[windows[-1][1] - 1].end + NER_JOIN:
            windows[-1][1] = max(windows[-1][1], kb)
        else:
            windows.append([ka, kb])
    return windows


def _word_back(words: Sequence[Span], k: int, first: int, pos: int) -> int:
    """Index of the word holding ``pos`` (or words[first]), searching back from k."""
    while k > first and words[k].start > pos:
        k -= 1
    return k


def _word_ahead(words: Sequence[Span], k: int, stop: int, pos: int) -> int:
    """One past the index of the word holding ``pos`` (or the last before stop)."""
    while k < stop - 1 and words[k].end < pos:
        k += 1
    return k + 1


def _is_title(word: str, titles: frozenset) -> bool:
    """A title word, or a word ending in one (空军司令)."""
    return word in titles or any(word[k:] in titles for k in range(max(1, len(word) - TITLE_MAX), len(word) - 1))


def name_cue(word: str) -> bool:
    """A word that may be (part of) a person's name: jieba's dictionary tags it
    as a name, or it is unknown to the dictionary and long (a transliteration)
    or starts with a surname."""
    cls = word_class(word)
    if cls in NAME_CLASSES:
        return True
    if cls == "oov":
        return len(word) >= 3 or word[0] in person_cues()["surnames"]
    return len(word) == 3 and cls == "nz" and word[0] in person_cues()["surnames"]


@lru_cache(maxsize=1)
def person_cues() -> dict[str, frozenset]:
    from pipeline.data import load_words

    titles = set(load_words("figure_positions.txt")) | set(load_words("figure_bylines.txt"))
    surnames = {w for w in load_words("surnames.txt") if len(w) == 1}
    return {"titles": frozenset(titles), "surnames": frozenset(surnames)}
