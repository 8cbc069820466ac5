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
SOURCES = ("seed", "genre_dev", "written", "thucnews", "peoples_daily", "msra")
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)
OWN_FOLDERS = {"seed": REPO / "corpora" / "seeds", "genre_dev": REPO / "corpora" / "genre_dev",
               "written": REPO / "corpora" / "brands" / "written"}
GOLD_FOLDERS = {"seed": REPO / "corpora" / "gold" / "seeds", "genre_dev": REPO / "corpora" / "gold" / "genre_dev"}


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
    own = row["category"] in bcl.OWN_CATEGORIES
    source = row["category"] if own else corpus_context.corpus_of(row["doc"])
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
            probs = model.predict_proba(rows[i], bcl.training_features(rows[i]))
            predicted[i], p_brand[i] = bcl.best_label(probs), bcl.brand_probability(probs)
    scores = score(labels, predicted.astype(str), p_brand)
    scores["decision"] = decision_score(rows, p_brand)
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


def decision_score(rows: list[dict], p_brand, threshold: float = bcl.THRESHOLD) -> dict:
    """Brand vs not when a context cue decides the rows it reads and the model the rest."""
    from sklearn.metrics import precision_recall_fscore_support

    from pipeline.extract.brand_cues import cue_of

    cues = [cue_of(r) for r in rows]
    predicted = [c.accept if c else p >= threshold for c, p in zip(cues, p_brand)]
    gold = [r["label"] in bcl.BRAND_LABELS for r in rows]
    p, r, f, _ = precision_recall_fscore_support(gold, predicted, average="binary", zero_division=0)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def plain_cv(rows: list[dict]) -> dict:
    from sklearn.model_selection import StratifiedKFold

    return cross_validate(rows, StratifiedKFold(FOLDS, shuffle=True, random_state=SEED))


def grouped_cv(rows: list[dict]) -> dict:
    from sklearn.model_selection import GroupKFold

    return cross_validate(rows, GroupKFold(FOLDS), [group_of(r) for r in rows])


# --- own articles held out, end to end ------------------------------------------

def own_documents(rows: list[dict]) -> list[tuple[str, Path, dict]]:
    """(doc id, article, gold) of every own article with labelled rows: the gold file
    where there is one (seeds, genre set), else the brand rows of the article (written
    for the labels): brand labels required, borderline ones optional."""
    out = []
    for doc in dict.fromkeys(r["doc"] for r in rows if r["category"] in bcl.OWN_CATEGORIES):
        category = next(r["category"] for r in rows if r["doc"] == doc)
        name = doc.split("/")[-1]
        gold_path = GOLD_FOLDERS.get(category, Path("/nonexistent")) / name.replace(".txt", ".json")
        gold = (json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.is_file()
                else _gold_from_rows([r for r in rows if r["doc"] == doc]))
        out.append((doc, OWN_FOLDERS[category] / name, gold))
    return out


def _gold_from_rows(rows: list[dict]) -> dict:
    def names(keep):
        return [{"name": r["full_text"] if "full name" in r["note"] else r["text"]}
                for r in rows if r["label"] in bcl.BRAND_LABELS and keep(r)]

    return {"brands": names(lambda r: "borderline" not in r["note"]),
            "brands_optional": names(lambda r: "borderline" in r["note"])}


def held_out_documents(rows: list[dict], documents: list[tuple[str, Path, dict]],
                       thresholds=THRESHOLDS) -> dict:
    """Own articles in FOLDS groups (every FOLDS-th article in file order): each group
    judged (cues, a model trained without its rows, document rules) at each threshold,
    its brands scored like `evaluate`. By threshold and by source."""
    from dataclasses import replace

    from pipeline.analysis import analyze
    from pipeline.evaluate import Report, score_document
    from pipeline.extract.brands import brands_from, judge
    from pipeline.extract.regions import extract_regions

    reports = {t: {} for t in thresholds}
    for fold in range(FOLDS):
        held = documents[fold::FOLDS]
        model = bcl.train([r for r in rows if r["doc"] not in {d for d, _, _ in held}], seed=SEED)
        for doc, path, gold in held:
            analysed = analyze(path.read_text(encoding="utf-8"))
            regions = extract_regions(analysed)
            source = next(r["category"] for r in rows if r["doc"] == doc)
            for t in thresholds:
                brands = brands_from(analysed, judge(analysed, replace(model, threshold=t)), regions)
                score_document(reports[t].setdefault(source, Report()),
                               {"brands": [b.model_dump() for b in brands]}, gold)
    return {str(t): {source: _tally(report) for source, report in by_source.items()} | {"all": _pooled(by_source)}
            for t, by_source in reports.items()}


def _tally(report) -> dict:
    t = report.tallies["brands"]
    return {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": round(t.precision, 4),
            "recall": round(t.recall, 4), "f1": round(t.f1, 4)}


def _pooled(by_source: dict) -> dict:
    tp, fp, fn = (sum(r.tallies["brands"].__getattribute__(k) for r in by_source.values()) for k in ("tp", "fp", "fn"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def cue_precision(rows: list[dict]) -> dict:
    """Each context rule's verdicts on the labelled rows: how often a rule that accepts
    meets a brand label, and a rule that rejects a non-brand one, by source."""
    from pipeline.extract.brand_cues import cue_of

    out: dict = {}
    for r in rows:
        cue = cue_of(r)
        if cue is None:
            continue
        right = (r["label"] in bcl.BRAND_LABELS) == cue.accept
        cell = out.setdefault(cue.rule, {}).setdefault("own" if r["category"] in bcl.OWN_CATEGORIES else "news",
                                                        {"right": 0, "wrong": 0})
        cell["right" if right else "wrong"] += 1
    return out


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
        d = m["decision"]
        lines += ["", f"With the context cues deciding the rows they read (brand_cues.py) and the model the "
                  f"rest, at threshold {model.threshold}: brand precision {d['precision']:.3f}, recall "
                  f"{d['recall']:.3f}, F1 **{d['f1']:.3f}**."]
    lines += ["", "### Own articles held out, end to end", "",
              f"The own articles (seeds, genre development set, articles written for the labels) in {FOLDS} "
              "groups, each judged by the cues, a model trained without its group's rows and the document "
              "rules, scored by `evaluate`'s brand matcher against its gold (the written articles: their "
              "brand rows), by threshold:", "",
              "| threshold | source | tp | fp | fn | precision | recall | F1 |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t, by_source in metrics["held_out"].items():
        lines += [f"| {t} | {src} | {v['tp']} | {v['fp']} | {v['fn']} | {v['precision']:.3f} | {v['recall']:.3f} "
                  f"| {v['f1']:.3f} |" for src, v in by_source.items()]
    lines += ["", "### Context rules on the labelled rows", "",
              "How often each rule's verdict agrees with the label (own articles / news rows):", "",
              "| rule | own right | own wrong | news right | news wrong |", "| --- | ---: | ---: | ---: | ---: |"]
    for rule, cells in sorted(metrics["cues"].items()):
        own, news = cells.get("own", {}), cells.get("news", {})
        lines.append(f"| {rule} | {own.get('right', 0)} | {own.get('wrong', 0)} | {news.get('right', 0)} "
                     f"| {news.get('wrong', 0)} |")
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
        metrics["held_out"] = held_out_documents(rows, own_documents(rows))
        metrics["cues"] = cue_precision(rows)
        print(json.dumps({k: metrics[k] for k in ("plain_cv", "grouped_cv", "held_out", "cues")},
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
