"""Delivery plan and risk pages.

Public (and the Panel, which also reads what was shared with it): a plan's delivery plan per
objective with its computed progress and milestones, and its risk register; each page has .json
and .csv twins (core.twins). Staff (editors, administrators) list and edit activities, milestones
and risks, post dated updates, import files and share or publish, under /staff/.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from oversight.accounts.access import public, require
from oversight.accounts.roles import EDITORS, audience_of
from oversight.audit.history import Conflict, version_of
from oversight.core.clock import today
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused, Refused
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from . import actions
from .forms import ActivityForm, ImportForm, MilestoneForm, RiskForm, StateForm, UpdateForm
from .importers import DELIVERY_COLUMNS, RISK_COLUMNS, read_delivery, read_risks
from .models import Activity, Milestone, Risk, State
from .queries import DELIVERY_FIELDS, RISK_FIELDS, delivery_plan, delivery_rows, risk_register

# ---------------------------------------------------------------- public pages and twins


def _plan_for(request, slug: str) -> tuple[Plan, Audience]:
    audience = audience_of(request.user)
    return get_object_or_404(plans_for(audience), slug=slug), audience


@public
def delivery_page(request, slug: str, fmt: str = "html"):
    plan, audience = _plan_for(request, slug)
    doc = delivery_plan(plan, audience=audience)
    meta = {
        "plan": plan.slug,
        "as_at": doc["as_at"],
        "progress": doc["progress"],
        "progress_words": doc["progress_words"],
        "progress_counted": doc["progress_counted"],
        "progress_not_recorded": doc["progress_not_recorded"],
        "aims": doc["aims"],
        "objectives": [
            {k: v for k, v in o.items() if k != "activities"} for o in doc["objectives"]
        ],
    }
    if fmt == "json":
        meta["objectives"] = doc["objectives"]  # the JSON twin carries milestones and updates
    return respond(
        request,
        fmt,
        "delivery/delivery.html",
        {"plan": plan, "doc": doc, "audience": audience},
        records=delivery_rows(doc),
        fields=DELIVERY_FIELDS,
        filename=f"delivery-{plan.slug}",
        meta=meta,
    )


@public
def risks_page(request, slug: str, fmt: str = "html"):
    plan, audience = _plan_for(request, slug)
    records = risk_register(plan, audience=audience)
    return respond(
        request,
        fmt,
        "delivery/risks.html",
        {"plan": plan, "risks": records, "today": today(), "audience": audience},
        records=records,
        fields=RISK_FIELDS,
        filename=f"risks-{plan.slug}",
        meta={"plan": plan.slug, "today": today()},
    )


# ---------------------------------------------------------------- staff workspace


def _state_change(request, plan: Plan, what: str) -> HttpResponse | None:
    """A POST from a list page's share/publish buttons."""
    if request.method != "POST":
        return None
    form = StateForm(request.POST)
    if form.is_valid():
        code = request.POST.get("code")
        count = actions.set_state(
            plan, what, form.cleaned_data["state"], by=request.user, codes=[code] if code else None
        )
        label = State(form.cleaned_data["state"]).label.lower()
        messages.success(request, f"{count} {what} now {label}.")
    return redirect(f"delivery:staff-{what}", plan.slug)


@require(*EDITORS)
def staff_delivery(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    if done := _state_change(request, plan, "activities"):
        return done
    doc = delivery_plan(plan, audience=Audience.STAFF)
    ids = dict(Activity.objects.filter(plan=plan).values_list("code", "pk"))
    for o in doc["objectives"]:
        for a in o["activities"]:
            a["id"], a["state_words"] = ids[a["code"]], State(a["state"]).label
    return render(
        request,
        "delivery/staff_delivery.html",
        {"plan": plan, "doc": doc, "states": State.choices},
    )


@require(*EDITORS)
def activity_edit(request, slug: str | None = None, activity_id: int | None = None):
    activity = get_object_or_404(Activity, pk=activity_id) if activity_id else None
    plan = activity.plan if activity else get_object_or_404(Plan, slug=slug)
    form = ActivityForm(
        request.POST or None, instance=activity, plan=plan, version=version_of(activity)
    )
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ActivityForm.Meta.fields}
        fresh = Activity.objects.get(pk=activity.pk) if activity else None  # form wrote onto it
        try:
            saved = actions.save_activity(
                plan, fresh, by=request.user, expected_version=form.expected_version(), **values
            )
        except Conflict as exc:
            form.conflict(exc)
        else:
            messages.success(request, f"Activity {saved.code} saved.")
            return redirect("delivery:activity", saved.pk)
    context: dict[str, Any] = {"form": form, "plan": plan, "activity": activity, "today": today()}
    if activity:
        context["milestones"] = [
            (m, m.overdue_words(today())) for m in activity.milestones.order_by("due")
        ]
        context["updates"] = activity.updates.all()
        context["history"] = activity.history.select_related("history_user")[:20]
    return render(request, "delivery/activity.html", context)


@require(*EDITORS)
def milestone_edit(request, activity_id: int | None = None, milestone_id: int | None = None):
    milestone = get_object_or_404(Milestone, pk=milestone_id) if milestone_id else None
    activity = milestone.activity if milestone else get_object_or_404(Activity, pk=activity_id)
    form = MilestoneForm(request.POST or None, instance=milestone, version=version_of(milestone))
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in MilestoneForm.Meta.fields}
        fresh = Milestone.objects.get(pk=milestone.pk) if milestone else None
        try:
            actions.save_milestone(
                activity, fresh, by=request.user, expected_version=form.expected_version(), **values
            )
        except Conflict as exc:
            form.conflict(exc)
        else:
            messages.success(request, "Milestone saved.")
            return redirect("delivery:activity", activity.pk)
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "plan": activity.plan,
            "title": f"Milestone of {activity}",
            "back": activity,
        },
    )


@require(*EDITORS)
def update_new(request, activity_id: int):
    activity = get_object_or_404(Activity, pk=activity_id)
    form = UpdateForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.post_update(activity, by=request.user, **form.cleaned_data)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Update posted.")
            return redirect("delivery:activity", activity.pk)
    return render(
        request,
        "delivery/form.html",
        {"form": form, "plan": activity.plan, "title": f"Update on {activity}", "back": activity},
    )


@require(*EDITORS)
def staff_risks(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    if done := _state_change(request, plan, "risks"):
        return done
    found = {code: (pk, state) for code, pk, state in plan.risks.values_list("code", "pk", "state")}
    records = [
        {**r, "id": found[r["code"]][0], "state": State(found[r["code"]][1]).label}
        for r in risk_register(plan, audience=Audience.STAFF)
    ]
    return render(
        request,
        "delivery/staff_risks.html",
        {"plan": plan, "risks": records, "states": State.choices},
    )


@require(*EDITORS)
def risk_edit(request, slug: str | None = None, risk_id: int | None = None):
    risk = get_object_or_404(Risk, pk=risk_id) if risk_id else None
    plan = risk.plan if risk else get_object_or_404(Plan, slug=slug)
    form = RiskForm(request.POST or None, instance=risk, plan=plan, version=version_of(risk))
    if request.method == "POST" and form.is_valid():
        link_names = ("objectives", "activities", "measures")
        values = {k: form.cleaned_data[k] for k in RiskForm.Meta.fields if k not in link_names}
        links = {k: list(form.cleaned_data[k]) for k in link_names}
        fresh = Risk.objects.get(pk=risk.pk) if risk else None
        try:
            saved = actions.save_risk(
                plan,
                fresh,
                by=request.user,
                links=links,
                expected_version=form.expected_version(),
                **values,
            )
        except Conflict as exc:
            form.conflict(exc)
        else:
            messages.success(request, f"Risk {saved.code} saved.")
            return redirect("delivery:staff-risks", plan.slug)
    return render(
        request,
        "delivery/form.html",
        {"form": form, "plan": plan, "title": f"Risk {risk.code}" if risk else "New risk"},
    )


@require(*EDITORS)
def import_file(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff upload a delivery plan or risk file; every problem is listed, nothing is written."""
    plan = get_object_or_404(Plan, slug=slug)
    problems: list[str] = []
    total = 0
    outcome = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        path = form.save_upload(upload)
        try:
            if kind == "delivery":
                outcome = actions.import_delivery(
                    plan, read_delivery(path, plan), by=request.user, file_name=upload.name
                )
            else:
                outcome = actions.import_risks(
                    plan, read_risks(path, plan), by=request.user, file_name=upload.name
                )
        except ImportRefused as exc:
            problems, total = exc.lines(), exc.total
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
    return render(
        request,
        "delivery/import.html",
        {
            "form": form,
            "plan": plan,
            "problems": problems,
            "problem_total": total,
            "outcome": outcome,
            "delivery_columns": DELIVERY_COLUMNS,
            "risk_columns": RISK_COLUMNS,
        },
    )
