from pathlib import Path

from django.core.management.base import CommandError

from oversight.core.commands import ImportCommand
from oversight.lib.problems import ImportRefused
from oversight.plans.actions import import_observations
from oversight.plans.commands import get_plan
from oversight.plans.importers import read_observations


class Command(ImportCommand):
    help = (
        "Import a period's figures from CSV or XLSX (header: measure,period,area,value,target,basis,"
        "comparator,comparator_label,numerator,denominator,status,rag,rag_reason,comment). Every row is "
        "checked first; on any problem nothing is written. Changed figures keep their old values."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument("--plan", required=True, help="the plan's slug")
        parser.add_argument(
            "--correction-reason",
            default="",
            help="required to change figures already published; shown with each correction",
        )

    def run(self, file, plan, correction_reason="", **options):
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
        return f"{len(rows)} rows from {Path(file).name} into {target.slug}: {outcome}."
