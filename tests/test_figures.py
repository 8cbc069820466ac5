"""Figures: golden cases (tests/golden/figures.json), rules and data files.

Each golden case runs with the rules alone (no NER model), and again with the
shipped model when models/zhnews_ner is present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.analysis import analyze
from pipeline.extract.figures import LEAD_WORDS, extract_figures, lexicon, merge_titles, rule_name_ok

GOLDEN = json.loads((Path(__file__).parent / "golden" / "figures.json").read_text(encoding="utf-8"))["cases"]
RULE_CASES = [c for c in GOLDEN if not c.get("needs_model")]
FRESH_FILE = json.loads((Path(__file__).parent / "golden" / "figures_fresh.json").read_text(encoding="utf-8"))
FRESH = FRESH_FILE["cases"]
KNOWN_MISSES = FRESH_FILE.get("known_miss", {})


@pytest.fixture(scope="module")
def model_nlp():
    from pipeline.nlp import load_nlp, resolve_model

    if resolve_model(None) is None:
        pytest.skip("no NER model in models/zhnews_ner")
    return load_nlp()


def _check(case: dict, figures) -> None:
    found = {f.name: f for f in figures}
    assert set(found) == set(case["figures"]), case["text"]
    for name, titles in case["figures"].items():
        assert found[name].titles == titles, name
    for name, roles in case.get("roles", {}).items():
        assert set(roles) <= set(found[name].roles), (name, found[name].roles)


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["id"] for c in RULE_CASES])
def test_golden_rules_only(case):
    _check(case, extract_figures(analyze(case["text"])))


@pytest.mark.parametrize("case", GOLDEN, ids=[c["id"] for c in GOLDEN])
def test_golden_with_model(case, model_nlp):
    _check(case, extract_figures(analyze(case["text"], nlp=model_nlp)))


def _fresh_params(model: bool):
    out = []
    for c in FRESH:
        miss = KNOWN_MISSES.get(c["id"], {}).get("with_model" if model else "rules_only")
        marks = [pytest.mark.xfail(strict=True, reason=miss)] if miss else []
        out.append(pytest.param(c, id=c["id"], marks=marks))
    return out


@pytest.mark.parametrize("case", _fresh_params(False))
def test_fresh_rules_only(case):
    """Written before tuning and kept aside (see the file's _about); a known miss is a
    strict expected failure, so a fix shows."""
    _check(case, extract_figures(analyze(case["text"])))


@pytest.mark.parametrize("case", _fresh_params(True))
def test_fresh_with_model(case, model_nlp):
    _check(case, extract_figures(analyze(case["text"], nlp=model_nlp)))


def test_golden_sets_hold_positives_and_negatives():
    for cases in (GOLDEN, FRESH):
        assert sum(not c["figures"] for c in cases) >= 3
        assert sum(bool(c["figures"]) for c in cases) >= 10
    assert not {c["id"] for c in GOLDEN} & {c["id"] for c in FRESH}
    assert set(KNOWN_MISSES) <= {c["id"] for c in FRESH}


def test_mentions_point_at_the_original_traditional_text():
    text = "寧海縣委常委、統戰部部長婁黛敏出席會議。婁黛敏指出，要提高政治站位。"
    (fig,) = extract_figures(analyze(text))
    assert [m.text for m in fig.mentions] == ["婁黛敏", "婁黛敏"]
    assert all(text[m.start:m.end] == m.text for m in fig.mentions)
    assert [m.sentence for m in fig.mentions] == [0, 1]


def test_record_fields():
    (fig,) = extract_figures(analyze("中央统战部副部长邹晓东出席会议并讲话。"))
    assert fig.method.startswith("rule:")
    assert 0.0 <= fig.confidence <= 1.0


def test_model_entities_are_used_and_filtered():
    """PER entities handed over by the NER stage become figures; a persona does not."""
    from dataclasses import replace

    from pipeline.nlp import Entity

    doc = analyze("重温铁人王进喜的先进事迹，新语君为您介绍。")
    ents = (Entity(4, 7, "王进喜", "PER", "ner:test"), Entity(14, 17, "新语君", "PER", "ner:test"))
    figures = extract_figures(replace(doc, entities=ents))
    assert [f.name for f in figures] == ["王进喜"]
    assert "ner" in figures[0].method.split("+")


def test_model_only_name_needs_support():
    """A model-only name without a surname, title or role (a place the model
    took for a person) is dropped; a full foreign name is kept."""
    from dataclasses import replace

    from pipeline.nlp import Entity

    text = "代表团访问了拉奎拉，会见了詹姆斯·麦克格雷戈。"
    ents = (Entity(6, 9, "拉奎拉", "PER", "ner:test"), Entity(13, 22, "詹姆斯·麦克格雷戈", "PER", "ner:test"))
    figures = extract_figures(replace(analyze(text), entities=ents))
    assert [f.name for f in figures] == ["詹姆斯·麦克格雷戈"]


def test_foreign_short_name_merges_with_full_name():
    from dataclasses import replace

    from pipeline.nlp import Entity

    text = "安德鲁-拜纳姆倒下了。拜纳姆接受了检查。"
    ents = (Entity(0, 7, "安德鲁-拜纳姆", "PER", "ner:test"), Entity(11, 14, "拜纳姆", "PER", "ner:test"))
    figures = extract_figures(replace(analyze(text), entities=ents))
    assert [f.name for f in figures] == ["安德鲁-拜纳姆"]
    assert len(figures[0].mentions) == 2


@pytest.mark.parametrize("first, second", [("迈克尔-马龙", "布兰登-马龙"), ("布兰登-马龙", "迈克尔-马龙")])
def test_short_name_of_two_full_names_goes_to_the_first_named(first, second):
    """A tie between two full names of one length is broken by the text, never by a set's order."""
    from dataclasses import replace

    from pipeline.nlp import Entity

    text = f"{first}得了20分。{second}得了10分。马龙表示满意。"
    b = text.index(second)
    c = text.index("马龙表示")
    ents = (Entity(0, 6, first, "PER", "ner:test"), Entity(b, b + 6, second, "PER", "ner:test"),
            Entity(c, c + 2, "马龙", "PER", "ner:test"))
    figures = {f.name: f for f in extract_figures(replace(analyze(text), entities=ents))}
    assert [m.text for m in figures[first].mentions] == [first, "马龙"]
    assert [m.text for m in figures[second].mentions] == [second]


@pytest.mark.parametrize("titles, expected", [
    (["统战部部长", "部长"], ["统战部部长"]),
    (["宁海县委常委", "统战部部长", "宁海县委常委"], ["宁海县委常委", "统战部部长"]),
    (["主席", "副主席"], ["主席", "副主席"]),
], ids=["suffix-dropped", "duplicates", "different-posts"])
def test_merge_titles(titles, expected):
    assert merge_titles(titles) == expected


@pytest.mark.parametrize("name, ok", [
    ("邹晓东", True), ("欧阳文华", True), ("杨教授", False), ("马先生", False),
    ("新语君", False), ("顾问", False), ("莫斯科", False), ("邹", False), ("李的明", False),
], ids=lambda v: str(v))
def test_rule_name_ok(name, ok):
    assert rule_name_ok(name, lexicon()) is ok


@pytest.mark.parametrize("text", ["", "。", "编辑:", "部长", "副部长、", "记者 ", "\n\n同志", "书记书记书记"])
def test_odd_inputs_do_not_crash(text):
    assert isinstance(extract_figures(analyze(text)), list)


def test_lexicon_data_is_well_formed():
    lex = lexicon()
    assert {"副部长", "书记", "主席"} <= lex.position_words
    assert "王" in lex.surnames and "欧阳" in lex.compound_surnames
    assert lex.word_surnames <= lex.surnames | lex.compound_surnames and "东方" in lex.word_surnames
    assert {"新语君", "有关负责同志"} <= lex.nonpersons
    assert lex.roles and all(role for role, _pattern in lex.roles)


def test_issue_14_cue_data_is_well_formed():
    lex = lexicon()
    assert {"县", "市", "自治区"} <= lex.units and "和" in lex.joiners and "局" in lex.org
    assert {"先贤", "代表"} <= set(lex.group) and lex.describers.fullmatch("种植大户") is None
    assert lex.describers.fullmatch("大户") and "岭" in lex.place_ends
    assert lex.address.fullmatch("同志") and lex.compounds.fullmatch("欧阳") and not lex.compounds.fullmatch("东方")
    assert "钟声" in lex.pennames and "钟声" not in lex.nonpersons
    # clean_title skips only multi-character units: a one-character one must open no title's lead word
    assert not {u for u in lex.units if len(u) == 1} & LEAD_WORDS and "自治区" in lex.long_units


def test_historical_names_are_names():
    from pipeline.extract.figure_lexicon import historical_names

    names = historical_names()
    assert {"林则徐", "焦裕禄", "黄兴"} <= names
    assert all(2 <= len(n) <= 4 for n in names)
    assert not names & lexicon().nonpersons


@pytest.mark.parametrize("name, titled, ok", [
    ("钟声", False, False), ("钟声", True, True), ("黄文会", False, False), ("黄文会", True, True),
    ("陈李淑仪", False, True), ("刘永和", False, True), ("李的明", False, False), ("华商报", False, False),
], ids=lambda v: str(v))
def test_name_shape(name, titled, ok):
    from pipeline.extract.figures import name_shape_ok

    assert name_shape_ok(name, lexicon(), titled=titled) is ok


def test_foreign_data_is_well_formed():
    from pipeline.extract.figures import foreign_lexicon

    chars, abroad = foreign_lexicon()
    assert set("斯基尔特克夫娃诺维拉里德布巴纳") <= chars
    assert not chars & set("的了在是和与及说将等一")  # function characters end a name
    assert abroad.search("联合国秘书长") and abroad.search("俄罗斯总理") and not abroad.search("县委书记")


def test_no_text_makes_it_raise():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("王李邹晓东娄黛敏部长副书记、，。：:编辑记者同志说表示出席会议 \n“”（）·-1"))

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=40))
    def check(text):
        for fig in extract_figures(analyze(text)):
            assert fig.name and all(text[m.start:m.end] == m.text for m in fig.mentions)

    check()
