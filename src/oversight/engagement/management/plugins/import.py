"""`oversight import engagement FILE --table T --plan SLUG` (a plugin of the `import` group)."""

import importlib
from pathlib import Path
from typing import Annotated, Literal

import typer

from oversight.engagement.actions import import_engagement
from oversight.engagement.importers import TABLES, read_engagement
from oversight.plans.commands import get_plan

# The plans app's `import` group ("import" is a Python word, so it is imported by name).
Import = importlib.import_module("oversight.plans.management.commands.import").Command


@Import.command()
def engagement(
    self,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="a .csv or .xlsx file")],
    table: Annotated[
        Literal["counts", "casework", "themes", "vocabulary"],
        typer.Option(help="which table the file holds (the README lists their columns)"),
    ],
    plan: Annotated[str, typer.Option(help="the plan's slug")],
):
    """Import engagement counts, casework, casework themes, or additions to the vocabulary of
    kinds and themes, from CSV or XLSX.

    A span is its first and last month (YYYY-MM) and the report period it is reported in. Every
    row is checked first; on any problem nothing is written. New spans are drafts.
    """
    target = get_plan(plan)
    rows = read_engagement(table, file)
    outcome = import_engagement(target, table, rows, by=self.actor, file_name=Path(file).name)
    self.stdout.write(
        f"{len(rows)} rows of {TABLES[table].title.lower()} from {Path(file).name} into "
        f"{target.slug}: {outcome}."
    )
