"""The date vocabulary file is well formed, and a malformed one fails clearly."""

from __future__ import annotations

import json

import pytest

from pipeline.date_words import WORD_TABLES, DateWordsError, lexicon, load_date_words


def _write(tmp_path, data) -> str:
    path = tmp_path / "date_words.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_date_words_file_is_well_formed():
    data = load_date_words()
    assert data["inference"]["month_future_days"] > 0
    assert data["vague"]["近日"]["resolves_to"] == "month"
    assert [year for year, v in data["lunar_new_year"].items() if len(v) != 5] == []


def test_date_words_error_names_file_and_line(tmp_path):
    bad = tmp_path / "date_words.json"
    bad.write_text('{\n  "numerals": {\n', encoding="utf-8")
    with pytest.raises(DateWordsError, match=r"date_words\.json: line \d+"):
        load_date_words(bad)


def test_date_words_error_names_the_entry(tmp_path):
    data = load_date_words()
    data["year_parts"]["上半年"] = [6, 1]
    bad = _write(tmp_path, data)
    with pytest.raises(DateWordsError, match="year_parts.上半年"):
        load_date_words(bad)


def test_date_words_error_on_missing_table(tmp_path):
    data = load_date_words()
    del data["relative_days"]
    bad = _write(tmp_path, data)
    with pytest.raises(DateWordsError, match="relative_days: missing"):
        load_date_words(bad)


def test_date_words_error_on_bad_holiday(tmp_path):
    data = load_date_words()
    data["lunar_new_year"]["2024"] = "02-30"
    bad = _write(tmp_path, data)
    with pytest.raises(DateWordsError, match="lunar_new_year.2024"):
        load_date_words(bad)


def test_date_words_error_on_a_split_day_word_of_two_characters(tmp_path):
    data = load_date_words()
    data["split_relative_days"]["昨天"] = {"offset": -1}
    bad = _write(tmp_path, data)
    with pytest.raises(DateWordsError, match="split_relative_days.昨天"):
        load_date_words(bad)


def test_every_word_table_entry_has_an_offset():
    data = load_date_words()
    assert [table for table in WORD_TABLES if not data[table]] == []
    assert [(table, word) for table in WORD_TABLES for word, e in data[table].items()
            if not isinstance(e["offset"], int)] == []


def test_lexicon_compiles_and_is_cached():
    assert lexicon() is lexicon()
    assert lexicon().words["relative_days"].match("昨天")
