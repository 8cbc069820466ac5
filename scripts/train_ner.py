"""Train the project's spaCy NER pipeline (PER / LOC / ORG) and save it to models/.

    python scripts/train_ner.py --data /work/shared/ner --out models/zhnews_ner

Training data: CLUENER2020 train (name -> PER; organization, government,
company -> ORG; address -> LOC when it is a short place name, else unknown;
scene -> unknown; the other labels -> O) and People's Daily dev (PER/LOC/ORG),
of which every --holdout-th sentence is kept apart for early stopping.
People's Daily test and MSRA test are never read here (scripts/eval_ner.py).

The pipeline uses the project tokenizer (zhnews.CharTokenizer.v1: one token
per character carrying the jieba word, its B/I/E/S position and the word's
class) and a CNN tok2vec over ORTH, LEMMA, TAG and NORM. CPU only, fixed seed.
--span-loss prints how many training spans jieba tokens would cut, and exits.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_corpora import Example, check_data, load  # noqa: E402

TRAIN_KEYS = ("cluener_train", "pd_dev")
CLUENER_LABELS = {"name": "PER", "organization": "ORG", "government": "ORG", "company": "ORG"}
# CLUENER labels People's Daily annotates differently: their characters are
# left unknown (neither an entity nor O) instead of teaching a wrong O.
CLUENER_UNKNOWN = {"scene"}
SHORT_ADDRESS = 4  # CLUENER addresses up to this length are place names (台湾, 北京市)

CONFIG = """
[paths]
train = null
dev = null

[system]
seed = {seed}
gpu_allocator = null

[nlp]
lang = "zh"
pipeline = ["tok2vec","ner"]
batch_size = 1000

[nlp.tokenizer]
@tokenizers = "zhnews.CharTokenizer.v1"

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = {attrs}
rows = {rows}
include_static_vectors = {static}

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = {window}
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {hidden}
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "*"

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = {dropout}
accumulate_gradient = 1
patience = {patience}
max_epochs = {epochs}
max_steps = 0
eval_frequency = {eval_every}
frozen_components = []
annotating_components = []
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = {batch}
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[initialize]
vectors = {vectors}
"""


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, required=True, help="folder holding cluener/, peoples_daily/, msra/")
    p.add_argument("--out", type=Path, default=ROOT / "models" / "zhnews_ner", help="where to save the pipeline")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--patience", type=int, default=3000, help="steps without dev improvement before stopping")
    p.add_argument("--eval-every", type=int, default=200, help="steps between dev evaluations")
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--window", type=int, default=1)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.15)
    p.add_argument("--batch", type=int, default=3000, help="largest batch, in characters")
    p.add_argument("--attrs", default="ORTH,LEMMA,TAG,NORM", help="token attributes the embedding hashes")
    p.add_argument("--rows", default="8000,20000,100,500", help="hash-table rows per attribute")
    p.add_argument("--holdout", type=int, default=6, help="every Nth People's Daily dev sentence is early-stopping data")
    p.add_argument("--pd-weight", type=int, default=2, help="copies of the People's Daily training sentences")
    p.add_argument("--augment", type=int, default=1,
                   help="mention-replaced copies of each People's Daily training sentence")
    p.add_argument("--address", choices=("short", "loc", "unknown", "o"), default="short",
                   help="CLUENER address: LOC when short / always LOC / unknown / O")
    p.add_argument("--no-vectors", dest="vectors", action="store_false",
                   help="leave out the static character vectors from jieba's tagging model")
    p.add_argument("--no-cluener", action="store_true", help="train on People's Daily dev only")
    p.add_argument("--work", type=Path, help="keep the training folder here (default: a temporary one)")
    p.add_argument("--span-loss", action="store_true", help="print the jieba span-loss table and exit")
    p.add_argument("--family", choices=("crf", "spacy"), default="spacy",
                   help="spacy: the tok2vec + ner pipeline (shipped); crf: CRFsuite over character features (measured, not shipped: see MODEL_CARD.md)")
    p.add_argument("--c1", type=float, default=0.05, help="CRF L1 penalty")
    p.add_argument("--c2", type=float, default=0.01, help="CRF L2 penalty")
    p.add_argument("--iterations", type=int, default=150, help="CRF L-BFGS iterations")
    p.add_argument("--minfreq", type=float, default=1, help="CRF: features seen fewer times are dropped")
    return p.parse_args(argv)


# --- training examples -------------------------------------------------------

def cluener_spans(ex: Example, address: str) -> tuple[list, list]:
    """(entity spans, unknown spans) for a CLUENER sentence, in project labels.

    CLUENER and People's Daily disagree on place names: CLUENER leaves 中国 as O
    in half its sentences and labels 美国 "government". A span that is one jieba
    place word (class ns) becomes LOC, and the characters of place words CLUENER
    left unlabelled become unknown rather than O.
    """
    from pipeline.nlp import word_class
    from pipeline.segment import tokenize

    ents, unknown = [], []
    for start, end, label in ex.spans:
        place = word_class(ex.text[start:end]) == "ns"
        if label == "name":
            ents.append((start, end, "PER"))
        elif label in CLUENER_LABELS:
            ents.append((start, end, "LOC" if place else CLUENER_LABELS[label]))
        elif label == "address" and address != "o":
            if address == "loc" or (address == "short" and (place or end - start <= SHORT_ADDRESS)):
                ents.append((start, end, "LOC"))
            else:
                unknown.append((start, end))
        elif label in CLUENER_UNKNOWN:
            unknown.append((start, end))
    covered = {i for s, e, *_ in ex.spans for i in range(s, e)}
    for tok in tokenize(ex.text):
        if word_class(tok.text) == "ns" and not covered & set(range(tok.start, tok.end)):
            unknown.append((tok.start, tok.end))
    return ents, unknown


def augment(examples: list[Example], copies: int, seed: int) -> list[Example]:
    """Mention replacement: copies of each sentence with every entity swapped for
    another entity of the same label from the same pool (more contexts per name)."""
    rng = random.Random(seed)
    pool: dict[str, list[str]] = {}
    for ex in examples:
        for start, end, label in ex.spans:
            pool.setdefault(label, []).append(ex.text[start:end])
    out = []
    for ex in examples:
        if not ex.spans:
            continue
        for _ in range(copies):
            out.append(_replace_mentions(ex, pool, rng))
    return out


def _replace_mentions(ex: Example, pool: dict, rng: random.Random) -> Example:
    text, spans, shift, last = [], [], 0, 0
    for start, end, label in ex.spans:
        new = rng.choice(pool[label])
        text.append(ex.text[last:start])
        spans.append((start + shift, start + shift + len(new), label))
        text.append(new)
        shift += len(new) - (end - start)
        last = end
    text.append(ex.text[last:])
    return Example("".join(text), tuple(spans))


def make_doc(nlp, text: str, ents: list, unknown: list = ()):
    """A reference Doc: entity spans set, unknown characters left missing, the rest O."""
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    spans = filter_spans([doc.char_span(s, e, label=lab) for s, e, lab in ents])
    taken = {i for sp in spans for i in range(sp.start, sp.end)}
    missing = [doc[s:e] for s, e in unknown if not taken & set(range(s, e))]
    doc.set_ents(spans, missing=filter_spans(missing), default="outside")
    return doc


def split_examples(args) -> tuple[list, list]:
    """(text, spans, unknown) training sentences in a fixed order (People's Daily
    dev weighted, its augmented copies, CLUENER) and (text, spans) early-stopping
    sentences (every holdout-th People's Daily dev sentence); unshuffled."""
    pd = load(args.data, "pd_dev")
    dev = [(ex.text, list(ex.spans)) for i, ex in enumerate(pd) if i % args.holdout == args.holdout - 1]
    pd_train = [ex for i, ex in enumerate(pd) if i % args.holdout != args.holdout - 1]
    train = [(ex.text, list(ex.spans), []) for ex in pd_train] * args.pd_weight
    train += [(ex.text, list(ex.spans), []) for ex in augment(pd_train, args.augment, args.seed)]
    if not args.no_cluener:
        train += [(ex.text, *cluener_spans(ex, args.address)) for ex in load(args.data, "cluener_train")]
    return train, dev


def build_docs(nlp, args) -> tuple[list, list]:
    train, dev = split_examples(args)
    docs = [make_doc(nlp, text, spans, unknown) for text, spans, unknown in train]
    random.Random(args.seed).shuffle(docs)
    return docs, [make_doc(nlp, text, spans) for text, spans in dev]


def replace_keeping_card(out: Path, write: Callable[[Path], None]) -> None:
    """Write a model folder anew with `write`, keeping its hand-written MODEL_CARD.md."""
    card = out / "MODEL_CARD.md"
    keep = card.read_text(encoding="utf-8") if card.exists() else None
    if out.exists():
        shutil.rmtree(out)
    write(out)
    if keep:
        card.write_text(keep, encoding="utf-8")


# --- span loss -----------------------------------------------------------------

def span_loss(data: Path) -> dict:
    """Share of entity spans whose edges are not jieba token edges, per corpus and label."""
    from pipeline.segment import tokenize

    out = {}
    for key in ("cluener_train", "pd_dev", "pd_test", "msra_test"):
        total, cut = Counter(), Counter()
        for ex in load(data, key):
            edges = {x for t in tokenize(ex.text) for x in (t.start, t.end)}
            for start, end, label in ex.spans:
                total[label] += 1
                cut[label] += not (start in edges and end in edges)
        out[key] = {lab: {"spans": total[lab], "cut": cut[lab]} for lab in sorted(total)}
    return out


def print_span_loss(table: dict) -> None:
    print(f"{'corpus':14} {'label':13} {'spans':>6} {'cut by jieba':>13}  (characters: 0 cut)")
    for key, labels in table.items():
        for lab, row in labels.items():
            print(f"{key:14} {lab:13} {row['spans']:6} {100 * row['cut'] / row['spans']:12.1f}%")


# --- character vectors from jieba's tagging model ----------------------------------

def jieba_char_vectors() -> tuple[list[str], "numpy.ndarray"]:
    """One vector per character: its log emission probability under each of the
    256 (B/M/E/S x part-of-speech) states of jieba's POS-tagging HMM, missing
    values floored, each dimension standardized. jieba (MIT) learnt these from
    a large segmented and tagged corpus: P(李 | B-nr) is high, P(们 | B-nr) is not."""
    import numpy
    from pipeline.nlp import _emissions

    P = _emissions()

    states = [s for s in sorted(P) if P[s]]
    chars = sorted({c for table in P.values() for c in table})
    index = {c: i for i, c in enumerate(chars)}
    data = numpy.full((len(chars), len(states)), numpy.nan, dtype="float32")
    for j, state in enumerate(states):
        for c, logp in P[state].items():
            data[index[c], j] = logp
    floor = numpy.nanmin(data, axis=0) - 1.0
    data = numpy.where(numpy.isnan(data), floor, data)
    data = (data - data.mean(axis=0)) / (data.std(axis=0) + 1e-6)
    return chars, data.astype("float32")


def write_vectors(path: Path) -> Path:
    """A blank pipeline holding the character vectors, for [initialize] vectors."""
    from pipeline.nlp import blank

    nlp = blank()
    chars, data = jieba_char_vectors()
    for c, row in zip(chars, data):
        nlp.vocab.set_vector(c, row)
    nlp.to_disk(path)
    return path


def write_config(path: Path, args) -> None:
    attrs = [a.strip() for a in args.attrs.split(",")]
    rows = [int(r) for r in args.rows.split(",")]
    if len(attrs) != len(rows):
        raise SystemExit("--attrs and --rows need the same number of items")
    text = CONFIG.format(seed=args.seed, width=args.width, depth=args.depth, window=args.window,
                         hidden=args.hidden, dropout=args.dropout, batch=args.batch, patience=args.patience,
                         epochs=args.epochs, eval_every=args.eval_every,
                         static="true" if args.vectors else "false",
                         vectors=json.dumps(str(args.vectors_path)) if args.vectors else "null",
                         attrs=json.dumps(attrs), rows=json.dumps(rows))
    path.write_text(text, encoding="utf-8")


# --- main ----------------------------------------------------------------------

def train(args) -> Path:
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import DocBin

    from pipeline.nlp import blank

    nlp = blank()
    work = args.work or Path(tempfile.mkdtemp(prefix="zhnews_ner_"))
    work.mkdir(parents=True, exist_ok=True)
    train_docs, dev_docs = build_docs(nlp, args)
    DocBin(docs=train_docs).to_disk(work / "train.spacy")
    DocBin(docs=dev_docs).to_disk(work / "dev.spacy")
    print(f"training sentences: {len(train_docs)}, early-stopping sentences: {len(dev_docs)}", flush=True)
    if args.vectors:
        args.vectors_path = write_vectors(work / "vectors")
    write_config(work / "config.cfg", args)
    spacy_train(work / "config.cfg", work / "output", use_gpu=-1,
                overrides={"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy")})
    return work / "output" / "model-best"


def save(best: Path, out: Path, args, seconds: float) -> None:
    replace_keeping_card(out, lambda path: shutil.copytree(best, path))
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta.update(name="zhnews_ner", version="0.1.0", license="see MODEL_CARD.md (training data terms)",
                description="PER/LOC/ORG NER over the zhnews character tokenizer (zhnews.CharTokenizer.v1)",
                sources=[{"name": "CLUENER2020 train", "url": "https://github.com/CLUEbenchmark/CLUENER2020"},
                         {"name": "People's Daily 1998 NER, dev split"},
                         {"name": "jieba POS-tagging emission table (character vectors)",
                          "url": "https://github.com/fxsjy/jieba"}],
                zhnews_training={"command": " ".join(["python", *sys.argv]), "seconds": round(seconds),
                                 "date": time.strftime("%Y-%m-%d")})
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    clean_config(out / "config.cfg")


def clean_config(path: Path) -> None:
    """Drop the training run's temporary paths from the saved config."""
    from spacy.util import load_config

    config = load_config(path, interpolate=False)
    config["paths"]["train"] = config["paths"]["dev"] = None
    config["initialize"]["vectors"] = None
    config.to_disk(path)


# --- the CRF alternative (--family crf; measured, not shipped) -------------------------

def crf_examples(args) -> tuple[list, list]:
    """(text, spans) training and early-stopping sentences for the CRF. CRFsuite
    has no 'unknown' label: a CLUENER sentence with unknown characters is left
    out rather than teaching O where People's Daily would tag an entity."""
    train, dev = split_examples(args)
    kept = [(text, _outermost(spans)) for text, spans, unknown in train if not unknown]
    random.Random(args.seed).shuffle(kept)
    return kept, dev


def _outermost(spans: list) -> list:
    kept: list = []
    for s in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        if not any(a < s[1] and s[0] < b for a, b, _ in kept):
            kept.append(s)
    return sorted(kept)


def crf_items(text: str) -> list[list[str]]:
    from pipeline.crf_ner import sentence_features
    from pipeline.segment import tokenize

    return sentence_features(text, tokenize(text))


def train_crf(args) -> bytes:
    """Train CRFsuite (L-BFGS, L1 + L2) on the training sentences; the model's bytes."""
    import pycrfsuite

    from pipeline.crf_ner import bio_tags

    train, dev = crf_examples(args)
    print(f"training sentences: {len(train)}, early-stopping sentences: {len(dev)}", flush=True)
    trainer = pycrfsuite.Trainer(verbose=False)
    features: dict[str, list] = {}  # People's Daily sentences come pd_weight times: read them once
    for text, spans in train:
        if text not in features:
            features[text] = crf_items(text)
        trainer.append(features[text], bio_tags(len(text), spans))
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True, "feature.minfreq": args.minfreq})
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "model.crfsuite"
        trainer.train(str(path))
        model = path.read_bytes()
    print_crf_scores(model, dev)
    return model


def print_crf_scores(model: bytes, dev: list) -> None:
    from pipeline.crf_ner import CrfNer
    from pipeline.segment import tokenize

    crf, tp, fp, fn = CrfNer(model), Counter(), Counter(), Counter()
    for text, spans in dev:
        gold, pred = set(map(tuple, spans)), set(crf.spans(text, tokenize(text)))
        for s in gold | pred:
            (tp if s in gold and s in pred else fp if s in pred else fn)[s[2]] += 1
    for lab in ("PER", "LOC", "ORG", "all"):
        t, p_, n = (sum(c.values()) if lab == "all" else c[lab] for c in (tp, fp, fn))
        f1 = 2 * t / (2 * t + p_ + n) if t else 0.0
        print(f"early-stopping slice {lab}: F1 {f1:.3f} (tp {t}, fp {p_}, fn {n})", flush=True)


def save_crf(model: bytes, out: Path, seconds: float) -> None:
    from pipeline.crf_ner import FACTORY, LABELS, register
    from pipeline.nlp import blank

    register()
    nlp = blank()
    nlp.add_pipe(FACTORY, name="ner").crf.model = model
    nlp.meta.update(name="zhnews_ner", version="0.2.0", license="see MODEL_CARD.md (training data terms)",
                    description="PER/LOC/ORG CRF NER over the zhnews character tokenizer (zhnews.CharTokenizer.v1)",
                    labels={"ner": list(LABELS)},
                    sources=[{"name": "CLUENER2020 train", "url": "https://github.com/CLUEbenchmark/CLUENER2020"},
                             {"name": "People's Daily 1998 NER, dev split"},
                             {"name": "jieba POS-tagging emission table (character features)",
                              "url": "https://github.com/fxsjy/jieba"}],
                    zhnews_training={"command": " ".join(["python", *sys.argv]), "seconds": round(seconds),
                                     "date": time.strftime("%Y-%m-%d"), "family": "crf"})
    replace_keeping_card(out, nlp.to_disk)


def main(argv=None) -> int:
    args = parse_args(argv)
    check_data(args.data)
    if args.span_loss:
        print_span_loss(span_loss(args.data))
        return 0
    started = time.time()
    if args.family == "crf":
        model = train_crf(args)
        save_crf(model, args.out, time.time() - started)
        print(f"saved {args.out} in {time.time() - started:.0f} s")
        return 0
    keep = args.work is not None
    best = train(args)
    save(best, args.out, args, time.time() - started)
    if not keep:
        shutil.rmtree(best.parent.parent, ignore_errors=True)
    print(f"saved {args.out} in {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
