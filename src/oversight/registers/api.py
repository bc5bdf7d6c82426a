"""The registers API, mounted at /api/v1/registers/: read-only and public, the same records as the
pages' JSON twins and the exports.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from oversight.lib.audience import Audience
from oversight.plans.models import Objective
from oversight.plans.visibility import plans_for

from . import exports, threesixty, tracker
from .importers import KINDS
from .models import Grant
from .queries import contract_alerts, expiring_contracts, golden_thread, today

router = Router(tags=["registers"])
PUBLIC = {"x-access": "public"}
PUBLIC_ONLY = Audience.PUBLIC  # the registers' API is the open data: published items only


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise HttpError(404, f'no register "{kind}": one of {", ".join(KINDS)}')
    return kind


@router.get("/tracker", openapi_extra=PUBLIC, summary="The publication tracker")
def publication_tracker(request) -> dict[str, Any]:
    return {"today": today().isoformat(), **tracker.as_json(tracker.build(audience=PUBLIC_ONLY))}


@router.get("/contracts/expiring", openapi_extra=PUBLIC, summary="Contracts ending soon")
def contracts_expiring(request, within_days: int = 365) -> dict[str, Any]:
    if not 1 <= within_days <= 3650:
        raise HttpError(422, "within_days must be between 1 and 3650")
    alerts = {c.pk for c in contract_alerts(audience=PUBLIC_ONLY)}
    return {
        "today": today().isoformat(),
        "within_days": within_days,
        "items": [
            {**exports.record("contracts", c, audience=PUBLIC_ONLY), "alert": c.pk in alerts}
            for c in expiring_contracts(within_days, audience=PUBLIC_ONLY)
        ],
    }


@router.get("/grants/360giving", openapi_extra=PUBLIC, summary="Grants as a 360Giving package")
def grants_360giving(request) -> dict[str, Any]:
    grants = (
        Grant.objects.for_audience(PUBLIC_ONLY)
        .select_related("programme")
        .prefetch_related("objectives__plan")
    )
    return threesixty.package(grants, issued=today())


@router.get(
    "/objectives/{objective_id}/thread",
    openapi_extra=PUBLIC,
    summary="Everything that serves one objective (the golden thread)",
)
def objective_thread(request, objective_id: int) -> dict[str, Any]:
    objective = get_object_or_404(
        Objective.objects.select_related("plan").filter(plan__in=plans_for(PUBLIC_ONLY)),
        pk=objective_id,
    )
    return golden_thread(objective, audience=PUBLIC_ONLY)


@router.get("/{kind}", openapi_extra=PUBLIC, summary="A register's items")
def register_items(request, kind: str) -> dict[str, Any]:
    return exports.as_json(_kind(kind), audience=PUBLIC_ONLY)


@router.get("/{kind}/{slug}", openapi_extra=PUBLIC, summary="One register item")
def register_item(request, kind: str, slug: str) -> dict[str, Any]:
    item = get_object_or_404(exports.queryset(_kind(kind), audience=PUBLIC_ONLY), slug=slug)
    return exports.record(kind, item, audience=PUBLIC_ONLY)
