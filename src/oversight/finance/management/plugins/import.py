"""`oversight import finance FILE --table T --plan SLUG` (a plugin of the `import` group)."""

import importlib
from pathlib import Path
from typing import Annotated, Literal

import typer

from oversight.finance.actions import import_finance
from oversight.finance.importers import TABLES, read_finance
from oversight.plans.commands import get_plan

# The plans app's `import` group ("import" is a Python word, so it is imported by name).
Import = importlib.import_module("oversight.plans.management.commands.import").Command


@Import.command()
def finance(
    self,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="a .csv or .xlsx file")],
    table: Annotated[
        Literal["budget", "lines", "forecasts", "reserves", "capital", "receipts"],
        typer.Option(help="which table the file holds (the README lists their columns)"),
    ],
    plan: Annotated[str, typer.Option(help="the plan's slug")],
):
    """Import a finance table from CSV or XLSX: budget, lines, forecasts, reserves, capital or
    receipts.

    Import the budget (one row per financial year) first. Money is pounds and pence ("1234.56",
    "£1.337m", "£950k"); more than two decimal places is refused. Every row is checked first; on
    any problem nothing is written. New records are drafts until published.
    """
    target = get_plan(plan)
    rows = read_finance(table, file, target)
    outcome = import_finance(target, table, rows, by=self.actor, file_name=Path(file).name)
    self.stdout.write(
        f"{len(rows)} rows of {TABLES[table].title.lower()} from {Path(file).name} into "
        f"{target.slug}: {outcome}."
    )
