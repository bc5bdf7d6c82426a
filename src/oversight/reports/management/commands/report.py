from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.commands import add_audience_argument
from oversight.core.render import FORMATS, write
from oversight.lib.audience import Audience
from oversight.lib.files import out_file
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.commands import get_plan
from oversight.reports.compose import compose_report


class Command(BaseCommand):
    help = (
        "Write the Panel's Police & Crime Plan Activity and Performance Monitoring Report for a "
        "period as HTML, DOCX or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug")
        parser.add_argument("--period", required=True, help='e.g. "2013/14 Q1"')
        parser.add_argument("--format", choices=FORMATS, default="html")
        parser.add_argument("--out", required=True, type=out_file, help="the file to write")
        add_audience_argument(parser)

    def handle(self, plan, period, format, out, audience, **options):
        target = get_plan(plan)
        try:
            code = parse_period(period).code
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        report = compose_report(target, code, audience=Audience(audience))
        path = write(report, format, Path(out))
        self.stdout.write(
            f"Report for {target.slug} {code} written to {path} ({path.stat().st_size:,} bytes)."
        )
