"""The plan's public pages: the plan with its objectives and measures, and the RAG overview of each published period. Published material only (Audience.PUBLIC)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from html import escape

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe

from oversight.accounts.access import public
from oversight.core.cache import cached_for_public
from oversight.core.converters import period_slug
from oversight.core.templatetags.site_tags import derived, figure, rag_tag
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.plans.assessment import MeasureStatus, statuses
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
    # The rows are written here, not by a template loop: 200 rows of template tags and filters
    # were half the work of building this page. The markup is the template's as it was.
    link = _measure_link("" if area.is_force_area else f"?area={area.code}")
    for s in found if fmt == "html" else []:
        if not groups or groups[-1][0] != s.measure.objective:
            groups.append((s.measure.objective, []))
        groups[-1][1].append(_overview_row(s, link(s.measure.pk)))
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


def _measure_link(query: str):
    """pk -> the measure page's address (with `query`), reversed once rather than once a row."""
    before, after = reverse("web:measure", args=[999999999]).split("999999999")
    return lambda pk: f"{before}{pk}{after}{query}"


ROW = (
    '\n    <tr class="govuk-table__row">'
    '\n      <td class="govuk-table__cell"><a class="govuk-link" href="{}">{} {}</a>{}</td>'
    '\n      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '\n      <td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '\n      <td class="govuk-table__cell">{}{}</td>'
    '\n      <td class="govuk-table__cell govuk-body-s">{}{}</td>'
    "\n    </tr>\n  "
)
HEADLINE = mark_safe(' <span aria-label="headline measure">*</span>')
STALE = mark_safe(' <strong class="govuk-tag govuk-tag--orange">Stale</strong>')
SET_BY_OFFICE = mark_safe(' <span class="govuk-body-s">(set by the office)</span>')
NOTE = (
    '<span class="govuk-body-s">Published status, set by the office: {}. The rules give {}{}.'
    "</span>"
)
_tag = cache(rag_tag)  # four statuses and none: each tag written once per process


def _html(template: str, *args: object) -> SafeString:
    """format_html without its per-argument overhead (a thousand arguments a page): each argument
    escaped as a template escapes it (Django's escape is the standard library's), unless it is
    already safe HTML."""
    return SafeString(
        template.format(*(a if isinstance(a, SafeData) else escape(str(a)) for a in args))
    )


def _overview_row(s: MeasureStatus, href: str) -> SafeString:
    """One measure's row of the RAG overview: measure, target, actual, status, why."""
    m, o = s.measure, s.observation
    return _html(
        ROW,
        href,
        m.code,
        m.name,
        HEADLINE if m.headline else "",
        derived(s.target, m.unit),
        _actual_cell(s),
        _tag(s.rag),
        SET_BY_OFFICE if s.overridden else "",
        _status_note(s) if s.overridden else s.rag_reason,
        f" {o.comment}" if o is not None and o.comment else "",
    )


def _actual_cell(s: MeasureStatus) -> SafeString | str:
    o = s.observation
    if o is None:
        return "Not available"
    if s.actual is None:
        return o.get_status_display() if o.status else "Not available"
    return _html(
        "{}{}{}{}",
        figure(s.actual, s.measure.unit),
        " year to date" if o.basis == "ytd" else "",
        _html('<br><span class="govuk-body-s">{}</span>', o.period.label)
        if o.period.code != s.period
        else "",
        _html(
            '<br><span class="govuk-body-s">latest data: {}{}</span>',
            o.data_span_words,
            STALE if o.stale else "",
        )
        if o.data_span
        else "",
    )


def _status_note(s: MeasureStatus) -> SafeString:
    """plans/_status_note.html's words: the office's status and reason, then the rules'."""
    reason = s.assessment.reason
    return _html(NOTE, s.rag_reason, _tag(s.rag_computed), _html(": {}", reason) if reason else "")


def _summary(items) -> list[tuple[str, int]]:
    counts = Counter(s.rag.value if s.rag else "none" for s in items)
    return [(k, counts.get(k, 0)) for k in ("green", "amber", "red", "none")]
