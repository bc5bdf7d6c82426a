"""Public pages of the police.uk data: what has been imported (with every quirk counted), a
force's counts by crime type for a month, and a comparison of forces. Each has .json and .csv
twins (web.twins)."""

from __future__ import annotations

from django.http import Http404

from oversight.accounts.access import public
from oversight.lib.charts import Chart
from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.policeuk import CRIME_TYPES
from oversight.web.twins import respond

from .compare import compare, funnel
from .groups import NAMED, GroupError, resolve
from .models import ImportedFile
from .queries import counts_by_type, forces_available, months_available, populations

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
            "rejected": len(f.rejected),
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


@public
def comparison(request, fmt: str = "html"):
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
    result, chart, error = None, None, ""
    members, label = None, ""
    if group in ("region", "msg") and not force:
        error = "Choose a force to compare with its region or its most similar group."
    else:
        try:
            members, label = resolve(group, force)
        except GroupError as exc:
            error = f"{str(exc)[0].upper()}{str(exc)[1:]}."
    if period_code and not error:
        try:
            period = parse_period(period_code)
        except PeriodError:
            raise Http404("unknown period") from None
        if period.kind is PeriodKind.YEAR or all(
            m.code in months
            for m in (period.months() if period.kind is not PeriodKind.MONTH else [period])
        ):
            result = compare(period.code, [crime_type] if crime_type else [], members, label)
            chart = funnel(result, force or None)
    records = [r.record() for r in result.rows] if result else []
    fields = [
        "force",
        "name",
        "crimes",
        "population",
        "rate_per_1000",
        "rank",
        "p_value",
        "significant",
        "direction",
    ]
    return respond(
        request,
        fmt,
        "opendata/compare.html",
        {
            "result": result,
            "chart": chart if isinstance(chart, Chart) else None,
            "chart_svg": _inline_svg(chart.svg) if isinstance(chart, Chart) else "",
            "period": period_code,
            "crime_type": crime_type,
            "crime_types": CRIME_TYPES,
            "months": months,
            "force": force,
            "forces": sorted(names.items(), key=lambda item: item[1][0]),
            "group": group,
            "groups": NAMED,
            "error": error,
        },
        records=records,
        fields=fields,
        filename="police-uk-comparison",
        meta=result.record() | {"forces": None} if result else {},
    )


def _inline_svg(svg: str) -> str:
    """The chart's SVG for inline use: no XML prolog, hidden from screen readers (the wrapper
    carries the text alternative)."""
    start = svg.find("<svg")
    return svg[start:].replace("<svg", '<svg aria-hidden="true" focusable="false"', 1)
