"""The public transparency site: published plans, figures and text only, never drafts.

Every read here names its audience, `Audience.PUBLIC` (see plans.visibility): plans are found
through `plans_for(PUBLIC)`, figures through `statuses(..., audience=PUBLIC)` or published
observations; the report archive lists only published periods.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from oversight.accounts.access import public
from oversight.lib import rag as lr
from oversight.lib.audience import Audience
from oversight.lib.charts import spc_alt_text, spc_chart
from oversight.lib.periods import parse_period
from oversight.lib.spc import xmr
from oversight.plans.exports import MEASURE_FIELDS, measure_record, number
from oversight.plans.models import (
    Area,
    Measure,
    Observation,
    ObservationRevision,
    Plan,
    Publication,
)
from oversight.plans.statistics import significance_of_headlines
from oversight.plans.status import statuses
from oversight.plans.visibility import commentary, current_plan, plans_for
from oversight.reports.compose import compose_report, headline_summary
from oversight.reports.render import render as render_report

from ..cache import TIMEOUT, cache_key, cached_for_public, data_version
from ..converters import period_slug
from ..twins import respond

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
FIGURE_FIELDS = [
    "period",
    "area",
    "basis",
    "actual",
    "target",
    "rag",
    "rag_reason",
    "comment",
    "source",
    "published_at",
    "corrected_at",
    "correction_reason",
]
OVERVIEW_FIELDS = [*MEASURE_FIELDS, "url"]  # the export's fields and a link to the page
PUBLIC = Audience.PUBLIC  # every read on this site is the public's


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


@public
@cached_for_public()
def home(request):
    plan = current_plan(PUBLIC)
    context = {"plan": plan, "plans": list(plans_for(PUBLIC))}
    if plan is not None:
        periods = published_periods(plan)
        context["periods"] = periods
        if periods:
            latest = statuses(plan, periods[0], [plan.force_area], audience=PUBLIC)
            context["latest"] = periods[0]
            # The report's own sentence, so the site and the report never count differently.
            context["headline_summary"] = headline_summary(
                latest, parse_period(periods[0]), significance_of_headlines(latest)
            )
            context["headlines"] = [s for s in latest if s.measure.headline]
    return render(request, "web/home.html", context)


def _summary(items) -> list[tuple[str, int]]:
    counts = Counter(s.rag.value if s.rag else "none" for s in items)
    return [(k, counts.get(k, 0)) for k in ("green", "amber", "red", "none")]


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
        "web/plan.html",
        context,
        records=records,
        fields=MEASURE_LIST_FIELDS,
        filename=f"{plan.slug}-measures",
        meta={"plan": plan.slug, "title": plan.title, "force": plan.force},
    )


def _series(observations: list[Observation]) -> tuple[list[str], list[float]]:
    """The chart's series: the commonest period kind among period-basis figures with a value."""
    usable = [o for o in observations if o.value is not None and o.basis == "period"]
    if not usable:
        return [], []
    kind = Counter(o.period.kind for o in usable).most_common(1)[0][0]
    points = [o for o in usable if o.period.kind == kind]
    return [o.period.code for o in points], [float(o.value) for o in points]


def _measure_figures(measure: Measure, area: Area) -> list[Observation]:
    return list(
        Observation.objects.published()
        .filter(measure=measure, area=area)
        .select_related("period")
        .order_by("period__start", "-period__end")
    )


def _xmr(measure: Measure, observations: list[Observation]):
    periods, values = _series(observations)
    if len(values) < 2:
        return None, periods
    target = measure.target_value if measure.target_kind == lr.TargetKind.VALUE else None
    return (
        xmr(
            values, polarity=measure.polarity, target=float(target) if target is not None else None
        ),
        periods,
    )


@public
@cached_for_public("area")
def measure_detail(request, measure_id: int, fmt: str = "html"):
    measure = get_object_or_404(
        Measure.objects.select_related("plan", "objective").filter(plan__in=plans_for(PUBLIC)),
        pk=measure_id,
    )
    plan = measure.plan
    areas = list(plan.areas.all())
    area = next((a for a in areas if a.code == request.GET.get("area")), None) or next(
        a for a in areas if a.is_force_area
    )
    observations = _measure_figures(measure, area)
    # One status per published figure, all from one query (statuses' baseline lookup included).
    by_period = {
        s.period: s
        for code in {o.period.code for o in observations}
        for s in statuses(plan, code, [area], audience=PUBLIC, measures=[measure])
    }
    rows = []
    for o in observations:
        s = by_period.get(o.period.code)
        rows.append({"obs": o, "status": s})
    records = [
        {
            "period": r["obs"].period.code,
            "area": area.code,
            "basis": r["obs"].basis,
            "actual": number(r["obs"].value) if r["obs"].value is not None else r["obs"].status,
            "target": number(r["status"].target) if r["status"] else None,
            "rag": r["status"].rag.value if r["status"] and r["status"].rag else None,
            "rag_reason": r["status"].rag_reason if r["status"] else "",
            "comment": r["obs"].comment,
            "source": r["obs"].source,
            "published_at": r["obs"].published_at,
            "corrected_at": r["obs"].corrected_at,
            "correction_reason": r["obs"].correction_reason,
        }
        for r in rows
    ]
    corrections = [o for o in observations if o.corrected_at]
    previous = {}
    if corrections:
        for rev in ObservationRevision.objects.filter(observation__in=corrections).order_by(
            "changed_at"
        ):
            obs = next(o for o in corrections if o.pk == rev.observation_id)
            if obs.published_at and rev.changed_at >= obs.published_at:
                previous.setdefault(obs.pk, []).append(rev)
    result, periods = _xmr(measure, observations)
    # The latest status: the newest quarter or year where there is one (months are history).
    reported = [r for r in rows if r["obs"].period.kind != "month"] or rows
    latest = max(reported, key=lambda r: r["obs"].period.end) if reported else None
    # The office's own commentary on the latest published period, where it has written one.
    written = (
        commentary(plan, latest["obs"].period.code, PUBLIC).get((measure.pk, area.pk))
        if latest
        else None
    )
    peers, peers_url = _peers(measure, latest["obs"].period.code if latest else None)
    context = {
        "plan": plan,
        "measure": measure,
        "areas": areas,
        "area": area,
        "rows": list(reversed(rows)),
        "latest": latest,
        "corrections": [(o, previous.get(o.pk, [])) for o in corrections],
        "chart_alt": spc_alt_text(result, title=measure.name, periods=periods, unit=measure.unit)
        if result
        else "",
        "chart_points": len(periods),
        "pin_url": _pin_url(measure.pk),
        "commentary": written,
        "peers": peers,
        "peers_url": peers_url,
    }
    return respond(
        request,
        fmt,
        "web/measure.html",
        context,
        records=records,
        fields=FIGURE_FIELDS,
        filename=f"{plan.slug}-measure-{measure.code}",
        meta={
            "plan": plan.slug,
            "measure": measure.code,
            "name": measure.name,
            "unit": measure.unit,
            "polarity": measure.polarity,
            "headline": measure.headline,
            "target": measure.target.describe(),
            "area": area.code,
            "compared_with_other_forces": peers.sentence if peers else None,
        },
    )


def _peers(measure: Measure, period_code: str | None):
    """For a measure fed from police.uk that asks for a comparison: how the force compares in the
    latest period, and a link to the comparison of every force (where the page can show it)."""
    if not measure.opendata_source or not period_code:
        return None, ""
    from oversight.lib.policeuk import parse_source
    from oversight.opendata.report import peer_comparison

    source = parse_source(measure.opendata_source)
    peers = peer_comparison(source, period_code)
    if peers is None or peers.result is None or not peers.group or len(source.crime_types) > 1:
        return peers, ""
    query = urlencode(
        {
            "period": period_code,
            "crime_type": source.crime_types[0] if source.crime_types else "",
            "force": source.force,
            "group": peers.group,
        }
    )
    return peers, f"{reverse('opendata:compare')}?{query}"


def _pin_url(measure_id: int) -> str | None:
    from .collection import pin_url

    return pin_url(measure_id)


@public
@cached_for_public("area")
@csp_update({"style-src": ["'unsafe-inline'"]})  # matplotlib styles SVG with attributes
def measure_chart(request, measure_id: int):
    measure = get_object_or_404(
        Measure.objects.select_related("plan").filter(plan__in=plans_for(PUBLIC)), pk=measure_id
    )
    area = measure.plan.areas.filter(code=request.GET.get("area", "")).first()
    area = area or measure.plan.force_area
    result, periods = _xmr(measure, _measure_figures(measure, area))
    if result is None:
        raise Http404("not enough published figures for a chart")
    chart = spc_chart(result, title=measure.name, periods=periods, unit=measure.unit)
    response = HttpResponse(chart.svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response


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
                reverse("web:performance-period", args=[plan.slug, code])
            ),
        }
        for code in periods
    ]
    return respond(
        request,
        fmt,
        "web/performance_index.html",
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
    for s in found:
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
        "web/performance_period.html",
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


@public
@cached_for_public()
def report_archive(request, slug: str, fmt: str = "html"):
    plan = get_object_or_404(plans_for(PUBLIC), slug=slug)
    publications = Publication.objects.filter(
        plan=plan, period__kind__in=REPORTING_KINDS
    ).select_related("period")
    records = []
    for p in publications:
        urls = {
            f: request.build_absolute_uri(
                reverse("web:report-file", args=[plan.slug, p.period.code, f])
            )
            for f in ("html", "pdf", "docx")
        }
        records.append(
            {
                "period": p.period.code,
                "label": p.period.spec.label,
                "published_at": p.published_at,
                "html": urls["html"],
                "pdf": urls["pdf"],
                "docx": urls["docx"],
            }
        )
    return respond(
        request,
        fmt,
        "web/reports.html",
        {"plan": plan, "records": records},
        records=records,
        fields=["period", "label", "published_at", "html", "pdf", "docx"],
        filename=f"{plan.slug}-reports",
        meta={"plan": plan.slug},
    )


CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def report_response(plan: Plan, period: str, fmt: str, *, audience: Audience) -> HttpResponse:
    """The report as `audience` may read it, as a download. The public report is cached while the
    data version stands (every change writes an audit entry, so any change to what it shows ends
    the cached copy at once): composing and rendering a PDF takes seconds."""
    key = None
    if audience is PUBLIC:
        key = cache_key("report", plan.pk, period, fmt, data_version())
        body = cache.get(key)
    if key is None or body is None:
        body = render_report(compose_report(plan, period, audience=audience), fmt)
        if key is not None:
            cache.set(key, body, timeout=TIMEOUT)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"{plan.slug}-report-{period_slug(period)}.{fmt}"
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@public
@csp_update({"style-src": ["'unsafe-inline'"]})  # the report is one self-contained page
def report_file(request, slug: str, period: str, fmt: str):
    plan = get_object_or_404(plans_for(PUBLIC), slug=slug)
    if fmt not in CONTENT_TYPES:
        raise Http404("unknown format")
    if not Publication.objects.filter(plan=plan, period__code=period).exists():
        raise Http404("this period is not published")
    return report_response(plan, period, fmt, audience=PUBLIC)


@public
def plan_redirect(request):
    """/plan/ goes to the current plan."""
    plan = current_plan(PUBLIC)
    if plan is None:
        raise Http404("no plan has been loaded")
    return redirect("web:plan", plan.slug)


@public
@cached_for_public()
def api_docs(request):
    """What the API offers and the stability promise; the contract is the OpenAPI document."""
    from oversight.api.api import api

    schema = api.get_openapi_schema()
    operations = [
        (method.upper(), route, op.get("summary", ""), op.get("description", ""))
        for route, item in schema["paths"].items()
        for method, op in item.items()
    ]
    return render(request, "web/api.html", {"operations": operations})
