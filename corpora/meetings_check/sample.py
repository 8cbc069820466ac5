"""Draw the held-out meetings sample (see README.md): ids only, printed as JSON.

    PYTHONPATH=. python corpora/meetings_check/sample.py > /tmp/sample.json

Run from the repository root; reads the shared corpora through pipeline.corpus_context.
"""

import hashlib
import json
import re
import sys
from pathlib import Path

from pipeline import corpus_context as cc
from pipeline.extract.meetings.words import lexicon

CATEGORIES = ("时政", "教育", "财经", "房产")
TRIGGERS = ("召开", "举行", "举办", "开幕")
N_THUC, N_PD = 30, 30
HERE = Path(__file__).resolve().parent


def kind_words() -> list[str]:
    return sorted(k for k, tier in lexicon().kinds.items() if tier == "core")


def cited(pattern: str) -> set[str]:
    """Ids cited in tests/ or corpora/ outside this folder."""
    out = set()
    for folder in ("tests", "corpora"):
        for path in (cc.REPO / folder).rglob("*"):
            if path.is_file() and HERE not in path.parents and path.suffix in (".py", ".json", ".tsv", ".md", ".jsonl", ".txt"):
                out.update(re.findall(pattern, path.read_text(encoding="utf-8", errors="ignore")))
    return out


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def thucnews_ids(kinds: list[str]) -> list[str]:
    """Articles with a kind word and a trigger; those cited nowhere else first (too few alone)."""
    skip = cited(r"thucnews-\d{4}")
    with cc.sample_path().open(encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    ok = [d["id"] for d in docs if d["category"] in CATEGORIES
          and any(k in d["text"] for k in kinds) and any(t in d["text"] for t in TRIGGERS)]
    return sorted(ok, key=lambda i: (i in skip, sha1(i)))[:N_THUC]  # uncited first


def pd_ids(kinds: list[str]) -> list[str]:
    skip = cited(r"pd_test:\d+")
    hits = [f"pd_test:{i}" for i, s in enumerate(cc.ner_texts("pd_test")) if any(k in s for k in kinds)]
    hits = [h for h in hits if h not in skip]
    step = len(hits) // N_PD
    return hits[::step][:N_PD]


if __name__ == "__main__":
    kinds = kind_words()
    json.dump({"thucnews": thucnews_ids(kinds), "pd_test": pd_ids(kinds)}, sys.stdout, ensure_ascii=False, indent=1)
