"""`zhnews kb ...`: thin commands over pipeline.kb, and the --db sink of extract.

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
from pipeline.kb.when import plain_date
from pipeline.records import RECORD_TYPES

RAW = argparse.RawDescriptionHelpFormatter
KB_EXAMPLES = """\
examples:
  zhnews extract corpora/seeds --db kb.sqlite
  zhnews kb load out/seeds.jsonl --db kb.sqlite
  zhnews kb stats --db kb.sqlite
  zhnews kb search 统战 --db kb.sqlite
  zhnews kb facts --type meetings --region 440000 --db kb.sqlite
  zhnews kb person 邹晓东 --db kb.sqlite
  zhnews kb export --format jsonl --db kb.sqlite -o all.jsonl
  zhnews kb metadata --db kb.sqlite > metadata.json && datasette kb.sqlite --metadata metadata.json
  zhnews kb export-gold gold/editors --db kb.sqlite && zhnews evaluate --gold gold/editors out/seeds.jsonl
"""
EXAMPLES = {
    "load": "zhnews kb load out/seeds.jsonl --db kb.sqlite\n  zhnews kb load a.jsonl b.jsonl --db kb.sqlite -q",
    "stats": "zhnews kb stats --db kb.sqlite\n  zhnews kb stats --db kb.sqlite --json",
    "search": "zhnews kb search 统战 --db kb.sqlite\n  zhnews kb search 新的社会阶层 汕尾 --db kb.sqlite --json",
    "facts": "zhnews kb facts --type meetings --region 440000 --since 2023-01-01 --db kb.sqlite\n"
             "  zhnews kb facts --type figures --doc 3aa97e187bf3f58eb471ff51b122259aec7b2a24 --db kb.sqlite --json",
    "person": "zhnews kb person 邹晓东 --db kb.sqlite\n  zhnews kb person 李晨阳 --db kb.sqlite --json",
    "export": "zhnews kb export --format jsonl --db kb.sqlite -o all.jsonl\n"
              "  zhnews kb export --format csv --type meetings --db kb.sqlite -o meetings.csv",
    "metadata": "zhnews kb metadata --db news.sqlite > metadata.json\n"
                "  datasette news.sqlite --metadata metadata.json",
    "export-gold": "zhnews kb export-gold gold/editors --db kb.sqlite\n"
                   "  zhnews evaluate --gold gold/editors out/seeds.jsonl\n"
                   "  zhnews kb export-gold gold/editors --db kb.sqlite --partial",
}
FACT_TYPES = RECORD_TYPES


def add_kb_parser(sub) -> None:
    """Register `zhnews kb` and its commands on the top-level subparsers."""
    kb = sub.add_parser("kb", help="load, query and export the knowledge base (one SQLite file)",
                        epilog=KB_EXAMPLES, formatter_class=RAW,
                        description="The knowledge base: every fact of every document in one SQLite file, with "
                        "regions, people, brands and meetings resolved across documents.")
    cmds = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", type=Path, required=True, metavar="KB.sqlite", help="the knowledge base file")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON instead of text")
    _load(_command(cmds, "load", "load zhnews extract output (JSON Lines) into the knowledge base", [db]))
    _command(cmds, "stats", "count documents, facts and entities", [db, as_json]).set_defaults(func=cmd_stats)
    _search(_command(cmds, "search", "full-text search over the normalized text", [db, as_json]))
    _facts(_command(cmds, "facts", "list facts of one type, by region and date", [db, as_json]))
    _person(_command(cmds, "person", "every document, title and meeting of a person", [db, as_json]))
    _export(_command(cmds, "export", "write the knowledge base as JSON Lines or CSV", [db]))
    _command(cmds, "metadata", "print Datasette metadata (table and column descriptions) for a knowledge base",
             [db]).set_defaults(func=cmd_metadata)
    _export_gold(_command(cmds, "export-gold", "write the documents editors reviewed as gold files "
                          "(spec/ANNOTATION.md's format) for zhnews evaluate", [db]))


def _command(cmds, name: str, help_: str, parents) -> argparse.ArgumentParser:
    return cmds.add_parser(name, help=help_, description=help_[0].upper() + help_[1:] + ".", parents=parents,
                           epilog=f"examples:\n  {EXAMPLES[name]}\n", formatter_class=RAW)


def _load(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", type=Path, metavar="OUT.jsonl", help="zhnews extract output files")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    p.set_defaults(func=cmd_load)


def _search(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="+", metavar="TEXT", help="terms that must all appear (any length)")
    p.add_argument("--limit", type=int, default=20, help="documents to show (default 20)")
    p.set_defaults(func=cmd_search)


def _facts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", required=True, choices=FACT_TYPES, dest="kind")
    p.add_argument("--region", metavar="CODE", help="a region id (440000): the region and everything in it (figures: by their document's region)")
    p.add_argument("--since", metavar="DATE", type=_iso_date,
                   help="ISO date (2023, 2023-01, 2023-01-01): facts on or after (meetings by their own date)")
    p.add_argument("--until", metavar="DATE", type=_iso_date, help="ISO date: facts on or before")
    p.add_argument("--doc", metavar="DOC_ID", help="only this document's facts")
    p.add_argument("--limit", type=int, help="at most this many")
    p.set_defaults(func=cmd_facts)


def _iso_date(value: str) -> str:
    if not plain_date(value):
        raise argparse.ArgumentTypeError(f"expected an ISO date such as 2023-01-01, got {value!r}")
    return value


def _person(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_person)


def _export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", required=True, choices=("jsonl", "csv"))
    p.add_argument("--type", default="documents", dest="kind",
                   choices=("documents",) + FACT_TYPES, help="for csv: the table to write (default documents)")
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    p.set_defaults(func=cmd_export)


def _export_gold(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, metavar="DIR", help="where to write one JSON file per document "
                   "(created when missing; files of the same name are replaced)")
    p.add_argument("--partial", action="store_true", help="also documents with facts still undecided "
                   "(those go to the *_optional lists, which the scorer neither rewards nor punishes)")
    p.set_defaults(func=cmd_export_gold)


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
