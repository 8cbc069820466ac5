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

EXTRACT_EXAMPLES = """\
examples:
  zhnews extract corpora/seeds -o out/seeds.jsonl
  zhnews extract articles/ --workers 2 -o out/all.jsonl --resume
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
    ex.add_argument("--workers", type=_positive, default=1, help="processes to use (default 1)")
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

    from pipeline.kb.commands import add_kb_parser

    add_kb_parser(sub)
    return parser


def _version() -> str:
    from pipeline import __version__

    return __version__


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


# --- extract -----------------------------------------------------------------

class Progress:
    """A one-line progress display on stderr (only when it is a terminal)."""

    def __init__(self, stream: TextIO, enabled: bool):
        self.stream = stream
        self.enabled = enabled

    def __call__(self, doc, summary) -> None:
        if self.enabled:
            rate = summary.documents / summary.seconds if summary.seconds else 0.0
            self.stream.write(f"\r{summary.documents} documents, {summary.failed} failed, {rate:.1f} docs/s")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.batch import Summary, extract_paths
    from pipeline.data import DataFileError
    from pipeline.errors import KnowledgeBaseError

    for item in args.inputs:
        if item != "-" and not Path(item).exists():
            print(f"zhnews extract: {item}: no such file or folder", file=sys.stderr)
            return 2
    if args.resume and not (args.output or args.db):
        print("zhnews extract: --resume needs -o OUTPUT or --db KB.sqlite", file=sys.stderr)
        return 2
    if args.output and any(item != "-" and Path(item).resolve() == args.output.resolve() for item in args.inputs):
        print(f"zhnews extract: {args.output} is both an input and the output", file=sys.stderr)
        return 2
    try:
        sink = _open_db(args)
    except KnowledgeBaseError as err:
        print(f"zhnews extract: {err.message}", file=sys.stderr)
        return 2
    skip = _resume_ids(args, sink) if args.resume else None
    summary = Summary()
    progress = Progress(sys.stderr, not args.quiet and sys.stderr.isatty())
    out = _open_output(args.output, append=args.resume) if args.output or not sink else None
    try:
        documents = extract_paths(args.inputs, workers=args.workers, spacy_model=args.spacy_model,
                                  ner=not args.no_ner, explain=args.explain, skip_ids=skip, summary=summary,
                                  on_document=progress, exclude=[args.output] if args.output else [])
        for doc in documents:
            if out:
                out.write(_json_line(doc, summary) + "\n")
                out.flush()
            if sink:
                sink.write(doc)
    except (DataFileError, OSError, KnowledgeBaseError) as err:
        print(f"zhnews extract: cannot run: {getattr(err, 'message', err)}", file=sys.stderr)
        return 2
    finally:
        progress.close()
        if out not in (None, sys.stdout):
            out.close()
        if sink:
            sink.close()
    if not args.quiet:
        for line in summary.lines() + (sink.lines() if sink else []):
            print(line, file=sys.stderr)
    return 0 if summary.ok else 1


def _open_db(args):
    from pipeline.kb.commands import DbSink

    return DbSink(args.db, ner=not args.no_ner, spacy_model=args.spacy_model) if args.db else None


def _resume_ids(args, sink) -> set:
    """Documents done in every output asked for (-o and/or --db)."""
    from pipeline.batch import keep_done

    done = [keep_done(args.output)] if args.output else []
    return set.intersection(*done, *([sink.done()] if sink else []))


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
