"""Read API for the police.uk data: what is imported, counts by crime type, a force against its
peers, and each local policing area's monthly series with its XmR limits."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from oversight.lib.periods import PeriodError
from oversight.lib.policeuk import CRIME_TYPES

from .compare import compare
from .groups import NAMED, GroupError, resolve
from .queries import area_series, counts_by_type, forces_available, months_available

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


class ForceInComparison(Schema):
    force: str
    name: str
    crimes: int
    population: int | None
    population_year: str
    population_source: str
    population_other_year: bool
    rate_per_1000: float | None
    rank: int
    ranked_by: str
    p_value: float | None
    significant: bool | None
    direction: str
    funnel_95_lower: float | None
    funnel_95_upper: float | None
    funnel_998_lower: float | None
    funnel_998_upper: float | None
    funnel: str


class ComparisonOut(Schema):
    period: str
    crime_types: list[str]
    group: str
    group_rate_per_1000: float | None
    ranked_by: str
    populations: str
    notes: list[str]
    forces: list[ForceInComparison]


@router.get(
    "/compare",
    response=ComparisonOut,
    summary="A force against a comparison group: counts, rates, ranks, exact Poisson tests",
    description=(
        "group: all (every force imported), england-and-wales, region (the force's region) or "
        "msg (its most similar group, from the office's list). Rates use each force's "
        "population for the year nearest the period, named with its source and year; a force "
        "without one is ranked by count, apart."
    ),
    openapi_extra=PUBLIC,
)
def comparison(request, force: str, period: str, crime_type: str | None = None, group: str = "all"):
    if group not in NAMED:
        raise HttpError(400, f"group must be one of {', '.join(NAMED)}")
    if crime_type and crime_type not in CRIME_TYPES:
        raise HttpError(400, f"unknown crime type {crime_type}")
    try:
        members, label = resolve(group, force)
        result = compare(period, [crime_type] if crime_type else [], members, label)
    except GroupError as exc:
        raise HttpError(400, exc.public) from None
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from None
    if result.row(force) is None:
        raise Http404(f"no police.uk data imported for {force} in every month of {period}")
    return result.record()


class AreaMonth(Schema):
    month: str
    crimes: int
    mean: float
    lower_limit: float | None
    upper_limit: float | None
    variation: str


class AreaSeries(Schema):
    area: str
    latest_variation: str | None
    months: list[AreaMonth]


@router.get(
    "/areas",
    response=list[AreaSeries],
    summary="Each local policing area's crimes a month, with XmR limits and variation",
    openapi_extra=PUBLIC,
)
def areas(request, force: str, crime_type: str | None = None):
    if crime_type and crime_type not in CRIME_TYPES:
        raise HttpError(400, f"unknown crime type {crime_type}")
    months = months_available(force)
    if not months:
        raise Http404("no police.uk data imported for that force")
    return [
        {"area": a.area, "latest_variation": a.result.variation, "months": a.months(months)}
        for a in area_series(force, months, [crime_type] if crime_type else [])
    ]
