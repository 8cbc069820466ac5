"""Sample sentences with numerals from a JSONL corpus and run the count extractor on them.

    python scripts/sample_count_sentences.py /work/shared/corpora/thucnews_sample.jsonl \
        --n 200 --seed 20240605 -o /tmp/thucnews_200.json
    python scripts/sample_count_sentences.py --show corpora/counts_check/thucnews_200.json

A sentence qualifies when it holds an Arabic digit or a Chinese numeral
character other than 一 (一 is mostly part of words: 统一, 一些, 一起; the
extractor never emits a Chinese 1 anyway). Sentences come from the
normalized text, split by pipeline.segment.split_sentences; the sample is
random.Random(seed).sample over all qualifying sentences in corpus order,
so the same corpus and seed give the same sample.

Output: a JSON array, one row per line: {"id", "doc_id", "category", "start",
"end", "counts": [...]} with every predicted count (text, value, unit,
qualifier, upper, subject). The sentence itself is not stored (the corpus is
third-party data the project does not copy): start/end index the article's
`text` as stored in the corpus, and `--show FILE` prints each row with its
sentence cut back out of the corpus (the shared THUCNews sample unless a
corpus is given). A checker adds "verdict" (correct | wrong | optional) and
"note" to each count by hand; `--verdicts TSV` merges `id<TAB>index<TAB>verdict
<TAB>note` lines into an existing sample (-o) instead of sampling again.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.analysis import analyze  # noqa: E402
from pipeline.corpus_context import CorpusMissing, sample_path, thucnews_texts  # noqa: E402
from pipeline.extract.counts import extract_counts  # noqa: E402
from pipeline.normalize import normalize  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402

NUMERAL = re.compile(r"[0-9０-９]|[二两三四五六七八九十百千万亿零〇]")
FIELDS = ("text", "value", "unit", "qualifier", "upper", "subject")


def candidate_sentences(corpus: Path, min_len: int = 6, max_len: int = 300):
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            norm = normalize(doc["text"])
            for sent in split_sentences(norm.text):
                if min_len <= len(sent.text) <= max_len and NUMERAL.search(sent.text):
                    start, end = norm.to_original(sent.start, sent.end)
                    yield {"doc_id": doc.get("id"), "category": doc.get("category"),
                           "start": start, "end": end, "sentence": sent.text}


def predict(sentence: str) -> list[dict]:
    counts = extract_counts(analyze(sentence))
    return [{k: getattr(c, k) for k in FIELDS} for c in counts]


def sample(corpus: Path, n: int, seed: int) -> list[dict]:
    pool = list(candidate_sentences(corpus))
    chosen = random.Random(seed).sample(pool, min(n, len(pool)))
    for i, item in enumerate(chosen):
        item["id"] = i
        item["counts"] = predict(item.pop("sentence"))
    return [{"id": c["id"], **{k: v for k, v in c.items() if k != "id"}} for c in chosen]


def read_rows(path: Path) -> list[dict]:
    """A checked sample: a JSON array (one row per line) or JSON lines."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def write_rows(path: Path, rows: list[dict]) -> None:
    """A JSON array with one row per line (not JSON lines: `zhnews extract corpora/` skips it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def show(rows: list[dict], texts: dict) -> list[str]:
    """Each row's sentence, cut from its article, then its counts with their verdicts."""
    lines = []
    for row in rows:
        sentence = texts[row["doc_id"]][row["start"]:row["end"]]
        lines.append(f"{row['id']} {row['doc_id']} {row['category']} :: {sentence}")
        for i, c in enumerate(row["counts"]):
            extra = f" {c['verdict']}" + (f" ({c['note']})" if c.get("note") else "") if "verdict" in c else ""
            lines.append(f"    {i} {c['text']} = {c['value']} {c['unit'] or ''} {c['qualifier']}"
                         f" subject={c['subject']}{extra}")
    return lines


def merge_verdicts(rows: list[dict], verdicts: Path) -> list[dict]:
    by_id = {r["id"]: r for r in rows}
    for number, line in enumerate(verdicts.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or parts[2] not in ("correct", "wrong", "optional"):
            raise SystemExit(f"{verdicts}, line {number}: want id, index, correct|wrong|optional[, note]")
        count = by_id[int(parts[0])]["counts"][int(parts[1])]
        count["verdict"] = parts[2]
        count["note"] = parts[3] if len(parts) > 3 else ""
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=sample_path(),
                    help="JSONL corpus (default: the shared THUCNews sample)")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20240605)
    ap.add_argument("-o", "--output", type=Path)
    ap.add_argument("--verdicts", type=Path, help="merge hand verdicts into OUTPUT (no resampling)")
    ap.add_argument("--show", type=Path, help="print a checked sample with its sentences")
    args = ap.parse_args(argv)
    if args.show or not args.verdicts:
        try:
            texts = thucnews_texts(args.corpus)
        except CorpusMissing as exc:
            ap.error(str(exc))
    if args.show:
        print("\n".join(show(read_rows(args.show), texts)))
        return 0
    if args.output is None:
        ap.error("-o/--output is required")
    if args.verdicts:
        rows = merge_verdicts(read_rows(args.output), args.verdicts)
    else:
        rows = sample(args.corpus, args.n, args.seed)
    write_rows(args.output, rows)
    print(f"{len(rows)} sentences, {sum(len(r['counts']) for r in rows)} predicted counts -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
