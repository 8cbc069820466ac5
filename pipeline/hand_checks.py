"""Re-score the hand checks under corpora/*_check with the current extractors.

Each check keeps hand judgements on third-party text (ids and offsets, see
``pipeline.corpus_context``): gold rows (figures, meetings, regions: every
name the text has, judged yes / optional / no) or verdicts on predicted
counts (correct / wrong / optional). ``rescore`` runs today's pipeline on the
check's documents, applies the stored judgements the way ``pipeline.evaluate``
scores, and returns the table its README quotes between the RESULTS markers.
A prediction no stored judgement covers is listed as unjudged, never scored.

    python scripts/hand_checks.py             # print the tables and what is unjudged
    python scripts/hand_checks.py --unjudged  # add rows to judge (gold/verdict null)
    python scripts/hand_checks.py --write     # rewrite the tables in the READMEs

Nothing here runs during extraction.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from pipeline import corpus_context as cc
from pipeline.evaluate import MATCHERS, Ratio, Report, count_match, max_matching, score_document
from pipeline.records import Document

CORPORA = cc.REPO / "corpora"
REFRESH = "python scripts/hand_checks.py --write"
ADD = "python scripts/hand_checks.py --unjudged"
BEGIN = "<!-- RESULTS BEGIN: written by `python scripts/hand_checks.py --write`; tests/test_hand_checks.py re-scores -->"
END = "<!-- RESULTS END -->"
CORPUS_LABEL = {"thucnews": "THUCNews", "peoples_daily": "PD"}
COUNT_FIELDS = ("text", "value", "unit", "qualifier", "upper", "subject")


@dataclass(frozen=True)
class Unjudged:
    """A prediction no stored judgement covers, with the row that would judge it."""

    file: str
    doc: str
    start: int  # the span to read it in: the mention, or the count's sentence
    end: int
    what: str
    row: dict  # the row to add to ``file`` (gold / verdict left null)


@dataclass
class Rescored:
    """A check's results table (sample -> column -> shown value) and what it cannot score."""

    columns: tuple[str, ...]
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    unjudged: list[Unjudged] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # documents the pipeline failed on


class Documents:
    """The current pipeline's Document for check document ids, each extracted once
    (with the shipped NER model, as the checks were made)."""

    def __init__(self, extract: Optional[Callable[[str], Document]] = None):
        self._extract = extract or _extract
        self._done: dict[str, Document] = {}

    def __call__(self, ids: Iterable[str]) -> dict[str, Document]:
        ids = sorted(set(ids))
        todo = [d for d in ids if d not in self._done]
        texts = cc.texts(todo)
        self._done.update((d, self._extract(texts[d])) for d in todo)
        return {d: self._done[d] for d in ids}


def _extract(text: str) -> Document:
    from pipeline.core import extract

    return extract(text)


# --- reading and writing check files --------------------------------------------

def read_rows(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_rows(path: Path, rows: list[dict]) -> None:
    """A JSON array, one row per line (not JSON Lines: `zhnews extract corpora/` skips it)."""
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    Path(path).write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


def _group(items: Iterable, key: Callable) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out


# --- shown values ----------------------------------------------------------------

def _share(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "n/a"


def _ratio(r: Ratio) -> str:
    return f"{r.right}/{r.total}"


def _tally_cells(report: Report, kind: str) -> dict[str, str]:
    t = report.tallies[kind]
    return {"gold": str(t.tp + t.fn), "tp": str(t.tp), "fp": str(t.fp), "fn": str(t.fn),
            "precision": _share(t.tp, t.tp + t.fp), "recall": _share(t.tp, t.tp + t.fn)}


# --- gold-row checks (figures, meetings, regions) --------------------------------

@dataclass(frozen=True)
class GoldCheck:
    """How one record type is read from a Document and from a check row."""

    kind: str
    predicted: Callable[[object], dict]  # a record -> what evaluate compares
    gold: Callable[[dict], dict]         # a check row -> the same shape
    skeleton: Callable[[object], dict]   # a record -> the fields of a row to judge
    columns: tuple[str, ...]
    cells: Callable[[Report], dict[str, str]]


def _judged(check: GoldCheck, pred: dict, rows: list[dict]) -> bool:
    same = MATCHERS[check.kind]
    return any(r.get("gold") in ("yes", "optional", "no") and same(pred, check.gold(r)) for r in rows)


def _gold_of(check: GoldCheck, rows: list[dict]) -> dict:
    return {check.kind: [check.gold(r) for r in rows if r.get("gold") == "yes"],
            f"{check.kind}_optional": [check.gold(r) for r in rows if r.get("gold") == "optional"]}


def _row_to_judge(check: GoldCheck, doc: str, rows: list[dict], record) -> dict:
    m = record.mentions[0]
    known = rows[0] if rows else {}
    keep = {k: known[k] for k in ("category", "set") if k in known}
    return {"doc": doc, **keep, "start": m.start, "end": m.end, "mention": m.text,
            **check.skeleton(record), "gold": None, "added": True, "note": ""}


def score_gold(check: GoldCheck, file: str, docs: dict[str, Document], rows: list[dict],
               result: Rescored, sample: str) -> None:
    """Score the documents of one sample against their rows; add its line to ``result``."""
    report, by_doc = Report(), _group(rows, lambda r: r["doc"])
    for doc_id, doc in docs.items():
        if doc.error is not None:
            result.failed.append(f"{doc_id}: {doc.error.code}: {doc.error.message}")
        records = getattr(doc, check.kind)
        preds = [check.predicted(r) for r in records]
        score_document(report, {check.kind: preds}, _gold_of(check, by_doc[doc_id]))
        result.unjudged += [_unjudged(check, file, doc_id, by_doc[doc_id], r, p)
                            for r, p in zip(records, preds) if not _judged(check, p, by_doc[doc_id])]
    result.rows[sample] = {"docs": str(len(docs)), **check.cells(report)}


def _unjudged(check: GoldCheck, file: str, doc: str, rows: list[dict], record, pred: dict) -> Unjudged:
    m = record.mentions[0]
    what = f"{check.kind[:-1]} " + ", ".join(f"{k}={v}" for k, v in pred.items() if v not in (None, []))
    return Unjudged(file, doc, m.start, m.end, what, _row_to_judge(check, doc, rows, record))


def _code(meeting) -> Optional[str]:
    return meeting.location.code if meeting.location else None


FIGURES = GoldCheck(
    kind="figures",
    predicted=lambda f: {"name": f.name, "titles": list(f.titles)},
    gold=lambda r: {"name": r["name"], "titles": r.get("titles_gold") or []},
    skeleton=lambda f: {"name": f.name, "titles_gold": list(f.titles)},
    columns=("docs", "gold", "tp", "fp", "fn", "precision", "recall", "titles right"),
    cells=lambda rep: {**_tally_cells(rep, "figures"), "titles right": _ratio(rep.accuracy("titles"))},
)
MEETINGS = GoldCheck(
    kind="meetings",
    predicted=lambda m: {"name": m.name, "date": m.date, "location": _code(m), "participants": m.participants},
    gold=lambda r: {"name": r["name"], "date": r.get("date_gold"), "location": r.get("location_gold"),
                    "participants": r.get("participants_gold")},
    skeleton=lambda m: {"name": m.name, "date_gold": m.date, "location_gold": _code(m),
                        "participants_gold": m.participants},
    columns=("docs", "gold", "tp", "fp", "fn", "precision", "recall", "date", "location", "participants"),
    cells=lambda rep: {**_tally_cells(rep, "meetings"), "date": _ratio(rep.accuracy("meeting_date")),
                       "location": _ratio(rep.accuracy("meeting_location")),
                       "participants": _ratio(rep.accuracy("meeting_participants"))},
)
REGIONS = GoldCheck(
    kind="regions",
    predicted=lambda r: {"name": r.name, "code": r.code},
    gold=lambda r: {"name": r["name"], "code": r["code"]},
    skeleton=lambda r: {"name": r.name, "code": r.code, "predicted": True},
    columns=("docs", "gold", "tp", "fp", "fn", "precision", "recall"),
    cells=lambda rep: _tally_cells(rep, "regions"),
)


def _samples(ids: Iterable[str], label: Callable[[str], str]) -> dict[str, list[str]]:
    """Document ids grouped by sample label, in label order."""
    out: dict[str, list[str]] = defaultdict(list)
    for d in sorted(set(ids)):
        out[label(d)].append(d)
    return dict(sorted(out.items()))


def _by_corpus(file: str) -> Callable[[str], str]:
    return lambda doc: f"{file} {CORPUS_LABEL[cc.corpus_of(doc)]}"


def rescore_figures(documents: Documents) -> Rescored:
    """heldout_80.json and fresh_10.json: every document that has a row."""
    result = Rescored(("sample", *FIGURES.columns))
    for file in ("heldout_80.json", "fresh_10.json"):
        rows = read_rows(CORPORA / "figures_check" / file)
        for sample, ids in _samples((r["doc"] for r in rows), _by_corpus(file)).items():
            score_gold(FIGURES, file, documents(ids), rows, result, sample)
    return result


def rescore_meetings(documents: Documents) -> Rescored:
    """heldout_60.json over the 60 documents of sample_60.json (rows or not)."""
    folder, file = CORPORA / "meetings_check", "heldout_60.json"
    drawn = read_rows(folder / "sample_60.json")
    rows = read_rows(folder / file)
    result = Rescored(("sample", *MEETINGS.columns))
    for sample, ids in _samples([*drawn["thucnews"], *drawn["pd_test"]], _by_corpus(file)).items():
        score_gold(MEETINGS, file, documents(ids), rows, result, sample)
    return result


def rescore_regions(documents: Documents) -> Rescored:
    """thucnews_10docs.json, its random and place-dense halves."""
    file = "thucnews_10docs.json"
    rows = read_rows(CORPORA / "regions_check" / file)
    sets = {r["doc"]: r["set"] for r in rows}
    result = Rescored(("sample", *REGIONS.columns))
    for sample, ids in _samples(sets, lambda d: f"{file} {sets[d]}").items():
        score_gold(REGIONS, file, documents(ids), rows, result, sample)
    return result


# --- count verdicts ----------------------------------------------------------------

COUNT_FILES = ("thucnews_200.json", "thucnews_200_seed4_heldout.json", "thucnews_200_seed5_fresh.json")
COUNT_COLUMNS = ("sample", "sentences", "predicted", "correct", "wrong", "optional", "precision")


def sentence_counts(sentence: str) -> list[dict]:
    """The counts the extractor finds in one normalized sentence, as a check stores them."""
    from pipeline.analysis import analyze
    from pipeline.extract.counts import extract_counts

    return [{k: getattr(c, k) for k in COUNT_FIELDS} for c in extract_counts(analyze(sentence))]


def same_count(pred: dict, stored: dict) -> bool:
    """The same count: value, unit and upper bound equal, one surface inside the other
    (a qualifier taken into the text, 13% -> 超过了13%, keeps its verdict)."""
    a, b = pred["text"], stored["text"]
    return count_match(pred, stored) and pred.get("upper") == stored.get("upper") and (a in b or b in a)


def count_sentence(row: dict, texts: dict[str, str]) -> str:
    from pipeline.normalize import normalize

    return normalize(texts[row["doc_id"]][row["start"]:row["end"]]).text


def _count_verdicts(preds: list[dict], stored: list[dict]) -> tuple[list[str], list[dict]]:
    """Verdicts of the predictions a stored count covers, and the predictions none covers."""
    judged = [c for c in stored if c.get("verdict") in ("correct", "wrong", "optional")]
    pairs = max_matching(preds, judged, same_count)
    return [judged[j]["verdict"] for j in pairs.values()], [p for i, p in enumerate(preds) if i not in pairs]


def _unjudged_count(file: str, row: dict, pred: dict) -> Unjudged:
    what = f"sentence {row['id']}: count {pred['text']} = {pred['value']} {pred['unit'] or ''}".rstrip()
    return Unjudged(file, row["doc_id"], row["start"], row["end"], what,
                    {"id": row["id"], **pred, "verdict": None, "note": "", "added": True})


def rescore_counts(texts: Optional[dict[str, str]] = None) -> Rescored:
    """The three count samples, each sentence run through extract_counts alone."""
    texts = texts if texts is not None else cc.thucnews_texts()
    result = Rescored(COUNT_COLUMNS)
    for file in COUNT_FILES:
        _score_count_file(file, read_rows(CORPORA / "counts_check" / file), texts, result)
    return result


def _score_count_file(file: str, rows: list[dict], texts: dict[str, str], result: Rescored) -> None:
    seen: Counter = Counter()
    for row in rows:
        preds = sentence_counts(count_sentence(row, texts))
        verdicts, new = _count_verdicts(preds, row["counts"])
        seen.update(verdicts, predicted=len(preds))
        result.unjudged += [_unjudged_count(file, row, p) for p in new]
    result.rows[file] = {"sentences": str(len(rows)), "predicted": str(seen["predicted"]),
                         **{v: str(seen[v]) for v in ("correct", "wrong", "optional")},
                         "precision": _share(seen["correct"], seen["correct"] + seen["wrong"])}


# --- all checks --------------------------------------------------------------------

CHECKS = ("counts_check", "figures_check", "meetings_check", "regions_check")


def rescore(check: str, documents: Optional[Documents] = None) -> Rescored:
    """Re-score one check with the current pipeline (CorpusMissing without the shared corpora)."""
    if check == "counts_check":
        return rescore_counts()
    documents = documents or Documents()
    scorers = {"figures_check": rescore_figures, "meetings_check": rescore_meetings,
               "regions_check": rescore_regions}
    if check not in scorers:
        raise KeyError(f"unknown check {check!r} (known: {', '.join(CHECKS)})")
    return scorers[check](documents)


def readme(check: str) -> Path:
    return CORPORA / check / "README.md"


# --- the results table in a README ---------------------------------------------------

def render(result: Rescored) -> str:
    head = list(result.columns)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for sample, cells in result.rows.items():
        lines.append("| " + " | ".join([sample, *(cells[c] for c in head[1:])]) + " |")
    return "\n".join([BEGIN, *lines, END])


def quoted(text: str) -> Optional[dict[str, dict[str, str]]]:
    """The results table between the markers of a README (sample -> column -> value),
    None when the README has no such table."""
    m = re.search(re.escape(BEGIN) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    if not m:
        return None
    lines = [line.strip().strip("|").split("|") for line in m.group(1).splitlines() if line.startswith("|")]
    head = [c.strip() for c in lines[0]]
    return {cells[0].strip(): dict(zip(head[1:], (c.strip() for c in cells[1:])))
            for cells in lines[2:]}


def stale(readme_text: str, result: Rescored) -> list[str]:
    """What moved between a README's results table and the re-scored one, one line per number."""
    shown = quoted(readme_text)
    if shown is None:
        return ["the README has no results table"]
    out = [f"{sample}: not in the README table" for sample in result.rows if sample not in shown]
    out += [f"{sample}: in the README table, no longer re-scored" for sample in shown if sample not in result.rows]
    for sample, cells in result.rows.items():
        out += [f"{sample}: {col} {shown[sample].get(col)} -> {value}" for col, value in cells.items()
                if sample in shown and shown[sample].get(col) != value]
    return out


def stale_message(check: str, moved: list[str]) -> str:
    lines = [f"corpora/{check}/README.md quotes numbers the current extractor no longer gives:"]
    lines += [f"  {line}" for line in moved]
    lines.append(f"If the change is intended, rewrite the table with `{REFRESH}` (it refuses while a "
                 f"prediction is unjudged: `{ADD} {check}` first) and commit the README.")
    return "\n".join(lines)


def write_readme(check: str, result: Rescored) -> None:
    """Replace the README's results table (or append one under a heading)."""
    path = readme(check)
    text = path.read_text(encoding="utf-8")
    table = render(result)
    if quoted(text) is None:
        text = text.rstrip("\n") + "\n\n## Current extractor (re-scored by the tests)\n\n" + table + "\n"
    else:
        text = re.sub(re.escape(BEGIN) + r"\n.*?\n" + re.escape(END), lambda _: table, text, flags=re.S)
    path.write_text(text, encoding="utf-8")


def add_unjudged(check: str, result: Rescored) -> int:
    """Append the rows to judge to their check files; returns how many were added."""
    folder = CORPORA / check
    for file, items in _group(result.unjudged, lambda u: u.file).items():
        rows = read_rows(folder / file)
        if check == "counts_check":
            by_id = {r["id"]: r for r in rows}
            for u in items:
                row = dict(u.row)
                by_id[row.pop("id")]["counts"].append(row)
        else:
            rows += [u.row for u in items]
        write_rows(folder / file, rows)
    return len(result.unjudged)


def unjudged_message(check: str, result: Rescored) -> str:
    lines = [f"corpora/{check}: {len(result.unjudged)} prediction(s) of the current extractor no stored "
             "judgement covers (a new record nobody judged):"]
    lines += [f"  {u.file} {u.doc}: {u.what}" for u in result.unjudged]
    lines.append(f"Add rows to judge with `{ADD} {check}` (appended with gold/verdict null), judge each "
                 f"against spec/ANNOTATION.md, then `{REFRESH}` to rewrite the README tables.")
    return "\n".join(lines)
