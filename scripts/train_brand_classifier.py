"""Train the brand candidate classifier and write it with its model card.

Reads the hand-labelled candidates (corpora/brands/labelled.json; the context
of third-party rows is cut from the shared THUCNews sample and NER sentence
files, which training therefore needs: ../shared or ZHNEWS_SHARED), reports
cross-validated scores (plain stratified 5-fold, and grouped by document so
that one article's candidates never sit in train and test at once; NER
sentences are grouped in blocks of consecutive sentences, SENTENCE_BLOCK,
since neighbouring sentences come from one article), scores
brand extraction on each seed article with a model trained without it, then
fits on every row and writes models/brand_classifier/model.json.gz and
MODEL_CARD.md. Deterministic: fixed seeds, fixed row order.

Example:
    PYTHONPATH=. python scripts/train_brand_classifier.py
    PYTHONPATH=. python scripts/train_brand_classifier.py --data corpora/brands/labelled.json --no-save
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline import brand_classifier as bcl  # noqa: E402
from pipeline import corpus_context  # noqa: E402
from pipeline.corpus_context import CorpusMissing  # noqa: E402

DEFAULT_DATA = REPO / "corpora" / "brands" / "labelled.json"
SEED = 0
FOLDS = 5
SENTENCE_BLOCK = 25  # consecutive NER sentences grouped together in grouped CV
SOURCES = ("seed", "thucnews", "peoples_daily", "msra")


def load_rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise SystemExit(f"error: no labelled brand candidates at {path} (pass --data PATH)")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SystemExit(f"error: {path} is not valid JSON: {exc}")
    bad = [r.get("id") for r in rows if r.get("label") not in bcl.LABELS]
    if not isinstance(rows, list) or not rows or bad:
        raise SystemExit(f"error: {path} needs a JSON array of labelled rows; bad labels: {bad[:5]}")
    try:
        return bcl.with_context(rows)
    except CorpusMissing as exc:
        raise SystemExit(f"error: {exc}. The third-party rows of {path} store offsets, not text, "
                         "and the seed rows alone are not the training set.")
    except ValueError as exc:
        raise SystemExit(f"error: {exc} (is a shared corpus another version?)")


def source_of(row: dict) -> str:
    source = "seed" if row["category"] == "seed" else corpus_context.corpus_of(row["doc"])
    if source is None:
        raise ValueError(f"{row['id']}: neither a seed nor a known corpus")
    return source


def group_of(row: dict) -> str:
    """The document of a row for grouped CV: NER sentences in blocks of SENTENCE_BLOCK."""
    found = corpus_context.ner_doc(row["doc"])
    return f"{found[0]}#{found[1] // SENTENCE_BLOCK}" if found else row["doc"]


# --- cross-validation --------------------------------------------------------

def cross_validate(rows: list[dict], splitter, groups=None) -> dict:
    """Out-of-fold predictions of the pipeline, scored."""
    import numpy as np

    labels = np.array([r["label"] for r in rows])
    predicted = np.empty(len(rows), dtype=object)
    p_brand = np.zeros(len(rows))
    for train_i, test_i in splitter.split(rows, labels, groups):
        model = bcl.train([rows[i] for i in train_i], seed=SEED)
        for i in test_i:
            probs = model.predict_proba(rows[i])
            predicted[i], p_brand[i] = bcl.best_label(probs), bcl.brand_probability(probs)
    scores = score(labels, predicted.astype(str), p_brand)
    sources = np.array([source_of(r) for r in rows])
    scores["accuracy_by_source"] = {s: round(float((labels == predicted)[sources == s].mean()), 4)
                                    for s in SOURCES if (sources == s).any()}
    return scores


def score(labels, predicted, p_brand, threshold: float = 0.5) -> dict:
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    gold_brand = [label in bcl.BRAND_LABELS for label in labels]
    pred_brand = [p >= threshold for p in p_brand]
    p, r, f, n = precision_recall_fscore_support(labels, predicted, labels=list(bcl.LABELS), zero_division=0)
    bp, br, bf, _ = precision_recall_fscore_support(gold_brand, pred_brand, average="binary", zero_division=0)
    return {
        "accuracy": round(accuracy_score(labels, predicted), 4),
        "binary_accuracy": round(accuracy_score(gold_brand, pred_brand), 4),
        "binary_brand": {"precision": round(bp, 4), "recall": round(br, 4), "f1": round(bf, 4)},
        "per_class": {label: {"precision": round(p[k], 4), "recall": round(r[k], 4), "f1": round(f[k], 4),
                              "support": int(n[k])} for k, label in enumerate(bcl.LABELS)},
    }


def plain_cv(rows: list[dict]) -> dict:
    from sklearn.model_selection import StratifiedKFold

    return cross_validate(rows, StratifiedKFold(FOLDS, shuffle=True, random_state=SEED))


def grouped_cv(rows: list[dict]) -> dict:
    from sklearn.model_selection import GroupKFold

    return cross_validate(rows, GroupKFold(FOLDS), [group_of(r) for r in rows])


# --- held-out seeds, end to end ------------------------------------------------

def held_out_seeds(rows: list[dict], seeds: Path, gold: Path) -> Optional[dict]:
    """Per seed article: train without its rows, extract its brands, score like `evaluate`."""
    from pipeline.analysis import analyze
    from pipeline.evaluate import Report, score_document
    from pipeline.extract.brands import brands_from, judge
    from pipeline.extract.regions import extract_regions

    if not seeds.is_dir() or not gold.is_dir():
        return None
    report, per_doc = Report(), {}
    for path in sorted(seeds.glob("*.txt")):
        gold_path = gold / (path.stem + ".json")
        if not gold_path.is_file():
            continue
        model = bcl.train([r for r in rows if r["doc"] != path.name], seed=SEED)
        doc = analyze(path.read_text(encoding="utf-8"))
        brands = brands_from(doc, judge(doc, model), extract_regions(doc))
        before = report.tallies["brands"].tp, report.tallies["brands"].fp, report.tallies["brands"].fn
        score_document(report, {"brands": [b.model_dump() for b in brands]},
                       json.loads(gold_path.read_text(encoding="utf-8")))
        after = report.tallies["brands"]
        per_doc[path.name] = {"tp": after.tp - before[0], "fp": after.fp - before[1], "fn": after.fn - before[2]}
    t = report.tallies["brands"]
    return {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": round(t.precision, 4),
            "recall": round(t.recall, 4), "f1": round(t.f1, 4), "documents": per_doc}


# --- the card ------------------------------------------------------------------

def counts(rows: list[dict]) -> dict:
    out = {label: dict.fromkeys(SOURCES, 0) for label in bcl.LABELS}
    for r in rows:
        out[r["label"]][source_of(r)] += 1
    return out


def class_table(result: dict) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
    for label, s in result["per_class"].items():
        lines.append(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    return lines


BEGIN, END = "<!-- generated:begin -->", "<!-- generated:end -->"


def generated_section(rows: list[dict], metrics: dict, model: bcl.BrandModel) -> str:
    """The card's measured part, written by every training run."""
    lines = [f"Trained {metrics['date']} with scikit-learn {metrics['sklearn_version']} on "
             f"`{metrics['data']}`: {len(rows)} rows from {len({r['doc'] for r in rows})} documents, "
             f"{sum(r['label'] in bcl.BRAND_LABELS for r in rows)} with a brand label. "
             f"C={bcl.C}, min_df={bcl.MIN_DF}, brand weight {bcl.BRAND_WEIGHT}, seed weight "
             f"{bcl.SEED_WEIGHT}, threshold {model.threshold}; {len(model.weights)} features kept.", ""]
    n = counts(rows)
    lines += ["### Data", "", f"| label | {' | '.join(SOURCES)} | total |", "| --- |" + " ---: |" * (len(SOURCES) + 1)]
    lines += [f"| {k} | {' | '.join(str(v[s]) for s in SOURCES)} | {sum(v.values())} |" for k, v in n.items()]
    for key, title in (("plain_cv", "Plain 5-fold cross-validation (stratified, shuffled, seed 0)"),
                       ("grouped_cv", "Grouped 5-fold cross-validation (GroupKFold by document)")):
        m = metrics[key]
        lines += ["", f"### {title}", "",
                  f"Accuracy (11 labels) **{m['accuracy']:.3f}**; brand vs not accuracy "
                  f"**{m['binary_accuracy']:.3f}** (brand precision {m['binary_brand']['precision']:.3f}, "
                  f"recall {m['binary_brand']['recall']:.3f}, F1 {m['binary_brand']['f1']:.3f}). "
                  "Accuracy by source of the row: "
                  + ", ".join(f"{s} {a:.3f}" for s, a in m["accuracy_by_source"].items()) + ".", ""]
        lines += class_table(m)
    held = metrics.get("held_out_seeds")
    lines += ["", "### Seed articles held out, end to end", ""]
    if held is None:
        lines.append("Not computed (seed texts or gold absent).")
    else:
        lines += [f"Each seed article scored by `evaluate`'s brand matcher with a model trained without its "
                  f"rows: precision {held['precision']:.3f}, recall {held['recall']:.3f}, "
                  f"F1 **{held['f1']:.3f}** (tp {held['tp']}, fp {held['fp']}, fn {held['fn']}).", "",
                  "| seed | tp | fp | fn |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {d} | {s['tp']} | {s['fp']} | {s['fn']} |" for d, s in held["documents"].items()]
    return "\n".join(lines)


def write_card(path: Path, rows: list[dict], metrics: dict, model: bcl.BrandModel) -> None:
    """Replace the generated section of the card (the prose around it is kept)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Brand classifier\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(f"{head}{BEGIN}\n{generated_section(rows, metrics, model)}\n{END}{tail}", encoding="utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled rows (JSON array)")
    parser.add_argument("--out", type=Path, default=bcl.MODELS_DIR, help="model folder")
    parser.add_argument("--seeds", type=Path, default=REPO / "corpora" / "seeds")
    parser.add_argument("--gold", type=Path, default=REPO / "corpora" / "gold" / "seeds")
    parser.add_argument("--no-save", action="store_true", help="report only, write nothing")
    parser.add_argument("--skip-cv", action="store_true", help="fit and save without cross-validation")
    args = parser.parse_args(argv)
    import sklearn

    rows = load_rows(args.data)
    metrics = {"date": dt.date.today().isoformat(), "sklearn_version": sklearn.__version__,
               "data": str(args.data.resolve().relative_to(REPO)) if args.data.resolve().is_relative_to(REPO)
               else str(args.data)}
    if not args.skip_cv:
        metrics["plain_cv"] = plain_cv(rows)
        metrics["grouped_cv"] = grouped_cv(rows)
        metrics["held_out_seeds"] = held_out_seeds(rows, args.seeds, args.gold)
        print(json.dumps({k: metrics[k] for k in ("plain_cv", "grouped_cv", "held_out_seeds")},
                         ensure_ascii=False, indent=1))
    meta = {"trained_on": metrics["data"], "rows": len(rows), "sklearn_version": metrics["sklearn_version"],
            "c": bcl.C, "min_df": bcl.MIN_DF, "brand_weight": bcl.BRAND_WEIGHT,
            "seed_weight": bcl.SEED_WEIGHT, "seed": SEED}
    model = bcl.train(rows, seed=SEED, meta=meta)
    if args.no_save:
        return 0
    path = bcl.save_model(model, args.out)
    print(f"wrote {path} ({len(model.weights)} features)")
    if not args.skip_cv:
        (args.out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
        write_card(args.out / "MODEL_CARD.md", rows, metrics, model)
        print(f"wrote {args.out / 'MODEL_CARD.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
