"""Money as the papers print it, and the finance rules that need no framework.

- `format_money`: pounds and pence held exactly (Decimal, never float) and shown as a committee
  paper shows them: "£273m", "£1.337m", "£950k", "£538,496", "£1,234.56". The short forms are used
  only when they are exact, so a printed figure never hides a pound: £1,337,250 prints in full.
- `parse_money`: the same forms read back ("£1.337m" → 1337000), refusing more than two decimal
  places of pounds (never rounded) and anything that is not a figure.
- `forecast_movement` and `movement_words`: the change between two forecasts of the year-end
  variance, computed ("an improvement of £3.716m from the Q1 forecast"), never typed.
- `variance_rag`: the status of a forecast variance against its budget, by the documented
  tolerance (METHODOLOGY.md §12): within ±green% green, within ±amber% amber, beyond that red.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .rag import Rag

PENCE = Decimal("0.01")
MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)
SHORT_PLACES = 3  # "£1.337m": a paper gives millions to three places at most


class MoneyError(ValueError):
    """A sum of money that cannot be read exactly, with the reason in words."""


def _plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 273 → "273", 1.3370 → "1.337"."""
    text = f"{d.normalize():f}"
    return text


def format_money(value: Decimal | int | None, *, short: bool = True) -> str:
    """A sum as the papers print it; "" for None.

    short (the default): whole millions and thousands in the short forms when exact — 273000000 →
    "£273m", 1337000 → "£1.337m", 950000 → "£950k" — otherwise in full with separators, pence
    only when there are some: 538496 → "£538,496", 1234.5 → "£1,234.50". short=False always
    prints in full. A negative sum starts "-£"."""
    if value is None:
        return ""
    d = Decimal(value)
    if not d.is_finite():
        raise MoneyError(f'"{value}" is not a sum of money')
    sign, a = ("-" if d < 0 else ""), abs(d)
    if short and a >= MILLION and (a / MILLION) == (a / MILLION).quantize(Decimal(1).scaleb(-3)):
        return f"{sign}£{_plain(a / MILLION)}m"
    if short and a >= THOUSAND and a % THOUSAND == 0 and a < MILLION:
        return f"{sign}£{_plain(a / THOUSAND)}k"
    if a == a.to_integral_value():
        return f"{sign}£{int(a):,}"
    return f"{sign}£{a.quantize(PENCE):,f}"


_MONEY = re.compile(r"(-)?\s*£?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([mMkK]|bn)?")


def parse_money(text: str, *, places: int = 2) -> Decimal:
    """A sum as typed or printed: "£1,234.56", "1234.56", "£1.337m", "£950k", "-£2.379m".

    Raises MoneyError when it is not a sum, or when it holds more than `places` decimal places of
    a pound (a figure is refused, never rounded)."""
    cleaned = text.strip()
    m = _MONEY.fullmatch(cleaned)
    if not m:
        raise MoneyError(f'"{text}" is not a sum of money (e.g. 1234.56, £1.337m, £950k)')
    sign, digits, unit = m.groups()
    if "," in digits:
        whole = digits.split(".")[0]
        groups = whole.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise MoneyError(f'"{text}" is not a sum of money: check the thousands separators')
    try:
        d = Decimal(digits.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise MoneyError(f'"{text}" is not a sum of money') from None
    d *= {"m": MILLION, "M": MILLION, "k": THOUSAND, "K": THOUSAND, "bn": MILLION * 1000}.get(
        unit or "", Decimal(1)
    )
    d = d.normalize() if d else Decimal(0)
    if d.as_tuple().exponent < -places:  # type: ignore[operator]
        raise MoneyError(
            f'"{text}" has more than {places} decimal places of a pound: give it to the penny'
        )
    d = d.quantize(Decimal(1).scaleb(-places))  # exact: it has no more places than this
    return -d if sign else d


# ---------------------------------------------------------------- forecasts


def forecast_movement(previous: Decimal, current: Decimal) -> Decimal:
    """How far the forecast year-end variance moved: current − previous (variance = forecast
    outturn − budget, so a positive variance is an overspend). A negative movement is an
    improvement (less spent than the earlier forecast said)."""
    return current - previous


def variance_words(variance: Decimal) -> str:
    """ "a projected underspend of £1.337m", "a projected overspend of £2.4m", "on budget"."""
    if variance == 0:
        return "a projected outturn on budget"
    kind = "underspend" if variance < 0 else "overspend"
    return f"a projected {kind} of {format_money(abs(variance))}"


def movement_words(movement: Decimal, previous_label: str) -> str:
    """ "an improvement of £3.716m from the Q1 forecast" (the forecast spend fell), "a
    deterioration of …" (it rose), "no change from …"."""
    if movement == 0:
        return f"no change from the {previous_label} forecast"
    kind = "an improvement" if movement < 0 else "a deterioration"
    return f"{kind} of {format_money(abs(movement))} from the {previous_label} forecast"


def variance_percent(variance: Decimal, budget: Decimal) -> Decimal | None:
    """The variance as a percentage of the budget, exact; None without a budget."""
    if not budget:
        return None
    return variance * 100 / budget


def variance_rag(
    variance: Decimal, budget: Decimal | None, *, green: Decimal, amber: Decimal
) -> tuple[Rag | None, str]:
    """The status of a forecast variance, with its reason in words.

    Over- and underspends are judged alike (a large underspend is as much a forecasting concern
    as an overspend): |variance| ≤ green% of budget is green, ≤ amber% amber, beyond that red.
    Without a budget there is no status."""
    if green < 0 or amber < green:
        raise ValueError("the tolerances must satisfy 0 ≤ green ≤ amber")
    pct = variance_percent(variance, budget) if budget is not None else None
    if pct is None:
        return None, "no status: no budget to compare with"
    size = abs(pct)
    shown = f"{size.quantize(Decimal('0.01'))}%"
    what = "underspend" if variance < 0 else "overspend" if variance > 0 else "variance"
    if size <= green:
        return Rag.GREEN, f"Green: {what} of {shown} of budget, within ±{_plain(green)}%"
    if size <= amber:
        return Rag.AMBER, (
            f"Amber: {what} of {shown} of budget, between ±{_plain(green)}% and ±{_plain(amber)}%"
        )
    return Rag.RED, f"Red: {what} of {shown} of budget, beyond ±{_plain(amber)}%"


# ---------------------------------------------------------------- counts over spans


def change_on_previous(current: int | None, previous: int | None) -> tuple[int | None, str]:
    """The change of a count on the previous span of the same length, and in words: (12, "up 12
    on the previous span"); (None, "no previous span") when either is missing."""
    if current is None or previous is None:
        return None, "no figure for the previous span"
    change = current - previous
    if change == 0:
        return 0, "the same as the previous span"
    return change, f"{'up' if change > 0 else 'down'} {abs(change):,} on the previous span"
