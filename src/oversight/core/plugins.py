"""What the `export` subcommands that other apps add (django-typer plugins) share: reading the
period, and writing the records as JSON or CSV."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

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
