"""`oversight import delivery|risks FILE --plan SLUG`: verbs added to the plans' import group."""

from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer

from oversight.delivery.actions import import_delivery, import_risks
from oversight.delivery.importers import DELIVERY_COLUMNS, RISK_COLUMNS, read_delivery, read_risks
from oversight.plans.commands import get_plan

Command = import_module("oversight.plans.management.commands.import").Command
File = Annotated[Path, typer.Argument(metavar="FILE", help="a .csv or .xlsx file")]
PlanSlug = Annotated[str, typer.Option(help="the plan's slug")]


@Command.command(
    help=f"""Import a plan's delivery plan (activities and milestones) from CSV or
XLSX.

Columns: {", ".join(DELIVERY_COLUMNS)}. One row per activity, or per milestone of an activity
(its code repeated). Every row is checked first; on any problem nothing is written. New activities
are drafts, seen by staff only, until shared with the Panel or published."""
)
def delivery(self, file: File, plan: PlanSlug):
    target = get_plan(plan)
    rows = read_delivery(file, target)
    outcome = import_delivery(target, rows, by=self.actor, file_name=Path(file).name)
    self.stdout.write(
        f"{len(rows)} activities from {Path(file).name} into {target.slug}: {outcome} "
        "(activities and milestones)."
    )


@Command.command(
    help=f"""Import a plan's risk register from CSV or XLSX.

Columns: {", ".join(RISK_COLUMNS)}. Likelihood and impact are 1 to 5, before and after the
controls; objectives, activities and measures are codes separated by ';'. Every row is checked
first; on any problem nothing is written. New risks are drafts until shared or published."""
)
def risks(self, file: File, plan: PlanSlug):
    target = get_plan(plan)
    rows = read_risks(file, target)
    outcome = import_risks(target, rows, by=self.actor, file_name=Path(file).name)
    self.stdout.write(f"{len(rows)} risks from {Path(file).name} into {target.slug}: {outcome}.")
