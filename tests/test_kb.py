"""The knowledge base (pipeline/kb): schema, loading, reloading, reviews, queries
and the `zhnews kb` commands, on the seed articles and hand-made documents."""

import json
import sqlite3
from pathlib import Path

import pytest

import pipeline
import pipeline.kb
from pipeline.cli import build_parser, main
from pipeline.errors import Codes, KnowledgeBaseError
from pipeline.kb import db as kbdb
from pipeline.records import RECORD_TYPES, Brand, Document, Error, Figure, Location, Meeting, Mention

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
TABLES = {"schema_version", "documents", "warnings", "facts", "mentions", "region_facts", "figure_facts",
          "brand_facts", "count_facts", "meeting_facts", "meeting_attendees", "regions", "people", "brands",
          "events", "region_links", "person_links", "brand_links", "event_links", "reviews"}


@pytest.fixture(scope="module")
def seed_docs():
    return list(pipeline.extract_paths([str(SEEDS)], ner=False))


@pytest.fixture(scope="module")
def seeds_jsonl(seed_docs, tmp_path_factory):
    path = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    path.write_text("".join(d.model_dump_json() + "\n" for d in seed_docs), encoding="utf-8")
    return path


@pytest.fixture
def kb(tmp_path, seed_docs):
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as base:
        base.load(seed_docs)
        yield base


def by_source(docs, name):
    return next(d for d in docs if d.source.endswith(name))


def counts(conn):
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                         "'documents_fts%' AND name != 'schema_version'")]
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def meeting_doc(doc_id, name, *, date, location=None, published_at=None, region=None, text=None):
    """A hand-made document reporting one meeting (its name is the whole text)."""
    text = text or f"{name}召开。"
    meeting = Meeting(name=name, kind=name[-3:], date=date, location=location, method="test", confidence=1,
                      mentions=[Mention(start=0, end=len(name), text=name, sentence=0)])
    return Document(doc_id=doc_id, source=doc_id, text=text, normalized_text=text, meetings=[meeting],
                    published_at=published_at, primary_region=region, script="simplified")


# --- the file ----------------------------------------------------------------

def test_a_new_file_has_the_schema_wal_and_foreign_keys(kb):
    conn = kb.conn
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert TABLES <= names and "documents_fts" in names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == kbdb.APPLICATION_ID
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(kbdb.SCHEMA_VERSION,)]


def test_the_sqlite3_shell_reads_it(kb):
    sqlite3_shell = pytest.importorskip("shutil").which("sqlite3")
    if sqlite3_shell is None:
        pytest.skip("no sqlite3 shell on this machine")
    import subprocess

    out = subprocess.run([sqlite3_shell, str(kb.path), "SELECT name, level FROM regions WHERE region_id = '441500'"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "汕尾市|prefecture"


def test_a_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库\n" * 200, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(KnowledgeBaseError) as err:
        pipeline.kb.open(path, write=True)
    assert err.value.code == Codes.KB_NOT_A_KB and "not an SQLite database" in err.value.message
    assert path.read_bytes() == before


def test_another_sqlite_database_is_refused_and_left_untouched(tmp_path, seeds_jsonl, capsys):
    path = tmp_path / "shop.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('王小红')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    code = main(["kb", "load", str(seeds_jsonl), "--db", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "not a zhnews knowledge base" in err and "customers" in err
    assert path.read_bytes() == before


def test_a_file_from_a_newer_zhnews_is_refused(tmp_path):
    path = tmp_path / "kb.sqlite"
    pipeline.kb.open(path, write=True).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (99, 'then', '9.0')")
    conn.commit()
    conn.close()
    with pytest.raises(KnowledgeBaseError) as err:
        pipeline.kb.open(path)
    assert err.value.code == Codes.KB_TOO_NEW and "99" in err.value.message


def test_a_missing_file_is_not_created_by_a_query(tmp_path, capsys):
    path = tmp_path / "nothing.sqlite"
    assert main(["kb", "stats", "--db", str(path)]) == 2
    assert "no such knowledge base" in capsys.readouterr().err
    assert not path.exists()


def test_an_older_file_is_upgraded(tmp_path, seed_docs, monkeypatch):
    path = tmp_path / "kb.sqlite"
    with pipeline.kb.open(path, write=True) as old:
        old.load(seed_docs)
    monkeypatch.setattr(kbdb, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(kbdb, "MIGRATIONS", {1: "ALTER TABLE documents ADD COLUMN language TEXT;\n"
                                                "UPDATE documents SET language = 'zh';"})
    with pytest.raises(KnowledgeBaseError) as err:
        pipeline.kb.open(path)  # read-only: asks for an upgrade, changes nothing
    assert err.value.code == Codes.KB_OLD
    with pipeline.kb.open(path, write=True) as new:
        assert new.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2
        assert new.conn.execute("SELECT count(*) FROM documents WHERE language = 'zh'").fetchone()[0] == 5
        assert new.stats().facts == {k: sum(len(getattr(d, k)) for d in seed_docs) for k in RECORD_TYPES}


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path, seed_docs, monkeypatch):
    path = tmp_path / "kb.sqlite"
    with pipeline.kb.open(path, write=True) as old:
        old.load(seed_docs)
        before = counts(old.conn)
    monkeypatch.setattr(kbdb, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(kbdb, "MIGRATIONS", {1: "ALTER TABLE documents ADD COLUMN language TEXT;\n"
                                                "CREATE TABLE documents (broken TEXT);"})
    with pytest.raises(KnowledgeBaseError):
        pipeline.kb.open(path, write=True)
    monkeypatch.setattr(kbdb, "SCHEMA_VERSION", 1)
    with pipeline.kb.open(path) as same:
        columns = [r[1] for r in same.conn.execute("PRAGMA table_info(documents)")]
        assert "language" not in columns
        assert same.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
        assert counts(same.conn) == before
        assert same.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_stops_the_load_with_nothing_half_written(tmp_path, seed_docs):
    path = tmp_path / "kb.sqlite"
    with pipeline.kb.open(path, write=True) as base:
        base.load(seed_docs[:1])
        pages = base.conn.execute("PRAGMA page_count").fetchone()[0]
        base.conn.execute(f"PRAGMA max_page_count = {pages + 8}")  # a disk with ~32 KB left
        with pytest.raises(KnowledgeBaseError) as err:
            base.load(seed_docs[1:])
        assert err.value.code == Codes.KB_FULL and "full" in err.value.message
    with pipeline.kb.open(path) as after:
        loaded = {r[0] for r in after.conn.execute("SELECT doc_id FROM documents")}
        assert seed_docs[0].doc_id in loaded and len(loaded) < len(seed_docs)
        for doc in seed_docs:  # every document is there whole, or not at all
            stored = dict(after.conn.execute("SELECT type, count(*) FROM facts WHERE doc_id = ? GROUP BY type",
                                             (doc.doc_id,)).fetchall())
            expected = {k: len(getattr(doc, k)) for k in RECORD_TYPES if getattr(doc, k)}
            assert stored == (expected if doc.doc_id in loaded else {})
        assert after.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert after.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_one_transaction_per_document(tmp_path, seed_docs, monkeypatch):
    from pipeline.kb import link

    calls = []
    real = link.link_document

    def failing(conn, doc_id, places, before=None):
        calls.append(doc_id)
        real(conn, doc_id, places, before)
        if len(calls) == 2:
            raise RuntimeError("crash after the facts of the second document were written")

    monkeypatch.setattr(link, "link_document", failing)
    path = tmp_path / "kb.sqlite"
    with pipeline.kb.open(path, write=True) as base:
        with pytest.raises(RuntimeError):
            base.load(seed_docs)
        assert [r[0] for r in base.conn.execute("SELECT doc_id FROM documents")] == [seed_docs[0].doc_id]
        assert base.conn.execute("SELECT count(*) FROM facts WHERE doc_id = ?", (seed_docs[1].doc_id,)).fetchone() == (0,)


# --- loading -----------------------------------------------------------------

def test_every_record_and_mention_is_stored_at_its_offsets(kb, seed_docs):
    stats = kb.stats()
    assert stats.documents == 5 and stats.failed == 0
    assert stats.facts == {k: sum(len(getattr(d, k)) for d in seed_docs) for k in RECORD_TYPES}
    wrong = kb.conn.execute("SELECT count(*) FROM mentions m JOIN facts f USING (fact_id) JOIN documents d "
                            "USING (doc_id) WHERE substr(d.text, m.start + 1, m.end - m.start) != m.text").fetchone()
    assert wrong == (0,)
    assert kb.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_export_gives_back_what_was_loaded(kb, seed_docs, tmp_path):
    out = tmp_path / "back.jsonl"
    with out.open("w", encoding="utf-8") as f:
        assert kb.export(f, format="jsonl") == 5
    back = [Document.model_validate_json(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d.model_dump() for d in back] == [d.model_dump() for d in seed_docs]


LINKS_SQL = ("SELECT fact_id, 'person', person_id FROM person_links UNION ALL SELECT fact_id, 'brand', brand_id "
             "FROM brand_links UNION ALL SELECT fact_id, 'event', event_id FROM event_links ORDER BY 1")


def test_fields_without_a_column_are_kept_in_extra(tmp_path):
    doc = pipeline.extract("近日，“百千万工程”推进会在汕尾召开，近80人参会。", explain=True, ner=False)
    assert doc.brand_candidates
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as kb:
        kb.load([doc])
        assert kb.document(doc.doc_id) == doc
        extra = json.loads(kb.conn.execute("SELECT extra FROM documents").fetchone()[0])
        assert list(extra) == ["brand_candidates"]


def test_loading_again_changes_no_counts_and_keeps_fact_and_entity_ids(kb, seed_docs):
    before, links = counts(kb.conn), kb.conn.execute(LINKS_SQL).fetchall()
    summary = kb.load(seed_docs)
    assert (summary.new, summary.replaced) == (0, 5)
    assert counts(kb.conn) == before
    assert kb.conn.execute(LINKS_SQL).fetchall() == links  # the same facts, linked to the same ids


def figure_doc(doc_id, name, title):
    """A hand-made document naming one person with one title (the whole text)."""
    text = f"{title}{name}出席。"
    figure = Figure(name=name, titles=[title], method="test", confidence=1,
                    mentions=[Mention(start=len(title), end=len(title) + len(name), text=name, sentence=0)])
    return Document(doc_id=doc_id, source=doc_id, text=text, normalized_text=text, figures=[figure],
                    script="simplified")


def test_a_reload_does_not_redecide_links_that_depend_on_load_order(tmp_path):
    """Loaded in this order, the second 张仁 shares no title with the first and
    starts a person of his own; the third (bare 秘书长) joins the first. Loaded
    again, the second now meets the third's bare title, which would merge him:
    his facts are seen as before, so he keeps his person and reason."""
    docs = [figure_doc("a", "张仁", "中国建筑协会住宅装饰委员会秘书长"),
            figure_doc("c", "张仁", "中国建筑装饰协会住宅装饰装修委员会秘书长"),
            figure_doc("b", "张仁", "秘书长")]
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as base:
        base.load(docs)
        reasons = "SELECT fact_id, person_id, reason FROM person_links ORDER BY 1"
        first, people = base.conn.execute(reasons).fetchall(), counts(base.conn)["people"]
        base.load(docs)
        assert counts(base.conn)["people"] == people == 2
        assert base.conn.execute(reasons).fetchall() == first


def test_a_changed_fact_is_decided_again_on_reload(tmp_path):
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as base:
        base.load([figure_doc("a", "王小红", "广东省妇联主席"), figure_doc("b", "王小红", "四川省妇联主席")])
        assert counts(base.conn)["people"] == 2
        base.load([figure_doc("b", "王小红", "广东省妇联主席")])  # corrected upstream: the same person after all
        assert counts(base.conn)["people"] == 1


def brand_doc(first_region):
    text = "红棉计划启动，红棉计划成效好。"
    brands = [Brand(name="红棉计划", kind="program", region=own, method="test", confidence=1,
                    mentions=[Mention(start=start, end=start + 4, text="红棉计划", sentence=0)])
              for start, own in ((0, first_region), (7, None))]
    return Document(doc_id="d", source="d", text=text, normalized_text=text, script="simplified",
                    primary_region=Location(name="广东省", code="440000"), brands=brands)


def test_a_changed_fact_is_decided_against_its_kept_siblings(tmp_path):
    """Reloaded with its first mention now placed in 四川省, the first fact
    conflicts with the unchanged second one (still 广东省): the kept fact keeps
    the brand and the changed one starts its own, saying why."""
    links = "SELECT fact_id, brand_id, reason FROM brand_links ORDER BY fact_id"  # brands:d:0-4, brands:d:7-11
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as base:
        base.load([brand_doc(None)])
        ((_, first_brand, _), (kept_fact, same, _)) = base.conn.execute(links).fetchall()
        assert first_brand == same
        base.load([brand_doc("510000")])
        rows = {fact: (brand, reason) for fact, brand, reason in base.conn.execute(links)}
        assert rows[kept_fact][0] == first_brand
        (changed,) = [v for k, v in rows.items() if k != kept_fact]
        assert changed[0] != first_brand and "四川省" in changed[1]


def _shanwei_meeting(kb):
    return kb.facts("meetings", region="441500")[0]


def test_reviews_stay_with_their_fact_across_reloads(kb, seed_docs):
    fact = _shanwei_meeting(kb)
    kb.review(fact.fact_id, reviewer="editor", decision="correct", field="date", old_value="2024-02",
              new_value="2024-02-02", note="the article's own photo caption")
    assert kb.facts("meetings", region="441500")[0].status == "corrected"
    kb.load(seed_docs)
    row = kb.conn.execute("SELECT fact_id, decision, new_value FROM reviews").fetchone()
    assert row == (fact.fact_id, "correct", '"2024-02-02"')
    assert _shanwei_meeting(kb).status == "corrected"

    shanwei = by_source(seed_docs, "000_guangdong_shanwei.txt")
    kb.load([shanwei.model_copy(update={"meetings": []})])  # a run that no longer finds the meeting
    assert kb.conn.execute("SELECT fact_id, doc_id, fact_type FROM reviews").fetchone() == (None, shanwei.doc_id,
                                                                                             "meetings")
    kb.load([shanwei])  # found again at the same span: the review is attached again
    assert kb.conn.execute("SELECT fact_id FROM reviews").fetchone() == (fact.fact_id,)
    assert _shanwei_meeting(kb).status == "corrected"
    assert kb.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_latest_review_sets_the_status(kb):
    fact = kb.facts("figures")[0]
    kb.review(fact.fact_id, reviewer="a", decision="reject")
    kb.review(fact.fact_id, reviewer="b", decision="accept")
    assert kb.facts("figures", doc_id=fact.doc_id)[0].status == "accepted"
    with pytest.raises(ValueError):
        kb.review(fact.fact_id, reviewer="c", decision="maybe")


def test_error_records_are_stored_and_never_replace_a_good_copy(kb, seed_docs):
    broken = Document(doc_id="bad-1", source="in/broken.txt", error=Error(code="binary", message="in/broken.txt: binary"))
    good = seed_docs[0]
    again = Document(doc_id=good.doc_id, source=good.source, error=Error(code="worker_died", message="died"))
    summary = kb.load([broken, again])
    assert (summary.failed, summary.kept) == (1, 1)
    assert kb.conn.execute("SELECT error_code, error_message FROM documents WHERE doc_id = 'bad-1'").fetchone() == (
        "binary", "in/broken.txt: binary")
    assert kb.conn.execute("SELECT error_code FROM documents WHERE doc_id = ?", (good.doc_id,)).fetchone() == (None,)
    assert kb.stats().failed == 1
    assert "bad-1" not in kb.done_ids() and good.doc_id in kb.done_ids()


def test_kb_load_stores_bad_lines_as_errors(tmp_path, seeds_jsonl, capsys):
    mixed = tmp_path / "mixed.jsonl"
    lines = seeds_jsonl.read_text(encoding="utf-8").splitlines()[:2]
    mixed.write_text("\n".join([lines[0], '{"doc_id": "x", "broken', '{"doc_id": "y", "regions": 3}', lines[1]]) + "\n",
                     encoding="utf-8")
    db = tmp_path / "kb.sqlite"
    assert main(["kb", "load", str(mixed), "--db", str(db)]) == 1
    assert "2 new, 0 replaced, 2 failed" in capsys.readouterr().err
    with pipeline.kb.open(db) as kb:
        errors = dict(kb.conn.execute("SELECT source, error_code FROM documents WHERE error_code IS NOT NULL"))
        assert errors == {f"{mixed}:2": Codes.BAD_JSON, f"{mixed}:3": Codes.NOT_A_RECORD}
        message = kb.conn.execute("SELECT error_message FROM documents WHERE doc_id = 'y'").fetchone()[0]
        assert f"{mixed}:3" in message and "regions" in message


# --- resolution in the file ----------------------------------------------------------

def test_one_meeting_reported_twice_is_one_event_with_its_reasons(tmp_path):
    name = "全省新的社会阶层人士统战工作推进会"
    docs = [
        meeting_doc("report-a", name, date="2024-02-03", location=Location(name="汕尾市", code="441500")),
        meeting_doc("report-b", name, date="2024-02-03", location=Location(name="广东省", code="440000")),
        meeting_doc("report-c", name, date="2024-02-03", location=Location(name="湖南省", code="430000")),
    ]
    with pipeline.kb.open(tmp_path / "kb.sqlite", write=True) as kb:
        kb.load(docs)
        links = kb.conn.execute("SELECT f.doc_id, l.event_id, l.reason FROM event_links l JOIN facts f USING "
                                "(fact_id) ORDER BY f.doc_id").fetchall()
        (_, first, why_a), (_, second, why_b), (_, third, why_c) = links
        assert first == second != third
        assert "same day 2024-02-03" in why_b and "report-a" in why_b
        assert why_c.startswith("new:") and "held in" in why_c
        assert kb.conn.execute("SELECT reports, location FROM events WHERE event_id = ?", (first,)).fetchone() == (
            2, "441500")
        before = counts(kb.conn)
        kb.load(docs[:1])  # reloading a report keeps the event
        assert counts(kb.conn) == before
        kb.load([docs[1].model_copy(update={"meetings": []})])
        assert kb.conn.execute("SELECT reports FROM events WHERE event_id = ?", (first,)).fetchone() == (1,)


def test_seed_people_resolve_with_reasons(kb):
    (li,) = kb.person("李晨阳")
    assert len(li.appearances) == 2
    assert any("shared title 编辑" in a.reason for a in li.appearances)
    region = kb.conn.execute("SELECT l.reason FROM region_links l JOIN region_facts r USING (fact_id) "
                             "WHERE r.name = '岔路镇'").fetchone()
    assert region == ("township 岔路镇 of 宁海县 330226",)


# --- queries -----------------------------------------------------------------

def test_meetings_in_guangdong_include_shanwei(kb):
    found = kb.facts("meetings", region="440000")
    assert "全省新的社会阶层人士统战工作推进会暨助力“百千万工程”工作座谈会" in [f.record.name for f in found]
    assert all(f.record.location.code.startswith("44") for f in found)
    since = kb.facts("meetings", region="440000", since="2023-01-01")
    assert [f.record.date for f in since] == ["2024-02"]  # 深圳会议 has no year: left out
    assert kb.facts("meetings", region="440000", until="2023-12-31") == []


@pytest.mark.parametrize("region, names", [
    ("510000", {"成都市"}),
    ("330226", {"宁海县", "岔路镇", "前童镇", "西店镇"}),
    ("330200", {"宁波市", "宁海县", "岔路镇", "前童镇", "西店镇"}),
])
def test_a_region_query_includes_everything_inside(kb, region, names):
    found = {f.record.name for f in kb.facts("regions", region=region)}
    assert names <= found
    inside = {r[0] for r in kb.conn.execute("SELECT region_id FROM regions")}
    assert all(kb_region.startswith(region[:2]) for kb_region in
               {f.entity for f in kb.facts("regions", region=region)} & inside)


def test_a_two_character_search_finds_the_five_seeds(kb, seed_docs):
    result = kb.search("统战")
    assert result.how == "scan"
    assert {h.doc_id for h in result.hits} == {d.doc_id for d in seed_docs}
    assert all("【统战】" in h.snippet for h in result.hits)


@pytest.mark.parametrize("query", ["統戰", "新的社會階層"])
def test_a_traditional_query_searches_the_simplified_text(kb, seed_docs, query):
    """kb search, like the review page, reads a query typed in traditional script."""
    result = kb.search(query)
    assert {h.doc_id for h in result.hits} == {d.doc_id for d in seed_docs}
    assert all("【" in h.snippet for h in result.hits)


@pytest.mark.parametrize("query", ["统", "统战", "统战部", "新的社会阶层", "宁海县", "百千万工程", "汕尾 推进会",
                                   "统战 6G星空", "不存在的词语"])
def test_search_agrees_with_a_plain_substring_scan(kb, seed_docs, query):
    expected = {d.doc_id for d in seed_docs
                if all(t in d.normalized_text or t in (d.title or "") for t in query.split())}
    result = kb.search(query)
    assert {h.doc_id for h in result.hits} == expected and result.total == len(expected)


def test_long_terms_use_the_index(kb):
    assert kb.search("新的社会阶层").how == "index"
    plan = kb.conn.execute("EXPLAIN QUERY PLAN SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?",
                           ('"统战部"',)).fetchall()
    assert any("VIRTUAL TABLE INDEX" in row[-1] for row in plan)


def test_person_lists_documents_titles_and_meetings(kb):
    (zou,) = kb.person("邹晓东")
    assert zou.titles == ["中央统战部副部长"]
    (seen,) = zou.appearances
    assert seen.source.endswith("001_west_chengdu.txt")
    assert seen.meetings == ["新的社会阶层人士统战工作实践创新基地建设经验交流推广片会(西部地区)"]
    assert kb.person("无此人") == []


def test_results_become_dataframes(kb, seed_docs):
    pytest.importorskip("pandas")
    frame = kb.facts("counts").to_frame()
    assert len(frame) == sum(len(d.counts) for d in seed_docs)
    assert {"fact_id", "doc_id", "value", "unit", "qualifier", "start", "end"} <= set(frame.columns)
    people = kb.person("李晨阳").to_frame()
    assert list(people["name"]) == ["李晨阳", "李晨阳"]


# --- commands ----------------------------------------------------------------

@pytest.fixture
def kb_file(tmp_path, seeds_jsonl):
    path = tmp_path / "kb.sqlite"
    assert main(["kb", "load", str(seeds_jsonl), "--db", str(path), "-q"]) == 0
    return path


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_kb_facts_command_lists_the_shanwei_meeting(kb_file, capsys):
    code, out, _ = run(["kb", "facts", "--type", "meetings", "--region", "440000", "--db", str(kb_file)], capsys)
    assert code == 0
    assert "全省新的社会阶层人士统战工作推进会暨助力“百千万工程”工作座谈会, in 汕尾市 441500, 80 participants" in out
    code, out, _ = run(["kb", "facts", "--type", "meetings", "--region", "440000", "--since", "2023-01-01",
                        "--db", str(kb_file), "--json"], capsys)
    rows = json.loads(out)
    assert [r["record"]["location"]["code"] for r in rows] == ["441500"]


def test_kb_search_and_person_commands(kb_file, capsys):
    code, out, _ = run(["kb", "search", "统战", "--db", str(kb_file), "--json"], capsys)
    assert code == 0 and json.loads(out)["total"] == 5
    code, out, _ = run(["kb", "person", "邹晓东", "--db", str(kb_file)], capsys)
    assert code == 0 and "中央统战部副部长" in out and "001_west_chengdu.txt" in out


def test_kb_stats_command(kb_file, capsys):
    code, out, _ = run(["kb", "stats", "--db", str(kb_file), "--json"], capsys)
    stats = json.loads(out)
    assert code == 0 and stats["documents"] == 5 and stats["schema_version"] == 1


def test_kb_export_csv(kb_file, tmp_path, capsys, seed_docs):
    out = tmp_path / "meetings.csv"
    assert run(["kb", "export", "--format", "csv", "--type", "meetings", "--db", str(kb_file), "-o", str(out)],
               capsys)[0] == 0
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == sum(len(d.meetings) for d in seed_docs)
    assert {"fact_id", "name", "date", "location", "start", "end"} <= set(rows[0])


def test_extract_db_loads_what_it_extracts(tmp_path, capsys):
    db = tmp_path / "kb.sqlite"
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(SEEDS), "--db", str(db), "-o", str(out), "--no-ner", "-q"])
    assert code == 0
    with pipeline.kb.open(db) as kb:
        assert kb.stats().documents == 5
        versions = kb.conn.execute("SELECT DISTINCT pipeline_version, model_versions, loaded_from FROM documents")
        (version, models, source), = versions.fetchall()
        assert version == pipeline.__version__ and source == "extract"
        assert json.loads(models)["ner"] is None  # --no-ner: no model was used
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5


def test_extract_db_alone_writes_no_json_lines(tmp_path, capsys):
    code, out, _ = run(["extract", str(SEEDS / "000_guangdong_shanwei.txt"), "--db", str(tmp_path / "kb.sqlite"),
                        "--no-ner", "-q"], capsys)
    assert code == 0 and out == ""


def test_extract_db_refuses_a_foreign_file_before_extracting(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("not a database", encoding="utf-8")
    code, _, err = run(["extract", str(SEEDS), "--db", str(path), "--no-ner"], capsys)
    assert code == 2 and "not an SQLite database" in err
    assert path.read_text(encoding="utf-8") == "not a database"


def _kb_commands():
    kb = next(a for a in build_parser()._actions if a.dest == "command").choices["kb"]
    return next(a for a in kb._actions if a.dest == "kb_command").choices


@pytest.mark.parametrize("name", sorted(_kb_commands()))
def test_every_kb_command_has_an_example_and_takes_db(name):
    parser = _kb_commands()[name]
    assert f"zhnews kb {name} " in parser.epilog
    assert any("--db" in a.option_strings for a in parser._actions)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"zhnews kb {name} " in readme


# --- Datasette metadata ---------------------------------------------------------

def test_the_shipped_metadata_is_generated_from_the_schema():
    from pipeline.kb.metadata import render_metadata

    shipped = (ROOT / "pipeline" / "kb" / "metadata.json").read_text(encoding="utf-8")
    assert shipped == render_metadata("kb"), "run: zhnews kb metadata --db kb.sqlite > pipeline/kb/metadata.json"


def test_metadata_describes_every_table_and_column(kb):
    from pipeline.kb.metadata import render_metadata

    tables = json.loads(render_metadata(kb.path.stem))["databases"][kb.path.stem]["tables"]
    shadow = ("documents_fts_data", "documents_fts_idx", "documents_fts_docsize", "documents_fts_config")
    names = [r[0] for r in kb.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    assert set(tables) == set(names) - set(shadow)
    for name in names:
        assert name in shadow or tables[name]["description"], name
    plain = kb.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
    for (name,) in plain:
        if name in shadow:
            continue
        columns = [r[1] for r in kb.conn.execute(f"PRAGMA table_info({name})")]
        assert list(tables[name].get("columns", {})) == columns
        assert all(tables[name]["columns"].values()), name


def test_bad_query_arguments_get_a_clear_error(kb_file, capsys):
    assert main(["kb", "search", " ", "--db", str(kb_file)]) == 2
    assert "at least one term" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["kb", "facts", "--type", "meetings", "--since", "last year", "--db", str(kb_file)])
    assert exit_.value.code == 2 and "expected an ISO date" in capsys.readouterr().err
