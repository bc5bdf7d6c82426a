"""The front door: the home page, the measure page (which draws on plans, police.uk open data and the Panel's questions), the staff dashboard and the site's navigation. The only app that may import every other."""

from __future__ import annotations

from collections import Counter
from typing import Any, TypedDict
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from oversight.accounts.access import public, require
from oversight.accounts.roles import EDITORS
from oversight.core.cache import cached_for_public, remembered
from oversight.core.clock import today
from oversight.core.twins import respond
from oversight.lib import icons
from oversight.lib.audience import Audience
from oversight.lib.charts import spc_alt_text, spc_chart
from oversight.lib.periods import PeriodKind, parse_period
from oversight.lib.significance import SurveyJudgement
from oversight.lib.spc import xmr
from oversight.lib.tables import number
from oversight.plans.assessment import (
    MeasureStatus,
    compared_words,
    statuses,
    statuses_by_period,
    survey_of,
    survey_record,
    survey_words,
)
from oversight.plans.models import (
    Area,
    Measure,
    Observation,
    ObservationRevision,
    Plan,
)
from oversight.plans.statistics import (
    SYNTHETIC_NOTE,
    is_synthetic,
    measure_statistics,
    significance_of_headlines,
    target_level,
)
from oversight.plans.visibility import commentary, current_plan, plans_for, published_periods
from oversight.registers.queries import expiring_contracts
from oversight.registers.tracker import Standing, by_standing
from oversight.reports.compose import headline_summary
from oversight.scrutiny.calendar import overdue_statutory
from oversight.scrutiny.queries import overdue_actions, upcoming_deadlines

FIGURE_FIELDS = [
    "period",
    "area",
    "basis",
    "actual",
    "target",
    "rag",
    "rag_reason",
    "rag_computed",
    "rag_computed_reason",
    "comment",
    "source",
    "published_at",
    "corrected_at",
    "correction_reason",
    "period_label",
    "compared_with",
    "comparators",
    "rank",
    "rank_of",
    "latest_data",
    "stale",
    "sample_size",
    "responses",
    "response_rate",
    "margin_of_error",
    "too_small_to_judge",
    "survey",
]

PUBLIC = Audience.PUBLIC  # the front door's pages are the public's; the dashboard says STAFF


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


# Rolling years overlap and spans differ in length: a chart's points are evenly spaced periods.
CHART_KINDS = {k.value for k in PeriodKind} - {PeriodKind.ROLLING_YEAR, PeriodKind.SPAN}


def _chart_points(observations: list[Observation]) -> list[Observation]:
    """The chart's figures: the commonest period kind among period-basis figures with a value."""
    usable = [
        o
        for o in observations
        if o.value is not None and o.basis == "period" and o.period.kind in CHART_KINDS
    ]
    if not usable:
        return []
    kind = Counter(o.period.kind for o in usable).most_common(1)[0][0]
    return [o for o in usable if o.period.kind == kind]


def _series(observations: list[Observation]) -> tuple[list[str], list[float]]:
    points = _chart_points(observations)
    return [o.period.code for o in points], [float(o.value) for o in points if o.value is not None]


class _Row(TypedDict):
    obs: Observation
    status: MeasureStatus | None
    compared: str
    survey: SurveyJudgement | None
    survey_words: str


def _measure_figures(measure: Measure, area: Area) -> list[Observation]:
    return list(
        Observation.objects.published()
        .filter(measure=measure, area=area)
        .select_related("period")
        .order_by("period__start", "-period__end")
    )


def _xmr(measure: Measure, observations: list[Observation], area: Area):
    periods, values = _series(observations)
    if len(values) < 2:
        return None, periods
    target = _chart_target(measure, area, observations)
    return xmr(values, polarity=measure.polarity, target=target), periods


def _chart_target(measure: Measure, area: Area, observations: list[Observation]) -> float | None:
    """The target line of the chart: the latest published period's target at the chart's
    spacing (a count's target pro rata by months), as the report's charts draw it."""
    points = _chart_points(observations)
    reported = [o for o in observations if o.period.kind != "month"] or observations
    if not points or not reported:
        return None
    latest = max(reported, key=lambda o: o.period.end)
    (s,) = statuses(measure.plan, latest.period.code, [area], audience=PUBLIC, measures=[measure])
    return target_level(measure, s, points[0].period.kind)


def chart_marks(result) -> list[dict[str, str]]:
    """The chart's Making Data Count icons for the page, each with its words (the span around
    the icon names it to a screen reader; the drawing itself is hidden from one)."""
    marks = []
    if result.variation is not None:
        high = bool(result.directions) and result.directions[-1] > 0
        icon = icons.variation_icon(result.variation, high)
        marks.append(
            {
                "svg": _hidden(icon.svg),
                "alt": icon.alt,
                "words": VARIATION_SENTENCE[result.variation],
            }
        )
    if result.assurance is not None:
        icon = icons.assurance_icon(result.assurance)
        marks.append(
            {
                "svg": _hidden(icon.svg),
                "alt": icon.alt,
                "words": ASSURANCE_SENTENCE[result.assurance],
            }
        )
    return marks


def _hidden(svg: str) -> str:
    return svg.replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)


VARIATION_SENTENCE = {
    "common_cause": "Latest figure: common cause variation (within the usual range).",
    "special_cause_improvement": "Latest figure: special cause variation, an improvement.",
    "special_cause_concern": "Latest figure: special cause variation, a concern.",
    "special_cause_neither": "Latest figure: special cause variation, neither better nor worse.",
}
ASSURANCE_SENTENCE = {
    "consistently_passes": "Target (red dotted line): consistently passed.",
    "consistently_fails": "Target (red dotted line): consistently failed.",
    "hit_and_miss": "Target (red dotted line): hit and miss, sometimes passed, sometimes failed.",
}


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
        code: found[0]
        for code, found in statuses_by_period(
            plan, {o.period.code for o in observations}, [area], audience=PUBLIC, measures=[measure]
        ).items()
    }
    rows: list[_Row] = []
    for o in observations:
        s = by_period.get(o.period.code)
        judged = survey_of(o, s.target if s else None)
        rows.append(
            {
                "obs": o,
                "status": s,
                "compared": compared_words(o, measure.unit),
                "survey": judged,
                "survey_words": survey_words(judged) if judged else "",
            }
        )
    records = [
        {
            "period": r["obs"].period.code,
            "area": area.code,
            "basis": r["obs"].basis,
            "actual": number(r["obs"].value) if r["obs"].value is not None else r["obs"].status,
            "target": number(r["status"].target) if r["status"] else None,
            "rag": r["status"].rag.value if r["status"] and r["status"].rag else None,
            "rag_reason": r["status"].rag_reason if r["status"] else "",
            # The rules' own status and reason, shown beside an office's override.
            "rag_computed": r["status"].rag_computed.value
            if r["status"] and r["status"].rag_computed
            else None,
            "rag_computed_reason": r["status"].assessment.reason if r["status"] else "",
            "comment": r["obs"].comment,
            "source": r["obs"].source,
            "published_at": r["obs"].published_at,
            "corrected_at": r["obs"].corrected_at,
            "correction_reason": r["obs"].correction_reason,
            "period_label": r["obs"].period.label,
            "compared_with": r["compared"],
            "comparators": [
                {"name": c.name, "label": c.label, "value": number(c.value)}
                for c in r["obs"].comparator_list
            ],
            "rank": r["obs"].rank,
            "rank_of": r["obs"].rank_of,
            "latest_data": r["obs"].data_span_words,
            "stale": r["obs"].stale if r["obs"].data_span else None,
            **{
                k: v
                for k, v in survey_record(r["survey"]).items()
                if k != "gap_to_target_beyond_margin"
            },
            "survey": r["survey_words"],
        }
        for r in rows
    ]
    corrections = [o for o in observations if o.corrected_at]
    previous: dict[int, list[ObservationRevision]] = {}
    if corrections:
        for rev in ObservationRevision.objects.filter(observation__in=corrections).order_by(
            "changed_at"
        ):
            obs = next(o for o in corrections if o.pk == rev.observation_id)
            if obs.published_at and rev.changed_at >= obs.published_at:
                previous.setdefault(obs.pk, []).append(rev)
    result, periods = _xmr(measure, observations, area)
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
        "chart_marks": chart_marks(result) if result else [],
        # The report's own test and words, so a synthetic series is labelled alike everywhere.
        "chart_synthetic": SYNTHETIC_NOTE
        if is_synthetic(o.source for o in _chart_points(observations))
        else "",
        "pin_url": reverse("scrutiny:pin_question", args=[measure.pk]),
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
            "chart_series_synthetic": bool(context["chart_synthetic"]),
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


@public
@cached_for_public("area")
# matplotlib styles SVG with attributes; django-csp types a view as taking the request alone.
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]
def measure_chart(request, measure_id: int):
    measure = get_object_or_404(
        Measure.objects.select_related("plan").filter(plan__in=plans_for(PUBLIC)), pk=measure_id
    )
    area = measure.plan.areas.filter(code=request.GET.get("area", "")).first()
    area = area or measure.plan.force_area
    result, periods = _xmr(measure, _measure_figures(measure, area), area)
    if result is None:
        raise Http404("not enough published figures for a chart")
    # Drawn once per series (shared by every server with Redis): the key is what the chart shows.
    chart = remembered(
        "spc-chart",
        (repr(result), measure.name, periods, measure.unit),
        lambda: spc_chart(result, title=measure.name, periods=periods, unit=measure.unit),
    )
    response = HttpResponse(chart.svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
def plan_redirect(request):
    """/plan/ goes to the current plan."""
    plan = current_plan(PUBLIC)
    if plan is None:
        raise Http404("no plan has been loaded")
    return redirect("plans:plan", plan.slug)


def latest_period(plan: Plan) -> str | None:
    """The newest period with a collection, a publication or figures."""
    c = plan.collections.select_related("period").first()
    p = plan.publications.select_related("period").first()
    found = [x.period for x in (c, p) if x is not None]
    if not found:
        o = (
            Observation.objects.filter(measure__plan=plan, period__kind="quarter")
            .select_related("period")
            .order_by("-period__start")
            .first()
        )
        found = [o.period] if o else []
    return max(found, key=lambda period: period.start).code if found else None


VARIATION_WORDS = {
    "special_cause_concern": "special cause: concern",
    "special_cause_improvement": "special cause: improvement",
    "special_cause_neither": "special cause: neither better nor worse",
    "common_cause": "common cause variation",
}


def _variation(plan: Plan, period: str) -> list[tuple[str, int]]:
    """How many measures show each kind of variation (SPC, Making Data Count), force area."""
    found = measure_statistics(
        plan, period, [plan.force_area], audience=Audience.STAFF, with_commentary=False
    )
    counts = Counter(st.variation for st in found if st.variation)
    return [(VARIATION_WORDS.get(str(k), str(k)), n) for k, n in counts.most_common()]


@require(*EDITORS)
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = current_plan(Audience.STAFF)
    context: dict[str, Any] = {"plan": plan}
    if plan is not None:
        period = latest_period(plan)
        context["period"] = period
        if period:
            found = statuses(plan, period, [plan.force_area], audience=Audience.STAFF)
            counts = Counter(s.rag.value if s.rag else "none" for s in found)
            context["rag"] = [(k, counts.get(k, 0)) for k in ("green", "amber", "red", "none")]
            context["reds"] = [s for s in found if s.rag and s.rag.value == "red"]
            states = Counter(s.observation.state if s.observation else "missing" for s in found)
            context["states"] = sorted(states.items())
            context["variation"] = _variation(plan, period)
        context["collections"] = plan.collections.select_related("period")[:4]
        context["publications"] = plan.publications.select_related("period")[:4]
    context["expiring_contracts"] = expiring_contracts(90, audience=Audience.STAFF)
    publications = by_standing()
    context["overdue_items"] = publications.get(Standing.MISSING, [])
    context["undated_items"] = publications.get(Standing.NOT_RECORDED, [])
    context["overdue_actions"] = overdue_actions()
    context["deadlines"] = upcoming_deadlines()
    context["overdue_statutory"] = overdue_statutory(today())
    return render(request, "web/staff/dashboard.html", context)
