from pathlib import Path

from oversight.core.commands import ImportCommand
from oversight.plans.actions import import_plan
from oversight.plans.importers import read_plan
from oversight.plans.models import PlanState


class Command(ImportCommand):
    help = (
        "Import or update a Police and Crime Plan from YAML (objectives, measures, targets, areas)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the plan YAML file")

    def run(self, file, **options):
        plan, outcome = import_plan(read_plan(file), by=self.actor)
        state = (
            f" It is a draft, seen only by staff, until `oversight plan publish {plan.slug}`."
            if plan.state == PlanState.DRAFT
            else f" It is {plan.get_state_display().lower()}."
        )
        return f"Plan {plan.slug}: {outcome} (plan, areas, objectives and measures).{state}"
