"""`oversight export finance --plan SLUG --period P --audience A` (a plugin of the `export`
group)."""

import importlib
from pathlib import Path
from typing import Annotated, Literal

import typer

from oversight.core.commands import AudienceOption, out_option
from oversight.core.plugins import period_code, write_records
from oversight.finance.report import RECORD_FIELDS, finance_records
from oversight.plans.commands import get_plan

# The plans app's `export` group, which this adds a subcommand to.
Export = importlib.import_module("oversight.plans.management.commands.export").Command


@Export.command()
def finance(
    self,
    plan: Annotated[str, typer.Option(help="the plan's slug")],
    period: Annotated[str, typer.Option(help='a quarter, e.g. "2023/24 Q2", or a year')],
    audience: AudienceOption,
    format: Annotated[Literal["json", "csv"], typer.Option()] = "json",
    out: Annotated[Path | None, out_option("write to this file instead of standard output")] = None,
):
    """Print the finance record for a period as JSON or CSV: one record per figure.

    Fields: plan, financial_year, period, section, code, name, measure, value, text, rag,
    rag_words, note. The forecast's movement on the previous quarter's is computed.
    """
    target = get_plan(plan)
    code = period_code(period)
    records = finance_records(target, code, audience=audience)
    write_records(
        self,
        records,
        RECORD_FIELDS,
        format,
        out,
        {"plan": target.slug, "period": code, "audience": audience.value},
        lambda n: f"{n} finance records for {code}",
    )
