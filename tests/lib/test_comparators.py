"""Named comparators and ranks: the observations file's column forms, the stored list's checks and
the words a reader sees."""

from decimal import Decimal

import pytest

from oversight.lib import comparators as lc


@pytest.mark.parametrize(
    "column, problem",
    [
        ("comparator:region", None),
        ("comparator:region:label", None),
        ("comparator:cssp_area", None),
        ("comparator:region:value", "is not a comparator column"),
        ("comparator:Region", "is not a comparator name"),
        ("comparator:", "is not a comparator name"),
        ("comparator:comparator", 'the plain comparator is the "comparator" column'),
        ("comparator:a:b:c", "is not a comparator column"),
    ],
)
def test_the_comparator_column_forms(column, problem):
    found = lc.column_problem(column)
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    "rank, of, problem",
    [
        (29, 43, None),
        (43, 43, None),
        (None, None, None),
        (44, 43, "rank 44 is more than its base rank_of 43"),
        (0, 43, "a rank starts at 1"),
        (3, None, "a rank needs its base"),
        (None, 43, "a rank_of needs a rank"),
    ],
)
def test_a_rank_goes_with_its_base(rank, of, problem):
    found = lc.rank_problem(rank, of)
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    "n, words",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (13, "13th"),
        (22, "22nd"),
        (29, "29th"),
        (101, "101st"),
        (112, "112th"),
    ],
)
def test_ordinals(n, words):
    assert lc.ordinal(n) == words


def test_rank_words_say_the_base_and_what_is_ranked():
    # seed 001: "the 29th best performance in the country"
    assert lc.rank_words(29, 43, "forces in England and Wales") == (
        "29th of 43 forces in England and Wales"
    )
    assert lc.rank_words(None, 43) == ""


@pytest.mark.parametrize(
    "raw, problem",
    [
        ([{"name": "region", "label": "West Midlands", "value": "84"}], None),
        ([{"name": "national", "value": "84.1"}], None),  # a known name has a label of its own
        ("84", "must be a list"),
        ([{"name": "region", "value": "x"}], "is not a number"),
        ([{"name": "odd_one", "value": "1"}], "needs a label"),
        ([{"name": "region", "value": "1"}, {"name": "region", "value": "2"}], "appears twice"),
        ([{"name": "region", "value": "1", "colour": "red"}], "name, label and value only"),
        ([{"name": "r", "value": str(i)} for i in range(13)], "at most 12"),
    ],
)
def test_a_stored_list_is_checked(raw, problem):
    found = lc.list_problem(raw)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_a_comparator_keeps_its_value_exactly():
    c = lc.Comparator("region", "West Midlands region average", Decimal("84.10"))
    assert c.record() == {
        "name": "region",
        "label": "West Midlands region average",
        "value": "84.1",
    }
    assert lc.read_list([c.record()]) == [
        lc.Comparator("region", "West Midlands region average", Decimal("84.1"))
    ]
