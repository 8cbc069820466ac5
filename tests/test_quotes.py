"""The quote-pair table every extractor reads (pipeline.quotes)."""

import pytest

from pipeline.quotes import pair_quotes


@pytest.mark.parametrize(
    "text, pairs, unpaired",
    [
        ("召开“我为群众办实事”座谈会", [(2, 10, "“”")], []),
        ("他说“要办好‘两会’”。", [(2, 10, "“”"), (6, 9, "‘’")], []),
        ("《关于加强工作的意见》", [(0, 10, "《》")], []),
        ('叫"小能手"的团队', [(1, 5, '""')], []),
        ('"甲"和"乙"', [(0, 2, '""'), (4, 6, '""')], []),
        ("“ 深圳会议 (点击)", [], [0]),
        ("“第一行\n第二行”", [], [0]),
        ("“甲” ”", [(0, 2, "“”")], []),
        ("“甲“乙”", [(2, 4, "“”")], [0]),
        ("‘甲“乙’丙”", [(0, 4, "‘’"), (2, 6, "“”")], []),
        ("「甲」『乙』〈丙〉", [(0, 2, "「」"), (3, 5, "『』"), (6, 8, "〈〉")], []),
    ],
    ids=["one", "nested", "title", "ascii", "ascii-two", "unclosed", "line-bound", "stray-closer",
         "inner-first", "crossed", "corner-and-angle"],
)
def test_pairs(text, pairs, unpaired):
    table = pair_quotes(text)
    assert [(p.open, p.close, p.style) for p in table.pairs] == pairs
    assert list(table.unpaired) == unpaired


@pytest.mark.parametrize(
    "text, styles, max_span, expected",
    [
        ("他说“要办好‘两会’”。", ("“”", "‘’"), 200, [(6, 9)]),
        ("‘甲“乙’丙”", ("“”", "‘’"), 200, [(2, 6)]),
        ("“甲“乙”", ("“”",), 200, [(2, 4)]),
        ("“一二三四五”", ("“”",), 6, []),
        ("“一二三四五”", ("“”",), 7, [(0, 6)]),
        ("他说“要办好‘两会’”。", ("“”",), 200, [(2, 10)]),
    ],
    ids=["outer-dropped", "crossed", "unpaired-inside", "too-long", "long-enough", "other-style-ignored"],
)
def test_innermost(text, styles, max_span, expected):
    got = pair_quotes(text).innermost(styles, max_span)
    assert [(p.open, p.close) for p in got] == expected


def test_lookups():
    table = pair_quotes("甲“乙”丙\n“丁”")
    assert [(p.open, p.close) for p in table.pairs_in(1, 2)] == [(1, 3)] and table.pairs_in(0, 1) == ()
    assert [p.open for p in table.pairs_in(0, 5)] == [1]
    assert [p.open for p in table.pairs_in(5, 9)] == [6]
    assert [p.style for p in table.of(["“”"])] == ["“”", "“”"]


def test_no_text_breaks_the_table():
    for text in ["", "\n", "”“", '"', "《《》》》", "“" * 50 + "”" * 49]:
        table = pair_quotes(text)
        assert all(text[p.open] + text[p.close] == p.style for p in table.pairs)


def test_in_title_is_between_the_marks_of_a_title():
    from pipeline.quotes import pair_quotes

    table = pair_quotes("看《林则徐》和“毛泽东”")
    assert table.in_title(2, 5) and table.in_title(2, 3)
    assert not table.in_title(1, 5) and not table.in_title(2, 6) and not table.in_title(8, 11)
