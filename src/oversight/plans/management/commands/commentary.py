from django.core.management.base import CommandError

from oversight.core.commands import ImportCommand
from oversight.lib.audience import Audience
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.actions import save_commentary
from oversight.plans.commands import get_plan
from oversight.plans.models import Measure
from oversight.plans.statistics import measure_statistics


class Command(ImportCommand):
    help = (
        "Show a measure's commentary for a period (the office's text, or the draft written from the "
        "numbers), or keep, replace or clear it: --text TEXT replaces it, --clear brings the draft "
        "back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug")
        parser.add_argument("--period", required=True, help='e.g. "2013/14 Q1" or 2013-06')
        parser.add_argument("--measure", required=True, help="the measure's code, e.g. 5.2")
        parser.add_argument("--area", default="force", help="an area code (default: force)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--text", help="the commentary to keep (replaces the draft)")
        group.add_argument("--clear", action="store_true", help="remove the office's text")

    def run(self, plan, period, measure, area, text=None, clear=False, **options):
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
        return f"{m.code} {period} ({whose}): {found.commentary or '(no figure, so no commentary)'}"
