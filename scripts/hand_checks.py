"""Re-score the hand checks under corpora/*_check with the current extractors.

    python scripts/hand_checks.py                          # print every check's table and what is unjudged
    python scripts/hand_checks.py figures_check            # one check
    python scripts/hand_checks.py --unjudged counts_check  # append rows to judge (gold / verdict null)
    python scripts/hand_checks.py --write                  # rewrite the results table of each README
    python scripts/hand_checks.py --no-ner figures_check   # the same scoring, rules only (no statistical model)

tests/test_hand_checks.py runs the same scoring and fails when a README's
table is stale or a prediction is unjudged. After an extractor change:

1. run with --unjudged: each prediction no stored judgement covers is
   appended to its check file with ``"gold": null`` (figures, meetings,
   regions: set yes / optional / no, and the gold titles, date, location,
   participants or code the text gives) or, for counts, appended to its
   sentence's ``counts`` with ``"verdict": null`` (set correct / wrong /
   optional), each row marked ``"added": true``; judge them against
   spec/ANNOTATION.md, with the context this script prints;
2. run with --write and commit the check files and READMEs.

--write refuses while a prediction is unjudged. Needs the shared corpora
(../shared or ZHNEWS_SHARED) and the shipped NER model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline import corpus_context as cc  # noqa: E402
from pipeline import hand_checks as hc  # noqa: E402

CONTEXT = 20


def context(u: hc.Unjudged, texts: dict[str, str]) -> str:
    text = texts.get(u.doc, "")
    left, right = cc.window(text, u.start, u.end, CONTEXT)
    return f"      {left}[{text[u.start:u.end]}]{right}".replace("\n", " ")


def report(check: str, result: hc.Rescored) -> list[str]:
    lines = [f"== {check}", hc.render(result)]
    lines += [f"FAILED {f}" for f in result.failed]
    if result.unjudged:
        texts = cc.texts(u.doc for u in result.unjudged)
        for u in result.unjudged:
            lines += [f"UNJUDGED {u.file} {u.doc}: {u.what}", context(u, texts)]
    return [line for line in lines if line]


def rules_only(text: str):
    from pipeline.core import extract

    return extract(text, ner=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="example: python scripts/hand_checks.py --write",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checks", nargs="*", metavar="CHECK", help=f"one of {', '.join(hc.CHECKS)} (default: all)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the results table of each README")
    mode.add_argument("--unjudged", action="store_true", help="append the unjudged predictions as rows to judge")
    ap.add_argument("--no-ner", action="store_true",
                    help="extract with the rules only (the READMEs' tables are with the model: not with --write)")
    args = ap.parse_args(argv)
    if args.no_ner and args.write:
        ap.error("--write records the tables with the shipped NER model: drop --no-ner")
    unknown = sorted(set(args.checks) - set(hc.CHECKS))
    if unknown:
        ap.error(f"unknown check {', '.join(unknown)} (known: {', '.join(hc.CHECKS)})")
    documents, code = hc.Documents(rules_only if args.no_ner else None), 0
    for check in args.checks or hc.CHECKS:
        try:
            result = hc.rescore(check, documents)
        except cc.CorpusMissing as exc:
            ap.error(str(exc))
        print("\n".join(report(check, result)))
        if args.unjudged and result.unjudged:
            print(f"{hc.add_unjudged(check, result)} row(s) to judge appended under corpora/{check}/")
        elif args.write and (result.unjudged or result.failed):
            print(f"not written: judge the predictions above first (--unjudged {check})")
            code = 1
        elif args.write:
            hc.write_readme(check, result)
            print(f"wrote corpora/{check}/README.md")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
