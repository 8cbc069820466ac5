"""Re-score the figures hand checks (corpora/figures_check/) with the extractor as it is now.

The hand checks store, for every article or sentence of a sample, each named
person (gold: yes, optional or no) and the titles the text gives them. This
script runs the figures extractor again on the same text (read from the shared
folder: THUCNews is never copied into the project) and scores it as
`zhnews evaluate` does: a figure matches on its name, optional names are
dropped, a gold title counts right when a predicted title equals or contains
it. Names found now that the check does not list are printed: the check lists
every person its texts name, so each is a false positive to read.

The README's table rows are THUCNews (the 40 articles of heldout_80.json), PD
(its 40 People's Daily sentences) and THUCNews fresh (fresh_10.json).

Example:
    python scripts/check_figures_sample.py              # with the shipped NER model
    python scripts/check_figures_sample.py --no-ner --new
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline import corpus_context as cc  # noqa: E402
from pipeline.analysis import analyze  # noqa: E402
from pipeline.extract.figures import extract_figures  # noqa: E402

CHECKS = REPO / "corpora" / "figures_check"


@dataclass
class Score:
    """Counts for one sample, as the README's table gives them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    titles_right: int = 0
    titles: int = 0
    new: list[str] = field(default_factory=list)

    def row(self, label: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        t = self.titles_right / self.titles if self.titles else 0.0
        return (f"| {label} | {self.tp + self.fn} | {self.tp} | {self.fp} | {self.fn} | {p:.3f} | {r:.3f} "
                f"| {self.titles_right}/{self.titles} = {t:.3f} |")


def samples(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows by sample label: PD sentences apart from THUCNews articles."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault("PD 40 sentences" if r["doc"].startswith("pd_") else "THUCNews 40", []).append(r)
    return out


def score(rows: list[dict], predicted: dict[str, dict[str, list[str]]]) -> Score:
    """Score the predictions of every document the rows cover."""
    s = Score()
    by_doc: dict[str, dict[str, dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], {})[r["name"]] = r
    for doc, judged in by_doc.items():
        found = predicted[doc]
        for name, r in judged.items():
            _score_row(s, r, found.get(name))
        s.new += [f"{doc} {name} {titles}" for name, titles in found.items() if name not in judged]
        s.fp += sum(name not in judged for name in found)
    return s


def _score_row(s: Score, row: dict, titles: list[str] | None) -> None:
    if row["gold"] == "no":
        s.fp += titles is not None
    elif row["gold"] == "yes":
        s.tp += titles is not None
        s.fn += titles is None
        if titles is not None:
            hits = [any(t == g or g in t for t in titles) for g in row["titles_gold"]]
            s.titles += len(hits)
            s.titles_right += sum(hits)


def predict(docs: list[str], nlp) -> dict[str, dict[str, list[str]]]:
    """name -> titles of every figure found, per document."""
    texts = cc.texts(docs)
    return {doc: {f.name: f.titles for f in extract_figures(analyze(texts[doc], nlp=nlp))} for doc in docs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-ner", action="store_true", help="rules only (the checks were made with the model)")
    ap.add_argument("--new", action="store_true", help="print the names found now that a check does not list")
    args = ap.parse_args(argv)
    nlp = None
    if not args.no_ner:
        from pipeline.nlp import load_nlp

        nlp = load_nlp()
    print("| sample | gold | tp | fp | fn | precision | recall | titles right |\n|---|---|---|---|---|---|---|---|")
    for path, labels in ((CHECKS / "heldout_80.json", None), (CHECKS / "fresh_10.json", "THUCNews fresh 10")):
        rows = json.loads(path.read_text(encoding="utf-8"))
        groups = samples(rows) if labels is None else {labels: rows}
        for label, group in groups.items():
            result = score(group, predict(sorted({r["doc"] for r in group}), nlp))
            print(result.row(label))
            if args.new:
                print("\n".join(f"    new: {line}" for line in result.new))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
