"""What the `export` subcommands that other apps add (django-typer plugins) share: reading the
period, and writing the records as JSON or CSV."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from django.core.management.base import CommandError

from oversight.core.commands import AudienceOption, out_option
from oversight.lib.periods import PeriodError, parse_period
from oversight.lib.tables import number, to_csv


def period_code(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError as exc:
        raise CommandError(str(exc)) from None


def write_records(
    command: Any,
    records: list[dict[str, Any]],
    fields: list[str],
    fmt: str,
    out: Path | None,
    meta: dict[str, Any],
    summary: Callable[[int], str],
) -> None:
    """JSON ({meta…, fields, items}) or CSV (formula-safe), to `out` or standard output."""
    if fmt == "json":
        text = (
            json.dumps(
                {**meta, "fields": fields, "items": records},
                default=_json,
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        text = to_csv([{k: _csv(v) for k, v in r.items()} for r in records], fields)
    if out:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        command.stdout.write(summary(len(records)) + f" written to {out}.")
        return
    command.stdout.write(text, ending="")


def _json(v: Any) -> Any:
    from datetime import date
    from decimal import Decimal

    if isinstance(v, Decimal):
        return number(v)
    if isinstance(v, date):
        return v.isoformat()
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def _csv(v: Any) -> Any:
    from datetime import date
    from decimal import Decimal

    if isinstance(v, Decimal):
        return f"{v:f}"
    if isinstance(v, date):
        return v.isoformat()
    return v


def plain(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with JSON's own values, as the twins write them: sums as numbers, dates as text."""
    return json.loads(json.dumps(records, default=_json))


def records_route(
    router: Any,
    *,
    app: str,
    summary: str,
    fields: list[str],
    records: Callable[..., list[dict[str, Any]]],
    plans: Callable[[], Any],
    check: Callable[[str], object] | None = None,
) -> None:
    """Add `GET /{slug}/{period}` to an app's API router: the public records of a plan (one of
    `plans()`, the plans the public may open) for a period, as the page's JSON twin gives them.
    `check` refuses a period the app has no records for (ValueError → 422)."""
    from django.shortcuts import get_object_or_404
    from ninja.errors import HttpError

    from oversight.core.converters import PeriodConverter
    from oversight.lib.audience import Audience

    def route(request: Any, slug: str, period: str) -> dict[str, Any]:
        try:
            code = PeriodConverter().to_python(period)
            if check:
                check(code)
        except ValueError as exc:
            raise HttpError(422, f'"{period}" is not a period this has (e.g. 2023-24-q2)') from exc
        plan = get_object_or_404(plans(), slug=slug)
        return {
            "plan": plan.slug,
            "period": code,
            "fields": fields,
            "items": plain(records(plan, code, audience=Audience.PUBLIC)),
        }

    router.get(
        "/{slug}/{period}",
        openapi_extra={"x-access": "public"},
        summary=summary,
        operation_id=f"oversight_{app}_api_records",
    )(route)


def export_command(
    group: Any,
    *,
    name: str,
    records: Callable[..., list[dict[str, Any]]],
    fields: list[str],
    help: str,
    get_plan: Callable[[str], Any],
) -> None:
    """Add `oversight export NAME --plan SLUG --period P --audience A [--format] [--out]` to the
    `export` group: the records for a plan (found by `get_plan`, the plans app's) and period as
    `audience` may read them."""

    def export(
        self,  # the command (django-typer passes it; an annotation would make it an option)
        plan: Annotated[str, typer.Option(help="the plan's slug")],
        period: Annotated[str, typer.Option(help='the report period, e.g. "2023/24 Q2"')],
        audience: AudienceOption,
        format: Annotated[Literal["json", "csv"], typer.Option()] = "json",
        out: Annotated[
            Path | None, out_option("write to this file instead of standard output")
        ] = None,
    ) -> None:
        target = get_plan(plan)
        code = period_code(period)
        write_records(
            self,
            records(target, code, audience=audience),
            fields,
            format,
            out,
            {"plan": target.slug, "period": code, "audience": audience.value},
            lambda n: f"{n} {name} records for {code}",
        )

    export.__doc__ = help
    group.command(name=name, help=help)(export)
