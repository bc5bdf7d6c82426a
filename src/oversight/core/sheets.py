"""Reading a CSV or XLSX table of records by documented columns, by the importers' rules: every
cell is checked and every problem listed (file, row, column, reason; the first 200 in full), and
the caller writes nothing while there is one. The finance, engagement and commissioning imports
share it; each adds its own checks across rows and against the database to the same `Problems`
before calling `raise_if_any()`.

Money is read by `lib.money.parse_money` ("1234.56", "£1.337m", "£950k"): more than two decimal
places of a pound is refused, never rounded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from oversight.lib.money import MoneyError, parse_money
from oversight.lib.numbers import fits_decimal, fits_integer
from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.problems import Problems
from oversight.lib.tables import read_table, unguard_cell

MONEY_DIGITS, MONEY_PLACES = 14, 2
LARGEST_COUNT = 2_147_483_647  # PostgreSQL's integer
TEXT_LIMIT = 300


@dataclass(frozen=True)
class Column:
    name: str
    # text, long_text, money, signed_money, count, percent, days, date, month, year, quarter,
    # period, choice, bool
    kind: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]  # the columns that name one record: a second row with them is refused

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def help(self) -> str:
        """The columns as the README and `--help` list them."""
        return "; ".join(
            f"{c.name}{' (required)' if c.required else ''}: {c.help or c.kind}"
            for c in self.columns
        )


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # columns whose cell was refused

    @property
    def checked(self) -> bool:
        """Every cell read: rules across columns are checked only then (one reason a cell)."""
        return not self.bad


def read_sheet(table: Table, path: Path | str, problems: Problems) -> list[Row]:
    """Every row of the file, its cells read by `table`'s columns; problems are added to
    `problems` (a missing required column or an unknown one is raised at once: no row can be read
    without the header right). The caller adds its own checks, then `problems.raise_if_any()`."""
    header, rows = read_table(path, problems, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    known = table.column_names
    for h in header:
        if h and h not in known:
            problems.add(1, h, f'unknown column "{h}": the columns are {", ".join(known)}')
    for c in table.columns:
        if c.required and c.name not in header:
            problems.add(1, c.name, f'the required column "{c.name}" is missing')
    problems.raise_if_any()
    out: list[Row] = []
    seen: dict[tuple, int] = {}
    number = 0
    for number, raw in rows:
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for c in table.columns:
            text = raw.get(c.name, "").strip() if c.name in header else ""
            if not text:
                if c.required:
                    problems.add(number, c.name, f'"{c.name}" is missing')
                values[c.name] = "" if c.kind in ("text", "long_text", "choice") else None
                continue
            try:
                values[c.name] = parse_cell(c, text)
            except ValueError as exc:
                problems.add(number, c.name, str(exc))
                values[c.name] = None
                bad.add(c.name)
        key = tuple(str(values.get(k)) for k in table.keys)
        if table.keys and key in seen:
            problems.add(
                number,
                table.keys[-1],
                f"{', '.join(key)} is also on row {seen[key]}: one row per {', '.join(table.keys)}",
            )
        else:
            seen[key] = number
        out.append(Row(number, values, bad))
    if not number:
        problems.add(None, None, "the file has a header but no rows")
    return out


def parse_cell(c: Column, text: str) -> Any:
    """One cell's value by its column's kind; ValueError with the reason in words."""
    value: Decimal
    if c.kind in ("text", "long_text"):
        plain = unguard_cell(text)
        if c.kind == "text" and len(plain) > TEXT_LIMIT:
            raise ValueError(f"is {len(plain)} characters; the limit is {TEXT_LIMIT}")
        return plain
    if c.kind in ("money", "signed_money"):
        try:
            value = parse_money(text, places=MONEY_PLACES)
        except MoneyError as exc:
            raise ValueError(str(exc)) from None
        if value < 0 and c.kind == "money":
            raise ValueError(f'"{text}" is negative')
        if why := fits_decimal(value, MONEY_DIGITS, MONEY_PLACES):
            raise ValueError(why)
        return value
    if c.kind == "count":
        cleaned = text.replace(",", "")
        if not (cleaned.isascii() and cleaned.isdigit()):
            raise ValueError(f'"{text}" is not a whole number')
        if why := fits_integer(int(cleaned), 0, LARGEST_COUNT):
            raise ValueError(why)
        return int(cleaned)
    if c.kind == "percent":
        try:
            value = Decimal(text.rstrip("%").strip())
        except ArithmeticError:
            raise ValueError(f'"{text}" is not a percentage') from None
        if not value.is_finite() or not 0 <= value <= 100:
            raise ValueError(f'"{text}" is not a percentage from 0 to 100')
        if why := fits_decimal(value, 5, 2):
            raise ValueError(why)
        return value
    if c.kind == "days":
        try:
            value = Decimal(text)
        except ArithmeticError:
            raise ValueError(f'"{text}" is not a number of days') from None
        if not value.is_finite() or value < 0:
            raise ValueError(f'"{text}" is not a number of days')
        if why := fits_decimal(value, 6, 1):
            raise ValueError(why)
        return value
    if c.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a date (use YYYY-MM-DD)') from None
    if c.kind == "month":
        try:
            return date.fromisoformat(f"{text}-01")
        except ValueError:
            raise ValueError(f'"{text}" is not a month (use YYYY-MM)') from None
    if c.kind in ("year", "period"):
        try:
            p = parse_period(text)
        except PeriodError as exc:
            raise ValueError(str(exc)) from None
        if c.kind == "year" and p.kind is not PeriodKind.YEAR:
            raise ValueError(f'"{text}" is not a financial year (e.g. 2023/24)')
        if c.kind == "period" and p.kind not in (PeriodKind.QUARTER, PeriodKind.YEAR):
            raise ValueError(f'"{text}" is not a quarter or a year (e.g. 2023/24 Q2, 2022/23)')
        return p.code
    if c.kind == "quarter":
        q = text.upper().removeprefix("Q")
        if q not in ("1", "2", "3", "4"):
            raise ValueError(f'"{text}" is not a quarter (Q1, Q2, Q3 or Q4)')
        return int(q)
    if c.kind == "choice":
        low = text.lower()
        if low not in c.choices:
            raise ValueError(f'"{text}" is not one of: {", ".join(c.choices)}')
        return low
    if c.kind == "bool":
        low = text.lower()
        if low in {"true", "yes", "y", "1"}:
            return True
        if low in {"false", "no", "n", "0"}:
            return False
        raise ValueError(f'"{text}" is not true or false')
    raise AssertionError(c.kind)


def too_long(model: Any, field: str, value: str) -> str | None:
    """Why a text is longer than its column holds, or None."""
    limit = model._meta.get_field(field).max_length
    if limit and len(value) > limit:
        return f"is {len(value)} characters; the limit is {limit}"
    return None
