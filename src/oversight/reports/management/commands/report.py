from pathlib import Path
from typing import Annotated

import typer
from django.core.management.base import CommandError

from oversight.core.commands import AudienceOption, out_option
from oversight.core.commands import Command as OversightCommand
from oversight.core.render import Format, write
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.commands import get_plan
from oversight.reports.compose import compose_report


class Command(OversightCommand):
    help = (
        "Write the Panel's performance report for a period as HTML, DOCX or PDF.\n\n"
        "The Police & Crime Plan Activity and Performance Monitoring Report, for the audience "
        "named."
    )

    def handle(
        self,
        plan: Annotated[str, typer.Option(help="the plan's slug")],
        period: Annotated[str, typer.Option(help='e.g. "2013/14 Q1"')],
        out: Annotated[Path, out_option()],
        audience: AudienceOption,
        format: Annotated[Format, typer.Option()] = "html",
    ):
        target = get_plan(plan)
        try:
            code = parse_period(period).code
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        report = compose_report(target, code, audience=audience)
        path = write(report, format, Path(out))
        self.stdout.write(
            f"Report for {target.slug} {code} written to {path} ({path.stat().st_size:,} bytes)."
        )
