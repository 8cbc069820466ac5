"""Editors' decisions in the knowledge base (pipeline/kb/reviews.py, gold.py,
overview.py): accept, reject, correct field by field, add a missing fact,
history, reloads, the reviewed exports and the gold files for `evaluate`."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

import pipeline
import pipeline.kb
from pipeline.cli import main
from pipeline.errors import Codes, ReviewError
from pipeline.kb.gold import export_gold, export_reviewed, gold_file_name
from pipeline.kb.overview import DocumentFilter, dashboard, list_documents, next_to_review
from pipeline.kb.reviews import add_fact, decide, document_facts, fact_state, new_record
from review_docs import MISSING_PERSON, NINGHAI_ID, NINGHAI_TEXT, SCRIPT_ID, ninghai, script_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"


@pytest.fixture
def kb(tmp_path):
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as base:
        base.load([ninghai(), script_article()])
        yield base


def fact_of(kb, kind: str, doc_id: str = NINGHAI_ID):
    return next(s for s in document_facts(kb.conn, doc_id) if s.type == kind)


def reviews(kb) -> int:
    return kb.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]


def span_of(words: str, text: str = NINGHAI_TEXT) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


# --- accept, reject, correct --------------------------------------------------------

def test_accept_and_reject_set_the_status_and_leave_a_history(kb):
    meeting = fact_of(kb, "meetings")
    decide(kb.conn, meeting.fact_id, reviewer="甲", decision="reject", note="not held")
    decide(kb.conn, meeting.fact_id, reviewer="乙", decision="accept")
    state = fact_state(kb.conn, meeting.fact_id)
    assert state.status == "accepted"
    assert [(e.reviewer, e.decision, e.note) for e in state.history] == [("甲", "reject", "not held"),
                                                                         ("乙", "accept", None)]
    assert state.record == meeting.record  # nothing corrected


def test_a_correction_stores_old_and_new_value_and_applies_on_reading(kb):
    meeting = fact_of(kb, "meetings")
    ids = decide(kb.conn, meeting.fact_id, reviewer="甲", decision="correct",
                 changes={"date": "2024-07-27", "participants": "80", "organizer": ""})
    assert len(ids) == 2  # organizer was empty already: no review for it
    rows = kb.conn.execute("SELECT field, old_value, new_value FROM reviews ORDER BY review_id").fetchall()
    assert rows == [("date", '"--07-27"', '"2024-07-27"'), ("participants", None, "80")]
    state = fact_state(kb.conn, meeting.fact_id)
    assert (state.status, state.record.date, state.record.participants) == ("corrected", "2024-07-27", 80)
    assert state.extracted.date == "--07-27" and state.corrected == ["date", "participants"]
    # the tables keep what was extracted
    assert kb.conn.execute("SELECT date FROM meeting_facts").fetchone() == ("--07-27",)


@pytest.mark.parametrize("kind, field, given, stored", [
    ("meetings", "date", "2024-05-17", "2024-05-17"),
    ("meetings", "date", " --05-17 ", "--05-17"),
    ("meetings", "date", "2024-05", "2024-05"),
    ("meetings", "date", "2024-05-17T09:00", "2024-05-17T09:00"),
    ("meetings", "date", "--07-11T09:00", "--07-11T09:00"),
    ("meetings", "location", "441500", {"name": "汕尾市", "code": "441500"}),
    ("meetings", "location", "汕尾市", {"name": "汕尾市", "code": "441500"}),
    ("meetings", "location", {"name": "西部地区", "code": None}, {"name": "西部地区", "code": None}),
    ("meetings", "location", "", None),
    ("meetings", "participants", "120", 120),
    ("meetings", "organizer", "宁海县委统战部", "宁海县委统战部"),
    ("figures", "titles", "县委书记、统战部部长", ["县委书记", "统战部部长"]),
    ("figures", "titles", "县委书记,统战部部长;副县长", ["县委书记", "统战部部长", "副县长"]),
    ("figures", "titles", ["县委书记", " "], ["县委书记"]),
    ("figures", "titles", "", []),
    ("figures", "name", " 周文中 ", "周文中"),
    ("counts", "value", "3,800", 3800),
    ("counts", "value", "12.5", 12.5),
    ("counts", "value", 90, 90),
    ("counts", "unit", "", None),
    ("counts", "qualifier", "about", "about"),
    ("counts", "text", "约80人", "约80人"),
    ("regions", "code", "330200", "330200"),
    ("regions", "code", "", None),
    ("regions", "level", "prefecture", "prefecture"),
    ("brands", "kind", "program", "program"),
], ids=lambda v: str(v))
def test_corrections_as_typed_become_record_values(kb, kind, field, given, stored):
    state = fact_of(kb, kind)
    decide(kb.conn, state.fact_id, reviewer="甲", decision="correct", changes={field: given})
    new = kb.conn.execute("SELECT new_value FROM reviews").fetchone()[0]
    assert (json.loads(new) if new is not None else None) == stored
    value = getattr(fact_state(kb.conn, state.fact_id).record, field)
    assert (value.model_dump() if hasattr(value, "model_dump") else value) == stored


@pytest.mark.parametrize("kind, changes, says", [
    ("meetings", {"date": "2024-02-30"}, "not a day of the calendar"),
    ("meetings", {"date": "May 17"}, "expected 2024, 2024-05"),
    ("meetings", {"date": "2024-05-17T9点"}, "expected 2024, 2024-05"),
    ("meetings", {"location": "999999"}, "no division with code 999999"),
    ("meetings", {"name": ""}, "name: cannot be empty"),
    ("counts", {"value": "八十"}, "expected a number"),
    ("counts", {"qualifier": "roughly"}, "qualifier"),
    ("counts", {"name": "x"}, "cannot set name"),
    ("regions", {"code": "4415"}, "6 digits"),
    ("regions", {"level": "city"}, "level"),
    ("brands", {"kind": "slogan"}, "kind"),
    ("figures", {"titles": "县委常委、统战部部长"}, "nothing changed"),
], ids=lambda v: str(v))
def test_a_wrong_correction_is_refused_and_nothing_is_written(kb, kind, changes, says):
    state = fact_of(kb, kind)
    with pytest.raises(ReviewError) as err:
        decide(kb.conn, state.fact_id, reviewer="甲", decision="correct", changes=changes)
    assert err.value.code == Codes.INVALID_REVIEW and says in err.value.message
    assert reviews(kb) == 0 and fact_state(kb.conn, state.fact_id).status == "unreviewed"


@pytest.mark.parametrize("call, code", [
    (lambda kb, f: decide(kb.conn, "counts:nothing:0-1", reviewer="甲", decision="accept"), Codes.FACT_NOT_FOUND),
    (lambda kb, f: decide(kb.conn, f, reviewer=" ", decision="accept"), Codes.INVALID_REVIEW),
    (lambda kb, f: decide(kb.conn, f, reviewer="甲", decision="maybe"), Codes.INVALID_REVIEW),
    (lambda kb, f: decide(kb.conn, f, reviewer="甲", decision="accept", changes={"value": 1}), Codes.INVALID_REVIEW),
    (lambda kb, f: decide(kb.conn, f, reviewer="甲", decision="accept", note="x" * 2001), Codes.INVALID_REVIEW),
], ids=["unknown fact", "no reviewer", "unknown decision", "accept with changes", "note too long"])
def test_a_decision_that_cannot_be_taken_is_refused(kb, call, code):
    with pytest.raises(ReviewError) as err:
        call(kb, fact_of(kb, "counts").fact_id)
    assert err.value.code == code and reviews(kb) == 0


# --- adding a missing fact ----------------------------------------------------------

def test_an_added_fact_reads_its_defaults_from_the_selection_in_simplified_script(kb):
    start, end = span_of(MISSING_PERSON)
    fid = add_fact(kb.conn, NINGHAI_ID, "figures", start, end, {"titles": "县民政局局长"}, reviewer="甲")
    assert fid == f"figures:{NINGHAI_ID}:{start}-{end}"
    state = fact_state(kb.conn, fid)
    assert (state.status, state.method, state.extracted) == ("added", "editor", None)
    assert (state.record.name, state.record.titles) == ("陈思远", ["县民政局局长"])
    first = state.record.mentions[0]
    assert (first.text, first.sentence) == (MISSING_PERSON, 3)  # the original characters; the fourth sentence
    assert kb.conn.execute("SELECT decision, fact_id FROM reviews").fetchall() == [("add", fid)]


def test_an_added_region_takes_its_name_code_and_level_from_the_gazetteer(kb):
    start, end = span_of("寧海")
    state = fact_state(kb.conn, add_fact(kb.conn, NINGHAI_ID, "regions", start, end, {}, reviewer="甲"))
    assert (state.record.name, state.record.code, state.record.level) == ("宁海县", "330226", "county")
    assert state.record.path == ["浙江省", "宁波市", "宁海县"]


@pytest.mark.parametrize("args, code, says", [
    ((NINGHAI_ID, "figures", 5, 5), Codes.INVALID_REVIEW, "select some text"),
    ((NINGHAI_ID, "figures", 0, 10_000), Codes.INVALID_REVIEW, "offsets 0 to"),
    ((NINGHAI_ID, "persons", 0, 3), Codes.INVALID_REVIEW, "type must be one of"),
    (("nothing", "figures", 0, 3), Codes.DOC_NOT_FOUND, "no document"),
    ((NINGHAI_ID, "counts", *span_of("近80人")), Codes.FACT_EXISTS, "correct it"),
    ((NINGHAI_ID, "counts", *span_of("7月27日")), Codes.INVALID_REVIEW, "value"),
], ids=["empty span", "past the end", "unknown type", "unknown document", "already a fact", "count without value"])
def test_adding_what_cannot_be_a_fact_is_refused(kb, args, code, says):
    with pytest.raises(ReviewError) as err:
        add_fact(kb.conn, *args, {}, reviewer="甲")
    assert err.value.code == code and says in err.value.message
    assert reviews(kb) == 0


# --- reloads --------------------------------------------------------------------------

def test_a_reload_keeps_decisions_corrections_and_added_facts(kb):
    count, meeting = fact_of(kb, "counts"), fact_of(kb, "meetings")
    decide(kb.conn, count.fact_id, reviewer="甲", decision="accept")
    decide(kb.conn, meeting.fact_id, reviewer="甲", decision="correct", changes={"date": "2024-07-27"})
    added = add_fact(kb.conn, NINGHAI_ID, "figures", *span_of(MISSING_PERSON), {}, reviewer="甲")
    before = {s.fact_id: (s.status, s.record) for s in document_facts(kb.conn, NINGHAI_ID)}
    kb.load([ninghai()])  # re-extraction: same facts, the added one is not among them
    after = {s.fact_id: (s.status, s.record) for s in document_facts(kb.conn, NINGHAI_ID)}
    assert after == before and after[added][0] == "added"
    assert kb.conn.execute("SELECT count(*) FROM reviews WHERE fact_id IS NULL").fetchone() == (0,)


def test_an_added_fact_the_extractor_now_finds_is_not_stored_twice(kb):
    start, end = span_of(MISSING_PERSON)
    added = add_fact(kb.conn, NINGHAI_ID, "figures", start, end, {"titles": "县民政局局长"}, reviewer="甲")
    doc = ninghai()
    found = doc.figures[0].model_copy(update={"name": "陈思远", "titles": [], "mentions": [
        doc.figures[0].mentions[0].model_copy(update={"start": start, "end": end, "text": MISSING_PERSON})]})
    kb.load([doc.model_copy(update={"figures": [doc.figures[0], found]})])
    figures = [s for s in document_facts(kb.conn, NINGHAI_ID) if s.type == "figures"]
    assert [s.fact_id for s in figures].count(added) == 1 and len(figures) == 2
    state = fact_state(kb.conn, added)
    assert state.status == "added" and state.record.titles == ["县民政局局长"]  # the editor's record wins
    assert state.extracted.titles == []


# --- overview -----------------------------------------------------------------------

def test_the_overview_filters_documents_by_type_status_region_date_and_text(kb):
    def ids(**flt):
        return [d.doc_id for d in list_documents(kb.conn, DocumentFilter(**flt)).documents]

    decide(kb.conn, fact_of(kb, "brands", SCRIPT_ID).fact_id, reviewer="甲", decision="reject")
    assert ids() == [NINGHAI_ID, SCRIPT_ID]  # newest first, undated last
    assert ids(type="meetings") == [NINGHAI_ID]
    assert ids(status="rejected") == [SCRIPT_ID] and ids(status="pending") == [NINGHAI_ID, SCRIPT_ID]
    assert ids(region="330200") == [NINGHAI_ID, SCRIPT_ID]   # 宁波市 holds 宁海县
    assert ids(region="岔路") == [NINGHAI_ID]                 # the start of a name
    assert ids(since="2024-07", until="2024-07") == [NINGHAI_ID]
    assert ids(q="同心驿站") == ids(q="同心驛站") == [NINGHAI_ID]  # a traditional query finds it too
    with pytest.raises(ReviewError, match="no region"):
        ids(region="火星")
    summary = list_documents(kb.conn, DocumentFilter(status="rejected")).documents[0]
    assert (summary.facts, summary.rejected, summary.unreviewed) == (2, 1, 1)


def test_the_next_document_to_review_wraps_around_and_skips_finished_ones(kb):
    assert next_to_review(kb.conn, NINGHAI_ID)[0] == SCRIPT_ID
    assert next_to_review(kb.conn, SCRIPT_ID)[0] == NINGHAI_ID
    for state in document_facts(kb.conn, SCRIPT_ID):
        decide(kb.conn, state.fact_id, reviewer="甲", decision="accept")
    assert next_to_review(kb.conn, NINGHAI_ID) is None


def test_the_dashboard_counts_facts_meetings_and_regions(kb):
    decide(kb.conn, fact_of(kb, "counts").fact_id, reviewer="甲", decision="accept")
    board = dashboard(kb.conn)
    per_type = {c.type: c.per_status for c in board.facts}
    assert per_type["counts"]["accepted"] == 1 and per_type["regions"]["unreviewed"] == 3
    assert board.meetings_per_month == [("2024-07", 1)]  # --07-27 has no year: the publication month
    assert board.regions[0] == ("330226", "宁海县", 2)


# --- exports --------------------------------------------------------------------------

def test_reviewed_facts_export_as_json_lines_and_csv(kb):
    decide(kb.conn, fact_of(kb, "meetings").fact_id, reviewer="甲", decision="correct", changes={"date": "2024-07-27"})
    add_fact(kb.conn, NINGHAI_ID, "figures", *span_of(MISSING_PERSON), {}, reviewer="乙")
    out = io.StringIO()
    assert export_reviewed(kb.conn, out, format="jsonl") == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["type"], x["status"], x["record"].get("date")) for x in lines] == [
        ("figures", "added", None), ("meetings", "corrected", "2024-07-27")]
    assert lines[1]["extracted"]["date"] == "--07-27" and lines[1]["history"][0]["old_value"] == "--07-27"
    out = io.StringIO()
    export_reviewed(kb.conn, out, format="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["reviewer"], r["mention"], r["corrected"]) for r in rows] == [("乙", MISSING_PERSON, ""),
                                                                          ("甲", rows[1]["mention"], "date")]


def test_a_gold_file_holds_kept_facts_as_corrected_and_leaves_rejected_ones_out(kb, tmp_path):
    for state in document_facts(kb.conn, NINGHAI_ID):
        decision = "reject" if state.type == "brands" else "accept"
        decide(kb.conn, state.fact_id, reviewer="甲", decision=decision)
    decide(kb.conn, fact_of(kb, "meetings").fact_id, reviewer="甲", decision="correct",
           changes={"date": "2024-07-27", "organizer": "宁海县委统战部"})
    add_fact(kb.conn, NINGHAI_ID, "figures", *span_of(MISSING_PERSON), {"titles": "县民政局局长"}, reviewer="甲")
    decide(kb.conn, fact_of(kb, "regions", SCRIPT_ID).fact_id, reviewer="甲", decision="accept")
    summary = export_gold(kb.conn, tmp_path / "gold")
    assert summary.written == ["ninghai_meeting.json"] and summary.skipped == 1  # the script article: one left
    gold = json.loads((tmp_path / "gold" / "ninghai_meeting.json").read_text(encoding="utf-8"))
    assert gold == {
        "doc": "ninghai_meeting.txt", "published_at": "2024-07-28",
        "regions": [{"name": "宁海县", "code": "330226"}, {"name": "岔路镇", "code": None}],
        "figures": [{"name": "周文华", "titles": ["县委常委", "统战部部长"]}, {"name": "陈思远", "titles": ["县民政局局长"]}],
        "brands": [],
        "counts": [{"value": 80, "unit": "人", "qualifier": "nearly", "text": "近80人"}],
        "meetings": [{"name": "宁海县新的社会阶层人士统战工作推进会", "date": "2024-07-27", "location": "330226",
                      "organizer": "宁海县委统战部", "participants": None}],
        "regions_optional": [], "figures_optional": [], "brands_optional": [], "counts_optional": [],
        "meetings_optional": []}


def test_partial_export_puts_undecided_facts_in_the_optional_lists(kb, tmp_path):
    decide(kb.conn, fact_of(kb, "regions", SCRIPT_ID).fact_id, reviewer="甲", decision="accept")
    summary = export_gold(kb.conn, tmp_path, partial=True)
    assert summary.written == ["script.json"]
    gold = json.loads((tmp_path / "script.json").read_text(encoding="utf-8"))
    assert gold["regions"] == [{"name": "宁海县", "code": "330226"}]
    assert gold["brands"] == [] and gold["brands_optional"] == [{"name": "<script>"}]


@pytest.mark.parametrize("doc, name", [
    ("000_guangdong_shanwei.txt", "000_guangdong_shanwei.json"),
    ("page.html", "page.json"),
    ("../../etc/passwd", "etc_passwd.json"),
    ("news.jsonl:3", "news.jsonl_3.json"),
    ("...", "document.json"),
])
def test_gold_file_names_never_leave_the_folder(doc, name):
    assert gold_file_name(doc) == name


def test_the_export_gold_round_trip_on_the_seeds_scores_one(tmp_path, capsys):
    """Seeds extracted and loaded, every fact accepted as it is, exported as gold:
    `zhnews evaluate` of the same extraction against it gives 1.0 everywhere."""
    predictions, db, gold = tmp_path / "seeds.jsonl", tmp_path / "kb.sqlite", tmp_path / "gold"
    docs = list(pipeline.extract_paths([str(SEEDS)], ner=False))
    predictions.write_text("".join(d.model_dump_json() + "\n" for d in docs), encoding="utf-8")
    assert main(["kb", "load", str(predictions), "--db", str(db), "-q"]) == 0
    with pipeline.kb.open(db, write=True) as kb:
        for (fid,) in kb.conn.execute("SELECT fact_id FROM facts").fetchall():
            decide(kb.conn, fid, reviewer="round trip", decision="accept")
    assert main(["kb", "export-gold", str(gold), "--db", str(db)]) == 0
    assert "5 gold files written" in capsys.readouterr().err
    assert sorted(p.name for p in gold.iterdir()) == sorted(p.stem + ".json" for p in SEEDS.glob("*.txt"))
    from test_gold_files import GoldFile  # the format every gold file of the project is held to

    for path in gold.iterdir():
        GoldFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(gold), str(predictions), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mean_f1"] == 1.0 and report["missing_documents"] == []
    assert {kind: t["f1"] for kind, t in report["types"].items()} == {k: 1.0 for k in report["types"]}
    assert all(a["value"] in (1.0, None) for a in report["accuracy"].values())


def test_export_gold_refuses_a_file_for_a_folder(tmp_path, kb, capsys):
    target = tmp_path / "taken"
    target.write_text("x")
    assert main(["kb", "export-gold", str(target), "--db", str(kb.path)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_reviews_written_by_hand_that_do_not_fit_are_shown_but_not_applied(kb):
    meeting = fact_of(kb, "meetings")
    kb.review(meeting.fact_id, reviewer="脚本", decision="correct", field="weather", new_value="rain")
    kb.review(meeting.fact_id, reviewer="脚本", decision="correct", field="participants", new_value="many")
    state = fact_state(kb.conn, meeting.fact_id)
    assert state.record == meeting.record and state.corrected == [] and len(state.history) == 2
    with pytest.raises(ReviewError, match="accept, reject or correct"):
        kb.review(meeting.fact_id, reviewer="脚本", decision="add")  # add_fact adds facts


def test_a_broken_add_review_does_not_stop_a_reload(kb):
    start, end = span_of(MISSING_PERSON)
    kb.conn.execute("INSERT INTO reviews (doc_id, fact_type, start, end, reviewer, decision, new_value, reviewed_at)"
                    " VALUES (?, 'figures', ?, ?, '脚本', 'add', '{\"name\": 1}', 'now')", (NINGHAI_ID, start, end))
    kb.load([ninghai()])
    assert [s.record.name for s in document_facts(kb.conn, NINGHAI_ID) if s.type == "figures"] == ["周文华"]
    assert kb.conn.execute("SELECT fact_id FROM reviews").fetchall() == [(None,)]


def test_reviews_table_refuses_an_unknown_decision(kb):
    with pytest.raises(sqlite3.IntegrityError):
        kb.conn.execute("INSERT INTO reviews (doc_id, fact_type, start, end, reviewer, decision, reviewed_at)"
                        " VALUES (?, 'counts', 0, 1, '甲', 'maybe', 'now')", (NINGHAI_ID,))


@pytest.mark.parametrize("date, day", [("2024-07-11T09:00", "2024-07-11"), ("--07-11T09:00", "--07-11"),
                                       ("--07", "--07"), ("2024-07-11", "2024-07-11")])
def test_gold_dates_are_days_with_or_without_a_year(date, day):
    from pipeline.kb.gold import gold_item
    from pipeline.kb.reviews import FactState
    from pipeline.records import Meeting, Mention

    meeting = Meeting(name="推进会", date=date, method="test", confidence=1,
                      mentions=[Mention(start=0, end=3, text="推进会", sentence=0)])
    state = FactState(fact_id="meetings:d:0-3", doc_id="d", type="meetings", status="accepted", method="test",
                      confidence=1, record=meeting)
    assert gold_item(state)["date"] == day


# An added count's empty fields are read from the selection as ANNOTATION.md's
# Counts define them (multipliers applied, qualifier from 近/约/余/多).
@pytest.mark.parametrize("selected, value, unit, qualifier", [
    ("3800万元", 38000000, "元", "exact"),
    ("三百余人", 300, "人", "more_than"),
    ("约80人", 80, "人", "about"),
    ("近1.5亿元", 150000000, "元", "nearly"),
])
def test_an_added_count_reads_its_value_from_the_selection(selected, value, unit, qualifier):
    count = new_record("counts", selected, 0, len(selected), {})
    assert (count.value, count.unit, count.qualifier, count.text) == (value, unit, qualifier, selected)


def test_an_added_counts_given_fields_win_over_what_is_read():
    count = new_record("counts", "约80人", 0, 4, {"value": "85", "qualifier": "exact"})
    assert (count.value, count.unit, count.qualifier) == (85, "人", "exact")
