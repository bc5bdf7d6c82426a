"""Reading finance files (CSV or XLSX), one table per file: `oversight import finance FILE --table
T --plan SLUG`. Every row is checked first, against the file and against the record (the budget
set a line belongs to, the disposal a receipt comes from); every problem is listed with file,
row, column and reason, and nothing is written while there is one. Money is pounds and pence,
"1234.56", "£1.337m" or "£950k"; more than two decimal places of a pound is refused.

The tables and their columns (the README lists them too):
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from oversight.core.sheets import Column, Row, Table, read_sheet, too_long
from oversight.lib.money import format_money
from oversight.lib.problems import Problems
from oversight.plans.models import Plan
from oversight.registers.models import Disposal

from . import models as m

YEAR = Column("financial_year", "year", True, 'e.g. "2023/24"')
NOTE = Column("note", "long_text", help="source and caveats, e.g. seed 003 §71")

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "budget",
            "The budget set and its funding",
            (
                YEAR,
                Column("net_budget_requirement", "money", help="pounds"),
                Column("total_budget", "money", help="after additional funding and reserves"),
                Column("reserves_used", "money", help="reserves used to set the budget"),
                Column("precept_band_d", "money", help="the Band D precept, pounds and pence"),
                Column("precept_total", "money", help="the precept raised in all"),
                Column("budget_gap_next_year", "money", help="next year's budget gap"),
                Column("budget_gap_note", "long_text", help="what the paper says of the gap"),
                NOTE,
            ),
            ("financial_year",),
        ),
        Table(
            "lines",
            "Revenue budget lines",
            (
                YEAR,
                Column("line", "text", True, "the line's code: letters, digits, '-'"),
                Column("name", "text", True),
                Column("category", "text"),
                Column("budget", "money", True),
                Column("order", "count", help="its place in the table"),
                NOTE,
            ),
            ("financial_year", "line"),
        ),
        Table(
            "forecasts",
            "Quarterly forecast outturn",
            (
                YEAR,
                Column("quarter", "quarter", True, "Q1 to Q4"),
                Column("line", "text", help="a budget line's code; blank for the whole budget"),
                Column(
                    "variance",
                    "signed_money",
                    help="forecast outturn − budget: negative is an underspend",
                ),
                Column(
                    "forecast_outturn", "money", help="instead of (or checked against) variance"
                ),
                NOTE,
            ),
            ("financial_year", "quarter", "line"),
        ),
        Table(
            "reserves",
            "Reserves",
            (
                YEAR,
                Column("reserve", "text", True, "the reserve's code"),
                Column("name", "text", True),
                Column("opening", "signed_money", True, "the balance at the start of the year"),
                Column("planned_use", "signed_money", True, "drawn in the year (negative: added)"),
                Column("closing", "signed_money", help="checked: must be opening − planned_use"),
                NOTE,
            ),
            ("financial_year", "reserve"),
        ),
        Table(
            "capital",
            "Capital programme and projects",
            (
                YEAR,
                Column("project", "text", True, "the project's code"),
                Column("name", "text", True),
                Column("budget", "money"),
                Column("spend_to_date", "money"),
                Column("stage", "text", help="where it is now"),
                Column("next_stage", "text", help='e.g. "RIBA Stage 3"'),
                Column("next_stage_due", "date", help="the target date for the next stage"),
                Column("completion_due", "date"),
                NOTE,
            ),
            ("financial_year", "project"),
        ),
        Table(
            "receipts",
            "Capital receipts from disposals",
            (
                YEAR,
                Column("disposal", "text", True, "the disposal's id in the disposals register"),
                Column("amount", "money"),
                Column(
                    "status",
                    "choice",
                    help="expected or received",
                    choices=("expected", "received"),
                ),
                Column("received_on", "date"),
                NOTE,
            ),
            ("financial_year", "disposal"),
        ),
    ]
}


def get_table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f'unknown finance table "{name}": one of {", ".join(TABLES)}') from None


def _m(value: Decimal) -> str:
    return format_money(value, short=False)


CODE_FIELD = {"lines": "line", "reserves": "reserve", "capital": "project"}


def read_finance(table_name: str, path: Path | str, plan: Plan) -> list[Row]:
    """Every row of a finance file, checked; raises ImportRefused listing every problem."""
    table = get_table(table_name)
    problems = Problems(Path(path).name)
    rows = read_sheet(table, path, problems)
    sets = {b.financial_year: b for b in m.BudgetSet.objects.filter(plan=plan)}
    for row in rows:
        v = row.values
        year = v.get("financial_year")
        if table.name != "budget" and year and year not in sets:
            problems.add(
                row.number,
                "financial_year",
                f"{plan.slug} has no budget for {year}: import the budget table first",
            )
        code_col = CODE_FIELD.get(table.name)
        if code_col and v.get(code_col):
            code = v[code_col]
            if not code.replace("-", "").replace("_", "").isalnum() or len(code) > 60:
                problems.add(
                    row.number, code_col, f'"{code}" must be letters, digits, "-" or "_" (up to 60)'
                )
        for name in ("name", "category", "stage", "next_stage"):
            model = {"lines": m.BudgetLine, "reserves": m.Reserve, "capital": m.CapitalProject}
            if v.get(name) and table.name in model:
                if why := too_long(model[table.name], name, v[name]):
                    problems.add(row.number, name, why)
        if not row.checked:
            continue
        if table.name == "forecasts":
            _check_forecast(row, sets.get(year or ""), problems)
        elif table.name == "reserves":
            opening, use, closing = v.get("opening"), v.get("planned_use"), v.get("closing")
            if (
                opening is not None
                and use is not None
                and closing is not None
                and closing != opening - use
            ):
                problems.add(
                    row.number,
                    "closing",
                    f"{_m(closing)} is not opening − planned use ({_m(opening - use)}): check "
                    "the figures",
                )
        elif table.name == "receipts":
            _check_receipt(row, problems)
        elif table.name == "capital":
            due, done = v.get("next_stage_due"), v.get("completion_due")
            if due and done and done < due:
                problems.add(row.number, "completion_due", f"{done} is before next_stage_due {due}")
            if v.get("next_stage_due") and not v.get("next_stage"):
                problems.add(row.number, "next_stage", "name the stage the date is for")
    problems.raise_if_any()
    return rows


def _check_forecast(row: Row, budget_set: m.BudgetSet | None, problems: Problems) -> None:
    v = row.values
    variance, outturn = v.get("variance"), v.get("forecast_outturn")
    if variance is None and outturn is None:
        problems.add(row.number, "variance", "give the variance or the forecast outturn")
        return
    if budget_set is None:
        return
    budget: Any = budget_set.total_budget
    if v.get("line"):
        line = budget_set.lines.filter(code=v["line"]).first()
        if line is None:
            known = ", ".join(budget_set.lines.values_list("code", flat=True)) or "none yet"
            problems.add(
                row.number,
                "line",
                f'no budget line "{v["line"]}" in {budget_set.financial_year} '
                f"(lines: {known}): import the lines table first",
            )
            return
        budget = line.budget
    if outturn is not None:
        if budget is None:
            problems.add(
                row.number,
                "forecast_outturn",
                "the budget set has no total budget to compare with: give the variance",
            )
            return
        if variance is not None and variance != outturn - budget:
            problems.add(
                row.number,
                "variance",
                f"{_m(variance)} is not forecast outturn − budget ({_m(outturn - budget)})",
            )
        v["variance"] = outturn - budget


def _check_receipt(row: Row, problems: Problems) -> None:
    v = row.values
    ident = v.get("disposal")
    if ident:
        found = Disposal.objects.filter(identifier=ident).first()
        if found is None:
            problems.add(row.number, "disposal", f'no disposal "{ident}" in the disposals register')
        v["disposal"] = found
    if v.get("received_on") and v.get("status") != "received":
        problems.add(row.number, "status", "a receipt with a date received is received")
    if not v.get("status"):
        v["status"] = "received" if v.get("received_on") else "expected"
