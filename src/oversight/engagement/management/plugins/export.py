"""`oversight export engagement --plan SLUG --period P --audience A` (an `export` plugin)."""

import importlib
from pathlib import Path
from typing import Annotated, Literal

import typer

from oversight.core.commands import AudienceOption, out_option
from oversight.core.plugins import period_code, write_records
from oversight.engagement.report import RECORD_FIELDS, engagement_records
from oversight.plans.commands import get_plan

# The plans app's `export` group, which this adds a subcommand to.
Export = importlib.import_module("oversight.plans.management.commands.export").Command


@Export.command()
def engagement(
    self,
    plan: Annotated[str, typer.Option(help="the plan's slug")],
    period: Annotated[str, typer.Option(help='the report period, e.g. "2023/24 Q2"')],
    audience: AudienceOption,
    format: Annotated[Literal["json", "csv"], typer.Option()] = "json",
    out: Annotated[Path | None, out_option("write to this file instead of standard output")] = None,
):
    """Print the engagement and casework reported in a period as JSON or CSV, one record per
    figure, each with its change on the previous span of the same length (computed).

    Fields: plan, period, first_month, last_month, span, section, code, label, value, text,
    previous_value, change, change_words, note.
    """
    target = get_plan(plan)
    code = period_code(period)
    records = engagement_records(target, code, audience=audience)
    write_records(
        self,
        records,
        RECORD_FIELDS,
        format,
        out,
        {"plan": target.slug, "period": code, "audience": audience.value},
        lambda n: f"{n} engagement records for {code}",
    )
