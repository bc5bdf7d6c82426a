"""Money as the papers print it, read back exactly; forecast movement and variance status."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.lib.money import (
    MoneyError,
    change_on_previous,
    forecast_movement,
    format_money,
    movement_words,
    parse_money,
    variance_rag,
    variance_words,
)
from oversight.lib.rag import Rag

D = Decimal


@pytest.mark.parametrize(
    ("value", "short", "text"),
    [
        (D("273000000"), True, "£273m"),
        (D("277000000.00"), True, "£277m"),
        (D("1337000"), True, "£1.337m"),
        (D("1200000"), True, "£1.2m"),
        (D("1200000"), False, "£1,200,000"),
        (D("950000"), True, "£950k"),
        (D("538496"), True, "£538,496"),
        (D("1234.56"), True, "£1,234.56"),
        (D("1234.5"), True, "£1,234.50"),
        (D("1337250"), True, "£1,337,250"),  # a short form would hide £250: printed in full
        (D("1337000.01"), True, "£1,337,000.01"),
        (D("-1337000"), True, "-£1.337m"),
        (D("0"), True, "£0"),
        (D("999"), True, "£999"),
        (None, True, ""),
    ],
)
def test_it_prints_money_as_the_papers_do(value, short, text):
    assert format_money(value, short=short) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("£273m", D("273000000")),
        ("£1.337m", D("1337000")),
        ("£950k", D("950000")),
        ("1,234.56", D("1234.56")),
        ("-£2.379m", D("-2379000")),
        ("£0.6m", D("600000")),
        ("12", D("12")),
    ],
)
def test_it_reads_money_as_typed_or_printed(text, value):
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["1234.567", "£1.234567891m", "0.001"])
def test_it_refuses_more_than_two_places_of_a_pound_and_never_rounds(text):
    with pytest.raises(MoneyError, match="more than 2 decimal places"):
        parse_money(text)


@pytest.mark.parametrize("text", ["", "£", "12,34", "1.2.3", "ten pounds", "NaN", "1e5"])
def test_it_refuses_what_is_not_money(text):
    with pytest.raises(MoneyError):
        parse_money(text)


pence = st.decimals(
    min_value=D("-999999999999.99"), max_value=D("999999999999.99"), places=2, allow_nan=False
)


@given(pence)
def test_every_sum_prints_and_reads_back_exactly(value):
    assert parse_money(format_money(value)) == value
    assert parse_money(format_money(value, short=False)) == value


@given(pence, pence)
def test_the_movement_is_exact_and_undoes_itself(previous, current):
    move = forecast_movement(previous, current)
    assert previous + move == current
    assert isinstance(move, Decimal)


def test_the_papers_forecast_words():
    assert variance_words(D("-1337000")) == "a projected underspend of £1.337m"
    assert variance_words(D("2379000")) == "a projected overspend of £2.379m"
    move = forecast_movement(D("2379000"), D("-1337000"))
    assert movement_words(move, "Q1") == "an improvement of £3.716m from the Q1 forecast"
    assert movement_words(-move, "Q1") == "a deterioration of £3.716m from the Q1 forecast"


@pytest.mark.parametrize(
    ("variance", "budget", "rag", "word"),
    [
        (D("-1337000"), D("277000000"), Rag.GREEN, "Green: underspend of 0.48%"),
        (D("2770000"), D("277000000"), Rag.GREEN, "within ±1%"),
        (D("2770001"), D("277000000"), Rag.AMBER, "Amber: overspend of 1.00%"),
        (D("-5540000"), D("277000000"), Rag.AMBER, "Amber"),
        (D("-5540001"), D("277000000"), Rag.RED, "Red: underspend of 2.00% of budget, beyond ±2%"),
        (D("0"), D("100"), Rag.GREEN, "variance of 0.00%"),
    ],
)
def test_a_variance_is_rated_by_the_documented_tolerance_with_words(variance, budget, rag, word):
    got, words = variance_rag(variance, budget, green=D(1), amber=D(2))
    assert got is rag
    assert word in words
    assert words.startswith(rag.word)


def test_a_variance_without_a_budget_has_no_status():
    assert variance_rag(D(5), None, green=D(1), amber=D(2)) == (
        None,
        "no status: no budget to compare with",
    )


def test_the_change_on_the_previous_span_is_computed():
    assert change_on_previous(185, 170) == (15, "up 15 on the previous span")
    assert change_on_previous(1000, 1166) == (-166, "down 166 on the previous span")
    assert change_on_previous(5, None) == (None, "no figure for the previous span")


def test_the_variance_chart_says_in_words_what_its_colours_show():
    from oversight.lib.variance_chart import VarianceBar, variance_chart

    chart = variance_chart(
        [
            VarianceBar("Total", D("-1337000"), Rag.GREEN),
            VarianceBar("Fleet", D("250000"), Rag.RED),
        ],
        title="2023/24 Q2 forecast",
    )
    assert "Total: underspend £1.337m (Green)" in chart.alt
    assert "Fleet: overspend £250k (Red)" in chart.alt
    assert "underspend £1.337m (Green)" in chart.svg  # the words are on the chart too
    assert chart.png.startswith(b"\x89PNG")
