"""`oversight export delivery|risks --plan SLUG [--period P] --audience A --format json|csv`."""

import json
from importlib import import_module
from pathlib import Path
from typing import Annotated, Literal

import typer
from django.core.management.base import CommandError

from oversight.core.commands import AudienceOption, out_option
from oversight.delivery.queries import (
    DELIVERY_FIELDS,
    RISK_FIELDS,
    as_csv,
    delivery_plan,
    delivery_rows,
    plain_json,
    risk_register,
)
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.commands import get_plan

Command = import_module("oversight.plans.management.commands.export").Command
PlanSlug = Annotated[str, typer.Option(help="the plan's slug")]
Format = Annotated[Literal["json", "csv"], typer.Option()]
Out = Annotated[Path | None, out_option("write to this file instead of standard output")]


def _write(cmd, text: str, out: Path | None, what: str) -> None:
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        cmd.stdout.write(f"{what} written to {out}.")
        return
    cmd.stdout.write(text, ending="")


def _json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=plain_json) + "\n"


@Command.command()
def delivery(
    self,
    plan: PlanSlug,
    audience: AudienceOption,
    period: Annotated[
        str, typer.Option(help='judge milestones as at this period\'s end, e.g. "2023/24 Q2"')
    ] = "",
    format: Format = "json",
    out: Out = None,
):
    """Print a plan's delivery plan with its computed progress, as JSON or CSV.

    JSON: the plan's progress, its aims and objectives with theirs, each activity with its
    milestones (overdue ones flagged in words) and updates. CSV: one row per activity, with the
    objective's, aim's and plan's progress.
    """
    target = get_plan(plan)
    try:
        code = parse_period(period).code if period else None
    except PeriodError as exc:
        raise CommandError(str(exc)) from None
    doc = delivery_plan(target, audience=audience, period=code)
    text = _json(doc) if format == "json" else as_csv(delivery_rows(doc), DELIVERY_FIELDS)
    _write(self, text, out, f"The delivery plan of {target.slug}")


@Command.command()
def risks(self, plan: PlanSlug, audience: AudienceOption, format: Format = "json", out: Out = None):
    """Print a plan's risk register, highest residual score first, as JSON or CSV.

    Each risk: likelihood, impact, score and band before and after its controls (computed), the
    review date (an overdue review flagged in words) and its linked objectives, activities and
    measures.
    """
    target = get_plan(plan)
    records = risk_register(target, audience=audience)
    text = (
        _json({"plan": target.slug, "audience": audience.value, "risks": records})
        if format == "json"
        else as_csv(records, RISK_FIELDS)
    )
    _write(self, text, out, f"{len(records)} risks of {target.slug}")
