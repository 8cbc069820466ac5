"""The `zhnews` command: a thin layer over the Python API.

Each command checks its arguments, calls a plain function and prints; the
exit code is 0 on success, 1 when some documents failed (or a check did
not pass), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from pipeline.batch import DEFAULT_MAX_CHARS, ENGINES

EXTRACT_EXAMPLES = """\
examples:
  zhnews extract corpora/seeds -o out/seeds.jsonl
  zhnews extract articles/ --workers 2 -o out/all.jsonl --resume
  zhnews extract news.jsonl --engine dask --scheduler tcp://10.0.0.5:8786 -o out/news.jsonl
  zhnews extract big.jsonl --max-chars 2000000 -o out/big.jsonl
  zhnews extract news.jsonl --no-ner > out.jsonl
  zhnews extract articles/ --db kb.sqlite --resume
  cat article.txt | zhnews extract -
  zhnews extract corpora/seeds/001_west_chengdu.txt --explain
"""
EVALUATE_EXAMPLES = """\
examples:
  zhnews evaluate --gold corpora/gold/seeds out/seeds.jsonl
  zhnews evaluate --gold corpora/gold/seeds out/seeds.jsonl --json
"""
SCHEMA_EXAMPLES = """\
examples:
  zhnews schema > document.schema.json
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhnews",
        description="Turn Chinese news reports into structured, checkable records.",
    )
    parser.add_argument("--version", action="version", version=f"zhnews {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract records from articles into JSON Lines",
                        epilog=EXTRACT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
                        description="Read files, folders (*.txt, *.html, *.jsonl, recursively), "
                        "JSON Lines files or '-' (stdin) and write one JSON line per document.")
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, .jsonl file, or - for stdin")
    ex.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    ex.add_argument("--workers", type=_positive, default=1,
                    help="local processes to use, each loading the model once (default 1); "
                    "with --engine dask and no --scheduler, the workers of a local Dask cluster")
    ex.add_argument("--engine", choices=ENGINES, default="local",
                    help="local: this machine's processes (default); dask: a Dask distributed cluster")
    ex.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                    help="the Dask scheduler to send documents to (with --engine dask; "
                    "without it a local cluster of --workers processes is started)")
    ex.add_argument("--max-chars", type=_not_negative, default=DEFAULT_MAX_CHARS, metavar="N",
                    help=f"refuse documents longer than N characters with an error record "
                    f"(default {DEFAULT_MAX_CHARS:,}; 0: no limit)")
    ex.add_argument("--spacy-model", metavar="NAME_OR_PATH",
                    help="an installed spaCy pipeline (e.g. zh_core_web_sm) instead of the shipped one")
    ex.add_argument("--no-ner", action="store_true", help="rules only: skip the statistical NER model")
    ex.add_argument("--explain", action="store_true",
                    help="add every brand candidate with its label, probability and the cue that decided it (brand_candidates)")
    ex.add_argument("--db", type=Path, metavar="KB.sqlite",
                    help="load every document into this knowledge base (see zhnews kb); JSON Lines only with -o")
    ex.add_argument("--resume", action="store_true",
                    help="append to OUTPUT, skipping documents it already holds without error")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser("evaluate", help="score predictions against gold annotations",
                        epilog=EVALUATE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
                        description="Per-type precision, recall and F1 and the secondary accuracies "
                        "defined in spec/ANNOTATION.md's Scoring section.")
    ev.add_argument("predictions", type=Path, metavar="PRED.jsonl")
    ev.add_argument("--gold", type=Path, required=True, metavar="DIR", help="folder of gold *.json files")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--details", action="store_true", help="list the false positives and misses")
    ev.set_defaults(func=cmd_evaluate)

    sc = sub.add_parser("schema", help="print the JSON Schema of the output",
                        epilog=SCHEMA_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sc.set_defaults(func=cmd_schema)

    from pipeline.kb_cli import add_kb_parser
    from pipeline.review.command import add_review_parser

    add_kb_parser(sub)
    add_review_parser(sub)
    return parser


def _version() -> str:
    from pipeline import __version__

    return __version__


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return number


# --- extract -----------------------------------------------------------------

def _usage_error(args: argparse.Namespace) -> Optional[str]:
    for item in args.inputs:
        if item != "-" and not Path(item).exists():
            return f"{item}: no such file or folder"
    if args.resume and not (args.output or args.db):
        return "--resume needs -o OUTPUT or --db KB.sqlite"
    if args.output and any(item != "-" and Path(item).resolve() == args.output.resolve() for item in args.inputs):
        return f"{args.output} is both an input and the output"
    if args.scheduler and args.engine != "dask":
        return "--scheduler needs --engine dask"
    return None


def _progress_bar(args: argparse.Namespace, skip: Optional[set]):
    """A tqdm bar on stderr (documents/s, ETA) when it is a terminal; the total
    is counted first when the inputs are files (not for stdin)."""
    from tqdm import tqdm

    from pipeline.batch import count_documents

    shown = not args.quiet and sys.stderr.isatty()
    total = count_documents(args.inputs, exclude=_excluded(args)) if shown else None
    if total is not None and skip:
        total = max(total - len(skip), 0)
    return tqdm(total=total, unit="doc", file=sys.stderr, disable=not shown, dynamic_ncols=True, smoothing=0.1)


def _excluded(args: argparse.Namespace) -> list[Path]:
    return [args.output] if args.output else []


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.batch import EngineUnavailable, Summary, extract_paths
    from pipeline.data import DataFileError
    from pipeline.errors import KnowledgeBaseError

    problem = _usage_error(args)
    if problem:
        print(f"zhnews extract: {problem}", file=sys.stderr)
        return 2
    try:
        sink = _open_db(args)
    except KnowledgeBaseError as err:
        print(f"zhnews extract: {err.message}", file=sys.stderr)
        return 2
    in_file, skip = _resume_ids(args, sink) if args.resume else (set(), None)
    summary = Summary()
    bar = _progress_bar(args, skip)
    out = _open_output(args.output, append=args.resume) if args.output or not sink else None
    try:
        documents = extract_paths(args.inputs, workers=args.workers, engine=args.engine, scheduler=args.scheduler,
                                  spacy_model=args.spacy_model, ner=not args.no_ner, explain=args.explain,
                                  max_chars=args.max_chars, skip_ids=skip, summary=summary,
                                  on_document=lambda doc, s: _advance(bar, s), exclude=_excluded(args))
        for doc in documents:
            if sink:  # the knowledge base first: a run killed in between leaves no line without its commit
                sink.write(doc)
            if out and doc.doc_id not in in_file:
                out.write(_json_line(doc, summary) + "\n")
                out.flush()
    except (DataFileError, EngineUnavailable, OSError, KnowledgeBaseError) as err:
        print(f"zhnews extract: cannot run: {getattr(err, 'message', err)}", file=sys.stderr)
        return 2
    finally:
        bar.close()
        if out not in (None, sys.stdout):
            out.close()
        if sink:
            sink.close()
    if not args.quiet:
        for line in summary.lines() + (sink.lines() if sink else []):
            print(line, file=sys.stderr)
    return 0 if summary.ok else 1


def _open_db(args):
    if not args.db:
        return None
    from pipeline.kb.commands import DbSink

    return DbSink(args.db, ner=not args.no_ner, spacy_model=args.spacy_model)


def _resume_ids(args, sink) -> tuple[set, set]:
    """The documents the output file holds finished, and those done in every
    output asked for (-o and/or --db), which --resume skips. A document the
    file holds but the knowledge base does not is run again for the knowledge
    base only: the file keeps its one line (and every line of other runs)."""
    from pipeline.batch import keep_done

    in_file = keep_done(args.output) if args.output else set()
    done = [in_file] if args.output else []
    return in_file, set.intersection(*done, *([sink.done()] if sink else []))


def _advance(bar, summary) -> None:
    if summary.failed:
        bar.set_postfix(failed=summary.failed, refresh=False)
    bar.update(1)


def _json_line(doc, summary) -> str:
    """The document as one JSON line; one that cannot be serialized becomes its
    error record (and is counted as failed) instead of stopping the run."""
    from pipeline.errors import Codes
    from pipeline.records import Document, Error

    try:
        return doc.model_dump_json()
    except ValueError as exc:
        summary.fail(Codes.NOT_SERIALIZABLE)
        error = Error(code=Codes.NOT_SERIALIZABLE, message=f"{doc.source or doc.doc_id}: {exc}")
        return Document(doc_id=doc.doc_id, source=doc.source, error=error).model_dump_json()


def _open_output(path: Optional[Path], *, append: bool) -> TextIO:
    if path is None:
        return sys.stdout
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "a" if append else "w", encoding="utf-8")


# --- evaluate / schema -------------------------------------------------------

def cmd_evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, format_report

    for path, what in ((args.gold, "gold folder"), (args.predictions, "predictions file")):
        if not path.exists():
            print(f"zhnews evaluate: {path}: no such {what}", file=sys.stderr)
            return 2
    try:
        report = evaluate(args.gold, args.predictions)
    except (ValueError, FileNotFoundError) as err:
        print(f"zhnews evaluate: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    if args.details:
        for row in report.details:
            if row["false_positives"] or row["missed"]:
                print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from pipeline.schema import render_schema

    sys.stdout.write(render_schema())
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
