"""The claims check's text analysis: dates and numbers found in words, measures named by their
words, and each kind of finding against a small record built here."""

import calendar
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.lib.claims import (
    Change,
    Kind,
    MeasureRecord,
    Record,
    Text,
    check_claims,
    find_dates,
    find_numbers,
    plain_text,
)

D = Decimal
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
FILLER = st.sampled_from(["", "The work began ", "Since ", "as announced on ", "(see "])


@given(days, FILLER)
def test_a_day_written_out_is_found_as_that_day(day, before):
    text = f"{before}{day.day} {calendar.month_name[day.month]} {day.year} and more."
    (found,) = find_dates(text)
    assert (found.first, found.last) == (day, day)
    assert text[found.start : found.end] == found.text


@given(days)
def test_an_ordinal_day_and_an_iso_date_are_found_too(day):
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    text = f"From the {day.day}{suffix} {calendar.month_name[day.month]} {day.year}; {day.isoformat()}."
    found = find_dates(text)
    assert [(d.first, d.last) for d in found] == [(day, day), (day, day)]


@given(days, st.booleans())
def test_a_month_and_year_mean_the_whole_month(day, abbreviated):
    month = (calendar.month_abbr if abbreviated else calendar.month_name)[day.month]
    (found,) = find_dates(f"levels fell since {month} {day.year}.")
    last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    assert (found.first, found.last) == (day.replace(day=1), last)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("From April to December 2013 a grant", date(2013, 4, 1), date(2013, 12, 31)),
        ("from November to February 2014", date(2013, 11, 1), date(2014, 2, 28)),
        ("covers 1 April – 30 June 2013.", date(2013, 4, 1), date(2013, 6, 30)),
        ("1 April 2013 – 31 March 2017", date(2013, 4, 1), date(2017, 3, 31)),
        ("The latest data available is Dec. 12.", date(2012, 12, 1), date(2012, 12, 31)),
        ("Framework by Sept 13", date(2013, 9, 1), date(2013, 9, 30)),
        ("on 30/06/2013", date(2013, 6, 30), date(2013, 6, 30)),
    ],
)
def test_the_forms_the_seeds_write_are_read_as_spans(text, first, last):
    (found,) = find_dates(text)
    assert (found.first, found.last) == (first, last)


@pytest.mark.parametrize(
    "text",
    ["We may see a change in March.", "By September the plan", "the 2013/14 year", "in 2014"],
)
def test_verbs_months_without_a_year_and_years_alone_are_not_dates(text):
    assert find_dates(text) == []


@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.integers(0, 2),
    st.sampled_from(["", "%", " per cent", "£"]),
)
def test_a_number_written_with_separators_is_read_exactly(value, places, unit):
    value = value.quantize(D(1).scaleb(-places))
    written = f"{value:,.{places}f}"
    if unit == "£":
        written = "£" + written
    else:
        written += unit
    (found,) = find_numbers(f"There were {written} in the quarter.")
    assert found.value == value
    assert found.places == places
    assert found.percent == (unit in {"%", " per cent"})
    assert found.currency == (unit == "£")


@given(days)
def test_the_numbers_of_a_date_are_not_figures(day):
    text = f"Recorded on {day.day} {calendar.month_name[day.month]} {day.year}."
    spans = [(d.start, d.end) for d in find_dates(text)]
    assert find_numbers(text, spans) == []


@pytest.mark.parametrize("text", ["in 2013/14", "the 19th", "£2m", "measure 2.1.3", "2014"])
def test_years_ordinals_codes_and_abbreviated_amounts_are_not_figures(text):
    assert find_numbers(text) == []


def test_markdown_is_read_as_the_reader_sees_it():
    text = plain_text("**1,517** crimes\n\n- on *target*")
    assert " ".join(text.split()) == "1,517 crimes on target"
    assert "crimes\n\n" in text  # the list item is a sentence of its own


# ---------------------------------------------------------------- the check on a small record

RECORD = Record(
    period="2013/14 Q1",
    start=date(2013, 4, 1),
    end=date(2013, 6, 30),
    measures=(
        MeasureRecord(
            "2.1",
            "Reduction in the volume of violent crime with injury",
            "count",
            nouns=("violent crimes with injury",),
            value=D(1517),
            figures=(D(1639), D(1672)),
            status="green",
            status_by_rules="green",
            changes=(Change("the same period last year", True, True),),
        ),
        MeasureRecord(
            "2.2",
            "Increase in the proportion of solved violent crimes with injury rate",
            "percent",
            value=D("54.94"),
            figures=(D(53),),
            status="green",
            status_by_rules="green",
            changes=(Change("the same period last year", True, False),),
        ),
        MeasureRecord(
            "9.2",
            "Reduction in the number of people killed or seriously injured",
            "count",
            nouns=("people killed or seriously injured in road traffic collisions",),
            value=D(100),
            figures=(D(98),),
            status="green",
            status_by_rules="amber",
            changes=(Change("the same period last year", False, False),),
        ),
    ),
)


def check(text: str):
    return check_claims([Text("Objective 2", text)], RECORD)


def test_a_text_that_agrees_with_the_record_raises_nothing():
    assert (
        check(
            "In the year to date (April–June 2013) 1,517 violent crimes with injury were recorded "
            "against a target of 1,639: violent crime with injury is on target and has improved. "
            "The solved rate for violent crimes with injury was 54.9%, on target. The report "
            "covers 1 April 2013 – 30 June 2013."
        )
        == []
    )


def test_a_change_since_a_date_after_the_period_is_flagged_with_its_words():
    (f,) = check("Violent crime has fallen since November 2013.")
    assert (f.kind, f.found) == (Kind.DATE, "since November 2013")
    assert "2013/14 Q1 ends 30 June 2013" in f.message


def test_a_future_date_is_listed_as_a_plan_to_check():
    (f,) = check("The strategy will be published on 1 October 2013.")
    assert f.kind is Kind.DATE and "speaks of the future" in f.message


def test_a_number_other_than_the_measures_figures_is_flagged():
    (f,) = check("1,600 violent crimes with injury were recorded.")
    assert (f.kind, f.found) == (Kind.NUMBER, "1,600")
    assert "2.1 Reduction in the volume of violent crime with injury" in f.message
    assert "1,517" in f.message


def test_a_number_agrees_at_the_precision_printed():
    assert check("The solved rate for violent crimes with injury was 54.9%.") == []
    (f,) = check("The solved rate for violent crimes with injury was 55.9%.")
    assert f.found == "55.9%"


def test_a_status_word_the_published_status_contradicts_is_flagged():
    (f,) = check(
        "The headline measures are all on target, except for road traffic collisions which is "
        "just off target."
    )
    assert (f.kind, f.found) == (Kind.STATUS, "just off target")
    assert "published as Green and the rules give Amber" in f.message
    assert "9.2" in f.message


def test_improved_is_flagged_where_the_change_is_worse_or_not_significant():
    (worse,) = check("Killed or seriously injured improved.")
    assert "worse than the same period last year" in worse.message
    (untested,) = check("The solved rate for violent crimes with injury improved.")
    assert "statistically significant" in untested.message


@pytest.mark.parametrize(
    "text",
    [
        "Violent crime fell to 1,600.",  # "violent crime" names 2.1 and 2.2 alike
        "Violent crimes with injury and killed or seriously injured are on target, 1,600 in all.",
        "Crime fell by 12% on last year.",  # a percentage of a count is not its figure
    ],
)
def test_a_clause_naming_no_single_measure_is_not_checked(text):
    assert check(text) == []


def test_a_measure_may_be_named_by_its_code():
    (f,) = check("Measure 2.1 stood at 1,600.")
    assert f.kind is Kind.NUMBER
