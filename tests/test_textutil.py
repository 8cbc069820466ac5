"""Tests for pipeline.textutil."""

import pytest

from pipeline.textutil import strip_span


@pytest.mark.parametrize("text, start, end, expected", [
    (" 深圳会议 ", 0, 6, (1, 5)),
    ("“\u3000深圳会议\n”", 1, 7, (2, 6)),
    ("深圳会议", 0, 4, (0, 4)),
    ("a   b", 1, 4, (4, 4)),
    ("深圳 会议", 0, 5, (0, 5)),
], ids=["both-ends", "ideographic-space-and-newline", "nothing-to-strip", "all-space", "inner-space-kept"])
def test_strip_span(text, start, end, expected):
    assert strip_span(text, start, end) == expected
