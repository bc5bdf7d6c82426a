"""Read API for the police.uk data: what is imported, and counts by crime type."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from .queries import counts_by_type, forces_available, months_available

router = Router(tags=["open data"])
PUBLIC = {"x-access": "public"}  # the access matrix reads this (tests/api/test_api.py)


class ForceMonths(Schema):
    force: str
    months: list[str]


class CrimeCount(Schema):
    crime_type: str
    count: int


@router.get(
    "/forces",
    response=list[ForceMonths],
    summary="Forces and months imported",
    openapi_extra=PUBLIC,
)
def forces(request):
    return [{"force": f, "months": months_available(f)} for f in forces_available()]


@router.get(
    "/counts",
    response=list[CrimeCount],
    summary="Street-level crimes by police.uk crime type",
    openapi_extra=PUBLIC,
)
def counts(request, force: str, month: str, area: str | None = None):
    if month not in months_available(force):
        raise Http404("no police.uk data imported for that force and month")
    return [{"crime_type": t, "count": n} for t, n in counts_by_type(force, [month], area)]
