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
