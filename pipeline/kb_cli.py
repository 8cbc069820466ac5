"""The arguments of `zhnews kb ...`, outside the pipeline.kb package: building
the parser (every zhnews command does) loads no knowledge base code. The
commands themselves are in pipeline/kb/commands.py, imported when one runs.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

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
    _command(cmds, "stats", "count documents, facts and entities", [db, as_json]).set_defaults(func=_handler("cmd_stats"))
    _search(_command(cmds, "search", "full-text search over the normalized text", [db, as_json]))
    _facts(_command(cmds, "facts", "list facts of one type, by region and date", [db, as_json]))
    _person(_command(cmds, "person", "every document, title and meeting of a person", [db, as_json]))
    _export(_command(cmds, "export", "write the knowledge base as JSON Lines or CSV", [db]))
    _command(cmds, "metadata", "print Datasette metadata (table and column descriptions) for a knowledge base",
             [db]).set_defaults(func=_handler("cmd_metadata"))
    _export_gold(_command(cmds, "export-gold", "write the documents editors reviewed as gold files "
                          "(spec/ANNOTATION.md's format) for zhnews evaluate", [db]))


def _command(cmds, name: str, help_: str, parents) -> argparse.ArgumentParser:
    return cmds.add_parser(name, help=help_, description=help_[0].upper() + help_[1:] + ".", parents=parents,
                           epilog=f"examples:\n  {EXAMPLES[name]}\n", formatter_class=RAW)


def _load(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", type=Path, metavar="OUT.jsonl", help="zhnews extract output files")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    p.set_defaults(func=_handler("cmd_load"))


def _search(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="+", metavar="TEXT", help="terms that must all appear (any length)")
    p.add_argument("--limit", type=int, default=20, help="documents to show (default 20)")
    p.set_defaults(func=_handler("cmd_search"))


def _facts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", required=True, choices=FACT_TYPES, dest="kind")
    p.add_argument("--region", metavar="CODE", help="a region id (440000): the region and everything in it (figures: by their document's region)")
    p.add_argument("--since", metavar="DATE", type=_iso_date,
                   help="ISO date (2023, 2023-01, 2023-01-01): facts on or after (meetings by their own date)")
    p.add_argument("--until", metavar="DATE", type=_iso_date, help="ISO date: facts on or before")
    p.add_argument("--doc", metavar="DOC_ID", help="only this document's facts")
    p.add_argument("--limit", type=int, help="at most this many")
    p.set_defaults(func=_handler("cmd_facts"))


def _iso_date(value: str) -> str:
    from pipeline.kb.when import plain_date

    if not plain_date(value):
        raise argparse.ArgumentTypeError(f"expected an ISO date such as 2023-01-01, got {value!r}")
    return value


def _person(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=_handler("cmd_person"))


def _export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", required=True, choices=("jsonl", "csv"))
    p.add_argument("--type", default="documents", dest="kind",
                   choices=("documents",) + FACT_TYPES, help="for csv: the table to write (default documents)")
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    p.set_defaults(func=_handler("cmd_export"))


def _export_gold(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, metavar="DIR", help="where to write one JSON file per document "
                   "(created when missing; files of the same name are replaced)")
    p.add_argument("--partial", action="store_true", help="also documents with facts still undecided "
                   "(those go to the *_optional lists, which the scorer neither rewards nor punishes)")
    p.set_defaults(func=_handler("cmd_export_gold"))


def _handler(name: str):
    """The command `name` of pipeline/kb/commands.py, imported when it runs."""
    return partial(_run, name)


def _run(name: str, args: argparse.Namespace) -> int:
    from pipeline.kb import commands

    return getattr(commands, name)(args)
