from oversight.core.commands import ImportCommand
from oversight.plans.actions import archive_plan
from oversight.plans.commands import get_plan


class Command(ImportCommand):
    help = (
        "Withdraw a plan from the public site without deleting anything (its figures, text and "
        "history are kept); `oversight plan publish SLUG` restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's slug")

    def run(self, plan, **options):
        target = archive_plan(get_plan(plan), by=self.actor)
        return f"Plan {target.slug} is archived: no longer public; nothing was deleted."
