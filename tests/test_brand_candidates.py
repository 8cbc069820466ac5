"""Golden cases, data checks and properties of the brand candidate generator."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import brand_candidates as bc
from pipeline.extract.brand_candidates import Candidate, find_candidates

GOLDEN = Path(__file__).parent / "golden" / "brand_candidates.tsv"


def _golden_cases():
    lines = [l for l in GOLDEN.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        row["input"] = row["input"].replace("\\n", "\n")
        yield pytest.param(row, id=row["case"])


def _style(c: Candidate) -> str:
    return c.quote_style or "none"


def _matches(c: Candidate, row: dict) -> bool:
    return (c.text == row["text"]
            and row["style"] in ("*", _style(c))
            and (row["full"] == "*" or (c.full_text or "-") == row["full"]))


@pytest.mark.parametrize("row", list(_golden_cases()))
def test_golden(row):
    found = find_candidates(row["input"])
    shown = [(c.text, _style(c), c.full_text) for c in found]
    if row["expect"] == "none":
        assert found == [], shown
    elif row["expect"] == "has":
        assert any(_matches(c, row) for c in found), shown
    else:
        assert not any(_matches(c, row) for c in found), shown


def test_golden_table_is_big_enough():
    assert len(list(_golden_cases())) >= 40


def test_offsets_and_full_span():
    text = "组织与会人员参观了“客时代”电商直播基地，与负责人交流。"
    (c,) = [c for c in find_candidates(text) if c.text == "客时代"]
    assert text[c.start:c.end] == "客时代"
    assert text[c.full_start:c.full_end] == c.full_text == "“客时代”电商直播基地"
    assert c.quoted and c.head == "基地"


def test_unquoted_candidate_has_head():
    (c,) = find_candidates("与会人员参观了海丰县联络站。")
    assert (c.quoted, c.quote_style, c.head, c.full_text) == (False, None, "联络站", None)


def test_custom_tokenizer_is_used():
    found = find_candidates("参观爱心驿站", tokenize=lambda s: list(s))
    assert [c.text for c in found] == ["参观爱心驿站"]  # one character per token: no verb 参观


def test_tokenizer_must_cover_text():
    with pytest.raises(ValueError):
        find_candidates("参观同心驿站", tokenize=lambda s: ["参观"])


def test_data_files_load():
    lex = bc.lexicon()
    assert "中心" in lex.heads and "基地" in lex.heads
    assert [h for h, (kind, scope) in lex.heads.items() if kind not in bc.KINDS or scope not in bc.SCOPES] == []
    assert "是" in lex.stops and "打造" in lex.verbs and "新的社会阶层" in lex.keeps


@pytest.mark.parametrize("content, message", [
    ("中心\tplatform\n", "brand_heads.txt:1"),
    ("中心\twidget\tany\n", "unknown kind"),
    ("中心\tplatform\tsometimes\n", "unknown scope"),
    ("中心\tplatform\tany\n中心\tbase\tany\n", "duplicate head"),
])
def test_bad_heads_file(tmp_path, content, message):
    path = tmp_path / "brand_heads.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(bc.BrandDataError, match=message):
        bc.load_heads(path)


def test_bad_rules_file(tmp_path):
    path = tmp_path / "brand_rules.txt"
    path.write_text("# comment\nnothead\t苹果\n", encoding="utf-8")
    with pytest.raises(bc.BrandDataError, match="brand_rules.txt:2: '苹果' holds no head"):
        bc.load_rules(path, {"中心": ("platform", "any")})


ALPHABET = st.sampled_from(list("“”‘’\"「」『』《》，。、？?！ \n的和是在中心基地工程服务团站园计划行动新社会阶层人士同心6G·（）hA"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_never_raises_and_offsets_hold(text):
    for c in find_candidates(text):
        assert text[c.start:c.end] == c.text and c.text.strip() == c.text and c.text
        if c.full_text is not None:
            assert text[c.full_start:c.full_end] == c.full_text
            assert c.full_start < c.start and c.end < c.full_end
