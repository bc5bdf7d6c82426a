"""The finance API, mounted at /api/v1/finance/: read-only and public, the same records as the page's
JSON twin and `oversight export finance --audience public`.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from oversight.core.converters import PeriodConverter
from oversight.core.plugins import plain
from oversight.lib.audience import Audience
from oversight.plans.visibility import plans_for

from .report import RECORD_FIELDS, finance_records, year_and_quarter

router = Router(tags=["finance"])
PUBLIC = {"x-access": "public"}
PUBLIC_ONLY = Audience.PUBLIC  # the open data: published records of published plans only


@router.get(
    "/{slug}/{period}",
    openapi_extra=PUBLIC,
    summary="The finance record for a plan and period (published figures only)",
)
def records(request, slug: str, period: str) -> dict[str, Any]:
    try:
        code = PeriodConverter().to_python(period)
    except ValueError as exc:
        raise HttpError(422, f'"{period}" is not a period (e.g. 2023-24-q2)') from exc
    try:
        year_and_quarter(code)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    plan = get_object_or_404(plans_for(PUBLIC_ONLY), slug=slug)
    return {
        "plan": plan.slug,
        "period": code,
        "fields": RECORD_FIELDS,
        "items": plain(finance_records(plan, code, audience=PUBLIC_ONLY)),
    }
