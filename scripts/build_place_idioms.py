"""Build pipeline/data/place_idioms.txt: dictionary words that begin with a
place name but are idioms, fixed phrases or direction words (大同小异,
四平八稳, 东北部). The region guards drop a place hit at the start of such a
word.

Source: jieba's main dictionary (words tagged i, l or f), matched against
the gazetteer's surfaces.

usage: PYTHONPATH=. python scripts/build_place_idioms.py [--out pipeline/data/place_idioms.txt]
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

TAGS = {"i", "l", "f"}


def idioms(surfaces: set[str]) -> list[str]:
    import jieba

    out = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, _, tag = line.split()
            if tag in TAGS and any(word[:k] in surfaces and len(word) > k for k in (2, 3, 4)):
                out.append(word)
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("pipeline/data/place_idioms.txt"))
    args = parser.parse_args()
    from pipeline.gazetteer import gazetteer

    words = idioms({s for s in gazetteer().all_surfaces() if len(s) >= 2})
    header = ("# Words that begin with a place name but are idioms, fixed phrases or direction\n"
              "# words (jieba dictionary tags i, l, f); built "
              f"{datetime.date.today()} by scripts/build_place_idioms.py\n")
    args.out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {args.out}")


if __name__ == "__main__":
    main()
