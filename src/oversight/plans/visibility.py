"""What each audience may read of a plan: the one rule every read path goes through.

PUBLIC reads published plans, published figures and the narrative and commentary as published.
PANEL reads that, and, for a period the office has released to it and not yet published, the
release's frozen snapshot (figures, narrative, commentary as they were when released).
STAFF reads everything, drafts included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from oversight.lib.audience import Audience

from .models import (
    Commentary,
    Narrative,
    Observation,
    ObservationState,
    PanelRelease,
    Period,
    Plan,
    PlanState,
    Publication,
)

# The fields of a figure a release keeps, besides its keys.
SNAPSHOT_FIELDS = (*Observation.TRACKED, "state", "published_at", "corrected_at")
# Figures the office has reviewed: what a release to the Panel may carry.
RELEASABLE = (ObservationState.APPROVED, ObservationState.PUBLISHED)


def plans_for(audience: Audience) -> QuerySet[Plan]:
    """The plans an audience may open: staff see drafts and archived plans too."""
    if audience is Audience.STAFF:
        return Plan.objects.all()
    return Plan.objects.published()


def current_plan(audience: Audience) -> Plan | None:
    """The plan the site opens on: the one the office marked current, else the newest it may see."""
    found = plans_for(audience)
    return found.filter(current=True).first() or found.order_by("-starts", "slug").first()


# Periods that have a RAG overview and a report: quarters and years. Published months are the
# history behind the charts.
REPORTING_KINDS = ("quarter", "year")


def published_periods(plan: Plan) -> list[str]:
    """Codes of the plan's published quarters and years, newest first."""
    return [
        p.period.code
        for p in Publication.objects.filter(plan=plan, period__kind__in=REPORTING_KINDS)
        .select_related("period")
        .order_by("-period__start", "period__end")
    ]


# ---------------------------------------------------------------- the Panel's releases


def latest_releases(plan: Plan) -> dict[str, PanelRelease]:
    """{period code: the newest release} for the plan's released periods not yet published (once a
    period is published the Panel reads what the public reads, corrections included)."""
    published = set(Publication.objects.filter(plan=plan).values_list("period__code", flat=True))
    out: dict[str, PanelRelease] = {}
    for r in PanelRelease.objects.filter(collection__plan=plan).select_related(
        "collection__period"
    ):
        code = r.collection.period.code
        if code not in published and code not in out:  # newest first (Meta.ordering)
            out[code] = r
    return out


def snapshot_of(plan: Plan, period: Period) -> dict[str, Any]:
    """What a release keeps: the period's reviewed figures, its narrative and its commentary."""
    figures = [
        {
            "id": o.pk,
            "measure": o.measure_id,
            "area": o.area_id,
            **{f: _plain(getattr(o, f)) for f in SNAPSHOT_FIELDS},
        }
        for o in Observation.objects.filter(
            measure__plan=plan, period=period, state__in=RELEASABLE
        ).order_by("pk")
    ]
    narratives = [
        {
            "section": n.section,
            "objective": n.objective.code if n.objective else None,
            "key": n.key,
            "title": n.title,
            "body": n.body,
            "order": n.order,
        }
        for n in Narrative.objects.filter(plan=plan, period=period).select_related("objective")
    ]
    commentary = [
        {"measure": c.measure_id, "area": c.area_id, "text": c.text}
        for c in Commentary.objects.filter(measure__plan=plan, period=period).exclude(text="")
    ]
    return {"figures": figures, "narratives": narratives, "commentary": commentary}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_DECIMALS = {"value", "target", "numerator", "denominator"}
_TIMES = {"published_at", "corrected_at"}
_DAYS = {"data_from", "data_to"}
_WHOLE = {"rank", "rank_of", "sample_size", "responses"}


def _released_observation(row: dict[str, Any], period: Period) -> Observation:
    """A figure as the release holds it: an Observation never saved (the stored one may differ)."""
    from django.utils.dateparse import parse_datetime

    values: dict[str, Any] = {}
    for f in SNAPSHOT_FIELDS:
        v = row.get(f)
        if f in _DECIMALS:
            v = Decimal(v) if v not in (None, "") else None
        elif f in _TIMES:
            v = parse_datetime(v) if v else None
        elif f in _DAYS:
            v = date.fromisoformat(v) if v else None
        elif f in _WHOLE:
            v = int(v) if v not in (None, "") else None
        elif f == "comparators":
            v = v if isinstance(v, list) else []
        elif v is None:
            v = ""
        values[f] = v
    obs = Observation(id=row["id"], measure_id=row["measure"], area_id=row["area"], **values)
    obs.period = period
    obs.released = True  # type: ignore[attr-defined]
    return obs


# ---------------------------------------------------------------- figures


class Figures:
    """The figures of one plan an audience reads."""

    def __init__(self, plan: Plan, audience: Audience):
        if not isinstance(audience, Audience):
            raise TypeError(f"an audience is needed, not {audience!r}")
        self.plan, self.audience = plan, audience
        self.releases = latest_releases(plan) if audience is Audience.PANEL else {}

    def stored(self) -> QuerySet[Observation]:
        """Stored figures this audience reads as they stand (not those a release stands in for)."""
        qs = Observation.objects.filter(measure__plan=self.plan)
        if self.audience is Audience.STAFF:
            return qs
        return qs.filter(state=ObservationState.PUBLISHED).exclude(
            period__code__in=list(self.releases)
        )

    def released(
        self,
        *,
        periods: Iterable[str] | None = None,
        measures: Iterable[int] | None = None,
        areas: Iterable[int] | None = None,
    ) -> list[Observation]:
        """The Panel's figures from its releases (empty for other audiences)."""
        if not self.releases:
            return []
        wanted_periods = set(periods) if periods is not None else None
        wanted_measures = set(measures) if measures is not None else None
        wanted_areas = set(areas) if areas is not None else None
        out = []
        for code, release in self.releases.items():
            if wanted_periods is not None and code not in wanted_periods:
                continue
            period = release.collection.period
            for row in release.snapshot.get("figures", []):
                if wanted_measures is not None and row["measure"] not in wanted_measures:
                    continue
                if wanted_areas is not None and row["area"] not in wanted_areas:
                    continue
                out.append(_released_observation(row, period))
        return out

    def find(
        self,
        *,
        periods: Iterable[str] | None = None,
        measures: Iterable[Any] | None = None,
        areas: Iterable[Any] | None = None,
        ordered: bool = True,
    ) -> list[Observation]:
        """Every figure this audience reads, filtered by period codes, measures and areas; in the
        figures' own order unless `ordered` is False (for a caller that files them by key, which
        spares the database the joins and the sort of that order)."""
        periods = list(periods) if periods is not None else None
        measure_ids = [getattr(m, "pk", m) for m in measures] if measures is not None else None
        area_ids = [getattr(a, "pk", a) for a in areas] if areas is not None else None
        qs = self.stored().select_related("period")
        if not ordered:
            qs = qs.order_by()
        if periods is not None:
            qs = qs.filter(period__code__in=periods)
        if measure_ids is not None:
            qs = qs.filter(measure_id__in=measure_ids)
        if area_ids is not None:
            qs = qs.filter(area_id__in=area_ids)
        return [*qs, *self.released(periods=periods, measures=measure_ids, areas=area_ids)]


# ---------------------------------------------------------------- narrative and commentary


@dataclass(frozen=True)
class NarrativeText:
    """One section of a period's report text as an audience reads it."""

    section: str
    objective_code: str | None
    key: str
    title: str
    body: str
    order: int


def narratives(plan: Plan, period_code: str, audience: Audience) -> list[NarrativeText]:
    """The period's narrative as the audience reads it, in order."""
    if audience is Audience.PANEL:
        release = latest_releases(plan).get(period_code)
        if release is not None:
            items = release.snapshot.get("narratives", [])
            return sorted(
                (
                    NarrativeText(
                        n["section"], n["objective"], n["key"], n["title"], n["body"], n["order"]
                    )
                    for n in items
                ),
                key=lambda n: n.order,
            )
    found = Narrative.objects.filter(plan=plan, period__code=period_code).select_related(
        "objective"
    )
    if audience is Audience.STAFF:
        return [
            NarrativeText(
                n.section,
                n.objective.code if n.objective else None,
                n.key,
                n.title,
                n.body,
                n.order,
            )
            for n in found
        ]
    return [
        NarrativeText(
            n.section,
            n.objective.code if n.objective else None,
            n.key,
            n.published_title,
            n.published_body,
            n.order,
        )
        for n in found.filter(published_at__isnull=False).exclude(published_body="")
    ]


def commentary(plan: Plan, period_code: str, audience: Audience) -> dict[tuple[int, int], str]:
    """{(measure id, area id): the office's commentary} for a period, as the audience reads it."""
    if audience is Audience.PANEL:
        release = latest_releases(plan).get(period_code)
        if release is not None:
            return {
                (c["measure"], c["area"]): c["text"] for c in release.snapshot.get("commentary", [])
            }
    found = Commentary.objects.filter(measure__plan=plan, period__code=period_code)
    if audience is Audience.STAFF:
        return {(c.measure_id, c.area_id): c.text for c in found if c.text}
    return {
        (c.measure_id, c.area_id): c.published_text
        for c in found.filter(published_at__isnull=False)
        if c.published_text
    }


def is_public(plan: Plan) -> bool:
    return plan.state == PlanState.PUBLISHED


def changed_since_release(plan: Plan, period_code: str) -> dict[tuple[int, int], Observation]:
    """{(measure id, area id): the figure as it stands} for each reviewed figure of a released,
    unpublished period that differs from what the Panel was given (or that it was not given), so
    the Panel's pages can show the change as a change. Figures awaiting review are not shown."""
    release = latest_releases(plan).get(period_code)
    if release is None:
        return {}
    given = {(r["measure"], r["area"]): r for r in release.snapshot.get("figures", [])}
    out = {}
    for o in Observation.objects.filter(
        measure__plan=plan, period__code=period_code, state__in=RELEASABLE
    ).select_related("period"):
        row = given.get((o.measure_id, o.area_id))
        now = {f: _plain(getattr(o, f)) for f in Observation.TRACKED}
        if row is None or any(_same(row.get(f)) != _same(v) for f, v in now.items()):
            out[(o.measure_id, o.area_id)] = o
    return out


def _same(value: Any) -> Any:
    return "" if value is None else value
