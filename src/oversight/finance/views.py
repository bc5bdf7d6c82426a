"""Finance pages: the public finance page for a plan and period (with .json and .csv twins and the
over/underspend chart), and the staff page to import, publish and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oversight.accounts.access import public, require
from oversight.accounts.roles import Role, audience_of
from oversight.audit.history import Conflict, version_of
from oversight.core.sheetforms import TableImportForm, run_import
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.lib.problems import Refused
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from . import models as m
from .actions import import_finance, publish_budget_set, publish_forecasts, update_forecast
from .forms import ForecastForm
from .importers import TABLES, read_finance
from .report import RECORD_FIELDS, finance_records, finance_summary, year_and_quarter


def _plan(request, slug: str, period: str) -> tuple[Plan, Audience]:
    """The plan the reader may open, for a quarter or a year (a month has no finance page)."""
    try:
        year_and_quarter(period)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    audience = audience_of(request.user)
    plan = get_object_or_404(plans_for(audience), slug=slug)
    return plan, audience


def chart_for(summary: dict):
    """The over/underspend chart for a summary with a forecast, or None."""
    from oversight.lib.rag import Rag
    from oversight.lib.variance_chart import VarianceBar, variance_chart

    bars = []
    if summary["total"]:
        t = summary["total"]
        bars.append(VarianceBar("Total", t["variance"], Rag(t["rag"]) if t["rag"] else None))
    for line in summary["lines"]:
        f = line["forecast"]
        if f:
            bars.append(
                VarianceBar(line["name"], f["variance"], Rag(f["rag"]) if f["rag"] else None)
            )
    if not bars:
        return None
    title = f"{summary['financial_year']} {summary['quarter']} forecast outturn against budget"
    return variance_chart(bars, title=title)


@public
def index(request):
    audience = audience_of(request.user)
    sets = (
        m.BudgetSet.objects.for_audience(audience)
        .filter(plan__in=plans_for(audience))
        .select_related("plan")
    )
    return render(request, "finance/index.html", {"sets": sets})


@public
def page(request, slug: str, period: str, fmt: str = "html"):
    plan, audience = _plan(request, slug, period)
    summary = finance_summary(plan, period, audience=audience)
    records = finance_records(plan, period, audience=audience)
    chart = chart_for(summary) if summary and fmt == "html" else None
    return respond(
        request,
        fmt,
        "finance/page.html",
        {"plan": plan, "period": period, "s": summary, "chart": chart},
        records=records,
        fields=RECORD_FIELDS,
        filename=f"finance-{plan.slug}-{period.replace('/', '-').replace(' ', '-')}",
        meta={"plan": plan.slug, "period": period},
    )


@public
def chart_svg(request, slug: str, period: str):
    plan, audience = _plan(request, slug, period)
    summary = finance_summary(plan, period, audience=audience)
    chart = chart_for(summary) if summary else None
    if chart is None:
        raise Http404("no forecast to chart")
    return HttpResponse(chart.svg, content_type="image/svg+xml")


@require(Role.EDITOR)
def staff(request):
    """Import finance tables; publish budget sets and quarters' forecasts; open a forecast."""
    problems: list[str] = []
    total, outcome = 0, None
    plans = Plan.objects.all()
    form = TableImportForm(request.POST or None, request.FILES or None, tables=TABLES)
    form.fields["plan"] = _plan_field(plans)
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        problems, total, outcome = run_import(
            form,
            lambda table, path: read_finance(table, path, plan),
            lambda table, rows, **kw: import_finance(plan, table, rows, **kw),
            request.user,
        )
    sets = m.BudgetSet.objects.select_related("plan").prefetch_related("forecasts__line")
    return render(
        request,
        "finance/staff.html",
        {
            "form": form,
            "problems": problems,
            "problem_total": total,
            "outcome": outcome,
            "sets": sets,
            "tables": TABLES,
        },
    )


def _plan_field(plans):
    from django import forms

    return forms.ModelChoiceField(label="Plan", queryset=plans, to_field_name="slug")


@require(Role.EDITOR)
@require_POST
def publish(request, budget_set_id: int):
    budget_set = get_object_or_404(m.BudgetSet, pk=budget_set_id)
    quarter = request.POST.get("quarter")
    try:
        if quarter:
            n = publish_forecasts(budget_set, int(quarter), by=request.user)
            messages.success(request, f"{n} forecasts published.")
        else:
            publish_budget_set(budget_set, by=request.user)
            messages.success(request, f"The {budget_set.financial_year} budget is published.")
    except (Refused, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("finance:staff")


@require(Role.EDITOR)
def edit_forecast(request, forecast_id: int):
    forecast = get_object_or_404(
        m.Forecast.objects.select_related("budget_set", "line"), pk=forecast_id
    )
    form = ForecastForm(
        request.POST or None,
        initial={"variance": f"{forecast.variance:f}", "note": forecast.note},
        version=version_of(forecast),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_forecast(
                forecast,
                variance=form.cleaned_data["variance"],
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.expected_version(),
            )
            messages.success(request, "Forecast saved; its earlier version is kept.")
            return redirect("finance:staff")
        except Conflict as exc:
            form.conflict(exc)
    return render(request, "finance/edit.html", {"form": form, "forecast": forecast})
