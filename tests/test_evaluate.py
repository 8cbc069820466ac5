"""Scoring, exactly as ANNOTATION.md defines it."""

import json

import pytest

from pipeline.evaluate import (
    Report,
    brand_match,
    count_match,
    evaluate,
    meeting_match,
    region_match,
    score_document,
)
from pipeline.textutil import longest_common_substring


@pytest.mark.parametrize(
    "pred, gold, same",
    [
        ({"name": "汕尾市", "code": "441500"}, {"name": "汕尾市", "code": "441500"}, True),
        ({"name": "汕尾", "code": "441500"}, {"name": "汕尾市", "code": "441500"}, True),
        ({"name": "汕尾市", "code": "441500"}, {"name": "汕尾市", "code": "441502"}, False),
        ({"name": "西部地区", "code": None}, {"name": "西部地区", "code": None}, True),
        ({"name": "岔路镇", "code": None}, {"name": "岔路镇", "code": "330226"}, True),
        ({"name": "西部", "code": None}, {"name": "西部地区", "code": None}, False),
    ],
)
def test_region_match(pred, gold, same):
    assert region_match(pred, gold) is same


@pytest.mark.parametrize(
    "pred, gold, same",
    [
        ("百千万工程", "百千万工程", True),
        ("“百千万工程”", "百千万工程", True),
        ("巴渝新锋 · 网络大 V 同心圆工程", "巴渝新锋·网络大V同心圆工程", True),
        ("新英汇•创新工场", "新英汇·创新工场", True),
        ("6G星空", "“6G星空”宁海县新的社会阶层人士统战服务中心", False),
        ("金城新浪花", "金城新浪花、我们在行动", False),
        ("同心律师服务", "同心律师服务团", True),
        ("客时代", "客时代电商直播基地", False),
    ],
)
def test_brand_match(pred, gold, same):
    assert brand_match({"name": pred}, {"name": gold}) is same


@pytest.mark.parametrize(
    "pred, gold, same",
    [
        ({"value": 80, "unit": "人"}, {"value": 80, "unit": "人"}, True),
        ({"value": 80.0000001, "unit": "人"}, {"value": 80, "unit": "人"}, True),
        ({"value": 80, "unit": "名"}, {"value": 80, "unit": "人"}, False),
        ({"value": 100000, "unit": None}, {"value": 100000, "unit": None}, True),
        ({"value": 38000000, "unit": "元"}, {"value": 3800, "unit": "元"}, False),
    ],
)
def test_count_match(pred, gold, same):
    assert count_match(pred, gold) is same


def test_meeting_match_uses_longest_common_substring():
    gold = {"name": "全省新的社会阶层人士统战工作推进会暨助力“百千万工程”工作座谈会"}
    assert meeting_match({"name": "全省新的社会阶层人士统战工作推进会暨助力“百千万工程”工作座谈会"}, gold)
    assert not meeting_match({"name": "新的社会"}, gold)
    assert longest_common_substring("abcde", "xbcdy") == 3


def _gold(**kinds):
    base = {k: [] for k in ("regions", "figures", "brands", "counts", "meetings")}
    base.update(kinds)
    return base


def test_one_to_one_counts_and_optional_items_are_dropped():
    gold = _gold(counts=[{"value": 9, "unit": "个", "qualifier": "exact"}],
                 counts_optional=[{"value": 3, "unit": "个", "qualifier": "exact"}])
    pred = {"counts": [{"value": 9, "unit": "个", "qualifier": "exact"},
                       {"value": 9, "unit": "个", "qualifier": "exact"},
                       {"value": 3, "unit": "个", "qualifier": "exact"}]}
    report = Report()
    score_document(report, pred, gold)
    t = report.tallies["counts"]
    assert (t.tp, t.fp, t.fn) == (1, 1, 0)


def test_title_accuracy_counts_gold_titles_of_matched_figures():
    gold = _gold(figures=[{"name": "娄黛敏", "titles": ["宁海县委常委", "统战部部长"]},
                          {"name": "无名", "titles": ["主任"]}])
    pred = {"figures": [{"name": "娄黛敏", "titles": ["宁海县委常委", "县委统战部部长"]}]}
    report = Report()
    score_document(report, pred, gold)
    ratio = report.accuracies["titles"]
    assert (ratio.right, ratio.total) == (2, 2)
    assert report.tallies["figures"].fn == 1


def test_meeting_secondary_accuracies():
    gold = _gold(meetings=[{"name": "深圳会议", "date": "--11", "location": "440300", "participants": None}])
    pred = {"meetings": [{"name": "深圳会议", "date": "2023-11", "location": {"name": "深圳市", "code": "440300"},
                          "participants": None}]}
    report = Report()
    score_document(report, pred, gold)
    acc = report.accuracies
    assert acc["meeting_date"].value == 0.0
    assert acc["meeting_location"].value == 1.0
    assert acc["meeting_participants"].value == 1.0


def test_perfect_predictions_score_one(tmp_path):
    gold = _gold(doc="a.txt", regions=[{"name": "汕尾市", "code": "441500"}],
                 figures=[{"name": "邹晓东", "titles": ["中央统战部副部长"]}],
                 brands=[{"name": "百千万工程"}],
                 counts=[{"value": 80, "unit": "人", "qualifier": "nearly"}],
                 meetings=[{"name": "推进会", "date": None, "location": None, "participants": 80}])
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    pred = dict(gold, source="some/dir/a.txt", doc_id="x")
    (tmp_path / "pred.jsonl").write_text(json.dumps(pred, ensure_ascii=False) + "\n", encoding="utf-8")
    report = evaluate(tmp_path / "gold", tmp_path / "pred.jsonl")
    assert report.mean_f1 == 1.0
    assert report.missing_docs == []


def test_missing_prediction_is_reported_and_counts_as_misses(tmp_path):
    (tmp_path / "gold").mkdir()
    gold = _gold(doc="b.txt", regions=[{"name": "汕尾市", "code": "441500"}])
    (tmp_path / "gold" / "b.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "pred.jsonl").write_text("", encoding="utf-8")
    report = evaluate(tmp_path / "gold", tmp_path / "pred.jsonl")
    assert report.missing_docs == ["b.txt"]
    assert report.tallies["regions"].fn == 1
