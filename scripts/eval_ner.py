"""Score a spaCy pipeline on People's Daily test and MSRA test (exact spans).

    python scripts/eval_ner.py --data /work/shared/ner
    python scripts/eval_ner.py --model /tmp/other_model --data /work/shared/ner --json

Predicted labels are mapped with pipeline.nlp.LABEL_MAP (PERSON -> PER,
GPE -> LOC, ...); only PER, LOC and ORG are scored. A prediction counts when
its start, end and label equal a gold span's. Texts get the pipeline's
full-width folding (offsets unchanged) before they reach the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_corpora import check_data, load  # noqa: E402

LABELS = ("PER", "LOC", "ORG")
CORPORA = {"pd_test": "People's Daily test", "msra_test": "MSRA test"}


def load_model(name: str | None):
    """The named pipeline or path, else the shipped model."""
    import spacy

    from pipeline.nlp import _register, resolve_model

    _register()
    target = resolve_model(name)
    if target is None:
        raise SystemExit("no model: pass --model or train one with scripts/train_ner.py")
    return spacy.load(target)


def predicted_spans(nlp, texts: list[str]) -> list[set]:
    from pipeline.nlp import LABEL_MAP

    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        out.append({(e.start_char, e.end_char, LABEL_MAP.get(e.label_.upper())) for e in doc.ents})
    return out


def score(gold: list[set], pred: list[set]) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for lab in LABELS:
            gs = {s for s in g if s[2] == lab}
            ps = {s for s in p if s[2] == lab}
            tp[lab] += len(gs & ps)
            fp[lab] += len(ps - gs)
            fn[lab] += len(gs - ps)
    rows = {lab: prf(tp[lab], fp[lab], fn[lab]) for lab in LABELS}
    rows["micro"] = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return rows


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate(nlp, data: Path, keys=tuple(CORPORA)) -> dict:
    results = {}
    for key in keys:
        examples = load(data, key)
        started = time.time()
        pred = predicted_spans(nlp, [ex.text for ex in examples])
        results[key] = score([set(ex.spans) for ex in examples], pred)
        results[key]["seconds"] = round(time.time() - started, 1)
        results[key]["chars"] = sum(len(ex.text) for ex in examples)
    return results


def print_table(results: dict) -> None:
    print(f"{'corpus':20} {'label':6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6}")
    for key, rows in results.items():
        for lab in (*LABELS, "micro"):
            r = rows[lab]
            print(f"{CORPORA[key]:20} {lab:6} {r['p']:7.4f} {r['r']:7.4f} {r['f1']:7.4f} {r['tp'] + r['fn']:6}")
        print(f"{'':20} {rows['chars']} chars in {rows['seconds']} s")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="spaCy pipeline name or path (default: models/zhnews_ner)")
    p.add_argument("--data", type=Path, required=True, help="folder holding peoples_daily/ and msra/")
    p.add_argument("--only", choices=tuple(CORPORA), help="score one corpus")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = p.parse_args(argv)
    keys = (args.only,) if args.only else tuple(CORPORA)
    check_data(args.data, keys)
    results = evaluate(load_model(args.model), args.data, keys)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
