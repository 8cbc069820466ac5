"""Cross-document resolution against hand-made pairs (tests/golden/kb_pairs.json).

Every pair is also checked the other way round: a decision must not depend
on which report was loaded first.
"""

import json
from pathlib import Path

import pytest

from pipeline.kb.places import places
from pipeline.kb.resolve import (BrandSighting, PersonSighting, Report, organisation, same_brand, same_event,
                                 same_person)
from pipeline.kb.when import CONFLICT, OVERLAP, SAME_DAY, UNKNOWN, compare, when

PAIRS = json.loads((Path(__file__).parent / "golden" / "kb_pairs.json").read_text(encoding="utf-8"))


def _person(data):
    return PersonSighting(**{**data, "titles": tuple(data.get("titles", ()))})


# section -> (sighting from a row's side, the decision)
KINDS = {"events": (lambda d: Report(**d), same_event), "people": (_person, same_person),
         "brands": (lambda d: BrandSighting(**d), same_brand)}


def test_the_table_has_ten_pairs_each_way_for_events():
    merge = [row for row in PAIRS["events"] if row["merge"]]
    assert len(merge) >= 10 and len(PAIRS["events"]) - len(merge) >= 10


@pytest.mark.parametrize("section, row", [pytest.param(section, row, id=f"{section}-{row['id']}")
                                          for section in KINDS for row in PAIRS[section]])
def test_golden_pairs(section, row):
    make, decide = KINDS[section]
    a, b = make(row["a"]), make(row["b"])
    for first, second in ((a, b), (b, a)):
        decision = decide(first, second, places())
        assert decision.merge is row["merge"], f"{row['why']}: {decision.reason}"
        assert decision.reason


def test_conflicting_places_are_a_conflict_not_just_a_miss():
    a = PersonSighting("王小红", ("广东省妇联主席",))
    b = PersonSighting("王小红", ("四川省妇联主席",))
    decision = same_person(a, b, places())
    assert decision.conflict and "广东省" in decision.reason and "四川省" in decision.reason


@pytest.mark.parametrize("title, org", [
    ("宁波市委统战部副部长", "宁波市委统战部"),
    ("宁海县委常委", "宁海县委"),
    ("中央统战部副部长", "中央统战部"),
    ("编辑", ""),
])
def test_organisation_is_the_title_without_its_position(title, org):
    assert organisation(title) == org


@pytest.mark.parametrize("a, b, relation", [
    (("2024-02-03", None, None, None), ("2024-02-03", None, None, None), SAME_DAY),
    (("2024-02", None, None, None), ("2024-02-03", None, None, None), OVERLAP),
    (("2024-02-03", None, None, None), ("2024-02-05", None, None, None), CONFLICT),
    (("2024-02-03", "2024-02-05", None, None), ("2024-02-05", None, None, None), SAME_DAY),
    (("2024-03", None, "近日", "2024-03-02"), ("2024-02-27", None, None, None), OVERLAP),
    (("2024-06", None, "近日", "2024-06-20"), ("2024-03-05", None, None, None), CONFLICT),
    (("--05-17", None, None, None), ("2023-05-17", None, None, None), OVERLAP),
    (("--05-17", None, None, None), ("2023-05-18", None, None, None), CONFLICT),
    (("--05-17", None, None, None), ("--06-17", None, None, None), CONFLICT),
    (("---12", None, None, None), ("2024-02-12", None, None, None), OVERLAP),
    (("2024-07-27T09:00", None, None, None), ("2024-07-27", None, None, None), SAME_DAY),
    ((None, None, None, None), ("2024-07-27", None, None, None), UNKNOWN),
    (("2024", None, None, None), ("--05-17", None, None, None), OVERLAP),
    (("2023-01-01", "2024-12-31", None, None), ("--05-17", None, None, None), UNKNOWN),
])
def test_date_windows(a, b, relation):
    def w(args):
        value, end, said, published = args
        return when(value, end=end, said=said, published_at=published)

    assert compare(w(a), w(b))[0] == relation
    assert compare(w(b), w(a))[0] == relation


@pytest.mark.parametrize("text, codes", [
    ("宁波市委统战部副部长", {"330200"}),
    ("宁海县委常委", {"330226"}),
    ("浙江省宁海县政协主席", {"330000", "330226"}),
    ("中央统战部副部长", set()),
    ("朝阳区委书记", set()),  # 北京 and 长春 both have one: not placed
])
def test_regions_named_in_titles(text, codes):
    assert places().named_in(text) == codes
