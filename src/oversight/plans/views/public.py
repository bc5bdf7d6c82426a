"""The plan's public pages: the plan with its objectives and measures, and the RAG overview of each published period. Published material only (Audience.PUBLIC)."""

from __future__ import annotations

from collections import Counter

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from oversight.accounts.access import public
from oversight.core.cache import cached_for_public
from oversight.core.converters import period_slug
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.plans.assessment import statuses
from oversight.plans.exports import MEASURE_FIELDS, measure_record
from oversight.plans.models import (
    Measure,
    Publication,
)
from oversight.plans.visibility import plans_for, published_periods

MEASURE_LIST_FIELDS = [
    "objective",
    "objective_title",
    "measure",
    "name",
    "headline",
    "unit",
    "polarity",
    "target",
    "data_source",
    "url",
]


OVERVIEW_FIELDS = [*MEASURE_FIELDS, "url"]  # the export's fields and a link to the page


PUBLIC = Audience.PUBLIC  # every read on this site is the public's


@public
@cached_for_public()
def plan_detail(request, slug: str, fmt: str = "html"):
    plan = get_object_or_404(plans_for(PUBLIC), slug=slug)
    objectives = list(plan.objectives.all())
    measures = list(plan.measures.select_related("objective"))
    records = [
        {
            "objective": m.objective.code,
            "objective_title": m.objective.title,
            "measure": m.code,
            "name": m.name,
            "headline": m.headline,
            "unit": m.unit,
            "polarity": m.polarity,
            "target": m.target.describe(),
            "data_source": m.data_source,
            "url": request.build_absolute_uri(reverse("web:measure", args=[m.pk])),
        }
        for m in measures
    ]
    by_objective: dict[int, list[Measure]] = {}
    for m in measures:
        by_objective.setdefault(m.objective_id, []).append(m)
    context = {
        "plan": plan,
        "objectives": [(o, by_objective.get(o.pk, [])) for o in objectives],
        "periods": published_periods(plan),
    }
    return respond(
        request,
        fmt,
        "plans/plan.html",
        context,
        records=records,
        fields=MEASURE_LIST_FIELDS,
        filename=f"{plan.slug}-measures",
        meta={"plan": plan.slug, "title": plan.title, "force": plan.force},
    )


@public
@cached_for_public()
def performance_index(request, slug: str, fmt: str = "html"):
    plan = get_object_or_404(plans_for(PUBLIC), slug=slug)
    periods = published_periods(plan)
    records = [
        {
            "period": code,
            "label": parse_period(code).label,
            "url": request.build_absolute_uri(
                reverse("plans:performance-period", args=[plan.slug, code])
            ),
        }
        for code in periods
    ]
    return respond(
        request,
        fmt,
        "plans/performance_index.html",
        {"plan": plan, "records": records},
        records=records,
        fields=["period", "label", "url"],
        filename=f"{plan.slug}-periods",
        meta={"plan": plan.slug},
    )


@public
@cached_for_public("area", "headline")
def performance_period(request, slug: str, period: str, fmt: str = "html"):
    """The RAG overview of a published period, by objective, for the force or one area."""
    plan = get_object_or_404(plans_for(PUBLIC), slug=slug)
    if not Publication.objects.filter(plan=plan, period__code=period).exists():
        raise Http404("this period is not published")
    areas = list(plan.areas.all())
    area = next((a for a in areas if a.code == request.GET.get("area")), None) or next(
        a for a in areas if a.is_force_area
    )
    found = statuses(plan, period, [area], audience=PUBLIC)
    headline_only = request.GET.get("headline") == "1"
    if headline_only:
        found = [s for s in found if s.measure.headline]
    records = []
    for s in found if fmt != "html" else []:  # the records are the twins' (.json, .csv) alone
        r = measure_record(s)
        r["url"] = request.build_absolute_uri(reverse("web:measure", args=[s.measure.pk]))
        records.append(r)
    groups: list[tuple] = []
    for s in found:
        if not groups or groups[-1][0] != s.measure.objective:
            groups.append((s.measure.objective, []))
        groups[-1][1].append(s)
    return respond(
        request,
        fmt,
        "plans/performance_period.html",
        {
            "plan": plan,
            "period": period,
            "label": parse_period(period).label,
            "areas": areas,
            "area": area,
            "groups": groups,
            "summary": _summary(found),
            "headline_only": headline_only,
        },
        records=records,
        fields=OVERVIEW_FIELDS,
        filename=f"{plan.slug}-{period_slug(period)}-{area.code}",
        meta={"plan": plan.slug, "period": period, "area": area.code},
    )


def _summary(items) -> list[tuple[str, int]]:
    counts = Counter(s.rag.value if s.rag else "none" for s in items)
    return [(k, counts.get(k, 0)) for k in ("green", "amber", "red", "none")]
