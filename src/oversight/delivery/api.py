"""The delivery plan and risk register API, mounted at /api/v1/delivery/: read-only. Anyone reads
what is published; a token's user reads what that user may read on the site (editors everything,
Panel members also what was shared with the Panel). The same records as the pages' JSON twins
and `oversight export delivery|risks`.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

import json
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from oversight.accounts.api_auth import TOKEN_OPTIONAL, optional_token
from oversight.accounts.roles import audience_of
from oversight.lib.periods import PeriodError, parse_period
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from .queries import delivery_plan, plain_json, risk_implications, risk_register

router = Router(tags=["delivery"])
PUBLIC = {"x-access": "public; a token shows what its user may see", **TOKEN_OPTIONAL}


def _plan(request, slug: str) -> tuple[Plan, Any]:
    audience = audience_of(request.auth)
    return get_object_or_404(plans_for(audience), slug=slug), audience


def _plain(doc: Any) -> Any:
    """Decimals as numbers and dates as text, as the JSON twins write them."""
    return json.loads(json.dumps(doc, default=plain_json))


@router.get(
    "/{slug}/delivery",
    auth=optional_token,
    openapi_extra=PUBLIC,
    summary="A plan's delivery plan, per objective, with its computed progress",
)
def plan_delivery(request, slug: str, period: str = "") -> dict[str, Any]:
    """With `period` (e.g. "2023/24 Q2" or "2023-24-q2"), milestones are judged as at its end."""
    plan, audience = _plan(request, slug)
    try:
        code = parse_period(period).code if period else None
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from None
    return _plain(delivery_plan(plan, audience=audience, period=code))


@router.get(
    "/{slug}/risks",
    auth=optional_token,
    openapi_extra=PUBLIC,
    summary="A plan's risk register, highest residual score first, and its implications",
)
def plan_risks(request, slug: str) -> dict[str, Any]:
    plan, audience = _plan(request, slug)
    return _plain(
        {
            "plan": plan.slug,
            "risks": risk_register(plan, audience=audience),
            "implications": risk_implications(plan, audience=audience)["words"],
        }
    )
