from oversight.core.commands import ImportCommand
from oversight.plans.actions import publish_plan
from oversight.plans.commands import get_plan


class Command(ImportCommand):
    help = (
        "Publish a plan (an imported plan is a draft, seen only by staff, until then), or restore "
        "an archived one; --current makes it the plan the public site opens on."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's slug")
        parser.add_argument(
            "--current", action="store_true", help="make it the plan the public site opens on"
        )

    def run(self, plan, current=False, **options):
        target = publish_plan(get_plan(plan), by=self.actor, current=current or None)
        where = " It is the plan the public site opens on." if target.current else ""
        return f"Plan {target.slug} is published.{where}"
