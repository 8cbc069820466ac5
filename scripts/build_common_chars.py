"""Build pipeline/data/common_chars.txt: the most frequent Chinese characters.

Frequencies come from jieba's main dictionary (each word's count credited to
its characters); the traditional form of each character (OpenCC s2t) is
added, so that the list scores simplified and traditional text alike. The
ingest stage uses it to tell GB18030 from Big5 bytes.

usage: python scripts/build_common_chars.py [--top 4000] [--out pipeline/data/common_chars.txt]
"""

from __future__ import annotations

import argparse
import collections
import datetime
from pathlib import Path


def char_counts() -> collections.Counter:
    import jieba

    counts: collections.Counter = collections.Counter()
    path = Path(jieba.__file__).parent / "dict.txt"
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, freq = line.split()[:2]
            for ch in word:
                if "\u4e00" <= ch <= "\u9fff":
                    counts[ch] += int(freq)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=4000)
    parser.add_argument("--out", default="pipeline/data/common_chars.txt")
    args = parser.parse_args()
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    top = [ch for ch, _ in char_counts().most_common(args.top)]
    chars = sorted(set(top) | {s2t.convert(ch) for ch in top})
    header = (
        f"# The {args.top} most frequent characters in jieba's dictionary and their\n"
        f"# traditional forms (OpenCC s2t); built {datetime.date.today()} by\n"
        f"# python scripts/build_common_chars.py --top {args.top}\n"
    )
    body = "\n".join("".join(chars[i : i + 50]) for i in range(0, len(chars), 50))
    Path(args.out).write_text(header + body + "\n", encoding="utf-8")
    print(f"{len(chars)} characters -> {args.out}")


if __name__ == "__main__":
    main()
