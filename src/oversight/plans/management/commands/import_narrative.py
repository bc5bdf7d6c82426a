from pathlib import Path

from oversight.core.commands import ImportCommand
from oversight.plans.actions import import_narrative
from oversight.plans.commands import get_plan
from oversight.plans.importers import read_narrative


class Command(ImportCommand):
    help = (
        "Import a period's report narrative from Markdown with front matter (period:), with sections "
        "'# Purpose', '# Background', '# Format of the report', '# Part 1', '# Objective CODE', "
        "'# Part 2', '# Other measures', '# Activity: TITLE', '# Recommendations'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the narrative Markdown file")
        parser.add_argument("--plan", required=True, help="the plan's slug")

    def run(self, file, plan, **options):
        target = get_plan(plan)
        spec = read_narrative(file, target)
        outcome = import_narrative(target, spec, by=self.actor)
        return f"Narrative for {spec.period}, {len(spec.items)} sections: {outcome}."
