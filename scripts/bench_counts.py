"""Throughput of extract_counts on a JSONL corpus (chars of normalized text per second).

    python scripts/bench_counts.py /work/shared/corpora/thucnews_sample.jsonl --runs 3

Documents are analysed once (normalize, header, segment); only
extract_counts is timed. Prints each run and the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.analysis import analyze  # noqa: E402
from pipeline.extract.counts import extract_counts  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    with open(args.corpus, encoding="utf-8") as f:
        docs = [analyze(json.loads(line)["text"]) for line in f if line.strip()]
    chars = sum(len(d.text) for d in docs)
    extract_counts(docs[0])  # load data files and jieba's tag table outside the timing
    rates, found = [], 0
    for run in range(args.runs):
        t0 = time.perf_counter()
        found = sum(len(extract_counts(d)) for d in docs)
        seconds = time.perf_counter() - t0
        rates.append(chars / seconds)
        print(f"run {run + 1}: {len(docs)} docs, {chars} chars, {found} counts, {seconds:.2f} s, {chars / seconds:,.0f} chars/s")
    print(f"median: {statistics.median(rates):,.0f} chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
