"""Throughput benchmark: the pipeline against plain jieba, measured in one run.

usage: python scripts/bench.py [--corpus PATH.jsonl] [--docs N] [--repeat 5]
                               [--other-python PATH]

Reports the median of --repeat runs (chars per second) for: plain
`jieba.lcut` (the baseline), OpenCC t2s, the pipeline with rules only, and
the pipeline with the NER model; ratios are against the baseline measured
in the same run. --other-python times OpenCC t2s in another interpreter
(for example a virtual environment with the official `opencc` wheel), so
that both OpenCC packages appear in one report.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


OPENCC_SNIPPET = """
import json, statistics, sys, time
from opencc import OpenCC
try:
    cc = OpenCC("t2s")
except Exception:
    cc = OpenCC("t2s.json")
texts = json.load(sys.stdin)
runs = []
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    for x in texts:
        cc.convert(x)
    runs.append(time.perf_counter() - t)
from importlib import metadata
def installed(name):
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return None
package = installed("opencc") or installed("opencc-python-reimplemented") or "opencc"
print(json.dumps({"seconds": statistics.median(runs), "package": package}))
"""


def load_texts(corpus: Path, docs: int) -> list[str]:
    if not corpus.exists():
        sys.exit(f"bench: {corpus}: no such corpus (pass --corpus PATH.jsonl)")
    with open(corpus, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line, _ in zip(f, range(docs))]


def median_seconds(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def opencc_seconds(python: str, texts: list[str], repeat: int) -> dict:
    run = subprocess.run([python, "-c", OPENCC_SNIPPET, str(repeat)], input=json.dumps(texts),
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="JSON Lines of articles (default: the shared THUCNews sample)")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--other-python", action="append", default=[],
                        help="another interpreter whose OpenCC to time as well")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import jieba

    import pipeline
    from pipeline.core import get_nlp
    from pipeline.corpus_context import sample_path

    corpus = args.corpus or sample_path()
    if corpus is None:
        sys.exit("bench: no shared folder beside the checkout (pass --corpus PATH.jsonl or set ZHNEWS_SHARED)")
    texts = load_texts(corpus, args.docs)
    chars = sum(map(len, texts))
    jieba.initialize()
    get_nlp(None)  # loading is start-up cost, not throughput
    pipeline.extract(texts[0])
    rows = [("jieba.lcut (baseline)", median_seconds(lambda: [jieba.lcut(t) for t in texts], args.repeat))]
    for python in [sys.executable, *args.other_python]:
        result = opencc_seconds(python, texts, args.repeat)
        rows.append((f"OpenCC t2s ({result['package']})", result["seconds"]))
    rows.append(("zhnews extract, rules only",
                 median_seconds(lambda: [pipeline.extract(t, ner=False) for t in texts], args.repeat)))
    rows.append(("zhnews extract, with NER",
                 median_seconds(lambda: [pipeline.extract(t) for t in texts], args.repeat)))
    base = rows[0][1]
    print(f"{len(texts)} documents, {chars} characters, median of {args.repeat} runs")
    print(f"{'step':<58}{'chars/s':>12}{'x baseline time':>17}")
    for name, seconds in rows:
        print(f"{name:<58}{chars / seconds:>12,.0f}{seconds / base:>17.2f}")


if __name__ == "__main__":
    main()
