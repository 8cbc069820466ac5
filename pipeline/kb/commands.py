"""`zhnews kb ...`: thin commands over pipeline.kb, and the --db sink of extract
(their arguments: pipeline/kb_cli.py).

Each command checks its arguments, calls one function of pipeline.kb and
prints (JSON with --json). Exit codes as for the other commands: 0 success,
1 some documents failed, 2 the knowledge base cannot be used as asked
(missing, not a zhnews file, read-only, disk full): nothing was half-written.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Optional

from pipeline.errors import KnowledgeBaseError


# --- commands -----------------------------------------------------------------

def _fail(args, err: KnowledgeBaseError) -> int:
    print(f"zhnews kb {args.kb_command}: {err.message}", file=sys.stderr)
    return 2


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def cmd_load(args: argparse.Namespace) -> int:
    import pipeline.kb

    missing = [str(p) for p in args.inputs if not p.is_file()]
    if missing:
        print(f"zhnews kb load: {', '.join(missing)}: no such file", file=sys.stderr)
        return 2
    summary = pipeline.kb.LoadSummary()
    try:
        with pipeline.kb.open(args.db, write=True) as kb:
            for path in args.inputs:
                kb.load_jsonl(path, summary)
            kb.optimize()
    except KnowledgeBaseError as err:
        _report(args, summary)
        return _fail(args, err)
    _report(args, summary)
    return 1 if summary.failed or summary.kept else 0


def _report(args, summary) -> None:
    if not getattr(args, "quiet", False):
        for line in summary.lines():
            print(line, file=sys.stderr)


def _query(args: argparse.Namespace, question, show) -> int:
    """Ask the file (opened read-only) a question; print the answer as JSON
    with --json, else with `show`."""
    import pipeline.kb

    try:
        with pipeline.kb.open(args.db) as kb:
            answer = question(kb)
    except KnowledgeBaseError as err:
        return _fail(args, err)
    except (ValueError, OSError) as err:  # a question the file cannot answer (an empty search), a folder not writable
        print(f"zhnews kb {args.kb_command}: {err}", file=sys.stderr)
        return 2
    if getattr(args, "json", False):
        _print_json(_plain(answer))
    else:
        show(answer)
    return 0


def _plain(answer):
    """A query's answer as JSON-ready data (a record inside a fact as its fields)."""
    if isinstance(answer, list):
        return [_plain(item) for item in answer]
    data = asdict(answer)
    if hasattr(answer, "record"):
        data["record"] = answer.record.model_dump()
    if hasattr(answer, "appearances"):
        data["titles"] = answer.titles
    return data


def cmd_stats(args: argparse.Namespace) -> int:
    def show(stats) -> None:
        print(f"knowledge base: {args.db} ({stats.size_bytes / 1e6:.1f} MB)")
        print("\n".join(stats.lines()))

    return _query(args, lambda kb: kb.stats(), show)


def cmd_search(args: argparse.Namespace) -> int:
    def show(result) -> None:
        print(f"{result.total} documents hold {result.query!r} ({result.how}); showing {len(result.hits)}")
        for hit in result.hits:
            print(f"{hit.doc_id}  {(hit.published_at or '-')[:10]:<10}  {hit.hits:>3}x  {hit.title or hit.source or ''}")
            print(f"    {hit.snippet}")

    return _query(args, lambda kb: kb.search(" ".join(args.text), limit=args.limit), show)


def cmd_facts(args: argparse.Namespace) -> int:
    def show(found) -> None:
        for fact in found:
            print(describe(fact))
        print(f"{args.kind}: {len(found)}", file=sys.stderr)

    return _query(args, lambda kb: list(kb.facts(args.kind, region=args.region, since=args.since, until=args.until,
                                                 doc_id=args.doc, limit=args.limit)), show)


def describe(fact) -> str:
    """One line per fact, then the document it is from."""
    r = fact.record
    text = {
        "regions": lambda: f"{r.name} {r.code or ''} {r.level}",
        "figures": lambda: f"{r.name} {'、'.join(r.titles)}",
        "brands": lambda: f"{r.name} ({r.kind}){' ' + r.region if r.region else ''}",
        "counts": lambda: f"{r.text}: {r.value} {r.unit or ''} {r.qualifier}{' ' + r.subject if r.subject else ''}",
        "meetings": lambda: _meeting(r),
    }[fact.type]()
    date = (r.date if fact.type == "meetings" and r.date else (fact.published_at or "")[:10]) or "-"
    entity = f"  [{_ENTITY[fact.type]} {fact.entity}]" if fact.entity is not None else ""
    return f"{date:<10}  {text}{entity}\n            from {fact.doc_id}: {fact.title or fact.source or '(no title)'}"


_ENTITY = {"regions": "region", "figures": "person", "brands": "brand", "meetings": "event"}


def _meeting(m) -> str:
    parts = [m.name]
    if m.location:
        parts.append(f"in {m.location.name} {m.location.code or ''}".rstrip())
    if m.participants:
        parts.append(f"{m.participants} participants")
    if m.attendees:
        parts.append("attended by " + "、".join(a.name for a in m.attendees))
    return ", ".join(parts)


def cmd_person(args: argparse.Namespace) -> int:
    def show(people) -> None:
        if not people:
            print(f"nobody named {args.name} in {args.db}", file=sys.stderr)
        for p in people:
            print(f"{p.name} (person {p.person_id}): {len(p.appearances)} document(s); "
                  f"titles: {'、'.join(p.titles) or '-'}")
            for a in p.appearances:
                print(f"  {(a.published_at or '-')[:10]:<10}  {a.doc_id}  {a.title or a.source or '(no title)'}")
                print(f"              titles: {'、'.join(a.titles) or '-'}; roles: {'、'.join(a.roles) or '-'}")
                for meeting in a.meetings:
                    print(f"              meeting: {meeting}")
                print(f"              linked: {a.reason}")

    return _query(args, lambda kb: list(kb.person(args.name)), show)


def cmd_export(args: argparse.Namespace) -> int:
    def write(kb) -> int:
        out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
        try:
            return kb.export(out, format=args.format, kind=args.kind)
        finally:
            if out is not sys.stdout:
                out.close()

    def show(n: int) -> None:
        print(f"{n} {'documents' if args.format == 'jsonl' else args.kind} written", file=sys.stderr)

    return _query(args, write, show)


def cmd_export_gold(args: argparse.Namespace) -> int:
    from pipeline.kb.gold import export_gold

    if args.folder.exists() and not args.folder.is_dir():
        print(f"zhnews kb export-gold: {args.folder}: not a folder", file=sys.stderr)
        return 2

    def show(summary) -> None:
        for line in summary.lines():
            print(line, file=sys.stderr)

    return _query(args, lambda kb: export_gold(kb.conn, args.folder, partial=args.partial), show)


def cmd_metadata(args: argparse.Namespace) -> int:
    from pipeline.kb.metadata import render_metadata

    sys.stdout.write(render_metadata(args.db.stem))
    return 0


# --- zhnews extract --db ------------------------------------------------------------

class DbSink:
    """Where `zhnews extract --db` puts each document as it is extracted."""

    def __init__(self, path: Path, *, ner: bool, spacy_model: Optional[str]):
        import pipeline.kb

        self.kb = pipeline.kb.open(path, write=True)
        self.provenance = pipeline.kb.Provenance.of_run(ner=ner, spacy_model=spacy_model)
        self.summary = pipeline.kb.LoadSummary()

    def done(self) -> set[str]:
        return self.kb.done_ids()

    def write(self, doc) -> None:
        self.kb.load([doc], self.provenance, self.summary)

    def close(self) -> None:
        try:
            self.kb.optimize()
        except KnowledgeBaseError:
            pass  # the index is merely less compact; the error was reported when it happened
        finally:
            self.kb.close()

    def lines(self) -> list[str]:
        return self.summary.lines()
