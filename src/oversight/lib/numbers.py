"""Figures in words and digits as a report prints them (thousands separators and the unit), and
whether a figure fits the database column that will hold it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def format_value(
    value: Decimal | float | int | None, unit: str, *, places: int | None = None
) -> str:
    """1517 → "1,517"; 95.9 percent → "95.9%"; 1200000 currency → "£1,200,000"; None → "".

    Figures print as entered (up to the precision stored); `places` rounds for display only.
    """
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{d.normalize():,f}" if places is None else f"{d:,f}"
    if unit == "percent":
        return f"{text}%"
    if unit == "currency":
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    if unit == "days":
        return f"{text} day" if d == 1 else f"{text} days"
    return text


def display_places(value: Decimal | float, unit: str) -> int:
    """Decimal places for a computed figure: whole counts and pounds, two for a ratio, else one
    place from 10 up and two below."""
    if unit in ("count", "currency"):
        return 0
    if unit == "ratio":
        return 2
    return 1 if abs(Decimal(str(value))) >= 10 else 2


def format_derived(value: Decimal | float | int | None, unit: str) -> str:
    """A computed figure (a derived target, an average, a change), rounded for display only:
    3063 count → "3,063"; 69.14 percent → "69.1%"; 0.8812 ratio → "0.88"."""
    if value is None:
        return ""
    return format_value(value, unit, places=display_places(value, unit))


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def fits_decimal(value: Decimal, max_digits: int, decimal_places: int) -> str | None:
    """Why `value` cannot be stored exactly in a NUMERIC(max_digits, decimal_places) column, or
    None when it can. The column keeps at most max_digits - decimal_places digits before the
    point and decimal_places after it (SQL's NUMERIC(p, s)); nothing is ever rounded to fit, so
    more places than the column keeps is a reason too. NaN and infinities are never figures."""
    if not value.is_finite():
        return f'"{value}" is not a number'
    if not value:
        return None  # zero fits however it is written ("0.000000000", "0E+40")
    whole_digits = max_digits - decimal_places
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # only NaN and infinity have a letter here
        raise ValueError(f"{value} is not finite")
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:  # 1.500 is 1.5: no loss
        digits, exponent = digits[:-1], exponent + 1
    if len(digits) + exponent > whole_digits:
        largest = Decimal(10) ** whole_digits - Decimal(1).scaleb(-decimal_places)
        return (
            f'"{value}" is out of range: this column holds figures from -{largest:,f} '
            f"to {largest:,f}"
        )
    if -exponent > decimal_places:
        return f'"{value:f}" has more than {decimal_places} decimal places'
    return None


def fits_integer(value: int, low: int, high: int) -> str | None:
    """Why a whole number is outside an integer column's range [low, high], or None."""
    if value < low:
        return f"{value:,} is below the smallest this column holds ({low:,})"
    if value > high:
        return f"{value:,} is too large: the largest this column holds is {high:,}"
    return None
