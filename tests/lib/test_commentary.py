"""Draft commentary and number formatting."""

from datetime import date

import pytest

from oversight.lib.commentary import MeasureFigures, draft_commentary, span_words
from oversight.lib.numbers import format_derived
from oversight.lib.significance import Comparison


def judged(significant):
    return Comparison("test", 0.0, 0.0, 0.0, 0.5, significant)


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (3063, "count", "3,063"),
        (3063.4, "count", "3,063"),
        (69.14, "percent", "69.1%"),
        (5.25, "percent", "5.25%"),
        (1200000, "currency", "£1,200,000"),
        (-5.2, "currency", "-£5"),
        (4.25, "days", "4.25 days"),
        (12.345, "rate", "12.3"),
        (1.234, "ratio", "1.23"),
        (None, "count", ""),
    ],
)
def test_a_figure_is_formatted_as_a_report_prints_it(value, unit, text):
    assert format_derived(value, unit) == text


def test_the_seed_example_reads_as_one_sentence():
    f = MeasureFigures(
        name="Business crime",
        unit="count",
        polarity="down",
        value=3063,
        period_noun="quarter",
        noun="business crimes",
        previous=3245,
        average=2668,
        previous_test=judged(False),
        average_test=judged(False),
    )
    assert draft_commentary(f) == (
        "3,063 business crimes were recorded in the quarter, 6% fewer than the previous quarter "
        "(3,245) but above the quarterly average (2,668); neither change is statistically significant."
    )


def test_a_percentage_measure_speaks_in_percentage_points_and_names_a_missed_target():
    f = MeasureFigures(
        name="Public confidence",
        unit="percent",
        polarity="up",
        value=69.1,
        period_noun="year",
        period_label="2013/14",
        previous=71.2,
        target=71.2,
        previous_test=judged(True),
    )
    assert draft_commentary(f) == (
        "Public confidence was 69.1% in 2013/14, down 2.1 percentage points on the previous year "
        "(71.2%); the difference from the previous year is statistically significant. "
        "This misses the target of 71.2% by 2.1 percentage points."
    )


@pytest.mark.parametrize(
    "polarity, value, sentence",
    [
        ("down", 480, "This meets the target of 500."),
        ("up", 480, "This misses the target of 500 by 20."),
        ("neutral", 480, "The target is 500."),
    ],
)
def test_the_target_sentence_follows_the_polarity(polarity, value, sentence):
    f = MeasureFigures(name="Burglary", unit="count", polarity=polarity, value=value, target=500)
    assert draft_commentary(f).endswith(sentence)


def test_a_figure_without_comparisons_is_a_single_short_sentence():
    f = MeasureFigures(
        name="Special Constables", unit="count", polarity="up", value=385, period_noun="month"
    )
    assert draft_commentary(f) == "Special Constables was 385 in the month."


@pytest.mark.parametrize(
    "kind, start, end, words",
    [
        ("year to date", date(2013, 4, 1), date(2013, 6, 30), "the year to date (April–June 2013)"),
        ("year to date", date(2013, 4, 1), date(2013, 4, 30), "the year to date (April 2013)"),
        (
            "year to date",
            date(2013, 4, 1),
            date(2014, 1, 31),
            "the year to date (April 2013–January 2014)",
        ),
        ("quarter", date(2013, 4, 1), date(2013, 6, 30), "the quarter (April–June 2013)"),
        ("year", date(2013, 4, 1), date(2014, 3, 31), "the year (April 2013–March 2014)"),
        ("month", date(2013, 6, 1), date(2013, 6, 30), "June 2013"),
        ("rolling_year", date(2012, 7, 1), date(2013, 6, 30), "the twelve months to June 2013"),
        ("span", date(2023, 5, 1), date(2023, 10, 31), "the period (May–October 2023)"),
    ],
)
def test_the_span_a_figure_covers_is_named_honestly(kind, start, end, words):
    assert span_words(kind, start, end) == words


def test_a_year_to_date_figure_is_never_called_the_year_to_a_month():
    f = MeasureFigures(
        name="Violent crime",
        unit="count",
        polarity="down",
        value=1517,
        noun="violent crimes with injury",
        period_noun="year to date",
        period_label=span_words("year to date", date(2013, 4, 1), date(2013, 6, 30)),
    )
    assert draft_commentary(f) == (
        "1,517 violent crimes with injury were recorded in the year to date (April–June 2013)."
    )
