"""Normalize: simplified text whose every character maps back to the original."""

import pytest

from pipeline.normalize import detect_script, normalize


@pytest.mark.parametrize(
    "original, expected",
    [
        ("統(tǒng)一戰(zhàn)線", "统一战线"),
        ("推進(jìn)會", "推进会"),
        ("统战新语(tongzhanxinyu)", "统战新语(tongzhanxinyu)"),
        ("片会(西部地区)", "片会(西部地区)"),
        ("省会(首府)城市", "省会(首府)城市"),
        ("近８０人，增长８６％", "近80人，增长86%"),
        ("ＭＦＧ创客联邦", "MFG创客联邦"),
        ("「同心驿站」", "“同心驿站”"),
        ("『好』", "‘好’"),
        ("第一行\r\n第二行", "第一行\n第二行"),
        ("零\u200b宽", "零宽"),
        ("会议&nbsp;召开&ldquo;百千万工程&rdquo;", "会议 召开“百千万工程”"),
        ("近80&#20154;参会 &amp; AT&T", "近80人参会 & AT&T"),
        ("分别有 140 万和 130 万人，去年  11  月份", "分别有 140 万和 130 万人，去年 11 月份"),
        ("“ 深圳会议 ”和“ 试点期 ”", "“深圳会议”和“试点期”"),
        ("Well Go 电影公司，IFS 国际金融中心，0574 8888", "Well Go 电影公司，IFS 国际金融中心，0574 8888"),
    ],
    ids=["pinyin", "pinyin-2", "real-parens", "area-parens", "cjk-parens", "fullwidth-digits",
         "fullwidth-letters", "corner-quotes", "double-corner", "crlf", "zero-width", "entities",
         "numeric-entity", "doubled-spaces", "spaced-quotes", "meaningful-spaces"],
)
def test_normalized_text(original, expected):
    assert normalize(original).text == expected


@pytest.mark.parametrize(
    "text, script",
    [
        ("宁波市委统战部副部长出席会议并讲话，会议强调要发挥作用。", "simplified"),
        ("寧波市委統戰部副部長出席會議並講話，會議強調要發揮作用。", "traditional"),
        ("宁波市委统战部副部长出席會議並講話，會議強調要發揮作用，这是我们说的。", "mixed"),
        ("Hello, world 2024", "simplified"),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_traditional_is_converted_and_offsets_point_at_original():
    original = "黑龍江省委統(tǒng)戰部著眼於新的社會階層人士"
    ot = normalize(original)
    assert ot.script == "traditional"
    assert ot.text == "黑龙江省委统战部着眼于新的社会阶层人士"
    start = ot.text.index("统战部")
    assert ot.original_slice(start, start + 3) == "統(tǒng)戰部"
    assert ot.original_slice(0, 3) == "黑龍江"


def test_every_normalized_character_maps_into_the_original():
    original = "首頁>黨派\n寧波市寧??h舉行“6G星空”啟動儀式，統(tǒng)戰(zhàn)工作（ＡＢ）"
    ot = normalize(original)
    assert len(ot.starts) == len(ot.ends) == len(ot.text)
    for i in range(len(ot.text)):
        a, b = ot.to_original(i, i + 1)
        assert 0 <= a < b <= len(original)
    assert list(ot.starts) == sorted(ot.starts)


def test_simplified_text_is_left_alone():
    text = "乾隆年间，他著有一部书。"
    ot = normalize(text)
    assert ot.text == text and ot.script == "simplified"


def test_mojibake_is_kept_and_reported_with_original_offsets():
    original = "寧波市寧??h舉行推進會，寧??h委統戰部\ufffd\ufffd"
    ot = normalize(original)
    assert "??h" in ot.text
    spans = [original[w.start:w.end] for w in ot.warnings]
    assert spans == ["??h", "??h", "\ufffd\ufffd"]
    assert {w.code for w in ot.warnings} == {"mojibake"}


def test_question_marks_in_prose_are_not_mojibake():
    assert normalize("为何此时召开? 片会有哪些新动向?").warnings == ()


def test_span_outside_text_raises():
    with pytest.raises(ValueError):
        normalize("汕尾").to_original(1, 5)


def test_from_original_inverts_to_original():
    original = "寧波市統(tǒng)戰部舉行推進會"
    ot = normalize(original)
    for start in range(len(ot.text)):
        for end in range(start + 1, len(ot.text) + 1):
            assert ot.from_original(*ot.to_original(start, end)) == (start, end)


def test_an_html_entity_maps_back_to_the_whole_reference():
    original = "召开&ldquo;百千万工程&rdquo;座谈会"
    ot = normalize(original)
    start = ot.text.index("“")
    assert ot.original_slice(start, start + 7) == "&ldquo;百千万工程&rdquo;"


@pytest.mark.parametrize(
    "original, expected",
    [
        ("這標誌著新階段", "这标志着新阶段"),
        ("發揮著帶頭作用", "发挥着带头作用"),
        ("面臨著挑戰，存在著問題", "面临着挑战，存在着问题"),
        ("著力推進，著眼長遠", "着力推进，着眼长远"),
        ("著名學者著有多部專著", "著名学者著有多部专著"),
        ("成效顯著，臭名昭著", "成效显著，臭名昭著"),
    ],
    ids=["zhe", "zhe-before-a-noun", "zhe-twice", "zhuo", "zhu-kept", "zhu-in-compounds"],
)
def test_zhe_and_zhu_from_traditional_text(original, expected):
    assert normalize(original).text == expected
