"""Regenerate the unlabelled brand candidate list, deterministically.

Sources: every seed article (pinyin annotations stripped, converted to
simplified with OpenCC t2s) and a fixed sample of the THUCNews articles:
1. docs in sha1(id) order, a quota of candidates per category, at most
   --per-doc candidates per doc (realistic mix, mostly negatives);
2. enrichment: from the docs not used in 1, in the categories where
   programmes occur (ENRICH_CATEGORIES), candidates that end in a head noun,
   one per distinct text, up to --enrich (brand-like names and the
   institutions that look like them).
Within a doc, a candidate whose text, quote style and full name repeat an
earlier one is dropped. Rows carry left/right context for the labeller; the
THUCNews rows lose it when appended to corpora/brands/labelled.json (the
project does not store THUCNews text, see corpora/brands/README.md).

With --ner, emit instead the candidates of the political news sentences of
the shared NER corpora (People's Daily 1998 dev and test, MSRA test; see
pipeline.corpus_context.NER_SOURCES): each sentence's characters joined and
normalized as the pipeline normalizes an article, sentences in file order,
doc id ``<source>:<sentence index>``. A sentence whose normalized text
repeats an earlier one is skipped; 《》 titles are left out unless --titles;
--max-repeat N keeps a candidate (text, quote style, full name) at most N
times over all sentences (default: every one; corpora/brands/labelled.json
holds them all). These rows, too, lose left/right when labelled.

With --show FILE, print the labelled rows of FILE instead, one per line
(id, label, the candidate [in brackets] in its context, note), their context
rebuilt from the THUCNews sample.

With --own, emit the candidates of the project's own genre articles that
corpora/brands/labelled.json does not label yet: the genre development set
(corpora/genre_dev, doc ids ``genre_dev/<file>``) and the articles written for
the brand labels (corpora/brands/written, ``written/<file>``), each read as
the pipeline reads it (pipeline.normalize); their rows keep their context.

With --refresh FILE, re-read every labelled row of FILE with the current
generator (after a change to brand_candidates.py or its data files): the
generator's fields of each row (full name, head, context of own rows) are
brought up to date, and rows whose candidate is no longer produced, or whose
full name changed, are listed on stderr for a second look at their label.
Written to --out (default: FILE itself).

Example:
    PYTHONPATH=. python scripts/harvest_brand_candidates.py \
        --out /tmp/candidates.jsonl
    PYTHONPATH=. python scripts/harvest_brand_candidates.py --ner --out /tmp/ner_candidates.jsonl
    PYTHONPATH=. python scripts/harvest_brand_candidates.py --show corpora/brands/labelled.json
    PYTHONPATH=. python scripts/harvest_brand_candidates.py --own --out /tmp/own_candidates.jsonl
    PYTHONPATH=. python scripts/harvest_brand_candidates.py --refresh corpora/brands/labelled.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Iterator, Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.corpus_context import (  # noqa: E402
    NER_CORPUS, NER_SOURCES, CorpusMissing, corpus_of, find_shared, ner_texts, texts,
)
from pipeline.extract.brand_candidates import GENERATOR_VERSION, find_candidates  # noqa: E402

CONTEXT = 40
PINYIN = re.compile(r"\(([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
# candidates per THUCNews category: more where programmes and brands occur
QUOTAS = {"时政": 90, "教育": 80, "财经": 65, "房产": 60, "科技": 45,
          "家居": 30, "体育": 25, "娱乐": 25, "游戏": 25, "时尚": 20}
ENRICH_CATEGORIES = ("时政", "教育", "财经", "房产", "科技")


def simplify(text: str) -> str:
    """Seed text as the labelled set indexes it: no pinyin, simplified script."""
    import opencc

    return opencc.OpenCC("t2s").convert(PINYIN.sub("", text))


def seed_docs(folder: Path) -> Iterator[tuple[str, str, str]]:
    for path in sorted(folder.glob("*.txt")):
        yield path.name, "seed", simplify(path.read_text(encoding="utf-8"))


OWN = {"genre_dev": REPO / "corpora" / "genre_dev", "written": REPO / "corpora" / "brands" / "written"}
OWN_FIELDS = ("left", "right")


def own_docs(category: str) -> Iterator[tuple[str, str, str]]:
    """(doc id, category, text as the pipeline reads it) of an own genre corpus."""
    from pipeline.normalize import normalize

    for path in sorted(OWN[category].glob("*.txt")):
        yield f"{category}/{path.name}", category, normalize(path.read_text(encoding="utf-8")).text


def own_text(doc: str) -> Optional[str]:
    """The text of an own genre document id (``genre_dev/01_x.txt``), None if not one."""
    category, _, name = doc.partition("/")
    if category not in OWN or not (OWN[category] / name).is_file():
        return None
    from pipeline.normalize import normalize

    return normalize((OWN[category] / name).read_text(encoding="utf-8")).text


def harvest_own(labelled: list[dict]) -> Iterator[dict]:
    """Candidates of the own genre corpora that ``labelled`` does not hold yet."""
    known = {r["id"] for r in labelled}
    for category in OWN:
        for doc, cat, text in own_docs(category):
            yield from (r for r in records(doc, cat, text) if r["id"] not in known)


def thucnews_docs(path: Path) -> list[dict]:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return sorted(docs, key=lambda d: hashlib.sha1(d["id"].encode("utf-8")).hexdigest())


def records(doc: str, category: str, text: str) -> list[dict]:
    seen, out = set(), []
    for c in find_candidates(text):
        key = candidate_key(c)
        if key in seen:
            continue
        seen.add(key)
        out.append({
            "id": f"{doc}:{c.start}-{c.end}", "doc": doc, "category": category,
            "start": c.start, "end": c.end, "text": c.text, **candidate_fields(c),
            "left": text[max(0, c.start - CONTEXT):c.start], "right": text[c.end:c.end + CONTEXT],
        })
    return out


def candidate_key(c) -> tuple:
    """What makes two candidates the same for the harvest (a Candidate or a row)."""
    get = c.get if isinstance(c, dict) else lambda k: getattr(c, k)
    return get("text"), get("quote_style"), get("full_text")


def sample_thucnews(docs: list[dict], quotas: dict, per_doc: int) -> Iterator[dict]:
    taken = dict.fromkeys(quotas, 0)
    for d in docs:
        room = quotas.get(d["category"], 0) - taken.get(d["category"], 0)
        if room <= 0:
            continue
        chosen = records(d["id"], d["category"], d["text"])[:min(per_doc, room)]
        taken[d["category"]] += len(chosen)
        yield from chosen


def enrich_thucnews(docs: list[dict], used: set, texts: set, limit: int) -> Iterator[dict]:
    for d in docs:
        if d["id"] in used or d["category"] not in ENRICH_CATEGORIES:
            continue
        for r in records(d["id"], d["category"], d["text"]):
            if limit <= 0:
                return
            if r["head"] and r["text"] not in texts:
                texts.add(r["text"])
                limit -= 1
                yield r


def harvest(seeds: Path, thucnews: Optional[Path], per_doc: int, enrich: int) -> Iterator[dict]:
    taken = [r for name, category, text in seed_docs(seeds) for r in records(name, category, text)]
    if thucnews is not None:
        docs = thucnews_docs(thucnews)
        taken += sample_thucnews(docs, QUOTAS, per_doc)
        used, texts = {r["doc"] for r in taken}, {r["text"] for r in taken}
        taken += enrich_thucnews(docs, used, texts, enrich)
    return iter(taken)


def harvest_ner(sources=tuple(NER_SOURCES), *, max_repeat: Optional[int] = None, titles: bool = False,
                paths: Optional[dict] = None) -> Iterator[dict]:
    """Candidates of the NER corpora's sentences (see --ner), deterministic."""
    seen_text: set = set()
    repeats: dict = {}
    for source in sources:
        for index, text in enumerate(ner_texts(source, (paths or {}).get(source))):
            if text in seen_text:
                continue
            seen_text.add(text)
            for r in records(f"{source}:{index}", NER_CORPUS[source], text):
                key = candidate_key(r)
                if r["quote_style"] == "《》" and not titles:
                    continue
                if max_repeat is not None and repeats.get(key, 0) >= max_repeat:
                    continue
                repeats[key] = repeats.get(key, 0) + 1
                yield r


GENERATED = ("quoted", "quote_style", "full_start", "full_end", "full_text", "head", "generator")


def row_texts(rows: list[dict], seeds: Path) -> dict[str, str]:
    """doc id -> the text a row's offsets index, for every kind of row."""
    seed = {name: text for name, _, text in seed_docs(seeds)}
    out = {r["doc"]: seed[r["doc"]] for r in rows if r["category"] == "seed" and r["doc"] in seed}
    docs = dict.fromkeys(r["doc"] for r in rows)  # each document's text read once
    out.update((doc, text) for doc in docs if (text := own_text(doc)) is not None)
    out.update(texts(r["doc"] for r in rows if corpus_of(r["doc"])))
    return out


def refresh(rows: list[dict], seeds: Path) -> tuple[list[dict], list[str]]:
    """Rows brought up to date with the current generator, and what needs a look."""
    found, notes, out = row_texts(rows, seeds), [], []
    by_doc: dict = {}
    for r in rows:
        text = found[r["doc"]]
        if r["doc"] not in by_doc:
            by_doc[r["doc"]] = {(c.start, c.end, c.quote_style): c for c in find_candidates(text)}
        cand = by_doc[r["doc"]].get((r["start"], r["end"], r["quote_style"]))
        if cand is None:
            notes.append(f"{r['id']}\tno longer a candidate\t{r['text']}\t{r['label']}")
            continue
        new = {**r, **{k: v for k, v in candidate_fields(cand).items() if k in GENERATED}}
        if "left" in r:
            new["left"], new["right"] = text[max(0, r["start"] - CONTEXT):r["start"]], text[r["end"]:r["end"] + CONTEXT]
        if new["full_text"] != r["full_text"]:
            notes.append(f"{r['id']}\tfull name {r['full_text']} -> {new['full_text']}\t{r['label']}")
        out.append(new)
    return out, notes


def candidate_fields(c) -> dict:
    return {"quoted": c.quoted, "quote_style": c.quote_style, "full_start": c.full_start,
            "full_end": c.full_end, "full_text": c.full_text, "head": c.head, "generator": GENERATOR_VERSION}


def show_labelled(path: Path) -> list[str]:
    """One line per labelled row, the candidate in its context (rebuilt for third-party rows)."""
    from pipeline.brand_classifier import with_context

    rows = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for r in with_context(rows):
        context = f"{r['left']}[{r['text']}]{r['right']}".replace("\n", " ")
        lines.append(f"{r['id']}\t{r['label']}\t{context}\t{r['note']}")
    return lines


def write_rows(path: Path, rows: list[dict]) -> None:
    """A JSON array with one row per line, as corpora/brands/labelled.json is kept."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    shared = find_shared()
    default_thu = shared / "corpora" / "thucnews_sample.jsonl" if shared else None
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=REPO / "corpora" / "seeds")
    parser.add_argument("--thucnews", type=Path, default=default_thu)
    parser.add_argument("--per-doc", type=int, default=6)
    parser.add_argument("--enrich", type=int, default=150)
    parser.add_argument("--out", type=Path, default=None, help="JSONL file (default: stdout)")
    parser.add_argument("--show", type=Path, default=None, help="print the labelled rows of this file")
    parser.add_argument("--ner", action="store_true", help="candidates of the NER corpora's sentences")
    parser.add_argument("--max-repeat", type=int, default=None, help="with --ner: copies of one candidate")
    parser.add_argument("--titles", action="store_true", help="with --ner: keep 《》 titles")
    parser.add_argument("--own", action="store_true", help="unlabelled candidates of the own genre corpora")
    parser.add_argument("--labelled", type=Path, default=REPO / "corpora" / "brands" / "labelled.json",
                        help="with --own: the labelled rows to leave out")
    parser.add_argument("--refresh", type=Path, default=None, help="bring the labelled rows of FILE up to date")
    args = parser.parse_args(argv)
    try:
        if args.show:
            print("\n".join(show_labelled(args.show)))
            return 0
        if args.refresh:
            rows, notes = refresh(json.loads(args.refresh.read_text(encoding="utf-8")), args.seeds)
            print("\n".join(notes), file=sys.stderr)
            write_rows(args.out or args.refresh, rows)
            return 0
        if args.own:
            rows = list(harvest_own(json.loads(args.labelled.read_text(encoding="utf-8"))))
        elif args.ner:
            rows = list(harvest_ner(max_repeat=args.max_repeat, titles=args.titles))
        else:
            if args.thucnews is not None and not args.thucnews.is_file():
                parser.error(f"no THUCNews sample at {args.thucnews}")
            rows = list(harvest(args.seeds, args.thucnews, args.per_doc, args.enrich))
    except CorpusMissing as exc:
        parser.error(str(exc))
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
