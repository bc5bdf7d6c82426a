"""Commissioned services' pages: the public page for a plan and period (KPIs, reviews and
outputs under the objectives they serve, with .json and .csv twins), and the staff page to import,
publish and edit a quarter's KPIs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oversight.accounts.access import public, require
from oversight.accounts.roles import Role, audience_of
from oversight.audit.history import Conflict, version_of
from oversight.core.sheetforms import TableImportForm, run_import
from oversight.core.twins import respond
from oversight.lib.periods import PeriodError, parse_period
from oversight.lib.problems import Refused
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from . import models as m
from .actions import import_commissioning, publish_period, update_kpi
from .forms import KpiForm
from .importers import TABLES, read_commissioning
from .report import RECORD_FIELDS, commissioning_records, commissioning_summary


@public
def index(request):
    audience = audience_of(request.user)
    periods = sorted(
        set(m.ServiceKpi.objects.for_audience(audience).values_list("period", flat=True))
        | set(m.FundedOutput.objects.for_audience(audience).values_list("period", flat=True)),
        reverse=True,
    )
    plans = list(plans_for(audience))
    return render(request, "commissioning/index.html", {"periods": periods, "plans": plans})


@public
def page(request, slug: str, period: str, fmt: str = "html"):
    audience = audience_of(request.user)
    plan = get_object_or_404(plans_for(audience), slug=slug)
    return respond(
        request,
        fmt,
        "commissioning/page.html",
        {
            "plan": plan,
            "period": period,
            "groups": commissioning_summary(plan, period, audience=audience),
        },
        records=commissioning_records(plan, period, audience=audience),
        fields=RECORD_FIELDS,
        filename=f"commissioning-{plan.slug}-{period.replace('/', '-').replace(' ', '-')}",
        meta={"plan": plan.slug, "period": period},
    )


@require(Role.EDITOR)
def staff(request):
    problems: list[str] = []
    total, outcome = 0, None
    form = TableImportForm(request.POST or None, request.FILES or None, tables=TABLES)
    form.fields["plan"] = forms.ModelChoiceField(
        label="Plan (whose objectives an output names)",
        queryset=Plan.objects.all(),
        to_field_name="slug",
    )
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        problems, total, outcome = run_import(
            form,
            lambda table, path: read_commissioning(table, path, plan),
            lambda table, rows, **kw: import_commissioning(plan, table, rows, **kw),
            request.user,
        )
    return render(
        request,
        "commissioning/staff.html",
        {
            "form": form,
            "problems": problems,
            "problem_total": total,
            "outcome": outcome,
            "kpis": m.ServiceKpi.objects.select_related("contract"),
            "outputs": m.FundedOutput.objects.all(),
            "reviews": m.ContractReview.objects.select_related("contract"),
            "tables": TABLES,
        },
    )


@require(Role.EDITOR)
@require_POST
def publish(request):
    try:
        period = parse_period(request.POST.get("period", "")).code
        n = publish_period(period, by=request.user)
        messages.success(request, f"{n} records for {period} published.")
    except (Refused, PeriodError) as exc:
        messages.error(request, str(exc))
    return redirect("commissioning:staff")


@require(Role.EDITOR)
def edit_kpi(request, kpi_id: int):
    kpi = get_object_or_404(m.ServiceKpi.objects.select_related("contract"), pk=kpi_id)
    form = KpiForm(
        request.POST or None,
        initial={f: getattr(kpi, f) for f in KpiForm.FIGURES},
        version=version_of(kpi),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_kpi(
                kpi,
                values={f: form.cleaned_data[f] for f in KpiForm.FIGURES},
                by=request.user,
                expected_version=form.expected_version(),
            )
            messages.success(request, "KPIs saved; their earlier version is kept.")
            return redirect("commissioning:staff")
        except Conflict as exc:
            form.conflict(exc)
        except Refused as exc:
            form.add_error(None, str(exc))
    return render(request, "commissioning/edit.html", {"form": form, "kpi": kpi})
