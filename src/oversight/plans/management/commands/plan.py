"""`oversight plan publish|archive SLUG`: what the public site shows."""

from typing import Annotated

import typer

from oversight.core.commands import Group, command
from oversight.plans.actions import archive_plan, publish_plan
from oversight.plans.commands import get_plan

Slug = Annotated[str, typer.Argument(metavar="SLUG", help="the plan's slug")]


class Command(Group):
    help = "Publish a plan, or withdraw it from the public site."

    @command()
    def publish(
        self,
        plan: Slug,
        current: Annotated[
            bool, typer.Option("--current", help="make it the plan the public site opens on")
        ] = False,
    ):
        """Publish a plan, or restore an archived one.

        An imported plan is a draft, seen only by staff, until it is published; --current makes
        it the plan the public site opens on.
        """
        target = publish_plan(get_plan(plan), by=self.actor, current=current or None)
        where = " It is the plan the public site opens on." if target.current else ""
        self.stdout.write(f"Plan {target.slug} is published.{where}")

    @command()
    def archive(self, plan: Slug):
        """Withdraw a plan from the public site without deleting anything.

        Its figures, text and history are kept; `oversight plan publish SLUG` restores it.
        """
        target = archive_plan(get_plan(plan), by=self.actor)
        self.stdout.write(f"Plan {target.slug} is archived: no longer public; nothing was deleted.")
