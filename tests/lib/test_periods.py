import re
from datetime import date

import pytest

from oversight.lib.periods import PeriodError, PeriodKind, parse_period, period_containing


@pytest.mark.parametrize(
    "code, start, end, kind",
    [
        ("2013/14", date(2013, 4, 1), date(2014, 3, 31), PeriodKind.YEAR),
        ("2013/14 Q1", date(2013, 4, 1), date(2013, 6, 30), PeriodKind.QUARTER),
        ("2013/14 Q4", date(2014, 1, 1), date(2014, 3, 31), PeriodKind.QUARTER),
        ("2019-04", date(2019, 4, 1), date(2019, 4, 30), PeriodKind.MONTH),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), PeriodKind.MONTH),  # leap year
        ("1999/00", date(1999, 4, 1), date(2000, 3, 31), PeriodKind.YEAR),  # century
        ("0999/00 Q1", date(999, 4, 1), date(999, 6, 30), PeriodKind.QUARTER),  # code reads back
        ("0999-12", date(999, 12, 1), date(999, 12, 31), PeriodKind.MONTH),
    ],
)
def test_a_period_code_reads_as_the_police_financial_year(code, start, end, kind):
    p = parse_period(code)
    assert (p.start, p.end, p.kind, p.code) == (start, end, kind, code)


@pytest.mark.parametrize(
    "code", ["2013/15", "2013", "13/14 Q1", "2013/14 Q5", "2013-13", "Q1 2013", ""]
)
def test_a_malformed_period_is_refused_with_the_forms_expected(code):
    with pytest.raises(PeriodError):
        parse_period(code)


def test_previous_and_same_period_last_year_cross_year_ends():
    assert parse_period("2013/14 Q1").previous().code == "2012/13 Q4"
    assert parse_period("2019-01").previous().code == "2018-12"
    assert parse_period("2013/14 Q3").shift_years(-1).code == "2012/13 Q3"
    assert parse_period("2019-04").shift_years(-1).code == "2018-04"


def test_year_to_date_months_count_from_april():
    assert parse_period("2013/14 Q1").months_into_year == 3
    assert parse_period("2013/14 Q4").months_into_year == 12
    assert parse_period("2014-01").months_into_year == 10


def test_the_period_containing_a_date():
    assert period_containing(date(2014, 2, 10), PeriodKind.QUARTER).code == "2013/14 Q4"
    assert period_containing(date(2013, 4, 1), PeriodKind.YEAR).code == "2013/14"


@pytest.mark.parametrize(
    "text, code, start, end, kind, label",
    [
        (
            "2013/14 H1",
            "2013/14 H1",
            date(2013, 4, 1),
            date(2013, 9, 30),
            PeriodKind.HALF,
            "2013/14 H1 (April to September 2013)",
        ),
        (
            "2013/14h2",
            "2013/14 H2",
            date(2013, 10, 1),
            date(2014, 3, 31),
            PeriodKind.HALF,
            "2013/14 H2 (October 2013 to March 2014)",
        ),
        (
            "CY2013",
            "CY2013",
            date(2013, 1, 1),
            date(2013, 12, 31),
            PeriodKind.CALENDAR_YEAR,
            "calendar year 2013",
        ),
        (
            "June 2013",
            "2013-06",
            date(2013, 6, 1),
            date(2013, 6, 30),
            PeriodKind.MONTH,
            "June 2013",
        ),
        (
            "2018-W47",
            "2018-W47",
            date(2018, 11, 19),
            date(2018, 11, 25),
            PeriodKind.WEEK,
            "week ending 25 November 2018",
        ),
        # seed 000: "For the w/e 25 November 2018"
        (
            "w/e 25 November 2018",
            "2018-W47",
            date(2018, 11, 19),
            date(2018, 11, 25),
            PeriodKind.WEEK,
            "week ending 25 November 2018",
        ),
        (
            "week ending 25/11/2018",
            "2018-W47",
            date(2018, 11, 19),
            date(2018, 11, 25),
            PeriodKind.WEEK,
            "week ending 25 November 2018",
        ),
        (
            "2020-W53",
            "2020-W53",
            date(2020, 12, 28),
            date(2021, 1, 3),
            PeriodKind.WEEK,
            "week ending 3 January 2021",
        ),
        (
            "12m to 2013-06",
            "12m to 2013-06",
            date(2012, 7, 1),
            date(2013, 6, 30),
            PeriodKind.ROLLING_YEAR,
            "12 months to June 2013 (July 2012 to June 2013)",
        ),
        (
            "12 months to March 2014",
            "12m to 2014-03",
            date(2013, 4, 1),
            date(2014, 3, 31),
            PeriodKind.ROLLING_YEAR,
            "12 months to March 2014 (April 2013 to March 2014)",
        ),
        (
            "2023-05..2023-10",
            "2023-05..2023-10",
            date(2023, 5, 1),
            date(2023, 10, 31),
            PeriodKind.SPAN,
            "May to October 2023",
        ),
        # seed 003 §72–77: "May to October"
        (
            "May–Oct 2023",
            "2023-05..2023-10",
            date(2023, 5, 1),
            date(2023, 10, 31),
            PeriodKind.SPAN,
            "May to October 2023",
        ),
        (
            "Nov 2023 - Feb 2024",
            "2023-11..2024-02",
            date(2023, 11, 1),
            date(2024, 2, 29),
            PeriodKind.SPAN,
            "November 2023 to February 2024",
        ),
        (
            "Nov–Feb 2024",
            "2023-11..2024-02",
            date(2023, 11, 1),
            date(2024, 2, 29),
            PeriodKind.SPAN,
            "November 2023 to February 2024",
        ),
        (
            "2023-05..2023-05",
            "2023-05",
            date(2023, 5, 1),
            date(2023, 5, 31),
            PeriodKind.MONTH,
            "May 2023",
        ),
    ],
)
def test_every_other_period_form_reads_with_its_span_and_label(text, code, start, end, kind, label):
    p = parse_period(text)
    assert (p.code, p.start, p.end, p.kind, p.label) == (code, start, end, kind, label)
    assert parse_period(p.code) == p  # the code reads back as the same period


@pytest.mark.parametrize(
    "text, reason",
    [
        ("w/e 24 November 2018", "is a Saturday: a week ending (w/e) is a Sunday"),
        ("2018-W53", "2018 has no ISO week 53"),
        ("2023-10..2023-05", "a span must end after it starts"),
        ("12m to 2013-13", "month must be 01 to 12"),
        ("2013/15 H1", "a financial year runs from one year to the next"),
        ("2013", 'a calendar year "CY2013"'),
    ],
)
def test_a_bad_period_of_the_new_kinds_says_why(text, reason):
    with pytest.raises(PeriodError, match=re.escape(reason)):
        parse_period(text)


@pytest.mark.parametrize(
    "code, previous, last_year",
    [
        ("2018-W01", "2017-W52", "2017-W01"),
        ("2020-W53", "2020-W52", "2019-W52"),  # 2019 has no week 53: its last week stands in
        ("2013/14 H1", "2012/13 H2", "2012/13 H1"),
        ("CY2013", "CY2012", "CY2012"),
        ("12m to 2013-01", "12m to 2012-12", "12m to 2012-01"),
        ("2023-05..2023-10", "2022-11..2023-04", "2022-05..2022-10"),
    ],
)
def test_the_period_before_and_a_year_before_keep_the_kind(code, previous, last_year):
    p = parse_period(code)
    assert (p.previous().code, p.shift_years(-1).code) == (previous, last_year)


def test_a_week_holds_no_whole_month_and_a_half_year_six():
    assert parse_period("2018-W47").months() == []
    assert [m.code for m in parse_period("2013/14 H2").months()][::5] == ["2013-10", "2014-03"]


def test_data_vintage_in_words_and_stale_past_the_threshold():
    from oversight.lib.periods import data_span_words, is_stale, months_before

    # seed 002: "latest data is from July 2010 to June 2011" in the 2013/14 Q1 report
    assert data_span_words(date(2010, 7, 1), date(2011, 6, 30)) == "July 2010 – June 2011"
    assert data_span_words(date(2012, 12, 1), date(2012, 12, 31)) == "December 2012"
    assert months_before(date(2011, 6, 30), date(2013, 6, 30)) == 24
    assert is_stale(date(2011, 6, 30), date(2013, 6, 30), 6)
    assert not is_stale(date(2012, 12, 31), date(2013, 6, 30), 6)  # exactly 6 months: not stale
    assert is_stale(date(2012, 11, 30), date(2013, 6, 30), 6)


@pytest.mark.parametrize("code", ["9999-W52", "w/e 2 January 10000", "0000-01", "9999/00"])
def test_a_period_past_the_calendars_end_is_refused_as_a_period_not_a_crash(code):
    # A week whose Sunday falls in year 10000 overflowed the date arithmetic (a 500 on every
    # web address that takes a period) instead of being refused.
    with pytest.raises(PeriodError):
        parse_period(code)
