"""Speed and memory benchmark: the pipeline against plain jieba, in one run.

usage: python scripts/bench.py [--corpus PATH.jsonl] [--docs 300] [--repeat 5]
                               [--worker-repeat 3] [--big-chars 1000000]
                               [--other-python PATH] [--json]

Prints, each figure the median of --repeat runs unless said otherwise:

- documents/s and characters/s of the whole path (JSON line in -> ingest ->
  extract -> JSON line out) with the NER model and with rules only, and the
  reference `jieba.lcut` (HMM on) over the same texts; the three are run in
  turn in every round, and the ratios are CPU times against jieba's (the
  machine is shared: wall times are shown too, CPU time is what other load
  disturbs least);
- the share of each stage (of CPU time): ingest, normalize, header, quote
  pairs, segment, NER, each extractor, serialization, and the rest ("other"); stages are
  timed by wrapping the functions `pipeline.core` and `pipeline.analysis`
  call (and `pipeline.nlp.entities`), so the extractors are measured unchanged;
- cold start: a fresh interpreter importing zhnews and loading every
  lexicon and model;
- peak RSS of one process over the corpus;
- steady throughput of 1 and 2 local workers (--worker-repeat rounds, in
  turn; wall time over the last two thirds of the documents out, so that
  start-up is not counted; the load average is printed beside it);
- one long document of --big-chars characters (different articles joined),
  once, in a fresh process: its CPU time, jieba's on it, peak RSS (0: skip);
- OpenCC t2s of the installed package, and of --other-python's (for example
  a virtual environment with the official `opencc` wheel).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent

# Stage name -> where the function is looked up, first found wins (module:attribute).
STAGES = {
    "normalize": ["pipeline.analysis:normalize"],
    "header": ["pipeline.analysis:read_header"],
    "quote pairs": ["pipeline.analysis:pair_quotes"],
    "segment": ["pipeline.analysis:segment"],
    "NER": ["pipeline.nlp:entities"],  # analyze imports it when called: wrapped in its module
    "regions": ["pipeline.core:extract_regions"],
    "primary region": ["pipeline.core:primary_region"],
    "figures": ["pipeline.core:extract_figures"],
    "counts": ["pipeline.core:extract_counts"],
    "brands": ["pipeline.core:judge_document", "pipeline.core:brands_from"],
    "meetings": ["pipeline.core:extract_meetings"],
}

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

COLD_SNIPPET = """
import json, time
t0, c0 = time.perf_counter(), time.process_time()
import pipeline
from pipeline.core import get_nlp, warm_up
t1 = time.perf_counter()
warm_up(get_nlp(None))
print(json.dumps({"import": t1 - t0, "total": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


# --- measuring ----------------------------------------------------------------

def timed(func: Callable[[], object]) -> dict:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def medians(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


class StageClock:
    """Accumulated CPU seconds per stage, from wrappers around the stage functions."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.missing: list[str] = []
        self._undo: list[tuple[object, str, object]] = []

    def install(self) -> "StageClock":
        for stage, places in STAGES.items():
            found = [p for p in places if _lookup(p) is not None]
            if not found:
                self.missing.append(stage)
            for place in found[:1] if stage != "brands" else found:
                self._wrap(stage, place)
        return self

    def _wrap(self, stage: str, place: str) -> None:
        module_name, attr = place.split(":")
        module = importlib.import_module(module_name)
        original = getattr(module, attr)

        @functools.wraps(original)
        def clocked(*args, **kwargs):
            return self.time(stage, original, *args, **kwargs)

        setattr(module, attr, clocked)
        self._undo.append((module, attr, original))

    def time(self, stage: str, func: Callable, *args, **kwargs):
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            self.seconds[stage] += time.process_time() - start

    def remove(self) -> None:
        for module, attr, original in reversed(self._undo):
            setattr(module, attr, original)
        self._undo.clear()


def _lookup(place: str):
    module_name, attr = place.split(":")
    try:
        return getattr(importlib.import_module(module_name), attr, None)
    except ImportError:
        return None


def whole_path(lines: list[bytes], nlp, clock: StageClock) -> None:
    """JSON lines in, ingest, extract, JSON lines out: what `zhnews extract` does per document."""
    from pipeline.core import extract_raw
    from pipeline.ingest import read_jsonl_lines

    raws = clock.time("ingest", lambda: list(read_jsonl_lines(lines, "bench")))
    for raw in raws:
        doc = extract_raw(raw, nlp=nlp)
        clock.time("serialization", doc.model_dump_json)


def pipeline_run(lines: list[bytes], nlp) -> dict:
    """Wall and CPU seconds of the whole path, and CPU seconds per stage."""
    clock = StageClock().install()
    try:
        run = timed(lambda: whole_path(lines, nlp, clock))
    finally:
        clock.remove()
    return {**run, "stages": dict(clock.seconds), "missing_stages": clock.missing}


def summarize(runs: list[dict]) -> dict:
    """Medians of the runs, and each stage's share of the median CPU time."""
    out = medians([{"wall": r["wall"], "cpu": r["cpu"]} for r in runs])
    stages = {stage for r in runs for stage in r["stages"]}
    out["shares"] = {stage: statistics.median(r["stages"].get(stage, 0.0) for r in runs) / out["cpu"]
                     for stage in stages}
    out["shares"]["other"] = max(0.0, 1 - sum(out["shares"].values()))
    out["missing_stages"] = runs[0]["missing_stages"]
    return out


def steady_rate(lines: list[bytes], workers: int) -> float:
    """Documents per second over the last two thirds of the documents out, so
    that start-up (workers loading the model) is not counted."""
    from pipeline.batch import extract_documents
    from pipeline.ingest import read_jsonl_lines

    stamps = [time.perf_counter() for _ in extract_documents(read_jsonl_lines(lines, "bench"), workers=workers)]
    first = len(stamps) // 3
    return (len(stamps) - 1 - first) / (stamps[-1] - stamps[first])


def run_child(args: list[str]) -> dict:
    run = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        sys.exit(f"bench: {' '.join(args[:2])} failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def cold_start(repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        inside = run_child(["-c", COLD_SNIPPET])
        runs.append({**inside, "process": time.perf_counter() - start})
    return medians(runs)


def opencc_seconds(python: str, texts: list[str], repeat: int) -> dict:
    run = subprocess.run([python, "-c", OPENCC_SNIPPET, str(repeat)], input=json.dumps(texts),
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


# --- children: fresh processes for memory -----------------------------------------

def child_corpus(lines: list[bytes]) -> dict:
    """Peak RSS of one process (models loaded) over the whole corpus."""
    from pipeline.core import get_nlp, warm_up

    nlp = get_nlp(None)
    warm_up(nlp)
    loaded = peak_rss_mb()
    whole_path(lines, nlp, StageClock())
    return {"loaded_mb": loaded, "peak_mb": peak_rss_mb()}


def child_big(texts: list[str], chars: int) -> dict:
    """One document of `chars` characters: different articles joined."""
    import jieba

    from pipeline.core import extract_raw, get_nlp, warm_up
    from pipeline.ingest import RawDocument

    jieba.setLogLevel(logging.WARNING)
    text = big_text(texts, chars)
    nlp = get_nlp(None)
    warm_up(nlp)
    jieba.initialize()
    loaded = peak_rss_mb()
    docs = []
    run = timed(lambda: docs.append(extract_raw(RawDocument(doc_id="big", source="big", text=text), nlp=nlp)
                                    .model_dump_json()))
    error = json.loads(docs[0])["error"]
    return {"chars": len(text), "pipeline": run, "jieba": timed(lambda: jieba.lcut(text)),
            "loaded_mb": loaded, "peak_mb": peak_rss_mb(), "error": error}


def big_text(texts: list[str], chars: int) -> str:
    parts, size = [], 0
    while size < chars:
        for text in texts:
            parts.append(text)
            size += len(text) + 1
            if size >= chars:
                break
    return "\n".join(parts)[:chars]


# --- report ------------------------------------------------------------------------

def load_lines(corpus: Path, docs: int) -> list[bytes]:
    if not corpus.exists():
        sys.exit(f"bench: {corpus}: no such corpus (pass --corpus PATH.jsonl)")
    with open(corpus, "rb") as f:
        return [line for line, _ in zip(f, range(docs)) if line.strip()]


def texts_of(lines: list[bytes]) -> list[str]:
    return [json.loads(line)["text"] for line in lines]


def measure(args, lines: list[bytes]) -> dict:
    import jieba

    from pipeline.core import get_nlp, warm_up

    jieba.setLogLevel(logging.WARNING)
    texts = texts_of(lines)
    report = {"documents": len(texts), "characters": sum(map(len, texts)), "repeat": args.repeat,
              "load_average_before": os.getloadavg()[0]}
    jieba.initialize()
    nlp = get_nlp(None)
    warm_up(nlp)  # loading is start-up cost, not throughput
    report.update(single_process_rounds(texts, lines, nlp, args.repeat))
    report["opencc"] = [opencc_seconds(python, texts, args.repeat) for python in [sys.executable, *args.other_python]]
    report["cold_start"] = cold_start(args.repeat)
    report["corpus_memory"] = run_child([__file__, "--child", "corpus", *_child_args(args)])
    report["workers"] = worker_rounds(lines, args.worker_repeat)
    if args.big_chars:
        report["big"] = run_child([__file__, "--child", "big", *_child_args(args)])
    report["load_average_after"] = os.getloadavg()[0]
    return report


def single_process_rounds(texts: list[str], lines: list[bytes], nlp, repeat: int) -> dict:
    """jieba, the pipeline with NER and without, in turn in every round."""
    import jieba

    runs: dict[str, list] = defaultdict(list)
    for _ in range(repeat):
        runs["jieba"].append(timed(lambda: [jieba.lcut(t) for t in texts]))
        runs["ner"].append(pipeline_run(lines, nlp))
        runs["rules_only"].append(pipeline_run(lines, None))
    return {"jieba": medians(runs["jieba"]), "ner": summarize(runs["ner"]),
            "rules_only": summarize(runs["rules_only"])}


def worker_rounds(lines: list[bytes], repeat: int) -> dict:
    """zhnews with 1 and 2 local workers, and the control: a plain Python loop
    in 1 and 2 processes, which shows how much of a second core the shared
    machine gives at the time."""
    rates: dict[str, list] = defaultdict(list)
    for _ in range(repeat):
        for workers in (1, 2):
            rates[str(workers)].append(steady_rate(lines, workers))
            rates[f"control {workers}"].append(loop_rate(workers))
    return {workers: statistics.median(r) for workers, r in rates.items()}


def busy_loop(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def loop_rate(workers: int, tasks: int = 16) -> float:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        pool.submit(busy_loop, 1).result()  # the processes are up
        start = time.perf_counter()
        list(pool.map(busy_loop, [2_000_000] * tasks))
        return tasks / (time.perf_counter() - start)


def _child_args(args) -> list[str]:
    return ["--corpus", str(args.corpus), "--docs", str(args.docs), "--big-chars", str(args.big_chars)]


def print_report(r: dict) -> None:
    base = r["jieba"]["cpu"]
    docs, chars = r["documents"], r["characters"]
    print(f"{docs} documents, {chars:,} characters; median of {r['repeat']} runs; "
          f"load average {r['load_average_before']:.1f} before, {r['load_average_after']:.1f} after")
    print(f"\n{'whole path (JSON line in -> JSON line out)':<46}{'docs/s':>8}{'chars/s':>11}"
          f"{'x jieba':>9}{'wall s':>8}{'CPU s':>7}")
    rows = [("jieba.lcut, HMM on (reference)", r["jieba"]), ("zhnews extract, with NER", r["ner"]),
            ("zhnews extract, --no-ner", r["rules_only"])]
    for name, t in rows:
        print(f"{name:<46}{docs / t['cpu']:>8.1f}{chars / t['cpu']:>11,.0f}{t['cpu'] / base:>9.2f}"
              f"{t['wall']:>8.1f}{t['cpu']:>7.1f}")
    for o in r["opencc"]:
        print(f"{'OpenCC t2s, ' + o['package']:<46}{docs / o['seconds']:>8.1f}{chars / o['seconds']:>11,.0f}"
              f"{o['seconds'] / r['jieba']['wall']:>9.2f}  (wall, in its own process)")
    print_stages(r)
    print_others(r)


def print_stages(r: dict) -> None:
    ner, rules, base = r["ner"], r["rules_only"], r["jieba"]["cpu"]
    print(f"\n{'stage (CPU time)':<18}{'share, NER':>12}{'x jieba':>9}{'share, --no-ner':>17}{'x jieba':>9}")
    for stage in ["ingest", *STAGES, "serialization", "other"]:
        a, b = ner["shares"].get(stage, 0.0), rules["shares"].get(stage, 0.0)
        print(f"{stage:<18}{a:>12.1%}{a * ner['cpu'] / base:>9.2f}{b:>17.1%}{b * rules['cpu'] / base:>9.2f}")
    if ner["missing_stages"]:
        print(f"(not found, counted in other: {', '.join(ner['missing_stages'])})")


def print_others(r: dict) -> None:
    c, m, w = r["cold_start"], r["corpus_memory"], r["workers"]
    print(f"\ncold start (fresh interpreter, import + every lexicon and model): {c['process']:.2f} s wall, "
          f"{c['cpu']:.2f} s CPU (import {c['import']:.2f} s, loading {c['total'] - c['import']:.2f} s wall)")
    print(f"peak RSS, one process over the corpus: {m['peak_mb']:.0f} MB ({m['loaded_mb']:.0f} MB after loading)")
    if w:  # --worker-repeat 0 skips the comparison
        print(f"local workers, steady documents/s (wall): 1 -> {w['1']:.1f}, 2 -> {w['2']:.1f}; "
              f"ratio {w['2'] / w['1']:.2f} (a plain Python loop in 2 processes / 1, now: "
              f"{w['control 2'] / w['control 1']:.2f})")
    if "big" in r:
        b = r["big"]
        p, j = b["pipeline"], b["jieba"]
        print(f"one document of {b['chars']:,} characters: {p['cpu']:.1f} s CPU ({p['wall']:.1f} s wall), "
              f"jieba {j['cpu']:.1f} s CPU, x jieba {p['cpu'] / j['cpu']:.1f}; peak RSS {b['peak_mb']:.0f} MB "
              f"({b['loaded_mb']:.0f} MB after loading)" + (f"; error: {b['error']}" if b["error"] else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="JSON Lines of articles (default: the shared THUCNews sample)")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker-repeat", type=int, default=3, help="runs of the 1 and 2 worker comparison")
    parser.add_argument("--big-chars", type=int, default=1_000_000, help="long-document case size (0: skip)")
    parser.add_argument("--other-python", action="append", default=[],
                        help="another interpreter whose OpenCC to time as well")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", choices=("corpus", "big"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.corpus_context import sample_path

    args.corpus = args.corpus or sample_path()
    if args.corpus is None:
        sys.exit("bench: no shared folder beside the checkout (pass --corpus PATH.jsonl or set ZHNEWS_SHARED)")
    if args.child:
        lines = load_lines(args.corpus, args.docs if args.child == "corpus" else 10**9)
        result = child_corpus(lines) if args.child == "corpus" else child_big(texts_of(lines), args.big_chars)
        print(json.dumps(result))
        return
    report = measure(args, load_lines(args.corpus, args.docs))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)


if __name__ == "__main__":
    main()
