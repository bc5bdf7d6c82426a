"""The quarterly report as pages and files: the public archive of published reports, each report as HTML, PDF and DOCX for its audience, and the staff's report builder and preview."""

from __future__ import annotations

from csp.decorators import csp_update
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from oversight.accounts.access import public, require
from oversight.accounts.roles import EDITORS
from oversight.core.cache import TIMEOUT, cache_key, cached_for_public, data_version
from oversight.core.converters import period_slug
from oversight.core.render import render as render_report
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.plans.forms import PeriodForm
from oversight.plans.models import (
    Period,
    Plan,
    Publication,
)
from oversight.plans.visibility import REPORTING_KINDS, plans_for
from oversight.reports import layouts
from oversight.reports.compose import compose_report
from oversight.reports.layouts import LayoutError
from oversight.reports.layouts import available as available_layouts

PUBLIC = Audience.PUBLIC


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
                reverse("reports:report-file", args=[plan.slug, p.period.code, f])
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
        "reports/archive.html",
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


def report_response(
    plan: Plan, period: str, fmt: str, *, audience: Audience, layout: str | None = None
) -> HttpResponse:
    """The report as `audience` may read it, as a download. The public report is cached while the
    data version stands (every change writes an audit entry, so any change to what it shows ends
    the cached copy at once): composing and rendering a PDF takes seconds."""
    key = None
    if audience is PUBLIC:
        # The layout named (or the plan's), and its file's time: editing the office's layout file
        # writes no audit entry, so the data version alone would keep the old layout's copy.
        name = layout or plan.report_layout
        try:
            stamp = layouts.find(name).stat().st_mtime_ns
        except LayoutError:
            stamp = 0  # composing refuses it below; nothing is cached
        key = cache_key("report", plan.pk, name, stamp, period, fmt, data_version())
        body = cache.get(key)
    if key is None or body is None:
        try:
            body = render_report(
                compose_report(plan, period, audience=audience, layout=layout), fmt
            )
        except LayoutError as exc:  # the office's layout file is broken: say how, not a bare 500
            return HttpResponse(exc.message, status=500, content_type="text/plain; charset=utf-8")
        if key is not None:
            cache.set(key, body, timeout=TIMEOUT)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"{plan.slug}-report-{period_slug(period)}.{fmt}"
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@public
# The report is one self-contained page; django-csp types a view as taking the request alone.
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]
def report_file(request, slug: str, period: str, fmt: str):
    plan = get_object_or_404(plans_for(PUBLIC), slug=slug)
    if fmt not in CONTENT_TYPES:
        raise Http404("unknown format")
    if not Publication.objects.filter(plan=plan, period__code=period).exists():
        raise Http404("this period is not published")
    return report_response(plan, period, fmt, audience=PUBLIC)


@require(*EDITORS)
def report_builder(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else None
    periods = (
        Period.objects.filter(observations__measure__plan=plan, kind__in=["quarter", "year"])
        .distinct()
        .order_by("-start")
    )
    return render(
        request,
        "reports/builder.html",
        {
            "plan": plan,
            "form": form,
            "period": period,
            "periods": periods,
            "layouts": [n for n in available_layouts() if n != plan.report_layout],
        },
    )


@require(*EDITORS)
# The report is one self-contained page; django-csp types a view as taking the request alone.
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]
def report_preview(request, slug: str, period: str, fmt: str):
    """The report as it stands, drafts included (staff only): HTML preview, DOCX or PDF."""
    plan = get_object_or_404(Plan, slug=slug)
    if fmt not in ("html", "pdf", "docx"):
        raise Http404("unknown format")
    # ?layout=NAME previews the report in another layout than the plan's own; a name that is not
    # a usable layout is the request's fault (400), said with the layouts there are.
    layout = request.GET.get("layout") or None
    if layout is not None:
        try:
            layouts.load(layout)
        except LayoutError as exc:
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    return report_response(plan, period, fmt, audience=Audience.STAFF, layout=layout)
