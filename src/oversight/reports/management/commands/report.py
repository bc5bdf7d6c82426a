from pathlib import Path
from typing import Annotated

import typer
from django.core.management.base import CommandError

from oversight.core.commands import AudienceOption, out_option
from oversight.core.commands import Command as OversightCommand
from oversight.core.render import Format, write
from oversight.lib.audience import Audience
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.claims import check_period
from oversight.plans.commands import get_plan
from oversight.reports import layouts
from oversight.reports.compose import compose_report


class Command(OversightCommand):
    help = (
        "Write the Panel's performance report for a period as HTML, DOCX or PDF.\n\n"
        "The Police & Crime Plan Activity and Performance Monitoring Report, for the audience "
        "named, in the plan's report layout or the one --layout names. With --check it first lists the claims check's warnings: each date in the "
        "narrative or commentary after the period's end, each number that differs from the "
        'figure of the measure it names, and each "on target", "off target", "improved" or '
        '"deteriorated" the record contradicts. The check reads the text as staff do (drafts '
        "included) and changes nothing; it exits 0 with warnings listed, or 1 with --strict."
    )

    def handle(
        self,
        plan: Annotated[str, typer.Option(help="the plan's slug")],
        period: Annotated[str, typer.Option(help='e.g. "2013/14 Q1"')],
        audience: AudienceOption,
        out: Annotated[Path | None, out_option("the file to write (optional with --check)")] = None,
        format: Annotated[Format, typer.Option()] = "html",
        check: Annotated[
            bool, typer.Option(help="list the claims check's warnings for the period first")
        ] = False,
        strict: Annotated[
            bool,
            typer.Option(help="with --check: any warning exits 1 and no report is written"),
        ] = False,
        layout: Annotated[
            str | None,
            typer.Option(
                help="the report layout (seed-002, seed-003, seed-004 or the office's own); "
                "default: the plan's report_layout"
            ),
        ] = None,
    ):
        target = get_plan(plan)
        try:
            code = parse_period(period).code
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        if out is None and not (check or strict):
            raise CommandError("give --out FILE to write the report, or --check to check it")
        try:  # a bad layout is refused before anything is read or written
            layouts.load(layout or target.report_layout)
        except layouts.LayoutError as exc:
            raise CommandError(exc.message) from None
        if check or strict:
            # The check is the editor's: it reads the text as staff do, drafts included.
            findings = check_period(target, code, audience=Audience.STAFF)
            self.stdout.write(
                f"Claims check for {target.slug} {code}: {len(findings)} warning"
                f"{'' if len(findings) == 1 else 's'}."
            )
            for f in findings:
                self.stdout.write(f"  [{f.kind}] {f}")
            if strict and findings:
                raise CommandError(
                    f"{len(findings)} claims check warning{'' if len(findings) == 1 else 's'} "
                    "(--strict): no report written"
                )
        if out is None:
            return
        report = compose_report(target, code, audience=audience, layout=layout)
        path = write(report, format, Path(out))
        self.stdout.write(
            f"Report for {target.slug} {code} written to {path} ({path.stat().st_size:,} bytes)."
        )
