"""Every list and detail page has `.json` and `.csv` twins: one route helper, one responder.

A view takes `fmt` ("html", "json" or "csv") and returns `respond(...)` with the records the page
shows; the HTML page and its twins therefore always carry the same figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from oversight.lib.tables import number, to_csv

FORMATS = ("html", "json", "csv")
# The written stability promise for the JSON twins and the API is in the README (The web
# application): within a version, fields are only ever added.
JSON_VERSION = 1


def twins(route: str, view: Callable, name: str) -> list:
    """Three routes for one page: `route/` (HTML), `route.json` and `route.csv`."""
    return [
        path(f"{route}/" if route else "", view, {"fmt": "html"}, name=name),
        path(f"{route}.json", view, {"fmt": "json"}, name=f"{name}-json"),
        path(f"{route}.csv", view, {"fmt": "csv"}, name=f"{name}-csv"),
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def respond(
    request,
    fmt: str,
    template: str,
    context: dict[str, Any],
    *,
    records: list[dict[str, Any]],
    fields: list[str],
    filename: str,
    meta: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page as HTML, or its records as JSON (with `meta`) or CSV (formula-safe)."""
    if fmt == "json":
        body = {"version": JSON_VERSION, **(meta or {}), "fields": fields, "items": records}
        return HttpResponse(
            json.dumps(body, default=_plain, ensure_ascii=False, indent=1),
            content_type="application/json",
        )
    if fmt == "csv":
        plain = [{k: _csv_value(v) for k, v in r.items()} for r in records]
        response = HttpResponse(to_csv(plain, fields), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    context = {**context, "json_url": f"{_base(request)}.json", "csv_url": f"{_base(request)}.csv"}
    return render(request, template, context)


def _csv_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return number(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def _base(request) -> str:
    p = request.path.rstrip("/")
    return p if p else "/index"
