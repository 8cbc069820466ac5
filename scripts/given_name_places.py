"""County short forms that are also frequent given names (建华, 尚志, 卫东 ...).

A county's short form counts as a region without its parent in the document
(ANNOTATION.md: 炎陵黄桃 -> 炎陵县) unless it is also a common word or a
frequent given name; those need evidence (scripts/gazetteer_src/common_words.tsv
flags them, reason `name`). This script lists the candidates from data, for a
person to review before they go into common_words.tsv:

- person names in the NER corpora (People's Daily, MSRA, CLUENER: PER / name
  spans) and the person names (tag nr) in jieba's dictionary;
- a name counts for a form when it is a surname from pipeline/data/surnames.txt
  followed by exactly the form (杨卫东, 欧阳建华);
- a form is listed when at least --min distinct names carry it.

The list is written to pipeline/data/given_name_places.tsv (--out), which
pipeline/extract/region_guards.py reads:

    PYTHONPATH=. python scripts/given_name_places.py --data ../shared/ner --min 3 \
        --out pipeline/data/given_name_places.tsv
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_corpora import REQUIRED, load  # noqa: E402
from pipeline.data import load_words  # noqa: E402
from pipeline.gazetteer import gazetteer  # noqa: E402

PERSON_LABELS = {"PER", "name"}
# jieba tags as nr some phrases that start with a preposition or a dynasty (于长安,
# 晋太康, 封广陵, 古广陵): a "surname" among these is not counted.
NOT_SURNAMES = set("于晋古封南阳")


def county_short_forms() -> set[str]:
    """Two-character surfaces that name county-level divisions only."""
    out = set()
    for text, surfaces in gazetteer().all_surfaces().items():
        levels = {s.level for s in surfaces}
        if len(text) == 2 and levels == {"county"}:
            out.add(text)
    return out


def corpus_names(data: Path) -> set[str]:
    names = set()
    for key in REQUIRED:
        for example in load(data, key):
            names.update(example.text[a:b] for a, b, label in example.spans if label in PERSON_LABELS)
    return names


def jieba_names() -> set[str]:
    import jieba

    path = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    with path.open(encoding="utf-8") as f:
        return {fields[0] for fields in (line.split() for line in f) if fields[2] == "nr"}


def given_name_counts(names: set[str], forms: set[str], surnames: set[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for name in names:
        for size in (1, 2):
            if name[:size] in surnames - NOT_SURNAMES and name[size:] in forms:
                found[name[size:]].add(name)
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: PYTHONPATH=. python scripts/given_name_places.py "
                                            "--data ../shared/ner --min 3")
    parser.add_argument("--data", type=Path, default=Path("../shared/ner"))
    parser.add_argument("--min", type=int, default=3, help="distinct names needed (default 3)")
    parser.add_argument("--out", type=Path, help="write the data file here (default: print)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data}: no such folder (the NER corpora, e.g. ../shared/ner)")
    surnames = set(load_words("surnames.txt"))
    found = given_name_counts(corpus_names(args.data) | jieba_names(), county_short_forms(), surnames)
    rows = [f"{form}\t{len(names)}\t{'、'.join(sorted(names)[:5])}"
            for form, names in sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            if len(names) >= args.min]
    text = HEADER.format(min=args.min) + "\n".join(rows) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


HEADER = """# County short forms that are also frequent given names: without evidence in the
# document (the parent named, a list, a place before them) they are not read as regions.
# Built by scripts/given_name_places.py (--min {min}) from the person names of the NER
# corpora (People's Daily, MSRA, CLUENER; read from ../shared/ner, not copied) and jieba
# 0.42.1's dictionary (tag nr): a surname of pipeline/data/surnames.txt followed by the form.
# Columns: form, distinct names, up to five of them.
"""


if __name__ == "__main__":
    sys.exit(main())
