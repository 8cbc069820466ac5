"""Print region records from real articles for a hand check, deterministically.

Runs analyze() + extract_regions() over a JSONL corpus ({"id","category","text"}),
then prints:
- sample: PER_CATEGORY region records per category, drawn with a fixed seed from
  the records sorted by (doc id, first mention), each with its first mention in
  context and the jieba word(s) around it;
- short (--short): every mention of a two-character surface, grouped by surface
  and region (count, then up to SHOW_PER_GROUP contexts), those that lie inside a
  longer jieba word or cut one marked IN-WORD and shown first: the usual shapes
  of a false hit are a short name inside a longer word and a short name that is
  itself a word, a person's name or a foreign place.

Judgements live in corpora/regions_check/ (ids and offsets, not the article
text: THUCNews stays in the shared folder); --judged FILE prints them with
their context cut back out of the corpus instead of extracting. The corpus
defaults to the shared THUCNews sample.

Example:
    PYTHONPATH=. python scripts/check_regions_sample.py \
        /work/shared/corpora/thucnews_sample.jsonl --short
    PYTHONPATH=. python scripts/check_regions_sample.py --seed 20250301 --json
    PYTHONPATH=. python scripts/check_regions_sample.py --judged corpora/regions_check/thucnews_50.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.analysis import analyze  # noqa: E402
from pipeline.corpus_context import sample_path, thucnews_texts  # noqa: E402
from pipeline.extract.regions import extract_regions  # noqa: E402

SEED = 20240601
PER_CATEGORY = 5
CONTEXT = 25
SHOW_PER_GROUP = 4


def read_docs(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    return sorted(docs, key=lambda d: d["id"])


def records(docs: list[dict]) -> list[dict]:
    """One row per region record: the doc, the record and the words around its mentions."""
    out = []
    for doc in docs:
        analysis = analyze(doc["text"])
        for region in extract_regions(analysis):
            out.append({"doc": doc, "region": region, "words": _words(analysis, region)})
    return sorted(out, key=lambda r: (r["doc"]["id"], r["region"].mentions[0].start))


def _words(analysis, region) -> list[str]:
    """The jieba words covering each mention (normalized text), '|'-joined."""
    out = []
    for m in region.mentions:
        a, b = analysis.span_of(m)
        toks = [t for t in analysis.seg.tokens if t.start < b and a < t.end]
        out.append("|".join(analysis.text[t.start:t.end] for t in toks))
    return out


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"{left}[{text[start:end]}]{right}"


def sample(rows: list[dict], per_category: int = PER_CATEGORY, seed: int = SEED) -> list[dict]:
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_cat[row["doc"]["category"]].append(row)
    rng = random.Random(seed)
    picked = []
    for cat in sorted(by_cat):
        pool = by_cat[cat]
        picked += rng.sample(pool, min(per_category, len(pool)))
    return picked


def describe(row: dict) -> dict:
    region, doc = row["region"], row["doc"]
    m = region.mentions[0]
    return {"doc": doc["id"], "category": doc["category"], "mention": m.text, "start": m.start,
            "end": m.end, "context": context(doc["text"], m.start, m.end), "words": row["words"][0],
            "name": region.name, "code": region.code, "level": region.level,
            "method": region.method, "confidence": region.confidence,
            "mentions": len(region.mentions)}


def short_groups(rows: list[dict]) -> list[tuple[tuple[str, str, str], list[dict]]]:
    """Two-character mentions grouped by (surface, region name, level), biggest groups
    first; within a group, mentions inside a longer jieba word come first."""
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        for m, words in zip(row["region"].mentions, row["words"]):
            if len(m.text) == 2:
                item = describe(row)
                item.update(mention=m.text, start=m.start, end=m.end, words=words, in_word=words != m.text,
                            context=context(row["doc"]["text"], m.start, m.end))
                groups[(m.text, row["region"].name, row["region"].level)].append(item)
    for items in groups.values():
        items.sort(key=lambda i: not i["in_word"])
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def judged(rows: list[dict], texts: dict) -> list[str]:
    """One line per judged mention, its context cut from the article by its offsets."""
    lines = []
    for i, row in enumerate(rows, 1):
        verdict = row.get("verdict") or row.get("kind")
        lines.append(f"{row.get('n', i):3d} {row['doc']} {row['name']}@{row['code'] or '-'} {verdict}"
                     f" :: {context(texts[row['doc']], row['start'], row['end'])} -- {row['reason']}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=sample_path(),
                        help="JSONL corpus (default: the shared THUCNews sample)")
    parser.add_argument("--short", action="store_true", help="also list every two-character mention, grouped")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    parser.add_argument("--judged", type=Path, help="print the judgements in this file, in context")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the sample (default {SEED})")
    args = parser.parse_args(argv)
    if args.corpus is None or not args.corpus.is_file():
        parser.error(f"no corpus at {args.corpus or '../shared'} (give its path or set ZHNEWS_SHARED)")
    if args.judged:
        rows = json.loads(args.judged.read_text(encoding="utf-8"))
        print("\n".join(judged(rows, thucnews_texts(args.corpus))))
        return 0
    rows = records(read_docs(args.corpus))
    levels = Counter(r["region"].level for r in rows)
    print(f"# {len(rows)} region records; levels {dict(sorted(levels.items()))}")
    for i, row in enumerate(sample(rows, seed=args.seed), 1):
        _print(i, describe(row), args.json)
    if args.short:
        groups = short_groups(rows)
        total = sum(len(items) for _, items in groups)
        print(f"# {total} two-character mentions in {len(groups)} groups (surface, region, level)")
        for (surface, name, level), items in groups:
            in_word = sum(i["in_word"] for i in items)
            print(f"## {surface} -> {name} ({level}): {len(items)} mentions, {in_word} IN-WORD")
            for i, item in enumerate(items[:SHOW_PER_GROUP], 1):
                _print(i, item, args.json)
    return 0


def _print(i: int, item: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(item, ensure_ascii=False))
        return
    flag = " IN-WORD" if item.get("in_word") else ""
    print(f"{i:3d}{flag} {item['doc']} {item['category']} {item['name']}@{item['code'] or '-'} "
          f"({item['level']}, {item['method']}, {item['confidence']}, x{item['mentions']}) "
          f"words={item['words']} :: {item['context']}")


if __name__ == "__main__":
    sys.exit(main())
