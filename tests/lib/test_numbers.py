"""Whether a figure fits its database column: a table of cases for NUMERIC(20, 6), the figures'
column, and NUMERIC(14, 2), the registers' money column."""

from decimal import Decimal as D

import pytest

from oversight.lib.numbers import fits_decimal, fits_integer

FIGURE_RANGE = "from -99,999,999,999,999.999999 to 99,999,999,999,999.999999"


@pytest.mark.parametrize(
    "text, why",
    [
        ("1517", None),
        ("-2", None),
        ("0", None),
        ("0.000000000", None),  # zero, however many places it is written with
        ("0E+40", None),
        ("95.9", None),
        ("1.500000000", None),  # trailing zeros lose nothing
        ("99999999999999.999999", None),  # the largest
        ("-99999999999999.999999", None),
        ("1E+13", None),
        ("1E+30", f'"1E+30" is out of range: this column holds figures {FIGURE_RANGE}'),
        ("-1E+30", f'"-1E+30" is out of range: this column holds figures {FIGURE_RANGE}'),
        (
            "100000000000000",
            f'"100000000000000" is out of range: this column holds figures {FIGURE_RANGE}',
        ),
        ("1.1234567", '"1.1234567" has more than 6 decimal places'),
        ("1E-7", '"0.0000001" has more than 6 decimal places'),
        # beyond Python's 28-digit context: still refused, never rounded to 1
        (
            "1.0000000000000000000000000000001",
            '"1.0000000000000000000000000000001" has more than 6 decimal places',
        ),
        ("NaN", '"NaN" is not a number'),
        ("sNaN", '"sNaN" is not a number'),
        ("Infinity", '"Infinity" is not a number'),
        ("-Infinity", '"-Infinity" is not a number'),
    ],
)
def test_it_says_why_a_figure_does_not_fit_numeric_20_6(text, why):
    assert fits_decimal(D(text), 20, 6) == why


@pytest.mark.parametrize(
    "text, why",
    [
        ("1200000", None),
        ("999999999999.99", None),
        (
            "1000000000000",
            '"1000000000000" is out of range: this column holds figures from -999,999,999,999.99 to 999,999,999,999.99',
        ),
        ("1369313.005", '"1369313.005" has more than 2 decimal places'),
    ],
)
def test_it_says_why_a_sum_of_money_does_not_fit_numeric_14_2(text, why):
    assert fits_decimal(D(text), 14, 2) == why


@pytest.mark.parametrize(
    "value, why",
    [
        (0, None),
        (32767, None),
        (32768, "32,768 is too large: the largest this column holds is 32,767"),
        (-1, "-1 is below the smallest this column holds (0)"),
    ],
)
def test_it_says_why_a_whole_number_is_outside_an_integer_column(value, why):
    assert fits_integer(value, 0, 32767) == why
