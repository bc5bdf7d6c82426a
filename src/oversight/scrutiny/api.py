"""The scrutiny API, mounted at /api/v1/scrutiny/: read-only and public, the same records as the
pages' JSON twins and the commands.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from oversight.core.clock import today
from oversight.scrutiny.models.agreed_actions import OUTSTANDING

from . import popolo
from .documents import sort_for_log
from .exports import action_record, adhoc_record, meeting_record, report_record
from .models import Action, AdHocRequest, Body, InspectionReport, Meeting

router = Router(tags=["scrutiny"])
PUBLIC = {"x-access": "public"}


@router.get("/bodies", openapi_extra=PUBLIC, summary="Bodies: the Panel, A&A meetings, boards")
def bodies(request) -> list[dict[str, Any]]:
    return [
        {"id": b.slug, "name": b.name, "kind": b.kind, "moderngov_id": b.moderngov_id or None}
        for b in Body.objects.all()
    ]


@router.get("/meetings", openapi_extra=PUBLIC, summary="Meetings, oldest first")
def meetings(request, body: str = "") -> list[dict[str, Any]]:
    qs = Meeting.objects.select_related("body")
    if body:
        qs = qs.filter(body__slug=body)
    return [meeting_record(m) for m in qs]


@router.get(
    "/meetings/{meeting_id}", openapi_extra=PUBLIC, summary="A meeting with its items and actions"
)
def meeting(request, meeting_id: int) -> dict[str, Any]:
    m = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    day = today()
    return {
        **meeting_record(m),
        "attendance": [
            {"person": a.person.slug, "name": a.person.name, "kind": a.kind, "role": a.role or None}
            for a in m.attendance.select_related("person")
        ],
        "declarations": [
            {"person": x.person.slug, "nature": x.nature}
            for x in m.declarations.select_related("person")
        ],
        "items": [
            {
                "minute": i.minute,
                "title": i.title,
                "minutes": i.minutes,
                "agreed": [r.text for r in i.resolutions.all()],
            }
            for i in m.items.prefetch_related("resolutions")
        ],
        "actions": [action_record(a, day) for a in m.actions.with_related()],
        "actions_due": [
            action_record(a, day) for a in sort_for_log(list(m.actions_due.with_related()), day)
        ],
    }


@router.get("/actions", openapi_extra=PUBLIC, summary="Actions, overdue first")
def actions(request, state: str = "", owner: str = "") -> dict[str, Any]:
    if state not in ("", "open", "overdue"):
        raise HttpError(422, 'state is "open", "overdue" or empty')
    day = today()
    qs = Action.objects.with_related().select_related("measure__plan")
    if state:
        qs = qs.filter(status__in=OUTSTANDING)
    if owner:
        qs = qs.filter(owner__icontains=owner)
    found = sort_for_log(list(qs), day)
    if state == "overdue":
        found = [a for a in found if a.is_overdue(day)]
    return {"as_of": day.isoformat(), "items": [action_record(a, day) for a in found]}


@router.get(
    "/adhoc-requests", openapi_extra=PUBLIC, summary="Ad-hoc A&A requests to the Chief Constable"
)
def adhoc_requests(request) -> list[dict[str, Any]]:
    return [adhoc_record(r) for r in AdHocRequest.objects.select_related("body")]


@router.get(
    "/hmicfrs", openapi_extra=PUBLIC, summary="HMICFRS reports, s.55 deadlines and findings"
)
def hmicfrs(request) -> dict[str, Any]:
    day = today()
    return {
        "as_of": day.isoformat(),
        "items": [
            report_record(r, day) for r in InspectionReport.objects.prefetch_related("findings")
        ],
    }


@router.get(
    "/popolo",
    openapi_extra=PUBLIC,
    summary="People, organisations, memberships and meetings as Popolo",
)
def popolo_export(request) -> dict[str, Any]:
    return popolo.export()
