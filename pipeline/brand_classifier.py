"""The brand candidate classifier: features, the stored model, prediction.

Shared by training (scripts/train_brand_classifier.py) and run time
(pipeline/extract/brands.py), so that both see the same features.

A candidate is read as a *row*: a mapping with the fields of
corpora/brands/labelled.json that describe it (text, quote_style, full_text,
head, left, right; left/right are CONTEXT characters of the text around the
candidate's core). Third-party rows of that file (THUCNews, People's Daily,
MSRA) store offsets, not context: ``with_context`` cuts left/right from the
shared corpora before training.
``features(row)`` turns it into string features;
scikit-learn fits a logistic regression over them (``build_pipeline``).

The fitted weights are stored as plain JSON (``BrandModel``), not as a
pickle: a pickle breaks across scikit-learn versions and can run code when
loaded, while the weights of a linear model are a few numbers per feature
that pure Python can apply. Prediction therefore needs no scikit-learn.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional, Sequence

from pipeline import corpus_context
from pipeline.extract.brand_candidates import DATA_DIR, BrandDataError, Candidate, rows_of
from pipeline.extract.brand_cues import (
    COMMON_FREQ, SENTENCE_END, common_freq, head_kind, place_words, sentence_left, sentence_right, type_after,
    verb_before,
)

FORMAT = "zhnews-brand-lr 1"
MODELS_DIR = Path(__file__).resolve().parent.parent / "models" / "brand_classifier"
MODEL_FILE = "model.json.gz"
CONTEXT = 40
BRAND_LABELS = ("brand", "program", "platform", "base", "team", "activity")
OTHER_LABELS = ("slogan", "quotation", "document", "meeting", "other")
LABELS = BRAND_LABELS + OTHER_LABELS

OPEN_QUOTES = "“‘「『《\"'"
CLOSE_QUOTES = "”’」』》\"'"
LENGTH_BUCKETS = (1, 2, 3, 4, 6, 9, 14, 20)
SILENT = ("digits=", "latin=")  # features nearly every row has: never shown as the model's cue
NUMERAL_START = re.compile(r"^[一二两三四五六七八九十百千万0-9]")
# word lists of the features: data/brand_features.tsv
RIGHT_KINDS = ("activity", "base", "brand", "program", "document", "idea", "speech", "platform", "launch")
GROUPS = ("verb", "follower", "brandish", "institution", *(f"right:{k}" for k in RIGHT_KINDS))


@dataclass(frozen=True)
class FeatureWords:
    verbs: tuple
    followers: tuple
    brandish: tuple
    institution: tuple
    right: dict  # kind -> words


def load_feature_words(path: Path) -> FeatureWords:
    groups: dict = {g: [] for g in GROUPS}
    for lineno, (group, word) in rows_of(path, 2):
        if group not in groups:
            raise BrandDataError(f"{path.name}:{lineno}: unknown group {group!r}")
        if word in groups[group]:
            raise BrandDataError(f"{path.name}:{lineno}: duplicate {group} {word!r}")
        groups[group].append(word)
    empty = [g for g, words in groups.items() if not words]
    if empty:
        raise BrandDataError(f"{path.name}: no words for {', '.join(empty)}")
    return FeatureWords(tuple(groups["verb"]), tuple(groups["follower"]), tuple(groups["brandish"]),
                        tuple(groups["institution"]), {k: tuple(groups[f"right:{k}"]) for k in RIGHT_KINDS})


@lru_cache(maxsize=1)
def feature_words() -> FeatureWords:
    return load_feature_words(DATA_DIR / "brand_features.tsv")


# --- rows -------------------------------------------------------------------

def candidate_row(text: str, cand: Candidate) -> dict:
    """The row of a candidate found in ``text`` (the fields ``features`` reads)."""
    return {
        "text": cand.text, "quoted": cand.quoted, "quote_style": cand.quote_style,
        "full_text": cand.full_text, "head": cand.head,
        "left": text[max(0, cand.start - CONTEXT):cand.start],
        "right": text[cand.end:cand.end + CONTEXT],
    }


def with_context(rows: Sequence[Mapping], texts: Optional[Mapping[str, str]] = None) -> list[dict]:
    """Labelled rows with left/right: rows without them (THUCNews articles, NER sentences)
    get them from their text, ``texts`` (id -> text) or else the shared folder
    (``corpus_context.texts``; CorpusMissing when a corpus is absent)."""
    if texts is None:
        texts = corpus_context.texts(r["doc"] for r in rows if "left" not in r)
    out = []
    for r in rows:
        if "left" not in r:
            text = texts.get(r["doc"])
            if text is None or text[r["start"]:r["end"]] != r["text"]:
                raise ValueError(f"{r['id']}: the corpus text at these offsets is not {r['text']!r}")
            left, right = corpus_context.window(text, r["start"], r["end"], CONTEXT)
            r = {**r, "left": left, "right": right}
        out.append(dict(r))
    return out


# --- features ---------------------------------------------------------------

ROW_FIELDS = ("text", "quote_style", "full_text", "head", "left", "right", "tail")


def features(row: Mapping) -> list[str]:
    """String features of one candidate row (order irrelevant, duplicates harmless)."""
    return list(_features(tuple(row.get(k) for k in ROW_FIELDS)))


def training_features(row: Mapping) -> list[str]:
    """``features(row)``, remembered: cross-validation fits and predicts the same rows
    many times. Only training uses it, so a long-running extraction keeps no cache."""
    return list(_remembered_features(tuple(row.get(k) for k in ROW_FIELDS)))


@lru_cache(maxsize=20000)
def _remembered_features(key: tuple) -> tuple:
    return _features(key)


def _features(key: tuple) -> tuple:
    row = {k: v for k, v in zip(ROW_FIELDS, key) if v is not None or k != "tail"}  # no tail: type_after reads it
    core = re.sub(r"\s+", "", row["text"])
    left, right = sentence_left(row["left"]), sentence_right(row["right"])
    out = [
        f"q={row.get('quote_style') or 'none'}",
        *_shape(core),
        *_ngrams("c", core, (1,)),
        *_head(row, core),
        *_extension(row),
        *_left(left, bool(row.get("quote_style"))),
        *_right(right),
        *_places(core, left),
        *[f"inst:{w}" for w in feature_words().institution if w in core],
        *_cues(row, core),
    ]
    return tuple(out + _conjunctions(out))


def _cues(row: Mapping, core: str) -> list[str]:
    """What the context cues read (pipeline.extract.brand_cues), for the candidates no
    cue decides: a creating verb before it, the kind of head after it (or its list),
    a core that is a common word."""
    out = ["verb_near"] if verb_before(row) else []
    tail = type_after(row)
    if tail:
        out.append(f"tail:{head_kind(tail[0])}")
    if common_freq(core) >= COMMON_FREQ:
        out.append("common_word")
    return out


def _conjunctions(feats: list[str]) -> list[str]:
    """Pairs a linear model cannot form by itself."""
    have = set(feats)
    quoted = "q=none" not in have
    head = "head=none" not in have
    out = [f"quoted&head={head}" if quoted else f"bare&head={head}"]
    if quoted and "place_before" in have:
        out.append("quoted&place_before")
    if "num_start" in have:
        out.append(f"num&head={head}")
    if not quoted and "place_start" in have and head:
        out.append("bare&place_start&head")
    kinds = [f.split(":", 1)[1] for f in feats if f.startswith("right_kind:")]
    out += [f"{'quoted' if quoted else 'bare'}&right={k}" for k in kinds]
    return out


def _ngrams(prefix: str, s: str, sizes: Sequence[int]) -> list[str]:
    return [f"{prefix}{n}:{s[i:i + n]}" for n in sizes for i in range(len(s) - n + 1)]


def _bucket(n: int) -> str:
    for top in LENGTH_BUCKETS:
        if n <= top:
            return f"<={top}"
    return f">{LENGTH_BUCKETS[-1]}"


def _share(n: int, total: int) -> str:
    if n == 0:
        return "0"
    return "all" if n == total else ("most" if n * 2 >= total else "some")


def _shape(core: str) -> list[str]:
    n = max(len(core), 1)
    digits = sum(ch.isdigit() for ch in core)
    latin = sum(ch.isascii() and ch.isalpha() for ch in core)
    out = [f"len{_bucket(len(core))}", f"digits={_share(digits, n)}", f"latin={_share(latin, n)}",
           f"p1:{core[:1]}", f"p2:{core[:2]}", f"s1:{core[-1:]}", f"s2:{core[-2:]}", f"s3:{core[-3:]}"]
    marks = {"dot": "·•・", "list": "、", "comma": "，,", "colon": "：:", "end": SENTENCE_END,
             "innerquote": OPEN_QUOTES, "plus": "+＋", "dash": "—-"}
    out += [f"has:{name}" for name, chars in marks.items() if any(ch in chars for ch in core)]
    words = [w for w in feature_words().brandish if w in core]
    out += [f"word:{w}" for w in words] + ([f"brandish={min(len(words), 3)}"] if words else [])
    if NUMERAL_START.match(core):
        out.append("num_start")
    return out


def _head(row: Mapping, core: str) -> list[str]:
    head = row.get("head")
    if not head:
        return ["head=none"]
    kind = head_kind(head)
    where = "ext" if row.get("full_text") else ("core" if core.endswith(head) else "inner")
    return [f"head={head}", f"kind={kind}", f"headat={where}"]


def _extension(row: Mapping) -> list[str]:
    full = row.get("full_text")
    if not full:
        return []
    at = full.find(row["text"])
    ext = full[at + len(row["text"]):] if at >= 0 else ""
    ext = re.sub(r"\s+", "", ext).lstrip(CLOSE_QUOTES)
    return ["full", f"extlen{_bucket(len(ext))}", f"ext2:{ext[-2:]}"]


def _left(left: str, quoted: bool) -> list[str]:
    bare = left.rstrip()
    if quoted and bare and bare[-1] in OPEN_QUOTES:
        bare = bare[:-1].rstrip()
    out = [f"l1:{bare[-1:] or '^'}", f"l2:{bare[-2:]}"]
    out += [f"verb:{v}" for v in feature_words().verbs if v in bare]
    if bare.endswith(("”、", "”，", "”", "”和", "”与", "”及")):
        out.append("in_list")
    if bare and bare[-1] in "：:":
        out.append("after_colon")
    return out


def _right(right: str) -> list[str]:
    bare = right.lstrip()
    listed = re.match(r"^[”’」』\"]\s*[、，,和与及]?\s*[“‘「『\"]", bare) is not None
    if bare and bare[0] in CLOSE_QUOTES:
        bare = bare[1:].lstrip()
    out = [f"r1:{bare[:1] or '$'}", f"r2:{bare[:2]}"]
    words = feature_words()
    out += [f"follow:{w}" for w in words.followers if bare.startswith(w)]
    phrase = re.split(r"[，,、。；;：:！？!?“”]", bare, maxsplit=1)[0][:20]
    out += [f"right_kind:{kind}" for kind, kind_words in words.right.items()
            if any(w in phrase for w in kind_words)]
    return out + (["in_list"] if listed else [])


def _places(core: str, left: str) -> list[str]:
    words = place_words()
    bare = left.rstrip().rstrip(OPEN_QUOTES).rstrip()
    out = []
    if any(bare.endswith(w) for w in _suffixes(bare, words)):
        out.append("place_before")
    if any(core.startswith(w) for w in _prefixes(core, words)):
        out.append("place_start")
    return out


def _suffixes(s: str, words: frozenset) -> list[str]:
    return [s[-n:] for n in range(2, min(len(s), 8) + 1) if s[-n:] in words]


def _prefixes(s: str, words: frozenset) -> list[str]:
    return [s[:n] for n in range(2, min(len(s), 8) + 1) if s[:n] in words]


# --- the model ----------------------------------------------------------------

@dataclass(frozen=True)
class BrandModel:
    """A fitted multinomial logistic regression over ``features``."""

    classes: tuple
    intercept: tuple
    weights: Mapping  # feature -> tuple of one weight per class
    threshold: float = 0.5
    meta: Optional[Mapping] = None

    def scores(self, row: Mapping, feats: Optional[Sequence[str]] = None) -> list[float]:
        """``feats``: ``features(row)`` when the caller has them already."""
        z = list(self.intercept)
        for f in set(features(row) if feats is None else feats):
            w = self.weights.get(f)
            if w is not None:
                z = [a + b for a, b in zip(z, w)]
        return z

    def predict_proba(self, row: Mapping, feats: Optional[Sequence[str]] = None) -> dict[str, float]:
        z = self.scores(row, feats)
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}

    def strongest(self, row: Mapping, towards: str, against: str,
                  feats: Optional[Sequence[str]] = None) -> tuple[str, float]:
        """The feature of ``row`` that pushes hardest from class ``against`` to class
        ``towards``, and its weight difference: what an editor reads as the model's cue.
        ``feats``: ``features(row)`` when the caller has them already."""
        a, b = self.classes.index(towards), self.classes.index(against)
        pulls = [(w[a] - w[b], f) for f in sorted(set(features(row) if feats is None else feats))
                 if (w := self.weights.get(f)) and not f.startswith(SILENT)]
        if not pulls:
            return "", 0.0
        pull, feature = max(pulls)
        return feature, pull

    def to_json(self) -> dict:
        return {"format": FORMAT, "classes": list(self.classes), "intercept": list(self.intercept),
                "threshold": self.threshold, "meta": dict(self.meta or {}),
                "weights": {f: list(w) for f, w in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: Mapping) -> "BrandModel":
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT!r} model: format {data.get('format')!r}")
        classes = tuple(data["classes"])
        if not set(classes) <= set(LABELS) or len(data["intercept"]) != len(classes):
            raise ValueError(f"unexpected classes {classes}")
        weights = {f: tuple(w) for f, w in data["weights"].items()}
        if any(len(w) != len(classes) for w in weights.values()):
            raise ValueError("a weight row does not have one weight per class")
        return cls(classes, tuple(data["intercept"]), weights, float(data.get("threshold", 0.5)),
                   data.get("meta"))

    @classmethod
    def from_pipeline(cls, pipe, *, threshold: float = 0.5, meta: Optional[Mapping] = None,
                      digits: int = 5) -> "BrandModel":
        """Read the weights out of a fitted ``build_pipeline()`` pipeline."""
        vec, clf = pipe.named_steps["vec"], pipe.named_steps["clf"]
        coef = clf.coef_.T  # features x classes
        weights = {}
        for f, i in vec.vocabulary_.items():
            row = tuple(round(float(v), digits) for v in coef[i])
            if any(row):
                weights[f] = row
        intercept = tuple(round(float(v), digits) for v in clf.intercept_)
        return cls(tuple(str(c) for c in clf.classes_), intercept, weights, threshold, meta)


def brand_probability(probs: Mapping[str, float]) -> float:
    """The probability that the candidate is a brand of any kind."""
    return sum(p for label, p in probs.items() if label in BRAND_LABELS)


def best_label(probs: Mapping[str, float], labels: Sequence[str] = LABELS) -> str:
    return max((label for label in labels if label in probs), key=lambda label: probs[label])


def save_model(model: BrandModel, folder: Path = MODELS_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    text = json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same model gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))
    return path


def read_model(path: Path) -> BrandModel:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return BrandModel.from_json(json.load(f))


@lru_cache(maxsize=4)
def load_model(folder: Path = MODELS_DIR) -> Optional[BrandModel]:
    """The shipped model, or None (with a warning) when there is none. A model
    file that cannot be read raises BrandDataError: a damaged installation
    should stop the run, not quietly change what counts as a brand."""
    path = Path(folder) / MODEL_FILE
    if not path.is_file():
        warnings.warn(f"no brand classifier at {path}: brands fall back to rules", stacklevel=2)
        return None
    try:
        return read_model(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BrandDataError(f"{path}: cannot read the brand classifier ({exc}); "
                             "restore it from the repository or rebuild it with "
                             "scripts/train_brand_classifier.py") from exc


# --- training (scikit-learn, imported only here) -----------------------------

C = 2.0
MIN_DF = 2
BRAND_WEIGHT = 3.0  # the six brand labels are 7% of the rows
SEED_WEIGHT = 3.0   # rows from the project's own articles (seeds, genre set, written), the genre judged
OWN_CATEGORIES = ("seed", "genre_dev", "written")
NEWS_WEIGHT = 1.0   # rows from the People's Daily / MSRA political news sentences
NEWS_CATEGORIES = ("peoples_daily", "msra")
THRESHOLD = 0.4     # brand probability from which a candidate is a brand (see MODEL_CARD.md)


def build_pipeline(*, c: float = C, min_df: int = MIN_DF, seed: int = 0):
    """An unfitted scikit-learn Pipeline: features -> binary counts -> logistic regression."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("vec", CountVectorizer(analyzer=training_features, binary=True, min_df=min_df, lowercase=False)),
        ("clf", LogisticRegression(C=c, max_iter=5000, random_state=seed)),
    ])


def sample_weights(rows: Sequence[Mapping], *, brand_weight: float = BRAND_WEIGHT,
                   seed_weight: float = SEED_WEIGHT, news_weight: float = NEWS_WEIGHT) -> list[float]:
    source = {**dict.fromkeys(OWN_CATEGORIES, seed_weight), **dict.fromkeys(NEWS_CATEGORIES, news_weight)}
    return [(brand_weight if r["label"] in BRAND_LABELS else 1.0) * source.get(r.get("category"), 1.0)
            for r in rows]


def train(rows: Sequence[Mapping], *, c: float = C, min_df: int = MIN_DF, seed: int = 0,
          brand_weight: float = BRAND_WEIGHT, seed_weight: float = SEED_WEIGHT,
          news_weight: float = NEWS_WEIGHT, threshold: float = THRESHOLD,
          meta: Optional[Mapping] = None) -> BrandModel:
    """Fit on labelled rows and return the runnable model."""
    rows = list(rows)
    pipe = build_pipeline(c=c, min_df=min_df, seed=seed)
    weights = sample_weights(rows, brand_weight=brand_weight, seed_weight=seed_weight, news_weight=news_weight)
    pipe.fit(rows, [r["label"] for r in rows], clf__sample_weight=weights)
    return BrandModel.from_pipeline(pipe, threshold=threshold, meta=meta)
