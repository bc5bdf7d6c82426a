"""The data-collection workflow: the editor opens a period, data providers enter "my measures",
the editor reviews, sends back with a note, approves and publishes; the Panel reads what the office
releases to it. Every change goes through `plans.actions`, exactly as imports and the API do."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oversight.accounts.access import has_role, require
from oversight.accounts.roles import EDITORS, Role
from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.lib.problems import Refused
from oversight.plans import actions
from oversight.plans.assessment import rater, statuses
from oversight.plans.claims import check_period
from oversight.plans.forms import (
    CorrectionForm,
    FigureForm,
    OpenCollectionForm,
    OverrideForm,
    ReturnForm,
)
from oversight.plans.models import (
    Collection,
    CollectionStatus,
    Observation,
    ObservationState,
    Plan,
)
from oversight.plans.visibility import changed_since_release, plans_for

from ..actions import send_reminders

LOCKED = (ObservationState.APPROVED, ObservationState.PUBLISHED)


@require(*EDITORS)
def collections(request, slug: str):
    plan = get_object_or_404(Plan, slug=slug)
    form = OpenCollectionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        c = actions.open_collection(
            plan, form.cleaned_data["period"], by=request.user, due=form.cleaned_data["due"]
        )
        messages.success(request, f"Collection opened for {c.period.code}.")
        return redirect("plans:collection", c.pk)
    return render(
        request,
        "plans/staff/collections.html",
        {"plan": plan, "form": form, "collections": plan.collections.select_related("period")},
    )


def _force_figures(collection: Collection) -> dict[int, Observation]:
    return {
        o.measure_id: o
        for o in Observation.objects.filter(
            measure__plan=collection.plan, period=collection.period, area__is_force_area=True
        )
    }


@require(*EDITORS)
def collection_detail(request, collection_id: int):
    c = get_object_or_404(Collection.objects.select_related("plan", "period"), pk=collection_id)
    measures = list(c.plan.measures.select_related("objective").prefetch_related("providers"))
    figures = _force_figures(c)
    if request.method == "POST" and request.POST.get("approve_all"):
        count = 0
        for submitted in figures.values():
            if submitted.state == ObservationState.SUBMITTED:
                actions.approve_figure(submitted, by=request.user)
                count += 1
        messages.success(request, f"{count} submitted figure(s) approved.")
        return redirect("plans:collection", c.pk)
    rows = [(m, figures.get(m.pk)) for m in measures]
    by_provider: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m, o in rows:
        names = [u.get_username() for u in m.providers.all()] or ["(no provider)"]
        for name in names:
            by_provider[name]["total"] += 1
            by_provider[name][o.state if o else "missing"] += 1
    states: dict[str, int] = defaultdict(int)
    for _, o in rows:
        states[o.state if o else "missing"] += 1
    published = c.plan.publications.filter(period=c.period).exists()
    return render(
        request,
        "plans/staff/collection.html",
        {
            "collection": c,
            "plan": c.plan,
            "rows": rows,
            "by_provider": [
                (
                    name,
                    c["total"],
                    c["missing"],
                    c[ObservationState.DRAFT] + c[ObservationState.RETURNED],
                    c[ObservationState.SUBMITTED],
                    c[ObservationState.APPROVED] + c[ObservationState.PUBLISHED],
                )
                for name, c in sorted(by_provider.items())
            ],
            "states": dict(states),
            "published": published,
            "release": c.panel_releases.first(),
            # Before publishing or releasing: what the narrative says against the record.
            "claims": check_period(c.plan, c.period.code, audience=Audience.STAFF),
        },
    )


@require(*EDITORS)
@require_POST
def remind(request, collection_id: int):
    c = get_object_or_404(Collection, pk=collection_id)
    sent = send_reminders(
        c, by=request.user, site_url=request.build_absolute_uri(reverse("plans:provide"))
    )
    messages.success(request, f"{sent} reminder email(s) sent.")
    return redirect("plans:collection", c.pk)


@require(*EDITORS)
@require_POST
def publish(request, collection_id: int):
    c = get_object_or_404(Collection.objects.select_related("plan", "period"), pk=collection_id)
    _, count = actions.publish_period(c.plan, c.period.code, by=request.user)
    if c.status == CollectionStatus.OPEN:
        actions.close_collection(c, by=request.user)
    messages.success(
        request, f"{c.period.code} published: {count} figure(s) are now public and locked."
    )
    return redirect("plans:collection", c.pk)


@require(*EDITORS)
@require_POST
def release(request, collection_id: int):
    c = get_object_or_404(Collection.objects.select_related("plan", "period"), pk=collection_id)
    release = actions.release_to_panel(c, by=request.user)
    count = len(release.snapshot["figures"])
    messages.success(
        request,
        f"{c.period.code}: {count} reviewed figure(s) released to the Panel as they stand now. "
        "Figures still awaiting review were not released.",
    )
    return redirect("plans:collection", c.pk)


@require(*EDITORS)
def review(request, observation_id: int):
    """One figure: approve it, send it back with a note, or (once published) correct it."""
    obs = get_object_or_404(
        Observation.objects.select_related("measure__plan", "period", "area"), pk=observation_id
    )
    collection = Collection.objects.filter(plan=obs.measure.plan, period=obs.period).first()
    return_form = ReturnForm(prefix="return")
    correction_form = CorrectionForm(prefix="correct", measure=obs.measure)
    override_form = OverrideForm(
        prefix="override", initial={"rag": obs.rag_override, "reason": obs.rag_reason}
    )
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                actions.approve_figure(obs, by=request.user)
                messages.success(request, f"{obs.measure.code} approved.")
                return _back(collection, obs)
            if "send_back" in request.POST:
                return_form = ReturnForm(request.POST, prefix="return")
                if return_form.is_valid():
                    actions.return_figure(
                        obs, note=return_form.cleaned_data["note"], by=request.user
                    )
                    messages.success(request, f"{obs.measure.code} sent back to its provider.")
                    return _back(collection, obs)
            if "override" in request.POST:
                override_form = OverrideForm(request.POST, prefix="override")
                if override_form.is_valid():
                    actions.override_rag(
                        obs,
                        override_form.cleaned_data["rag"],
                        reason=override_form.cleaned_data["reason"],
                        by=request.user,
                    )
                    messages.success(request, f"{obs.measure.code} status saved.")
                    return _back(collection, obs)
            if "correct" in request.POST:
                correction_form = CorrectionForm(
                    request.POST, prefix="correct", measure=obs.measure
                )
                if correction_form.is_valid():
                    actions.record_observation(
                        obs.measure,
                        obs.period.code,
                        area=obs.area,
                        by=request.user,
                        value=correction_form.cleaned_data["value"],
                        correction_reason=correction_form.cleaned_data["reason"],
                    )
                    messages.success(request, f"{obs.measure.code} corrected.")
                    return _back(collection, obs)
        except Refused as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "plans/staff/review.html",
        {
            "obs": obs,
            "collection": collection,
            "return_form": return_form,
            "correction_form": correction_form,
            "override_form": override_form,
            "revisions": obs.revisions.all()[:20],
        },
    )


def _back(collection, obs):
    if collection:
        return redirect("plans:collection", collection.pk)
    return redirect("plans:observation-review", obs.pk)


# ---------------------------------------------------------------- data providers


def _my_measures(user, plan: Plan):
    qs = plan.measures.select_related("objective")
    if has_role(user, Role.EDITOR):
        return list(qs)
    return list(qs.filter(providers=user))


@require(Role.PROVIDER, Role.EDITOR)
def my_collections(request):
    open_collections = Collection.objects.filter(status=CollectionStatus.OPEN).select_related(
        "plan", "period"
    )
    if not has_role(request.user, Role.EDITOR):
        open_collections = open_collections.filter(
            plan__measures__providers=request.user
        ).distinct()
    return render(request, "plans/provide.html", {"collections": open_collections})


def _previous_codes(code: str, n: int = 3) -> list[str]:
    p = parse_period(code)
    out = []
    for _ in range(n):
        p = p.previous()
        out.append(p.code)
    return out


@require(Role.PROVIDER, Role.EDITOR)
def my_measures(request, collection_id: int):
    """ "My measures for <period>": one row per measure assigned to the user, the previous periods
    beside it; a refused figure is shown at its field with the importer's reason."""
    c = get_object_or_404(Collection.objects.select_related("plan", "period"), pk=collection_id)
    measures = _my_measures(request.user, c.plan)
    if not measures:
        raise Http404("no measures of this plan are assigned to you")
    force = c.plan.force_area
    current = {
        obs.measure_id: obs
        for obs in Observation.objects.filter(measure__in=measures, period=c.period, area=force)
    }
    previous_codes = _previous_codes(c.period.code)
    history: dict[int, dict[str, Observation]] = defaultdict(dict)
    for earlier in Observation.objects.filter(
        measure__in=measures, period__code__in=previous_codes, area=force
    ).select_related("period"):
        history[earlier.measure_id][earlier.period.code] = earlier
    is_open = c.status == CollectionStatus.OPEN
    forms_ = []
    for m in measures:
        o = current.get(m.pk)
        initial = {
            "value": "" if not o or o.value is None else f"{o.value.normalize():f}",
            "status": o.status if o else "",
            "comment": o.comment if o else "",
            "source": o.source if o else "",
        }
        locked = (o is not None and o.state in LOCKED) or not is_open
        data = request.POST if request.method == "POST" and not locked else None
        form = FigureForm(
            data,
            prefix=f"m{m.pk}",
            measure=m,
            judge=rater(m, c.period.code, force),
            initial=initial,
        )
        prev = [history[m.pk].get(code) for code in previous_codes]
        forms_.append({"measure": m, "form": form, "obs": o, "locked": locked, "previous": prev})
    if request.method == "POST" and is_open:
        editable = [f for f in forms_ if not f["locked"]]
        if all(f["form"].is_valid() for f in editable):
            saved = 0
            for f in editable:
                form, m, o = f["form"], f["measure"], f["obs"]
                if not form.entered():
                    continue
                fields = {k: form.cleaned_data.get(k) for k in ("comment", "source")}
                if m.is_milestone:
                    fields["status"] = form.cleaned_data["status"]
                else:
                    fields["value"] = form.cleaned_data["value"]
                obs = actions.record_observation(
                    m,
                    c.period.code,
                    area=force,
                    by=request.user,
                    state=ObservationState.DRAFT
                    if o is None or o.state != ObservationState.SUBMITTED
                    else None,
                    **fields,
                )
                if obs.state in (ObservationState.DRAFT, ObservationState.RETURNED):
                    actions.submit_figure(obs, by=request.user)
                saved += 1
            messages.success(request, f"{saved} figure(s) submitted for review.")
            return redirect("plans:my-measures", c.pk)
    errors = [
        (f["form"], name, err)
        for f in forms_
        if f["form"].is_bound
        for name, errs in f["form"].errors.items()
        for err in errs
    ]
    return render(
        request,
        "plans/my_measures.html",
        {
            "collection": c,
            "rows": forms_,
            "previous_codes": previous_codes,
            "errors": errors,
            "is_open": is_open,
        },
    )


# ---------------------------------------------------------------- the Panel


@require(Role.PANEL, Role.EDITOR)
def panel_home(request):
    released = (
        Collection.objects.filter(panel_releases__isnull=False)
        .select_related("plan", "period")
        .distinct()
    )
    plans = plans_for(Audience.PANEL)
    return render(request, "plans/panel.html", {"released": released, "plans": plans})


@require(Role.PANEL, Role.EDITOR)
def panel_figures(request, collection_id: int):
    """The figures as released to the Panel (a snapshot), with any reviewed change since."""
    c = get_object_or_404(Collection.objects.select_related("plan", "period"), pk=collection_id)
    if not c.panel_releases.exists():
        raise Http404("nothing of this period has been released to the Panel")
    found = statuses(c.plan, c.period.code, [c.plan.force_area], audience=Audience.PANEL)
    changed = changed_since_release(c.plan, c.period.code)
    rows = [(s, changed.get((s.measure.pk, s.area.pk))) for s in found]
    return render(
        request,
        "plans/panel_figures.html",
        {
            "collection": c,
            "rows": rows,
            "plan": c.plan,
            "release": c.panel_releases.first(),
            "published": c.plan.publications.filter(period=c.period).exists(),
        },
    )
