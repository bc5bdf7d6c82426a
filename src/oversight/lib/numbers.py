"""Figures in words and digits as a report prints them: thousands separators and the unit."""

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


def display_places(value: Decimal, unit: str) -> int:
    """Decimal places for a derived figure (a computed target): whole counts, one place otherwise."""
    if unit in ("count", "currency"):
        return 0
    return 1 if abs(value) >= 10 else 2


def format_derived(value: Decimal | None, unit: str) -> str:
    """A computed figure (e.g. a derived target), rounded for display only."""
    if value is None:
        return ""
    return format_value(value, unit, places=display_places(value, unit))


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
