"""Reading a CSV or XLSX file an analyst edited into rows of text, with row numbers for messages.

Rows are streamed: the file is never held whole in memory, so a file at the size limit costs no
more than its rows' checks. A spreadsheet's XML is read through defusedxml (entities refused) and
its zip members are capped before openpyxl opens it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .inputs import DEFAULT_MAX_BYTES, check_file, not_text, size_text, text_encoding
from .problems import ImportRefused, Problem, Problems

XLSX_EXPANSION = 4  # an XLSX may unpack to this many times the size limit (its XML compresses)
MAX_ROWS = 100_000  # rows in one file: a register or a plan's figures has thousands
MAX_ROW_CHARS = 1024 * 1024  # a CSV record longer than this is not a row an analyst typed
ENTITIES = "the spreadsheet contains XML entities, which Oversight refuses"

Rows = Iterator[tuple[int, dict[str, str]]]


class _RowTooLong(Exception):
    pass


def read_table(
    path: Path | str, problems: Problems, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[str], Rows]:
    """Header names (lower-cased, trimmed) and an iterator of rows as {column: text}, numbered as
    a spreadsheet shows them (the header is row 1). Blank rows are skipped; a row with more cells
    than the header is a problem added to `problems` (and its other cells are still given). A
    missing, over-limit, unreadable or empty file raises ImportRefused."""
    path = Path(path)
    check_file(path, max_bytes)
    grid = _xlsx(path, max_bytes) if path.suffix.lower() in {".xlsx", ".xlsm"} else _csv(path)
    first = _guarded(grid, problems)
    try:
        _, cells = next(first)
    except StopIteration:
        cells = []
    if not any(cell.strip() for cell in cells):
        raise ImportRefused(
            [Problem(path.name, None, None, "the file is empty: it needs a header row")]
        )
    if len(cells) == 1 and (sep := _other_delimiter(cells[0])):
        raise ImportRefused(
            [
                Problem(
                    path.name,
                    1,
                    None,
                    f'the header is one column, "{cells[0][:60]}": the delimiter looks like '
                    f"{sep}, but the columns must be separated by commas (in Excel: save as "
                    "CSV UTF-8 (Comma delimited))",
                )
            ]
        )
    header = [h.strip().lower() for h in cells]
    return header, _rows(first, header, problems)


DELIMITERS = {";": '";"', "\t": "a tab", "|": '"|"'}


def _other_delimiter(header: str) -> str:
    """How a header read as one column shows a delimiter other than a comma (";" from a
    spreadsheet set to a European locale, a tab from "Unicode text"), or "" if it shows none."""
    counts = {sep: header.count(sep) for sep in DELIMITERS}
    sep = max(counts, key=lambda k: counts[k])
    return DELIMITERS[sep] if counts[sep] else ""


def _rows(grid: Iterator[tuple[int, list[str]]], header: list[str], problems: Problems) -> Rows:
    count = 0
    for number, values in grid:
        if not any(v.strip() for v in values):
            continue
        count += 1
        if count > MAX_ROWS:  # the checked rows a valid file yields are kept: this bounds them
            problems.add(
                number,
                None,
                f"more than {MAX_ROWS:,} rows: split the file into parts of at most "
                f"{MAX_ROWS:,} rows (each imports the same way)",
            )
            return
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            problems.add(number, None, f"{len(values)} cells but the header has {len(header)}")
        yield (
            number,
            {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
        )


def _guarded(
    grid: Iterator[tuple[int, list[str]]], problems: Problems
) -> Iterator[tuple[int, list[str]]]:
    """The grid, with a failure part-way through turned into a refusal that keeps the problems
    already found."""
    number = 0
    try:
        for number, cells in grid:
            yield number, cells
    except ImportRefused:
        raise
    except UnicodeDecodeError as exc:
        problems.add(number + 1 if number else None, None, not_text(exc))
    except _RowTooLong:
        problems.add(
            number + 1, None, f"a row longer than {size_text(MAX_ROW_CHARS)}: is this a CSV file?"
        )
    except Exception as exc:  # noqa: BLE001 - the csv module or openpyxl failing on the file
        where = number + 1 if number else None
        problems.add(where, None, f"cannot read the file: {_reason(exc)}")
    else:
        return
    raise ImportRefused(problems.items, problems.more)


def _reason(exc: BaseException | None, path: Path | None = None) -> str:
    cause = exc
    while cause is not None:  # openpyxl wraps the parser's exception in its own
        if _is_defused(cause):
            return ENTITIES
        cause = cause.__cause__ or cause.__context__
    text = (str(exc) or type(exc).__name__).split("\n")[0]
    return (
        text.replace(str(path), path.name) if path else text
    )  # openpyxl adds lines of advice and the file's full path


def _is_defused(exc: BaseException) -> bool:
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - a dependency, always installed
        return False
    return isinstance(exc, DefusedXmlException)


def _csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=text_encoding(path), newline="") as f:
        fed = [0]  # characters handed to the csv reader since its last row

        def lines() -> Iterator[str]:
            while line := f.readline(MAX_ROW_CHARS + 1):
                fed[0] += len(line)
                if fed[0] > MAX_ROW_CHARS:
                    raise _RowTooLong
                yield line

        reader = csv.reader(lines())
        number = 0
        for number, row in enumerate(reader, start=1):
            fed[0] = 0
            yield number, row


def _xlsx(path: Path, max_bytes: int) -> Iterator[tuple[int, list[str]]]:
    _check_zip(path, max_bytes)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except InvalidFileException as exc:
        raise ImportRefused(
            [Problem(path.name, None, None, f"cannot read the file: {_reason(exc, path)}")]
        ) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl failing on a damaged file
        raise ImportRefused(
            [Problem(path.name, None, None, f"cannot read the file: {_reason(exc, path)}")]
        ) from None
    return _sheet_rows(wb)


def _sheet_rows(wb) -> Iterator[tuple[int, list[str]]]:
    try:
        sheet = wb.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in row]
    finally:
        wb.close()


def _check_zip(path: Path, max_bytes: int) -> None:
    """Refuse a spreadsheet whose parts unpack to more than XLSX_EXPANSION times the limit (a zip
    bomb) before anything is unpacked. zipfile never unpacks past a member's stated size."""
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(
            [Problem(path.name, None, None, f"cannot read the file: {exc} (is it really .xlsx?)")]
        ) from None
    if unpacked > XLSX_EXPANSION * max_bytes:
        raise ImportRefused(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"the spreadsheet unpacks to {size_text(unpacked)}, more than {XLSX_EXPANSION} "
                    f"times the limit of {size_text(max_bytes)} (OVERSIGHT_MAX_IMPORT_BYTES)",
                )
            ]
        )


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


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote (OWASP);
    the importers take it off again (`lib.tables.unguard_cell`)."""
    return guard_cell(value) if isinstance(value, str) else value


def number(value: Decimal | None) -> int | float | None:
    """A figure for JSON: whole numbers as integers, others as the shortest exact decimal."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def to_csv(records: Iterable[dict[str, Any]], fields: list[str]) -> str:
    """CSV safe to open in a spreadsheet: lists joined with " | ", nested values as JSON text."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    for r in records:
        row = []
        for f in fields:
            v = r.get(f)
            if isinstance(v, list):
                v = " | ".join(
                    json.dumps(x, sort_keys=True) if isinstance(x, dict) else str(x) for x in v
                )
            elif isinstance(v, dict):
                v = json.dumps(v, sort_keys=True)
            elif v is None:
                v = ""
            elif isinstance(v, bool):
                v = "true" if v else "false"
            row.append(safe_cell(v))
        w.writerow(row)
    return buf.getvalue()
