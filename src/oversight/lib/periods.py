"""Reporting periods of the police financial year (1 April to 31 March).

Codes: a financial year "2013/14", a financial quarter "2013/14 Q1" (April to June 2013), a month
"2013-06". Everything here is plain date arithmetic; no Django.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class PeriodError(ValueError):
    """A period code that cannot be read."""


_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. `year` is the calendar year the financial year starts in."""

    start: date
    end: date
    kind: PeriodKind
    year: int  # financial year start, e.g. 2013 for 2013/14
    index: int  # quarter 1-4, month 1-12 of the financial year (April = 1), 0 for a year

    @property
    def code(self) -> str:
        # Four-digit years, as parse_period reads them: "0999/00", not "999/00".
        fy = f"{self.year:04d}/{(self.year + 1) % 100:02d}"
        if self.kind is PeriodKind.YEAR:
            return fy
        if self.kind is PeriodKind.QUARTER:
            return f"{fy} Q{self.index}"
        return f"{self.start.year:04d}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """Words for a reader: "2013/14 Q1 (April to June 2013)"."""
        if self.kind is PeriodKind.MONTH:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        span = (
            f"{calendar.month_name[self.start.month]} {self.start.year} to "
            f"{calendar.month_name[self.end.month]} {self.end.year}"
        )
        return f"{self.code} ({span})"

    def __str__(self) -> str:
        return self.code

    @property
    def financial_year(self) -> Period:
        return financial_year(self.year)

    @property
    def months_into_year(self) -> int:
        """Months of the financial year covered up to this period's end (year to date)."""
        return (self.end.year - self.year) * 12 + self.end.month - 3

    def shift_years(self, years: int) -> Period:
        """The same part of another financial year."""
        if self.kind is PeriodKind.YEAR:
            return financial_year(self.year + years)
        if self.kind is PeriodKind.QUARTER:
            return quarter(self.year + years, self.index)
        return month(self.start.year + years, self.start.month)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind is PeriodKind.YEAR:
            return financial_year(self.year - 1)
        if self.kind is PeriodKind.QUARTER:
            return (
                quarter(self.year, self.index - 1) if self.index > 1 else quarter(self.year - 1, 4)
            )
        if self.start.month == 1:
            return month(self.start.year - 1, 12)
        return month(self.start.year, self.start.month - 1)

    def next(self) -> Period:
        if self.kind is PeriodKind.YEAR:
            return financial_year(self.year + 1)
        if self.kind is PeriodKind.QUARTER:
            return (
                quarter(self.year, self.index + 1) if self.index < 4 else quarter(self.year + 1, 1)
            )
        if self.start.month == 12:
            return month(self.start.year + 1, 1)
        return month(self.start.year, self.start.month + 1)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[Period]:
        """The months inside this period, in order."""
        out, m = [], month(self.start.year, self.start.month)
        while m.end <= self.end:
            out.append(m)
            m = m.next()
        return out


def financial_year(start_year: int) -> Period:
    return Period(
        date(start_year, 4, 1), date(start_year + 1, 3, 31), PeriodKind.YEAR, start_year, 0
    )


def quarter(start_year: int, index: int) -> Period:
    if not 1 <= index <= 4:
        raise PeriodError(f"quarter must be 1 to 4, not {index}")
    first_month = 4 + 3 * (index - 1)
    y = start_year + (first_month - 1) // 12
    m = (first_month - 1) % 12 + 1
    end_month = m + 2
    return Period(
        date(y, m, 1),
        date(y, end_month, calendar.monthrange(y, end_month)[1]),
        PeriodKind.QUARTER,
        start_year,
        index,
    )


def month(y: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise PeriodError(f"month must be 01 to 12, not {m:02d}")
    fy = y if m >= 4 else y - 1
    return Period(
        date(y, m, 1),
        date(y, m, calendar.monthrange(y, m)[1]),
        PeriodKind.MONTH,
        fy,
        (m - 4) % 12 + 1,
    )


def parse_period(code: str) -> Period:
    """Read "2013/14", "2013/14 Q1" or "2013-06"; raise PeriodError saying what is expected."""
    text = " ".join(str(code).split())
    try:
        if m := _QUARTER.match(text.upper().replace("Q", " Q").replace("  ", " ")):
            start, end2, q = int(m[1]), int(m[2]), int(m[3])
            _check_pair(text, start, end2)
            return quarter(start, q)
        if m := _YEAR.match(text):
            start, end2 = int(m[1]), int(m[2])
            _check_pair(text, start, end2)
            return financial_year(start)
        if m := _MONTH.match(text):
            return month(int(m[1]), int(m[2]))
    except PeriodError:
        raise
    except ValueError:  # the calendar has no year 0 or 10000 ("9999/00", "0000-01")
        raise PeriodError(f'"{code}" is not a period the calendar can hold') from None
    raise PeriodError(
        f'"{code}" is not a period: use a financial year "2013/14", a quarter "2013/14 Q1" '
        'or a month "2013-06"'
    )


def _check_pair(text: str, start: int, end2: int) -> None:
    if (start + 1) % 100 != end2:
        raise PeriodError(
            f'"{text}": a financial year runs from one year to the next, e.g. "{start}/{(start + 1) % 100:02d}"'
        )


def period_containing(day: date, kind: PeriodKind) -> Period:
    """The year, quarter or month that a date falls in."""
    fy = day.year if day.month >= 4 else day.year - 1
    if kind is PeriodKind.YEAR:
        return financial_year(fy)
    if kind is PeriodKind.QUARTER:
        return quarter(fy, (day.month - 4) % 12 // 3 + 1)
    return month(day.year, day.month)


def outside_plan(period: Period, starts: date, ends: date) -> str | None:
    """Why a plan running from `starts` to `ends` cannot hold a figure for `period`, or None.
    Figures from before the plan are history (baselines, the points a control chart needs); a
    period that begins after the plan ends belongs to no period of it (2099/00 Q1 is a typing
    error). The importer, the API and the collection form all ask here."""
    if period.start <= ends:
        return None
    span = f"{starts.day} {starts:%B %Y} to {ends.day} {ends:%B %Y}"
    return f"{period.code} begins after the plan ends (the plan runs {span})"
