"""The registers API, mounted at /api/v1/registers/: read-only and public, the same records as the
pages' JSON twins and the exports.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from oversight.plans.models import Objective

from . import exports, threesixty, tracker
from .importers import KINDS
from .models import Grant
from .queries import contract_alerts, expiring_contracts, golden_thread, today

router = Router(tags=["registers"])
PUBLIC = {"x-access": "public"}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise HttpError(404, f'no register "{kind}": one of {", ".join(KINDS)}')
    return kind


@router.get("/tracker", openapi_extra=PUBLIC, summary="The publication tracker")
def publication_tracker(request) -> dict[str, Any]:
    return {"today": today().isoformat(), **tracker.as_json(tracker.build())}


@router.get("/contracts/expiring", openapi_extra=PUBLIC, summary="Contracts ending soon")
def contracts_expiring(request, within_days: int = 365) -> dict[str, Any]:
    if not 1 <= within_days <= 3650:
        raise HttpError(422, "within_days must be between 1 and 3650")
    alerts = {c.pk for c in contract_alerts()}
    return {
        "today": today().isoformat(),
        "within_days": within_days,
        "items": [
            {**exports.record("contracts", c), "alert": c.pk in alerts}
            for c in expiring_contracts(within_days)
        ],
    }


@router.get("/grants/360giving", openapi_extra=PUBLIC, summary="Grants as a 360Giving package")
def grants_360giving(request) -> dict[str, Any]:
    grants = Grant.objects.select_related("programme").prefetch_related("objectives__plan")
    return threesixty.package(grants, issued=today())


@router.get(
    "/objectives/{objective_id}/thread",
    openapi_extra=PUBLIC,
    summary="Everything that serves one objective (the golden thread)",
)
def objective_thread(request, objective_id: int) -> dict[str, Any]:
    return golden_thread(
        get_object_or_404(Objective.objects.select_related("plan"), pk=objective_id)
    )


@router.get("/{kind}", openapi_extra=PUBLIC, summary="A register's items")
def register_items(request, kind: str) -> dict[str, Any]:
    return exports.as_json(_kind(kind))


@router.get("/{kind}/{slug}", openapi_extra=PUBLIC, summary="One register item")
def register_item(request, kind: str, slug: str) -> dict[str, Any]:
    item = get_object_or_404(exports.queryset(_kind(kind)), slug=slug)
    return exports.record(kind, item)
