"""Compare the project's encoding detection with charset-normalizer.

    python scripts/measure_encodings.py [--articles 200]

Texts: THUCNews articles from the shared sample (simplified) and the same
articles converted to traditional script (OpenCC s2t), cut to 20, 60, 200
characters and kept whole, encoded as UTF-8, GB18030, GBK, Big5 (traditional
only) and UTF-16-LE without BOM. A decoding is right when it gives back the
text exactly. Prints the share right per encoding and length, and the time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.corpus_context import sample_path  # noqa: E402
from pipeline.errors import InputError  # noqa: E402
from pipeline.ingest import decode  # noqa: E402

LENGTHS = (20, 60, 200, None)
CODECS = {"simplified": ("utf-8", "gb18030", "gbk", "utf-16-le"), "traditional": ("utf-8", "big5", "utf-16-le")}


def texts(n: int) -> dict[str, list[str]]:
    from opencc import OpenCC

    path = sample_path()
    if path is None or not path.exists():
        raise SystemExit("the THUCNews sample is not there: set ZHNEWS_SHARED to the shared folder")
    rows = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:n]]
    s2t = OpenCC("s2t")
    return {"simplified": rows, "traditional": [s2t.convert(t) for t in rows]}


def ours(data: bytes) -> str | None:
    try:
        return decode(data)[0]
    except InputError:
        return None


def charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None


def samples(corpus: dict[str, list[str]]):
    for script, rows in corpus.items():
        for codec in CODECS[script]:
            for length in LENGTHS:
                for text in rows:
                    cut = text[:length].strip() if length else text
                    try:
                        yield script, codec, length, cut, cut.encode(codec)
                    except UnicodeEncodeError:
                        continue  # a character the codec cannot hold: not a page that exists


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    corpus = texts(args.articles)
    results: dict[tuple, list[int]] = {}
    seconds = {"zhnews": 0.0, "charset-normalizer": 0.0}
    for script, codec, length, text, data in samples(corpus):
        row = results.setdefault((script, codec, length or "whole"), [0, 0, 0])
        row[0] += 1
        for i, (name, fn) in enumerate((("zhnews", ours), ("charset-normalizer", charset_normalizer)), 1):
            start = time.perf_counter()
            row[i] += fn(data) == text
            seconds[name] += time.perf_counter() - start
    print("| script | encoding | characters | texts | zhnews right | charset-normalizer right |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for (script, codec, length), (n, a, b) in results.items():
        print(f"| {script} | {codec} | {length} | {n} | {a / n:.3f} | {b / n:.3f} |")
    total = [sum(r[i] for r in results.values()) for i in range(3)]
    print(f"| all | | | {total[0]} | {total[1] / total[0]:.3f} | {total[2] / total[0]:.3f} |")
    print(f"seconds: zhnews {seconds['zhnews']:.1f}, charset-normalizer {seconds['charset-normalizer']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
