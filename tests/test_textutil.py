"""Tests for pipeline.textutil."""

import pytest

from pipeline.textutil import DisjointSpans, Intervals, merged_spans, strip_span


@pytest.mark.parametrize("text, start, end, expected", [
    (" 深圳会议 ", 0, 6, (1, 5)),
    ("“\u3000深圳会议\n”", 1, 7, (2, 6)),
    ("深圳会议", 0, 4, (0, 4)),
    ("a   b", 1, 4, (4, 4)),
    ("深圳 会议", 0, 5, (0, 5)),
], ids=["both-ends", "ideographic-space-and-newline", "nothing-to-strip", "all-space", "inner-space-kept"])
def test_strip_span(text, start, end, expected):
    assert strip_span(text, start, end) == expected


SPANS = [(2, 5), (4, 8), (10, 12)]


@pytest.mark.parametrize("start, end, expected", [
    (0, 2, False), (0, 3, True), (8, 10, False), (7, 9, True), (11, 20, True), (12, 20, False), (5, 6, True),
], ids=["touching-before", "overlap-first", "gap", "overlap-merged", "overlap-last", "after", "inside"])
def test_intervals_answer_as_a_scan_would(start, end, expected):
    assert Intervals(SPANS).overlaps(start, end) is expected
    assert any(a < end and start < b for a, b in SPANS) is expected


def test_disjoint_spans_choose_like_a_scan():
    """Longest first, a span is kept when it clashes with none kept (or only with itself)."""
    candidates = [(0, 6), (4, 10), (6, 9), (0, 6), (9, 12), (11, 13), (2, 3)]
    chosen, spans = [], DisjointSpans()
    for a, b in sorted(candidates, key=lambda s: (s[0] - s[1], s[0])):
        if all(c == (a, b) for c in spans.clashes(a, b)):
            chosen.append((a, b))
            spans.add(a, b)
    assert chosen == [(0, 6), (0, 6), (6, 9), (9, 12)]
    assert spans.clashes(5, 7) == [(0, 6), (0, 6), (6, 9)] and spans.clashes(12, 20) == []


def test_merged_spans_join_overlapping_and_touching_spans():
    assert merged_spans([(5, 7), (0, 2), (2, 3), (6, 9), (4, 4)]) == [(0, 3), (4, 4), (5, 9)]


def test_occurrences_left_to_right_not_overlapping():
    from pipeline.textutil import occurrences, starts_of

    assert starts_of("aaaa", ["aa"]) == {"aa": [0, 1, 2]}
    assert occurrences("aaaa xaa", ["aa", "x", "zz"]) == {"aa": [0, 2, 6], "x": [5]}
    assert occurrences("abc", []) == {}
