"""Score the meetings extractor on the end-to-end golden reports.

    python scripts/measure_meeting_reports.py            # tuning set and fresh set
    python scripts/measure_meeting_reports.py --ner      # with the shipped NER model

tests/golden/meeting_reports.json is the set the meeting rules were tuned on;
meeting_reports_fresh.json was written before tuning and kept aside. Meetings
are matched as `zhnews evaluate` matches them (a prediction matching an
optional name is dropped); date, location and participants accuracy are over
matched meetings whose case gives the field, the publication date over all
cases.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pipeline
from pipeline.evaluate import Ratio, Tally, max_matching, meeting_match

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
SETS = {"tuned": "meeting_reports.json", "fresh": "meeting_reports_fresh.json"}
FIELDS = ("date", "location", "participants")


def score(cases: list[dict], *, ner: bool) -> tuple[Tally, dict[str, Ratio], int]:
    """Meetings matched over the cases, the accuracy of each field the cases give,
    and how many publication dates were right."""
    tally, acc, published = Tally(), {k: Ratio() for k in FIELDS}, 0
    for case in cases:
        doc = pipeline.extract(case["text"], ner=ner)
        published += (doc.published_at[:10] if doc.published_at else None) == case["published_at"]
        got = [m.model_dump() for m in doc.meetings]
        pairs = max_matching(got, case["expect"], meeting_match)
        optional = [{"name": n} for n in case["optional"]]
        tally.tp += len(pairs)
        tally.fn += len(case["expect"]) - len(pairs)
        tally.fp += sum(1 for i, m in enumerate(got)
                        if i not in pairs and not any(meeting_match(m, o) for o in optional))
        for i, j in pairs.items():
            have = dict(got[i], location=(got[i]["location"] or {}).get("code"))
            for key in FIELDS:
                if key in case["expect"][j]:
                    acc[key].add(have[key] == case["expect"][j][key])
    return tally, acc, published


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python scripts/measure_meeting_reports.py --ner")
    parser.add_argument("--ner", action="store_true", help="run the shipped NER model (default: rules only)")
    args = parser.parse_args()
    print("| set | cases | tp | fp | fn | precision | recall | F1 | date | location | participants | published_at |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, file in SETS.items():
        cases = json.loads((GOLDEN / file).read_text(encoding="utf-8"))["cases"]
        t, acc, published = score(cases, ner=args.ner)
        cells = " | ".join(f"{acc[k].right}/{acc[k].total}" for k in FIELDS)
        print(f"| {name} | {len(cases)} | {t.tp} | {t.fp} | {t.fn} | {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} | "
              f"{cells} | {published}/{len(cases)} |")


if __name__ == "__main__":
    main()
