"""The staff's plan workspace: the plan editor (objectives, measures, targets), the plan's publication state, the report narrative for each period, and uploads of the plan's files (the plan, figures, narrative) checked as the command line checks them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oversight.accounts.access import has_role, require
from oversight.accounts.roles import EDITORS
from oversight.audit.history import Conflict, version_of
from oversight.core.citations import filler
from oversight.lib.audience import Audience
from oversight.lib.markdown import to_html
from oversight.lib.problems import ImportRefused, Problem, Refused
from oversight.plans import actions
from oversight.plans.claims import check_period
from oversight.plans.forms import MeasureForm, NarrativeForm, ObjectiveForm, UploadForm
from oversight.plans.importers import read_narrative, read_observations, read_plan
from oversight.plans.models import (
    Measure,
    Narrative,
    Objective,
    Period,
    Plan,
    PlanState,
)


@require(*EDITORS)
def plan_editor(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    measures = list(plan.measures.select_related("objective"))
    objectives = [
        (o, [m for m in measures if m.objective_id == o.pk]) for o in plan.objectives.all()
    ]
    periods = (
        Period.objects.filter(Q(narratives__plan=plan) | Q(collections__plan=plan))
        .distinct()
        .order_by("-start")
    )
    return render(
        request,
        "plans/staff/plan_editor.html",
        {"plan": plan, "objectives": objectives, "periods": periods},
    )


@require(*EDITORS)
@require_POST
def plan_state(request, slug: str):
    """Publish a draft plan, make a plan the current one, or (administrators) archive a plan or
    restore an archived one."""
    plan = get_object_or_404(Plan, slug=slug)
    what = request.POST.get("do", "")
    admin_only = what == "archive" or (what == "publish" and plan.state == PlanState.ARCHIVED)
    if admin_only and not has_role(request.user):
        raise PermissionDenied
    if what == "publish":
        actions.publish_plan(plan, by=request.user)
        messages.success(request, f"Plan {plan.slug} is published.")
    elif what == "current":
        if plan.state != PlanState.PUBLISHED:
            messages.error(
                request, "Only a published plan can be the current plan: publish it first."
            )
        else:
            actions.publish_plan(plan, by=request.user, current=True)
            messages.success(request, f"The public site now opens on {plan.title}.")
    elif what == "archive":
        actions.archive_plan(plan, by=request.user)
        messages.success(
            request, f"Plan {plan.slug} is archived: no longer public, nothing deleted."
        )
    else:
        raise Http404("unknown change")
    return redirect("plans:plan-editor", plan.slug)


@require(*EDITORS)
def objective_edit(request, slug: str | None = None, objective_id: int | None = None):
    objective = get_object_or_404(Objective, pk=objective_id) if objective_id else None
    plan = objective.plan if objective else get_object_or_404(Plan, slug=slug)
    form = ObjectiveForm(request.POST or None, instance=objective, version=version_of(objective))
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ObjectiveForm.Meta.fields}
        # A fresh copy: the form has already written the new values onto its instance.
        fresh = Objective.objects.get(pk=objective.pk) if objective else None
        try:
            saved = actions.save_objective(
                plan, fresh, by=request.user, expected_version=form.expected_version(), **values
            )
        except Conflict as exc:
            form.conflict(exc)
        else:
            messages.success(request, f"Objective {saved.code} saved.")
            return redirect("plans:plan-editor", plan.slug)
    return render(
        request,
        "plans/staff/form.html",
        {"form": form, "plan": plan, "title": "Objective", "thread_objective": objective},
    )


@require(*EDITORS)
def measure_edit(request, objective_id: int | None = None, measure_id: int | None = None):
    measure = get_object_or_404(Measure, pk=measure_id) if measure_id else None
    objective = measure.objective if measure else get_object_or_404(Objective, pk=objective_id)
    form = MeasureForm(request.POST or None, instance=measure, version=version_of(measure))
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in MeasureForm.Meta.fields}
        fresh = Measure.objects.get(pk=measure.pk) if measure else None  # see objective_edit
        try:
            saved = actions.save_measure(
                objective,
                fresh,
                by=request.user,
                providers=form.cleaned_data["providers"],
                expected_version=form.expected_version(),
                **values,
            )
        except Conflict as exc:
            form.conflict(exc)
        else:
            messages.success(request, f"Measure {saved.code} saved.")
            return redirect("plans:plan-editor", objective.plan.slug)
    return render(
        request,
        "plans/staff/form.html",
        {
            "form": form,
            "plan": objective.plan,
            "title": f"Measure in objective {objective.code}",
            "thread_objective": objective,
        },
    )


@require(*EDITORS)
def narrative_list(request, slug: str, period: str):
    plan = get_object_or_404(Plan, slug=slug)
    items = list(
        Narrative.objects.filter(plan=plan, period__code=period).select_related("objective")
    )
    unpublished = sum(
        1
        for n in items
        if not n.published_at or (n.body, n.title) != (n.published_body, n.published_title)
    )
    return render(
        request,
        "plans/staff/narrative_list.html",
        {
            "plan": plan,
            "period": period,
            "items": items,
            "unpublished": unpublished,
            "published": plan.publications.filter(period__code=period).exists(),
            "claims": check_period(plan, period, audience=Audience.STAFF),
        },
    )


@require(*EDITORS)
@require_POST
def narrative_publish(request, slug: str, period: str):
    """Publish the narrative and commentary of a published period as they now stand."""
    plan = get_object_or_404(Plan, slug=slug)
    try:
        done = actions.publish_narrative(plan, period, by=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{period}: {done}.")
    return redirect("plans:narrative-list", plan.slug, period)


@require(*EDITORS)
def narrative_edit(
    request, slug: str | None = None, period: str | None = None, narrative_id: int | None = None
):
    narrative = (
        get_object_or_404(Narrative.objects.select_related("plan", "period"), pk=narrative_id)
        if narrative_id
        else None
    )
    plan = narrative.plan if narrative else get_object_or_404(Plan, slug=slug)
    period = narrative.period.code if narrative else period
    if period is None:  # a new narrative is always made for a period named in its address
        raise Http404("no period")
    form = NarrativeForm(
        request.POST or None, instance=narrative, plan=plan, version=version_of(narrative)
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            # the staff's preview prints the figures it cites as the staff's report would
            fill = filler(plan, period, audience=Audience.STAFF)
            preview = to_html(fill(form.cleaned_data["body"]))
        else:
            values = form.values()
            fresh = Narrative.objects.get(pk=narrative.pk) if narrative else None
            try:
                actions.save_narrative(
                    plan,
                    period,
                    fresh,
                    by=request.user,
                    expected_version=form.expected_version(),
                    **values,
                )
            except Conflict as exc:
                form.conflict(exc)
            else:
                messages.success(request, "Narrative saved.")
                return redirect("plans:narrative-list", plan.slug, period)
    return render(
        request,
        "plans/staff/narrative_edit.html",
        {"form": form, "plan": plan, "period": period, "preview": preview},
    )


@require(*EDITORS)
def upload(request, slug: str | None = None):
    """Staff upload a file for the importers: a period's figures, its narrative or the plan (or,
    without a plan, a new plan's YAML). Every problem is listed with file, row and column, and
    nothing is written if there is any."""
    plan = get_object_or_404(Plan, slug=slug) if slug else None
    problems: list[str] = []
    total = 0
    form = UploadForm(request.POST or None, request.FILES or None, only=None if plan else "plan")
    if request.method == "POST" and form.is_valid():
        what = form.cleaned_data["what"]
        path = form.save_upload()
        try:
            target, done = _import_upload(plan, what, path, form, request.user)
        except ImportRefused as exc:
            # the command line's option names mean nothing here: the form's field says it
            problems = exc.lines()
            total = exc.total
        else:
            messages.success(request, done)
            return redirect("plans:upload", target.slug)
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
    return render(
        request,
        "plans/staff/upload.html",
        {"plan": plan, "form": form, "problems": problems, "problem_total": total},
    )


def _import_upload(plan: Plan | None, what: str, path, form: UploadForm, user) -> tuple[Plan, str]:
    if what == "plan":
        spec = read_plan(path)
        if plan is not None and spec.slug != plan.slug:
            problem = f"is {spec.slug}, not this plan's {plan.slug}"
        elif plan is None and Plan.objects.filter(slug=spec.slug).exists():
            problem = f"is {spec.slug}, a plan already loaded: upload it from that plan's page"
        else:
            problem = ""
        if problem:
            raise ImportRefused([Problem(path.name, None, "plan.slug", problem)])
        target, outcome = actions.import_plan(spec, by=user)
        draft = (
            " It is a draft: only staff see it until you publish it."
            if (target.state == PlanState.DRAFT)
            else ""
        )
        return target, f"Plan {target.slug} from {path.name}: {outcome}.{draft}"
    if plan is None:  # the rest are offered only beside a plan
        raise ValueError(f"{what} needs a plan")
    if what == "figures":
        rows = read_observations(path, plan)
        outcome = actions.import_observations(
            plan,
            rows,
            by=user,
            file_name=path.name,
            correction_reason=form.cleaned_data["correction_reason"].strip(),
        )
        return plan, f"{len(rows)} rows from {path.name}: {outcome}."
    narrative = read_narrative(path, plan)
    outcome = actions.import_narrative(plan, narrative, by=user)
    return (
        plan,
        f"Narrative for {narrative.period} from {path.name}, {len(narrative.items)} sections: "
        f"{outcome}.",
    )
