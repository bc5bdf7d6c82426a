from django.core.management.base import CommandError

from oversight.core.commands import ImportCommand
from oversight.lib.problems import ImportRefused
from oversight.opendata.actions import refresh_plan
from oversight.plans.commands import get_plan


class Command(ImportCommand):
    help = (
        "Write the figures of every measure whose plan entry declares a police.uk source, for "
        "every month imported and every quarter whose three months are all there. Figures entered "
        "by hand are kept (and listed) unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite hand-entered figures too"
        )

    def run(self, plan, replace=False, **options):
        target = get_plan(plan)
        try:
            report = refresh_plan(target, by=self.actor, replace=replace)
        except ImportRefused:
            raise
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for line in report.kept_by_hand + report.problems:
            self.stderr.write(line)
        return report.summary()
