"""Tests for pipeline.extract.meetings: the golden table, the data files, the helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis import analyze
from pipeline.data import DataFileError, load_rows
from pipeline.extract import meetings as M
from pipeline.extract.meetings import clean_name, extract_meetings, lexicon
from pipeline.records import Count, Figure, Location, Meeting, Region

GOLDEN = json.loads((Path(__file__).parent / "golden" / "meetings.json").read_text(encoding="utf-8"))
CASES = GOLDEN["cases"]


# --------------------------------------------------------------- record builders


def _mentions(doc, surface: str):
    """One Mention per occurrence of `surface` in the ORIGINAL text."""
    original, out, i = doc.otext.original, [], 0
    while (i := original.find(surface, i)) >= 0:
        a, b = doc.otext.from_original(i, i + len(surface))
        out.append(doc.mention(a, b))
        i += len(surface)
    assert out, f"{surface!r} not in the text"
    return out


def _regions(doc, specs):
    return [Region(name=r["name"], code=r["code"], level=r["level"], path=r.get("path", [r["name"]]),
                   mentions=_mentions(doc, r["at"]), method="test", confidence=1.0) for r in specs]


def _figures(doc, specs):
    return [Figure(name=f["name"], mentions=_mentions(doc, f["at"]), method="test", confidence=1.0)
            for f in specs]


def _counts(doc, specs):
    return [Count(value=c["value"], unit=c["unit"], qualifier=c["qualifier"], text=c["text"],
                  mentions=_mentions(doc, c["text"]), method="test", confidence=1.0) for c in specs]


def run_case(case) -> list[Meeting]:
    doc = analyze(case["text"], published_at=case.get("published"))
    primary = Location(**case["primary"]) if case.get("primary") else None
    return extract_meetings(
        doc,
        regions=_regions(doc, case.get("regions", [])),
        figures=_figures(doc, case.get("figures", [])),
        counts=_counts(doc, case.get("counts", [])),
        primary=primary,
    )


def _check(got: Meeting, want: dict) -> None:
    simple = ("name", "kind", "date", "date_end", "date_text", "venue", "organizer", "participants")
    for key in simple:
        if key in want:
            assert getattr(got, key) == want[key], f"{key}: {getattr(got, key)!r} != {want[key]!r}"
    if "location" in want:
        code = got.location.code if got.location else None
        assert code == want["location"], f"location: {got.location!r}"
    if "location_name" in want:
        assert got.location is not None and got.location.name == want["location_name"], f"location: {got.location!r}"
    for name in want.get("not_attendees", []):
        assert name not in {a.name for a in got.attendees}, f"{name} is not an attendee"
    for name, role in want.get("attendees", []):
        roles = {a.name: a.role for a in got.attendees}
        assert roles.get(name) == role, f"attendee {name}: {got.attendees!r}"


# --------------------------------------------------------------- golden table


def test_golden_table_is_big_enough_and_ids_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 40 and len(ids) == len(set(ids))
    assert sum(1 for c in CASES if not c["expect"]) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    got = run_case(case)
    assert len(got) == len(case["expect"]), [m.name for m in got]
    for meeting, want in zip(got, case["expect"]):
        _check(meeting, want)


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"]], ids=[c["id"] for c in CASES if c["expect"]])
def test_mentions_point_at_name_date_and_place(case):
    doc = analyze(case["text"], published_at=case.get("published"))
    for meeting in run_case(case):
        first = meeting.mentions[0]
        assert case["text"][first.start:first.end] == first.text
        a, b = doc.span_of(first)
        assert clean_name(doc.text[a:b]) in meeting.name
        texts = [m.text for m in meeting.mentions]
        if meeting.date_text:
            assert meeting.date_text in texts
        assert 0.0 <= meeting.confidence <= 1.0 and meeting.method.startswith("meetings.rules")


# --------------------------------------------------------------- degrading without records


def test_works_without_other_records():
    doc = analyze("5月17日,中央统战部在成都召开新的社会阶层人士统战工作推进会。")
    [m] = extract_meetings(doc)
    assert m.name == "新的社会阶层人士统战工作推进会" and m.date == "--05-17"
    assert m.location is None and m.participants is None and m.organizer == "中央统战部"


def test_empty_text():
    assert extract_meetings(analyze("")) == []


def test_mojibake_region_repaired_in_organizer():
    text = "7月27日上午,宁波市宁??h委统战部举行新的社会阶层人士统战工作推进会。"
    doc = analyze(text)
    i = text.index("宁??h")
    a, b = doc.otext.from_original(i, i + len("宁??h"))
    region = Region(name="宁海县", code="330226", level="county", path=["浙江省", "宁波市", "宁海县"],
                    mentions=[doc.mention(a, b)], method="test", confidence=1.0)
    [m] = extract_meetings(doc, regions=[region])
    assert m.organizer == "宁波市宁海县委统战部"
    assert m.location is not None and m.location.code == "330226"


def test_without_the_region_the_organizer_stays_as_written():
    [m] = extract_meetings(analyze("7月27日上午,宁波市宁??h委统战部举行新的社会阶层人士统战工作推进会。"))
    assert m.organizer == "宁波市宁??h委统战部"


# --------------------------------------------------------------- helpers


@pytest.mark.parametrize("raw,name", [
    ("“ 深圳会议", "深圳会议"),
    ("“深圳会议”", "深圳会议"),
    ("“6G星空”启动仪式", "“6G星空”启动仪式"),
    ("全省推进会暨助力“百千万工程”工作座谈会", "全省推进会暨助力“百千万工程”工作座谈会"),
    ("“中国多层次资本市场”首场宣讲", "“中国多层次资本市场”首场宣讲"),
    ("片会 (西部地区)", "片会(西部地区)"),
    ("“学延安精神 强党性修养”专题培训班", "“学延安精神 强党性修养”专题培训班"),
    ("“学延安精神\n强党性修养”专题培训班", "“学延安精神强党性修养”专题培训班"),
    ("全省 推进会", "全省推进会"),
])
def test_clean_name(raw, name):
    assert clean_name(raw) == name


def test_masked_text_masks_only_closed_quotes():
    from pipeline.extract.meetings.text import masked_text, quote_closers
    from pipeline.quotes import pair_quotes

    text = "召开“我为群众办实事”座谈会,“ 深圳会议 (点击)"
    closers = quote_closers(pair_quotes(text))
    masked, paired = masked_text(text, closers), frozenset(closers)
    assert "为" not in masked and "深圳" in masked
    assert paired == {2}


# --------------------------------------------------------------- data files


def test_data_files_are_well_formed():
    lex = lexicon()
    assert lex.kinds["座谈会"] == "core" and lex.kinds["联席会议"] == "body"
    assert set(lex.kinds.values()) <= set(M.TIERS)
    for cls in M.WORD_CLASSES:
        assert lex.words[cls], f"class {cls} is empty"
    assert [p for p, _ in lex.roles if len(p) < 2] == []
    for kind in ("会议", "座谈会", "推进会", "交流会", "片会", "研讨会", "论坛", "培训班", "结业式",
                 "启动仪式", "宣讲会"):
        assert kind in lex.kinds, f"guideline kind {kind} missing"


def test_word_classes_fit_the_kinds():
    lex = lexicon()
    for word in lex.words["not_kind"]:
        assert any(k in word for k in lex.kinds), f"not_kind {word} holds no kind word"
    assert lex.words["proper_kind"] <= set(lex.kinds)
    phrases = [p for p, _ in lex.roles]
    assert len(phrases) == len(set(phrases))


def test_data_rows_have_two_fields():
    bad = [(name, r) for name in ("meeting_kinds.tsv", "meeting_words.tsv", "meeting_roles.tsv")
           for r in load_rows(name, 2) if not (len(r) == 2 and r[0] and r[1])]
    assert bad == []


def _lexicon_fails(monkeypatch, rows, match: str) -> None:
    """Loading the lexicon from `rows` (name, columns, header) raises DataFileError."""
    monkeypatch.setattr(M.words, "_rows", rows)
    M.lexicon.cache_clear()
    try:
        with pytest.raises(DataFileError, match=match):
            M.lexicon()
    finally:
        monkeypatch.undo()
        M.lexicon.cache_clear()


def test_bad_class_is_reported(monkeypatch):
    _lexicon_fails(monkeypatch, lambda name, columns, header=(): (
        [["nonsense", "召开"]] if name == "meeting_words.tsv" else [["会议", "core"]]), "meeting_words.tsv")


def test_bad_place_code_is_reported(monkeypatch):
    real = M.words._rows
    _lexicon_fails(monkeypatch, lambda name, columns, header=(): (
        [["京", "999999", "no such code"]] if name == "meeting_places.tsv" else real(name, columns, header)),
        "meeting_places.tsv.*999999")


def test_places_name_divisions_of_the_gazetteer():
    from pipeline.gazetteer import gazetteer

    places = lexicon().places
    assert places["京"] == "110000" and places["人民大会堂"] == "110000"
    assert all(gazetteer().by_code(code) is not None for code in places.values())


def test_garbled_subregion_falls_back_to_the_documents_region():
    text = "7月27日上午,宁波市宁??h委统战部举行新的社会阶层人士统战工作推进会。"
    doc = analyze(text)
    region = Region(name="宁波市", code="330200", level="prefecture", path=["浙江省", "宁波市"],
                    mentions=_mentions(doc, "宁波市"), method="test", confidence=1.0)
    [m] = extract_meetings(doc, regions=[region], primary=Location(name="宁海县", code="330226"))
    assert m.location.code == "330226"
    [m] = extract_meetings(doc, regions=[region], primary=Location(name="鄞州区", code="330212"))
    assert m.location.code == "330212"
    [m] = extract_meetings(doc, regions=[region], primary=Location(name="汕尾市", code="441500"))
    assert m.location.code == "330200"
