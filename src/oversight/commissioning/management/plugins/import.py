"""`oversight import commissioning FILE --table T --plan SLUG` (a plugin of the `import` group)."""

import importlib
from pathlib import Path
from typing import Annotated, Literal

import typer

from oversight.commissioning.actions import import_commissioning
from oversight.commissioning.importers import TABLES, read_commissioning
from oversight.plans.commands import get_plan

# The plans app's `import` group ("import" is a Python word, so it is imported by name).
Import = importlib.import_module("oversight.plans.management.commands.import").Command


@Import.command()
def commissioning(
    self,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="a .csv or .xlsx file")],
    table: Annotated[
        Literal["kpis", "reviews", "outputs"],
        typer.Option(help="which table the file holds (the README lists their columns)"),
    ],
    plan: Annotated[str, typer.Option(help="the plan's slug")],
):
    """Import contract KPIs, contract review meetings, or the outputs of grants and bids, from
    CSV or XLSX.

    Contracts, grants and bids are named by their id in the registers (import them there first).
    Every row is checked first; on any problem nothing is written. New records are drafts.
    """
    target = get_plan(plan)
    rows = read_commissioning(table, file, target)
    outcome = import_commissioning(target, table, rows, by=self.actor, file_name=Path(file).name)
    self.stdout.write(
        f"{len(rows)} rows of {TABLES[table].title.lower()} from {Path(file).name} into "
        f"{target.slug}: {outcome}."
    )
