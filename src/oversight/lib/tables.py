"""Reading a CSV or XLSX file an analyst edited into rows of text, with row numbers for messages."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zipfile import BadZipFile

from .problems import ImportRefused, Problem


def read_table(path: Path | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header names (lower-cased, trimmed) and rows as {column: text}, numbered as a spreadsheet
    shows them (the header is row 1). Blank rows are skipped. Unreadable or empty files raise."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImportRefused([Problem(name, None, None, "file not found")])
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            grid = _xlsx(path)
        else:
            grid = _csv(path)
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError, BadZipFile) as exc:
        # an .xlsx is a zip: a damaged one, or another file renamed, fails as BadZipFile
        raise ImportRefused([Problem(name, None, None, f"cannot read the file: {exc}")]) from exc
    if not grid or not any(cell.strip() for cell in grid[0]):
        raise ImportRefused([Problem(name, None, None, "the file is empty: it needs a header row")])
    header = [h.strip().lower() for h in grid[0]]
    rows = []
    for number, values in enumerate(grid[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            raise ImportRefused(
                [
                    Problem(
                        name, number, None, f"{len(values)} cells but the header has {len(header)}"
                    )
                ]
            )
        rows.append(
            (
                number,
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
            )
        )
    return header, rows


def _csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise ValueError(str(exc)) from exc
    try:
        sheet = wb.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_number(text: str) -> Decimal:
    """A figure as typed: "1517", "1,517", "95.9", "-2". Raises ValueError with a readable reason."""
    cleaned = text.strip()
    if "," in cleaned:
        whole = cleaned.split(".")[0].lstrip("-")
        groups = whole.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise ValueError(f'"{text}" is not a number')
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f'"{text}" is not a number') from None
    if not value.is_finite():
        raise ValueError(f'"{text}" is not a number')
    return value


# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _runs_as_formula(text: str) -> bool:
    if text[:1] not in FORMULA_START:
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False  # a plain negative number stays a number


def guard_cell(text: str) -> str:
    """Text a spreadsheet would run as a formula, with a quote in front ("=1+1" → "'=1+1").

    Text that already starts with quotes before such a formula gets one more, so that
    `unguard_cell` can always tell the guard from the text: unguard_cell(guard_cell(t)) == t."""
    return "'" + text if _runs_as_formula(text.lstrip("'")) else text


def unguard_cell(text: str) -> str:
    """Take off exactly the quote `guard_cell` adds, and nothing else."""
    return text[1:] if text[:1] == "'" and _runs_as_formula(text.lstrip("'")) else text
