"""Reporting periods: the police financial year (1 April to 31 March) and the other spans the
office's sources report.

Codes (what `parse_period` reads back, and what the database keeps):

- a financial year "2013/14", a financial quarter "2013/14 Q1" (April to June 2013), a financial
  half-year "2013/14 H1" (April to September 2013; H2 October to March);
- a calendar month "2013-06" and a calendar year "CY2013" (January to December; a bare "2013" is
  refused: it could be either year);
- an ISO week "2018-W47" (Monday 19 to Sunday 25 November 2018), also read from "w/e 25 November
  2018" or "week ending 25/11/2018", which must name a Sunday;
- a rolling twelve months "12m to 2013-06" (July 2012 to June 2013), also read from "12 months to
  June 2013";
- a free span of whole months "2023-05..2023-10", also read from "May–Oct 2023", "May to October
  2023" or "Nov 2023 – Feb 2024" (a span of one month is that month).

Everything here is plain date arithmetic; no Django.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    HALF = "half"
    CALENDAR_YEAR = "calendar year"
    WEEK = "week"
    ROLLING_YEAR = "rolling year"
    SPAN = "span"

    @property
    def noun(self) -> str:
        """What one period of this kind is called in a sentence ("12 weeks")."""
        return _NOUNS[self]


_NOUNS = {
    PeriodKind.YEAR: "year",
    PeriodKind.QUARTER: "quarter",
    PeriodKind.MONTH: "month",
    PeriodKind.HALF: "half-year",
    PeriodKind.CALENDAR_YEAR: "calendar year",
    PeriodKind.WEEK: "week",
    PeriodKind.ROLLING_YEAR: "rolling year",
    PeriodKind.SPAN: "period",
}


class PeriodError(ValueError):
    """A period code that cannot be read."""


_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HALF = re.compile(r"^(\d{4})/(\d{2}) H([12])$")
_CALENDAR_YEAR = re.compile(r"^(?:CY ?|CALENDAR YEAR )(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_WEEK_ENDING = re.compile(r"^(?:W/E|WEEK ENDING|WEEK ENDED) (.+)$")
_ROLLING = re.compile(r"^(?:12M|12 MONTHS|TWELVE MONTHS|ROLLING YEAR) TO (.+)$")
_SPAN = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")
_MONTH_NAMES = {
    name.upper(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_abbr[i] + ".")
} | {"SEPT": 9, "SEPT.": 9}
# "May–Oct 2023", "May to October 2023", "Nov 2023 - Feb 2024"
_WORD_SPAN = re.compile(r"^([A-Z.]+)(?: (\d{4}))? ?(?:-|–|—|TO) ?([A-Z.]+) (\d{4})$")
_WORD_MONTH = re.compile(r"^([A-Z.]+) (\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Z.]+) (\d{4})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. `year` is the financial year the period starts in (2013 for 2013/14;
    for a week, the ISO year). `index` is the quarter 1-4, the half 1-2, the month 1-12 of the
    financial year (April = 1), the ISO week number, or the months a rolling year or a span covers;
    0 for a year."""

    start: date
    end: date
    kind: PeriodKind
    year: int
    index: int

    @property
    def code(self) -> str:
        # Four-digit years, as parse_period reads them: "0999/00", not "999/00".
        fy = f"{self.year:04d}/{(self.year + 1) % 100:02d}"
        k = self.kind
        if k is PeriodKind.YEAR:
            return fy
        if k is PeriodKind.QUARTER:
            return f"{fy} Q{self.index}"
        if k is PeriodKind.HALF:
            return f"{fy} H{self.index}"
        if k is PeriodKind.CALENDAR_YEAR:
            return f"CY{self.start.year:04d}"
        if k is PeriodKind.WEEK:
            return f"{self.year:04d}-W{self.index:02d}"
        if k is PeriodKind.ROLLING_YEAR:
            return f"12m to {_ym(self.end)}"
        if k is PeriodKind.SPAN:
            return f"{_ym(self.start)}..{_ym(self.end)}"
        return _ym(self.start)

    @property
    def label(self) -> str:
        """Words for a reader: "2013/14 Q1 (April to June 2013)", "week ending 25 November 2018"."""
        k = self.kind
        if k is PeriodKind.MONTH:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        if k is PeriodKind.WEEK:
            return f"week ending {self.end.day} {self.end:%B %Y}"
        if k is PeriodKind.CALENDAR_YEAR:
            return f"calendar year {self.start.year}"
        if k is PeriodKind.SPAN:
            return month_span(self.start, self.end)
        if k is PeriodKind.ROLLING_YEAR:
            return (
                f"12 months to {calendar.month_name[self.end.month]} {self.end.year} "
                f"({month_span(self.start, self.end)})"
            )
        return f"{self.code} ({month_span(self.start, self.end)})"

    @property
    def short(self) -> str:
        """A chart's axis label: "Jun 2013", "w/e 25 Nov 2018", else the code."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%b %Y}"
        if self.kind is PeriodKind.WEEK:
            return f"w/e {self.end.day} {self.end:%b %Y}"
        return self.code

    def __str__(self) -> str:
        return self.code

    @property
    def financial_year(self) -> Period:
        return financial_year(self.year)

    @property
    def months_into_year(self) -> int:
        """Months of the financial year covered up to this period's end (year to date)."""
        fy = self.end.year if self.end.month >= 4 else self.end.year - 1
        return (self.end.year - fy) * 12 + self.end.month - 3

    def shift_years(self, years: int) -> Period:
        """The same part of another year."""
        k = self.kind
        if k is PeriodKind.YEAR:
            return financial_year(self.year + years)
        if k is PeriodKind.QUARTER:
            return quarter(self.year + years, self.index)
        if k is PeriodKind.HALF:
            return half(self.year + years, self.index)
        if k is PeriodKind.CALENDAR_YEAR:
            return calendar_year(self.start.year + years)
        if k is PeriodKind.WEEK:
            weeks = date(self.year + years, 12, 28).isocalendar()[1]
            return week(self.year + years, min(self.index, weeks))
        if k is PeriodKind.ROLLING_YEAR:
            return rolling_year(self.end.year + years, self.end.month)
        if k is PeriodKind.SPAN:
            return span(
                self.start.year + years,
                self.start.month,
                self.end.year + years,
                self.end.month,
            )
        return month(self.start.year + years, self.start.month)

    def previous(self) -> Period:
        """The period of the same kind just before this one (a rolling year: the one ending a
        month earlier; a span: the span of as many months just before it)."""
        return self._step(-1)

    def next(self) -> Period:
        return self._step(1)

    def _step(self, n: int) -> Period:
        k = self.kind
        if k is PeriodKind.YEAR:
            return financial_year(self.year + n)
        if k is PeriodKind.QUARTER:
            q = self.year * 4 + self.index - 1 + n
            return quarter(q // 4, q % 4 + 1)
        if k is PeriodKind.HALF:
            h = self.year * 2 + self.index - 1 + n
            return half(h // 2, h % 2 + 1)
        if k is PeriodKind.CALENDAR_YEAR:
            return calendar_year(self.start.year + n)
        if k is PeriodKind.WEEK:
            iso = (self.start + timedelta(days=7 * n)).isocalendar()
            return week(iso[0], iso[1])
        if k is PeriodKind.ROLLING_YEAR:
            y, m = _add_months(self.end.year, self.end.month, n)
            return rolling_year(y, m)
        if k is PeriodKind.SPAN:
            y1, m1 = _add_months(self.start.year, self.start.month, n * self.index)
            y2, m2 = _add_months(self.end.year, self.end.month, n * self.index)
            return span(y1, m1, y2, m2)
        y, m = _add_months(self.start.year, self.start.month, n)
        return month(y, m)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[Period]:
        """The whole months inside this period, in order (none for a week)."""
        out, m = [], month(self.start.year, self.start.month)
        if m.start < self.start:
            m = m.next()
        while m.end <= self.end:
            out.append(m)
            m = m.next()
        return out


def _ym(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + m - 1 + n
    return total // 12, total % 12 + 1


def month_span(start: date, end: date) -> str:
    """ "April to June 2013", "July 2010 to June 2011", "May 2013" for a date range in months."""
    first, last = calendar.month_name[start.month], calendar.month_name[end.month]
    if (start.year, start.month) == (end.year, end.month):
        return f"{first} {start.year}"
    if start.year == end.year:
        return f"{first} to {last} {end.year}"
    return f"{first} {start.year} to {last} {end.year}"


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


def half(start_year: int, index: int) -> Period:
    """H1: April to September of the financial year starting in `start_year`; H2: October to March."""
    if index not in (1, 2):
        raise PeriodError(f"a half-year is H1 or H2, not H{index}")
    if index == 1:
        return Period(
            date(start_year, 4, 1), date(start_year, 9, 30), PeriodKind.HALF, start_year, 1
        )
    return Period(
        date(start_year, 10, 1), date(start_year + 1, 3, 31), PeriodKind.HALF, start_year, 2
    )


def calendar_year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), PeriodKind.CALENDAR_YEAR, y - 1, 0)


def week(iso_year: int, number: int) -> Period:
    """ISO week `number` of `iso_year`: Monday to Sunday."""
    try:
        monday = date.fromisocalendar(iso_year, number, 1)
    except ValueError:
        raise PeriodError(f"{iso_year} has no ISO week {number:02d}") from None
    return Period(monday, monday + timedelta(days=6), PeriodKind.WEEK, iso_year, number)


def week_ending(sunday: date) -> Period:
    """The ISO week (Monday to Sunday) that ends on `sunday`."""
    if sunday.isoweekday() != 7:
        raise PeriodError(
            f"{sunday.day} {sunday:%B %Y} is a {sunday:%A}: a week ending (w/e) is a Sunday"
        )
    iso = sunday.isocalendar()
    return week(iso[0], iso[1])


def rolling_year(y: int, m: int) -> Period:
    """The twelve months ending with month `m` of year `y`."""
    end = month(y, m)
    sy, sm = _add_months(y, m, -11)
    fy = y if m >= 4 else y - 1
    return Period(date(sy, sm, 1), end.end, PeriodKind.ROLLING_YEAR, fy, 12)


def span(y1: int, m1: int, y2: int, m2: int) -> Period:
    """Whole months from month m1 of y1 to month m2 of y2; one month is that month."""
    first, last = month(y1, m1), month(y2, m2)
    if last.start < first.start:
        raise PeriodError(
            f"a span must end after it starts ({_ym(first.start)} .. {_ym(last.start)})"
        )
    if first == last:
        return first
    n = (y2 * 12 + m2) - (y1 * 12 + m1) + 1
    fy = y1 if m1 >= 4 else y1 - 1
    return Period(first.start, last.end, PeriodKind.SPAN, fy, n)


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


FORMS = (
    'a financial year "2013/14", a quarter "2013/14 Q1", a half-year "2013/14 H1", a month '
    '"2013-06", a calendar year "CY2013", a week "2018-W47" or "w/e 25 November 2018", a rolling '
    'year "12m to 2013-06" or a span of months "2023-05..2023-10" ("May–Oct 2023")'
)


def parse_period(code: str) -> Period:
    """Read any period form in the module docstring; raise PeriodError saying what is expected."""
    return _parse_period(str(code))


@lru_cache(maxsize=4096)
def _parse_period(code: str) -> Period:
    """parse_period's work, remembered for each text (a Period is immutable): an import of 40,000
    figures names a few dozen periods. A refusal is not remembered; it is raised each time."""
    text = " ".join(code.split())
    upper = text.upper()
    try:
        if m := _QUARTER.match(upper.replace("Q", " Q").replace("  ", " ")):
            start, end2, q = int(m[1]), int(m[2]), int(m[3])
            _check_pair(text, start, end2)
            return quarter(start, q)
        if m := _HALF.match(upper.replace("H", " H").replace("  ", " ")):
            start, end2, h = int(m[1]), int(m[2]), int(m[3])
            _check_pair(text, start, end2)
            return half(start, h)
        if m := _YEAR.match(text):
            start, end2 = int(m[1]), int(m[2])
            _check_pair(text, start, end2)
            return financial_year(start)
        if m := _MONTH.match(text):
            return month(int(m[1]), int(m[2]))
        if m := _CALENDAR_YEAR.match(upper):
            return calendar_year(int(m[1]))
        if m := _WEEK.match(upper):
            return week(int(m[1]), int(m[2]))
        if m := _WEEK_ENDING.match(upper):
            return week_ending(_day(m[1], code))
        if m := _ROLLING.match(upper):
            y, mo = _month_of(m[1], code)
            return rolling_year(y, mo)
        if m := _SPAN.match(text):
            return span(int(m[1]), int(m[2]), int(m[3]), int(m[4]))
        if m := _WORD_SPAN.match(upper.replace(" - ", "-").replace(" – ", "–")):
            m1, m2 = _MONTH_NAMES.get(m[1]), _MONTH_NAMES.get(m[3])
            if m1 and m2:
                y2 = int(m[4])
                y1 = int(m[2]) if m[2] else (y2 if m1 <= m2 else y2 - 1)
                return span(y1, m1, y2, m2)
        if (m := _WORD_MONTH.match(upper)) and m[1] in _MONTH_NAMES:
            return month(int(m[2]), _MONTH_NAMES[m[1]])
    except PeriodError:
        raise
    except (ValueError, OverflowError):  # no year 0 or 10000 ("9999/00", "0000-01", "9999-W52")
        raise PeriodError(f'"{code}" is not a period the calendar can hold') from None
    raise PeriodError(f'"{code}" is not a period: use {FORMS}')


def _day(text: str, code: str) -> date:
    """A date written "25 November 2018", "25 Nov 2018", "25/11/2018" or "2018-11-25"."""
    if m := _DAY_MONTH_YEAR.match(text):
        if m[2] in _MONTH_NAMES:
            return date(int(m[3]), _MONTH_NAMES[m[2]], int(m[1]))
    if m := _DMY.match(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := _ISO_DAY.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    raise PeriodError(f'"{code}": write the Sunday the week ends as "25 November 2018"')


def _month_of(text: str, code: str) -> tuple[int, int]:
    """A month written "2013-06" or "June 2013"."""
    if m := _MONTH.match(text):
        return int(m[1]), int(m[2])
    if (m := _WORD_MONTH.match(text)) and m[1] in _MONTH_NAMES:
        return int(m[2]), _MONTH_NAMES[m[1]]
    raise PeriodError(f'"{code}": name the last month as "2013-06" or "June 2013"')


def _check_pair(text: str, start: int, end2: int) -> None:
    if (start + 1) % 100 != end2:
        raise PeriodError(
            f'"{text}": a financial year runs from one year to the next, e.g. "{start}/{(start + 1) % 100:02d}"'
        )


def period_containing(day: date, kind: PeriodKind) -> Period:
    """The year, half, quarter, month or week that a date falls in."""
    fy = day.year if day.month >= 4 else day.year - 1
    if kind is PeriodKind.YEAR:
        return financial_year(fy)
    if kind is PeriodKind.QUARTER:
        return quarter(fy, (day.month - 4) % 12 // 3 + 1)
    if kind is PeriodKind.HALF:
        return half(fy, 1 if 4 <= day.month <= 9 else 2)
    if kind is PeriodKind.CALENDAR_YEAR:
        return calendar_year(day.year)
    if kind is PeriodKind.WEEK:
        iso = day.isocalendar()
        return week(iso[0], iso[1])
    if kind is PeriodKind.MONTH:
        return month(day.year, day.month)
    raise PeriodError(f"no single {kind.noun} contains a date")


def outside_plan(period: Period, starts: date, ends: date) -> str | None:
    """Why a plan running from `starts` to `ends` cannot hold a figure for `period`, or None.
    Figures from before the plan are history (baselines, the points a control chart needs); a
    period that begins after the plan ends belongs to no period of it (2099/00 Q1 is a typing
    error). The importer, the API and the collection form all ask here."""
    if period.start <= ends:
        return None
    span = f"{starts.day} {starts:%B %Y} to {ends.day} {ends:%B %Y}"
    return f"{period.code} begins after the plan ends (the plan runs {span})"


# ---------------------------------------------------------------- data vintage


def data_span_words(start: date, end: date) -> str:
    """The span a figure's data covers, as the report prints it: "July 2010 – June 2011"."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{calendar.month_name[start.month]} {start.year}"
    first = f"{calendar.month_name[start.month]}" + (
        f" {start.year}" if start.year != end.year else ""
    )
    return f"{first} – {calendar.month_name[end.month]} {end.year}"


def months_before(data_to: date, period_end: date) -> int:
    """Whole months from the end of a figure's data to the end of its period (0 when the data
    reach the period's last month)."""
    return max(0, (period_end.year - data_to.year) * 12 + period_end.month - data_to.month)


def is_stale(data_to: date, period_end: date, threshold_months: int) -> bool:
    """Stale: the data ended more than `threshold_months` whole months before the period did."""
    return months_before(data_to, period_end) > threshold_months
