"""Re-score the figures and meetings hand checks with the current code and model.

usage: python scripts/score_hand_checks.py [--no-ner] [--json]

Runs `pipeline.extract` on every document of corpora/figures_check/*.json and
corpora/meetings_check/heldout_*.json (texts rebuilt from the shared corpora,
pipeline/corpus_context.py) and scores what it finds against the stored gold
rows the way the checks' READMEs do: a figure matches on its name, a gold
title is right when a predicted title equals or contains it, optional names
are neither rewarded nor punished; a meeting matches as `zhnews evaluate`
matches meeting names (pipeline.evaluate.meeting_match).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import corpus_context as cc  # noqa: E402

FIGURES = sorted((ROOT / "corpora" / "figures_check").glob("*.json"))
MEETINGS = sorted((ROOT / "corpora" / "meetings_check").glob("heldout_*.json"))


def _groups(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["doc"]].append(r)
    return out


def _part(doc: str) -> str:
    return "PD" if cc.corpus_of(doc) == "peoples_daily" else "THUCNews"


def score_figures(path: Path, ner: bool) -> dict[str, dict]:
    import pipeline

    groups = _groups(json.loads(path.read_text(encoding="utf-8")))
    texts = cc.texts(groups)
    out: dict[str, dict] = defaultdict(lambda: dict(tp=0, fp=0, fn=0, titles=0, titles_right=0))
    for doc, rows in groups.items():
        found = {f.name: f.titles for f in pipeline.extract(texts[doc], ner=ner).figures}
        gold = {r["name"]: r["titles_gold"] for r in rows if r["gold"] == "yes"}
        optional = {r["name"] for r in rows if r["gold"] == "optional"}
        s = out[_part(doc)]
        s["tp"] += len(found.keys() & gold.keys())
        s["fp"] += len(found.keys() - gold.keys() - optional)
        s["fn"] += len(gold.keys() - found.keys())
        for name in found.keys() & gold.keys():
            s["titles"] += len(gold[name])
            s["titles_right"] += sum(any(g in t for t in found[name]) for g in gold[name])
    return dict(out)


def score_meetings(path: Path, ner: bool) -> dict[str, dict]:
    import pipeline
    from pipeline.evaluate import meeting_match

    groups = _groups(json.loads(path.read_text(encoding="utf-8")))
    texts = cc.texts(groups)
    out: dict[str, dict] = defaultdict(lambda: dict(tp=0, fp=0, fn=0))
    for doc, rows in groups.items():
        found = [m.name for m in pipeline.extract(texts[doc], ner=ner).meetings]
        gold = [r["name"] for r in rows if r["gold"] == "yes"]
        optional = [r["name"] for r in rows if r["gold"] == "optional"]
        s, left = out[_part(doc)], list(gold)
        for name in found:
            hit = next((g for g in left if meeting_match({"name": name}, {"name": g})), None)
            if hit is not None:
                left.remove(hit)
                s["tp"] += 1
            elif not any(meeting_match({"name": name}, {"name": o}) for o in optional):
                s["fp"] += 1
        s["fn"] += len(left)
    return dict(out)


def _prf(s: dict) -> dict:
    p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 0.0
    r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 0.0
    return {**s, "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ner", action="store_true", help="rules only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    try:
        results = {f"figures {p.stem} {part}": _prf(s) for p in FIGURES
                   for part, s in sorted(score_figures(p, not args.no_ner).items())}
        results.update({f"meetings {p.stem} {part}": _prf(s) for p in MEETINGS
                        for part, s in sorted(score_meetings(p, not args.no_ner).items())})
    except cc.CorpusMissing as exc:
        sys.exit(f"score_hand_checks: {exc}")
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'check':<36}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}  titles right")
    for name, s in results.items():
        titles = f"{s['titles_right']}/{s['titles']}" if "titles" in s else ""
        print(f"{name:<36}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}  {titles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
