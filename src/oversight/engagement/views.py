"""Engagement and casework pages: the public page for a plan and report period (with .json and
.csv twins), and the staff page to import, publish, extend the vocabulary and edit a count."""

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
from oversight.lib.problems import Refused
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from . import models as m
from .actions import add_to_vocabulary, import_engagement, publish_span, update_count
from .forms import CountForm, VocabularyForm
from .importers import TABLES, read_engagement
from .report import RECORD_FIELDS, engagement_records, engagement_summary


@public
def index(request):
    audience = audience_of(request.user)
    spans = (
        m.Span.objects.for_audience(audience)
        .filter(plan__in=plans_for(audience))
        .select_related("plan")
    )
    return render(request, "engagement/index.html", {"spans": spans})


@public
def page(request, slug: str, period: str, fmt: str = "html"):
    audience = audience_of(request.user)
    plan = get_object_or_404(plans_for(audience), slug=slug)
    return respond(
        request,
        fmt,
        "engagement/page.html",
        {
            "plan": plan,
            "period": period,
            "spans": engagement_summary(plan, period, audience=audience),
        },
        records=engagement_records(plan, period, audience=audience),
        fields=RECORD_FIELDS,
        filename=f"engagement-{plan.slug}-{period.replace('/', '-').replace(' ', '-')}",
        meta={"plan": plan.slug, "period": period},
    )


@require(Role.EDITOR)
def staff(request):
    problems: list[str] = []
    total, outcome = 0, None
    form = TableImportForm(request.POST or None, request.FILES or None, tables=TABLES)
    form.fields["plan"] = forms.ModelChoiceField(
        label="Plan", queryset=Plan.objects.all(), to_field_name="slug"
    )
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        problems, total, outcome = run_import(
            form,
            read_engagement,
            lambda table, rows, **kw: import_engagement(plan, table, rows, **kw),
            request.user,
        )
    return render(
        request,
        "engagement/staff.html",
        {
            "form": form,
            "problems": problems,
            "problem_total": total,
            "outcome": outcome,
            "spans": m.Span.objects.select_related("plan").prefetch_related("counts__kind"),
            "tables": TABLES,
            "vocabulary": VocabularyForm(),
            "kinds": m.CountKind.objects.all(),
            "themes": m.Theme.objects.all(),
        },
    )


@require(Role.EDITOR)
@require_POST
def publish(request, span_id: int):
    span = get_object_or_404(m.Span, pk=span_id)
    try:
        publish_span(span, by=request.user)
        messages.success(request, f"{span.label} is published.")
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("engagement:staff")


@require(Role.EDITOR)
@require_POST
def vocabulary(request):
    form = VocabularyForm(request.POST)
    if form.is_valid():
        try:
            add_to_vocabulary(
                form.cleaned_data["vocabulary"],
                form.cleaned_data["code"],
                form.cleaned_data["label"],
                by=request.user,
            )
            messages.success(request, f"Added {form.cleaned_data['label']}.")
        except Refused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("engagement:staff")


@require(Role.EDITOR)
def edit_count(request, count_id: int):
    count = get_object_or_404(m.Count.objects.select_related("span", "kind"), pk=count_id)
    form = CountForm(
        request.POST or None,
        initial={"value": count.value, "qualifier": count.qualifier, "note": count.note},
        version=version_of(count),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_count(
                count,
                value=form.cleaned_data["value"],
                qualifier=form.cleaned_data["qualifier"],
                note=form.cleaned_data["note"],
                by=request.user,
                expected_version=form.expected_version(),
            )
            messages.success(request, "Count saved; its earlier version is kept.")
            return redirect("engagement:staff")
        except Conflict as exc:
            form.conflict(exc)
    return render(request, "engagement/edit.html", {"form": form, "count": count})
