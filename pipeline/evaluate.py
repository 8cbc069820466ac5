"""Score predictions against gold files, exactly as ANNOTATION.md's Scoring says.

Per type, precision, recall and F1 are micro-averaged over documents.
Matching is one-to-one (a maximum matching, so that the order of records
never changes a score). Predictions are matched against gold items first;
an unmatched prediction that matches an optional gold item is then dropped
instead of counted as a false positive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from pipeline.records import RECORD_TYPES as TYPES
from pipeline.textutil import brand_key, longest_common_substring

ACCURACIES = ("titles", "qualifier", "meeting_date", "meeting_location", "meeting_participants")


# --- how two items match, per type -------------------------------------------

def region_match(p: dict, g: dict) -> bool:
    if p.get("code") and g.get("code"):
        return p["code"] == g["code"]
    return p.get("name") == g.get("name")


def figure_match(p: dict, g: dict) -> bool:
    return p.get("name") == g.get("name")


def brand_match(p: dict, g: dict) -> bool:
    a, b = brand_key(p.get("name", "")), brand_key(g.get("name", ""))
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return shorter in longer and len(shorter) >= 0.6 * len(longer)


def count_match(p: dict, g: dict) -> bool:
    pv, gv = p.get("value"), g.get("value")
    if not isinstance(pv, (int, float)) or not isinstance(gv, (int, float)):
        return False
    close = abs(pv - gv) <= 1e-6 * max(abs(pv), abs(gv)) if pv != gv else True
    return close and p.get("unit") == g.get("unit")


MEETING_NAME_SHARE = 0.6  # a meeting matches when the names share this much of the longer one


def meeting_match(p: dict, g: dict) -> bool:
    a, b = p.get("name") or "", g.get("name") or ""
    if not a or not b:
        return False
    return longest_common_substring(a, b) >= MEETING_NAME_SHARE * max(len(a), len(b))


MATCHERS: dict[str, Callable[[dict, dict], bool]] = {
    "regions": region_match,
    "figures": figure_match,
    "brands": brand_match,
    "counts": count_match,
    "meetings": meeting_match,
}


def max_matching(preds: list, golds: list, same: Callable) -> dict[int, int]:
    """Maximum one-to-one matching {pred index: gold index} (augmenting paths)."""
    edges = [[j for j, g in enumerate(golds) if same(p, g)] for p in preds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(preds)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


# --- scores ------------------------------------------------------------------

@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def value(self) -> Optional[float]:
        return self.right / self.total if self.total else None


@dataclass
class Report:
    tallies: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in TYPES})
    accuracies: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in ACCURACIES})
    missing_docs: list[str] = field(default_factory=list)
    details: list[dict] = field(default_factory=list)

    def accuracy(self, name: str) -> Ratio:
        return self.accuracies[name]

    @property
    def mean_f1(self) -> float:
        return sum(t.f1 for t in self.tallies.values()) / len(self.tallies)

    def as_dict(self) -> dict:
        return {
            "types": {
                k: {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": round(t.precision, 4),
                    "recall": round(t.recall, 4), "f1": round(t.f1, 4)}
                for k, t in self.tallies.items()
            },
            "mean_f1": round(self.mean_f1, 4),
            "accuracy": {k: {"right": r.right, "total": r.total,
                             "value": None if r.value is None else round(r.value, 4)}
                         for k, r in self.accuracies.items()},
            "missing_documents": self.missing_docs,
        }


def _title_hits(pred: dict, gold: dict) -> list[bool]:
    titles = pred.get("titles") or []
    return [any(t == g or g in t for t in titles) for g in gold.get("titles") or []]


def _location_code(meeting: dict) -> Optional[str]:
    loc = meeting.get("location")
    return loc.get("code") if isinstance(loc, dict) else loc


def _secondary(report: Report, kind: str, pred: dict, gold: dict) -> None:
    if kind == "figures":
        for hit in _title_hits(pred, gold):
            report.accuracy("titles").add(hit)
    elif kind == "counts":
        report.accuracy("qualifier").add(pred.get("qualifier") == gold.get("qualifier"))
    elif kind == "meetings":
        report.accuracy("meeting_date").add(pred.get("date") == gold.get("date"))
        report.accuracy("meeting_location").add(_location_code(pred) == _location_code(gold))
        report.accuracy("meeting_participants").add(pred.get("participants") == gold.get("participants"))


def score_document(report: Report, pred: dict, gold: dict) -> None:
    for kind in TYPES:
        same = MATCHERS[kind]
        preds, golds = pred.get(kind) or [], gold.get(kind) or []
        optional = gold.get(f"{kind}_optional") or []
        pairs = max_matching(preds, golds, same)
        extra = [p for i, p in enumerate(preds) if i not in pairs]
        false_pos = [p for p in extra if not any(same(p, o) for o in optional)]
        missed = [g for j, g in enumerate(golds) if j not in pairs.values()]
        tally = report.tallies[kind]
        tally.tp += len(pairs)
        tally.fp += len(false_pos)
        tally.fn += len(missed)
        for i, j in pairs.items():
            _secondary(report, kind, preds[i], golds[j])
        report.details.append({"doc": gold.get("doc"), "type": kind, "false_positives": false_pos,
                               "missed": missed})


def _doc_keys(record: dict) -> set[str]:
    keys = {record.get("doc_id") or ""}
    if record.get("source"):
        name = Path(record["source"]).name
        keys |= {name, Path(name).stem}
    return keys - {""}


def load_gold(folder: Path) -> list[dict]:
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"{folder}: no gold *.json files")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def load_predictions(path: Path) -> dict[str, dict]:
    preds: dict[str, dict] = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}, line {number}: not valid JSON ({err.msg})") from err
            for key in _doc_keys(record):
                preds[key] = record
    return preds


def evaluate(gold_dir: Path, predictions: Path) -> Report:
    report = Report()
    preds = load_predictions(predictions)
    for gold in load_gold(gold_dir):
        name = gold.get("doc", "")
        pred = preds.get(name) or preds.get(Path(name).stem)
        if pred is None:
            report.missing_docs.append(name)
            pred = {}
        score_document(report, pred, gold)
    return report


def format_report(report: Report) -> str:
    rows = [f"{'type':<10}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'f1':>8}"]
    for kind, t in report.tallies.items():
        rows.append(f"{kind:<10}{t.tp:>5}{t.fp:>5}{t.fn:>5}{t.precision:>11.3f}{t.recall:>8.3f}{t.f1:>8.3f}")
    rows.append(f"{'mean F1':<10}{'':>37}{report.mean_f1:>8.3f}")
    for name, ratio in report.accuracies.items():
        value = "n/a" if ratio.value is None else f"{ratio.value:.3f}"
        rows.append(f"{name + ' accuracy':<30}{value:>8} ({ratio.right}/{ratio.total})")
    if report.missing_docs:
        rows.append(f"no prediction for: {', '.join(report.missing_docs)}")
    return "\n".join(rows)
