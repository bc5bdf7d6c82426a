"""Public pages of the police.uk data: what has been imported (with every quirk counted), a
force's counts by crime type for a month, and a comparison of forces. Each has .json and .csv
twins (web.twins)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse

from oversight.accounts.access import public
from oversight.core.cache import cached_for_public
from oversight.core.twins import respond
from oversight.lib.charts import WORDS, spc_alt_text, spc_chart
from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.policeuk import CRIME_TYPES
from oversight.lib.spc import PointType

from .compare import FIELDS, compare, funnel
from .groups import NAMED, GroupError, resolve
from .models import ImportedFile
from .queries import (
    area_series,
    counts_by_type,
    forces_available,
    months_available,
    populations,
)

FILE_FIELDS = [
    "kind",
    "month",
    "force",
    "file_name",
    "rows",
    "kept",
    "quirks",
    "rejected",
    "imported_at",
]


@public
@cached_for_public()
def index(request, fmt: str = "html"):
    files = list(ImportedFile.objects.all())
    records = [
        {
            "kind": f.kind,
            "month": f.month,
            "force": f.force,
            "file_name": f.file_name,
            "rows": f.rows,
            "kept": f.kept,
            "quirks": f.quirks,
            "rejected": f.quirks.get(
                "malformed_rows_skipped", len(f.rejected)
            ),  # every one, not only those listed
            "imported_at": f.imported_at,
        }
        for f in files
    ]
    latest = {
        force: months_available(force)[-1]
        for force in forces_available()
        if months_available(force)
    }
    return respond(
        request,
        fmt,
        "opendata/index.html",
        {"files": files, "latest": sorted(latest.items()), "crime_types": CRIME_TYPES},
        records=records,
        fields=FILE_FIELDS,
        filename="police-uk-imports",
        meta={"licence": "Open Government Licence v3.0", "source": "data.police.uk"},
    )


@public
@cached_for_public("area")
def counts(request, force: str, month: str, fmt: str = "html"):
    if month not in months_available(force):
        raise Http404("no police.uk data imported for that force and month")
    area = request.GET.get("area") or None
    rows = counts_by_type(force, [month], area)
    records = [
        {"force": force, "month": month, "area": area or "", "crime_type": t, "count": n}
        for t, n in rows
    ]
    return respond(
        request,
        fmt,
        "opendata/counts.html",
        {
            "force": force,
            "month": parse_period(month),
            "area": area,
            "rows": rows,
            "total": sum(n for _, n in rows),
        },
        records=records,
        fields=["force", "month", "area", "crime_type", "count"],
        filename=f"police-uk-{force}-{month}",
    )


def _comparison(request) -> dict:
    """The comparison the query asks for (period, crime type, force, group), shared by the page,
    its twins and its chart."""
    months = months_available()
    period_code = request.GET.get("period") or (months[-1] if months else "")
    crime_type = request.GET.get("crime_type") or ""
    force = request.GET.get("force") or ""
    group = request.GET.get("group") or "all"
    if crime_type and crime_type not in CRIME_TYPES:
        raise Http404("unknown crime type")
    if group not in NAMED:
        raise Http404("unknown comparison group")
    names = populations()
    if force and force not in names:
        raise Http404("unknown force")
    result, error = None, ""
    members, label = None, ""
    error_field = ""  # the field the error is about, for the error summary's link
    if group in ("region", "msg") and not force:
        error, error_field = (
            "Choose a force to compare with its region or its most similar group.",
            "force",
        )
    else:
        try:
            members, label = resolve(group, force)
        except GroupError as exc:
            error, error_field = f"{exc.public[0].upper()}{exc.public[1:]}.", "group"
    if period_code and not error:
        try:
            period = parse_period(period_code)
        except PeriodError:
            raise Http404("unknown period") from None
        whole = period.months() if period.kind is not PeriodKind.MONTH else [period]
        if whole and (period.kind is PeriodKind.YEAR or all(m.code in months for m in whole)):
            result = compare(period.code, [crime_type] if crime_type else [], members, label)
    query = urlencode(
        {"period": period_code, "crime_type": crime_type, "force": force, "group": group}
    )
    return {
        "result": result,
        "period": period_code,
        "crime_type": crime_type,
        "crime_types": CRIME_TYPES,
        "months": months,
        "force": force,
        "forces": sorted(names.items(), key=lambda item: item[1][0]),
        "group": group,
        "groups": NAMED,
        "error": error,
        "error_field": error_field,
        "query": query,
    }


@public
@cached_for_public("period", "crime_type", "force", "group")
def comparison(request, fmt: str = "html"):
    context = _comparison(request)
    result = context["result"]
    chart = funnel(result, context["force"] or None) if result else None
    context["chart_alt"] = chart.alt if chart else ""
    records = [r.record() for r in result.rows] if result else []
    return respond(
        request,
        fmt,
        "opendata/compare.html",
        context,
        records=records,
        fields=FIELDS,
        filename="police-uk-comparison",
        meta=result.record() | {"forces": None} if result else {},
    )


@public
@cached_for_public("period", "crime_type", "force", "group")
def comparison_chart(request):
    """The funnel plot as an SVG image (an image, so the page's CSP needs no inline styles)."""
    context = _comparison(request)
    chart = funnel(context["result"], context["force"] or None) if context["result"] else None
    if chart is None:
        raise Http404("no funnel plot: no force in the comparison has a population")
    return _svg(chart.svg)


@public
@cached_for_public("crime_type")
def areas(request, force: str, fmt: str = "html"):
    """Each local policing area's monthly crimes, with its XmR chart and the latest month's
    variation, so an area above its usual range is found by the data, not by a reader."""
    context = _areas(request, force)
    records = [
        {"force": force, "area": a["area"], **row}
        for a in context["areas"]
        for row in a["series"].months(context["months"])
    ]
    return respond(
        request,
        fmt,
        "opendata/areas.html",
        context,
        records=records,
        fields=[
            "force",
            "area",
            "month",
            "crimes",
            "mean",
            "lower_limit",
            "upper_limit",
            "variation",
        ],
        filename=f"police-uk-{force}-areas",
        meta={"force": force, "crime_type": context["crime_type"] or "all crime (excluding ASB)"},
    )


@public
@cached_for_public("crime_type", "area")
def area_chart(request, force: str):
    context = _areas(request, force)
    area = next((a for a in context["areas"] if a["area"] == request.GET.get("area")), None)
    if area is None:
        raise Http404("no such local policing area")
    chart = spc_chart(area["result"], title=area["title"], periods=context["months"], unit="count")
    return _svg(chart.svg)


def _areas(request, force: str) -> dict:
    months = months_available(force)
    if not months:
        raise Http404("no police.uk data imported for that force")
    crime_type = request.GET.get("crime_type") or ""
    if crime_type and crime_type not in CRIME_TYPES:
        raise Http404("unknown crime type")
    what = crime_type or "All crime (excluding anti-social behaviour)"
    out: list[dict[str, Any]] = []
    for a in area_series(force, months, [crime_type] if crime_type else []):
        title = f"{a.area}: {what}"
        out.append(
            {
                "area": a.area,
                "series": a,
                "result": a.result,
                "title": title,
                "latest": a.crimes[-1],
                "mean": a.result.means[-1],
                "variation": WORDS.get(a.result.variation, "") if a.result.variation else "",
                "above": a.crimes[-1] > a.result.means[-1],
                "alt": spc_alt_text(a.result, title=title, periods=months, unit="count"),
                "query": urlencode({"area": a.area, "crime_type": crime_type}),
                "rows": list(zip(months, a.crimes, strict=True)),
            }
        )
    # areas whose latest month is special cause for concern first: they are what a reader seeks
    out.sort(key=lambda a: (a["result"].variation != PointType.SPECIAL_CAUSE_CONCERN, a["area"]))
    return {
        "force": force,
        "force_name": populations().get(force, (force,))[0],
        "months": months,
        "areas": out,
        "crime_type": crime_type,
        "crime_types": CRIME_TYPES,
        "what": what,
    }


def _svg(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response
