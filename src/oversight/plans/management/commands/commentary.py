from typing import Annotated

import typer
from django.core.management.base import CommandError

from oversight.core.commands import Command as OversightCommand
from oversight.lib.audience import Audience
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.actions import save_commentary
from oversight.plans.commands import get_plan
from oversight.plans.models import Measure
from oversight.plans.statistics import measure_statistics


class Command(OversightCommand):
    help = (
        "Show, keep, replace or clear a measure's commentary for a period.\n\n"
        "It shows the commentary (the office's text, or the draft written from the "
        "numbers), or keep, replace or clear it: --text TEXT replaces it, --clear brings the draft "
        "back."
    )

    def handle(
        self,
        plan: Annotated[str, typer.Option(help="the plan's slug")],
        period: Annotated[str, typer.Option(help='e.g. "2013/14 Q1" or 2013-06')],
        measure: Annotated[str, typer.Option(help="the measure's code, e.g. 5.2")],
        area: Annotated[str, typer.Option(help="an area code")] = "force",
        text: Annotated[
            str | None, typer.Option(help="the commentary to keep (replaces the draft)")
        ] = None,
        clear: Annotated[
            bool, typer.Option("--clear", help="remove the office's text (not with --text)")
        ] = False,
    ):
        if text is not None and clear:
            raise CommandError("give --text or --clear, not both")
        target = get_plan(plan)
        try:
            period = parse_period(period).code
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        try:
            m = target.measures.get(code=measure)
        except Measure.DoesNotExist:
            raise CommandError(f'no measure "{measure}" in plan {target.slug}') from None
        where = target.areas.filter(code=area).first()
        if where is None:
            raise CommandError(f'no area "{area}" in plan {target.slug}')
        if text is not None or clear:
            save_commentary(m, period, area=where, text="" if clear else text, by=self.actor)
        found = next(
            st
            for st in measure_statistics(target, period, [where], audience=Audience.STAFF)
            if st.measure.pk == m.pk
        )
        whose = "the office's text" if found.commentary_edited else "drafted from the numbers"
        self.stdout.write(
            f"{m.code} {period} ({whose}): {found.commentary or '(no figure, so no commentary)'}"
        )
