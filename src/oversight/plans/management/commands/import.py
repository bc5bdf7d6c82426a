"""`oversight import plan|observations|narrative`: a plan, a period's figures, a period's text."""

from pathlib import Path
from typing import Annotated

import typer
from django.core.management.base import CommandError

from oversight.core.commands import Group, command
from oversight.lib.problems import ImportRefused
from oversight.plans.actions import import_narrative, import_observations, import_plan
from oversight.plans.commands import get_plan
from oversight.plans.importers import read_narrative, read_observations, read_plan
from oversight.plans.models import PlanState

Plan = Annotated[str, typer.Option(help="the plan's slug")]


class Command(Group):
    help = (
        "Import a plan, a period's figures or a period's narrative; a delivery plan or risks "
        "(the delivery app adds those)."
    )

    @command()
    def plan(
        self, file: Annotated[Path, typer.Argument(metavar="FILE", help="the plan YAML file")]
    ):
        """Import or update a Police and Crime Plan from YAML (objectives, measures, targets,
        areas)."""
        plan, outcome = import_plan(read_plan(file), by=self.actor)
        state = (
            f" It is a draft, seen only by staff, until `oversight plan publish {plan.slug}`."
            if plan.state == PlanState.DRAFT
            else f" It is {plan.get_state_display().lower()}."
        )
        self.stdout.write(
            f"Plan {plan.slug}: {outcome} (plan, areas, objectives and measures).{state}"
        )

    @command()
    def observations(
        self,
        file: Annotated[Path, typer.Argument(metavar="FILE", help="a .csv or .xlsx file")],
        plan: Plan,
        correction_reason: Annotated[
            str,
            typer.Option(
                help="required to change figures already published; shown with each correction"
            ),
        ] = "",
    ):
        """Import a period's figures from CSV or XLSX.

        Header: measure, period, area, value, target, basis, comparator, comparator_label,
        numerator, denominator, status, rag, rag_reason, comment (comma-separated). Every row is
        checked first; on any problem nothing is written. Changed figures keep their old values.
        """
        target = get_plan(plan)
        rows = read_observations(file, target)
        try:
            outcome = import_observations(
                target,
                rows,
                by=self.actor,
                file_name=Path(file).name,
                correction_reason=correction_reason,
            )
        except ImportRefused as exc:
            if not correction_reason and any("needs a reason" in p.reason for p in exc.problems):
                raise CommandError(
                    exc.message + "\nGive the reason with --correction-reason."
                ) from None
            raise
        self.stdout.write(f"{len(rows)} rows from {Path(file).name} into {target.slug}: {outcome}.")

    @command()
    def narrative(
        self,
        file: Annotated[Path, typer.Argument(metavar="FILE", help="the narrative Markdown file")],
        plan: Plan,
    ):
        """Import a period's report narrative from Markdown with front matter (period:).

        Sections: '# Purpose', '# Background', '# Format of the report', '# Part 1',
        '# Objective CODE', '# Part 2', '# Other measures', '# Activity: TITLE',
        '# Recommendations'.
        """
        target = get_plan(plan)
        spec = read_narrative(file, target)
        outcome = import_narrative(target, spec, by=self.actor)
        self.stdout.write(f"Narrative for {spec.period}, {len(spec.items)} sections: {outcome}.")
