"""The staff workspace (editors and administrators): dashboard, plan editor, narrative editor,
report builder, audit log; API tokens for every signed-in user."""

from __future__ import annotations

from collections import Counter
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oversight.accounts.access import has_role, require
from oversight.accounts.actions import issue_token, revoke_token
from oversight.accounts.models import ApiToken
from oversight.accounts.roles import Role
from oversight.audit.history import Conflict, version_of
from oversight.audit.models import AuditEntry
from oversight.lib.audience import Audience
from oversight.lib.markdown import to_html
from oversight.lib.problems import ImportRefused, Problem
from oversight.plans import actions
from oversight.plans.importers import read_narrative, read_observations, read_plan
from oversight.plans.models import (
    Measure,
    Narrative,
    Objective,
    Observation,
    Period,
    Plan,
    PlanState,
)
from oversight.plans.statistics import measure_statistics
from oversight.plans.status import statuses
from oversight.plans.visibility import current_plan
from oversight.registers.queries import expiring_contracts
from oversight.registers.tracker import overdue_items
from oversight.scrutiny.queries import overdue_actions, upcoming_deadlines

from ..forms import (
    MeasureForm,
    NarrativeForm,
    ObjectiveForm,
    PeriodForm,
    TokenForm,
    UploadForm,
)
from .public import report_response

EDITORS = (Role.EDITOR,)
SIGNED_IN = (Role.EDITOR, Role.PROVIDER, Role.PANEL)


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
def dashboard(request):
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
    context["overdue_items"] = overdue_items()
    context["overdue_actions"] = overdue_actions()
    context["deadlines"] = upcoming_deadlines()
    return render(request, "web/staff/dashboard.html", context)


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
        "web/staff/plan_editor.html",
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
    return redirect("web:plan-editor", plan.slug)


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
            return redirect("web:plan-editor", plan.slug)
    return render(
        request, "web/staff/form.html", {"form": form, "plan": plan, "title": "Objective"}
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
            return redirect("web:plan-editor", objective.plan.slug)
    return render(
        request,
        "web/staff/form.html",
        {"form": form, "plan": objective.plan, "title": f"Measure in objective {objective.code}"},
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
        "web/staff/narrative_list.html",
        {
            "plan": plan,
            "period": period,
            "items": items,
            "unpublished": unpublished,
            "published": plan.publications.filter(period__code=period).exists(),
        },
    )


@require(*EDITORS)
@require_POST
def narrative_publish(request, slug: str, period: str):
    """Publish the narrative and commentary of a published period as they now stand."""
    plan = get_object_or_404(Plan, slug=slug)
    try:
        done = actions.publish_narrative(plan, period, by=request.user)
    except actions.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{period}: {done}.")
    return redirect("web:narrative-list", plan.slug, period)


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
    form = NarrativeForm(
        request.POST or None, instance=narrative, plan=plan, version=version_of(narrative)
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = to_html(form.cleaned_data["body"])
        else:
            values = {k: form.cleaned_data[k] for k in NarrativeForm.Meta.fields}
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
                return redirect("web:narrative-list", plan.slug, period)
    return render(
        request,
        "web/staff/narrative_edit.html",
        {"form": form, "plan": plan, "period": period, "preview": preview},
    )


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
        "web/staff/report_builder.html",
        {"plan": plan, "form": form, "period": period, "periods": periods},
    )


@require(*EDITORS)
@csp_update({"style-src": ["'unsafe-inline'"]})  # the report is one self-contained page
def report_preview(request, slug: str, period: str, fmt: str):
    """The report as it stands, drafts included (staff only): HTML preview, DOCX or PDF."""
    plan = get_object_or_404(Plan, slug=slug)
    if fmt not in ("html", "pdf", "docx"):
        raise Http404("unknown format")
    return report_response(plan, period, fmt, audience=Audience.STAFF)


@require()  # administrators only
def audit_log(request):
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions_list = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(
        request,
        "web/staff/audit.html",
        {"page": page, "action": action, "actions": sorted(set(actions_list))},
    )


@require(*SIGNED_IN)
def tokens(request):
    """A user's own API tokens: issue one (the secret is shown once) or revoke one."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user)
            revoke_token(token, by=request.user)
            messages.success(request, f"Token {token.hint}… revoked.")
            return redirect("web:tokens")
        if form.is_valid():
            _, secret = issue_token(request.user, form.cleaned_data["name"], by=request.user)
            form = TokenForm()
    return render(
        request,
        "web/staff/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
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
            problems = [p.replace(" (--correction-reason)", "") for p in exc.lines()]
            total = exc.total
        else:
            messages.success(request, done)
            return redirect("web:upload", target.slug)
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
    return render(
        request,
        "web/staff/upload.html",
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
    assert plan is not None  # the rest are offered only beside a plan
    if what == "scrutiny":
        from oversight.scrutiny.actions import import_scrutiny
        from oversight.scrutiny.importers import read_scrutiny

        scrutiny = read_scrutiny(path)
        outcome = import_scrutiny(scrutiny, by=user)
        return plan, f"Scrutiny records from {path.name}: {scrutiny.counts()} ({outcome})."
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
    spec = read_narrative(path, plan)
    outcome = actions.import_narrative(plan, spec, by=user)
    return (
        plan,
        f"Narrative for {spec.period} from {path.name}, {len(spec.items)} sections: {outcome}.",
    )
