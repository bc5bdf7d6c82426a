"""Changes of state for the plan: each a verb with a keyword-only `by`, one transaction and one
audit entry. Commands, the web forms and the API all call these, so they behave the same."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from oversight.audit.history import batched_versions, check_version, keep_versions, versioned
from oversight.audit.log import ChangeSet, actor_name, record, user_of
from oversight.core.bulk import insert_new
from oversight.core.records import before_after, upsert
from oversight.lib import rag as lr
from oversight.lib.problems import ImportRefused, Outcome, Problem, Refused

from .importers import NarrativeSpec, ObservationRow, PlanSpec
from .models import (
    Area,
    Collection,
    CollectionStatus,
    Commentary,
    Measure,
    Narrative,
    Objective,
    Observation,
    ObservationRevision,
    ObservationState,
    PanelRelease,
    Period,
    Plan,
    PlanState,
    Publication,
    RagChoice,
    StrategicAim,
)
from .visibility import RELEASABLE, snapshot_of


@versioned
def import_plan(spec: PlanSpec, *, by: Any) -> tuple[Plan, Outcome]:
    """Create or update a plan, its areas, objectives and measures from a checked PlanSpec. Each
    record's earlier version is kept in its history; the audit entry has, for each record
    changed, the changed fields' old and new values."""
    with batched_versions(reason="plan import"):
        return _import_plan(spec, by=by)


def _import_plan(spec: PlanSpec, *, by: Any) -> tuple[Plan, Outcome]:
    outcome = Outcome()
    changes = ChangeSet()
    plan_values = {
        "title": spec.title,
        "force": spec.force,
        "starts": spec.starts,
        "ends": spec.ends,
        "tolerances": spec.tolerances,
        "report_layout": spec.report_layout,
    }
    plan = upsert(Plan, outcome, {"slug": spec.slug}, plan_values, changes=changes, label="plan")
    upsert(
        Area,
        outcome,
        {"plan": plan, "code": "force"},
        {"name": spec.force, "is_force_area": True, "order": 0},
        changes=changes,
        label="area force",
    )
    for order, (code, name) in enumerate(spec.areas, start=1):
        upsert(
            Area,
            outcome,
            {"plan": plan, "code": code},
            {"name": name, "is_force_area": False, "order": order},
            changes=changes,
            label=f"area {code}",
        )
    aims = {
        a.code: upsert(
            StrategicAim,
            outcome,
            {"plan": plan, "code": a.code},
            {"title": a.title, "order": a.order},
            changes=changes,
            label=f"aim {a.code}",
        )
        for a in spec.aims
    }
    for o in spec.objectives:
        objective = upsert(
            Objective,
            outcome,
            {"plan": plan, "code": o.code},
            {
                "title": o.title,
                "description": o.description,
                "order": o.order,
                "aim": aims.get(o.aim),
            },
            changes=changes,
            label=f"objective {o.code}",
        )
        for m in o.measures:
            t = m.target
            upsert(
                Measure,
                outcome,
                {"plan": plan, "code": m.code},
                {
                    "objective": objective,
                    "name": m.name,
                    "description": m.description,
                    "unit": m.unit,
                    "polarity": m.polarity,
                    "headline": m.headline,
                    "target_kind": t.kind.value,
                    "target_value": t.value,
                    "target_percent": t.percent,
                    "baseline_period": t.baseline_period or "",
                    "baseline_value": t.baseline_value,
                    "goal": t.goal,
                    "goal_by": t.by,
                    "due": t.due,
                    "target_text": t.text,
                    "tolerance": m.tolerance,
                    "rag_method": m.rag_method,
                    "minimum_sample": m.minimum_sample,
                    "footnotes": m.footnotes,
                    "data_source": m.data_source,
                    "noun": m.noun,
                    "opendata_source": m.opendata_source,
                    "order": m.order,
                },
                changes=changes,
                label=f"measure {m.code}",
            )
    record(
        "import_plan", by=by, obj=plan, summary=f"plan {plan.slug}: {outcome}", **changes.audit()
    )
    return plan, outcome


def _correct(obs: Observation, reason: str) -> str | None:
    """The one rule for changing a published figure: only as a correction with a reason, which is
    kept with the figure and its time. Returns why the change is refused, or None (and marks the
    figure corrected) when it may go ahead; a figure not yet published needs no reason."""
    if obs.state != ObservationState.PUBLISHED:
        return None
    if not reason.strip():
        return f"{obs.measure.code} {obs.period.code} is published: a correction needs a reason"
    obs.correction_reason, obs.corrected_at = reason, timezone.now()
    return None


@transaction.atomic
def import_observations(
    plan: Plan,
    rows: list[ObservationRow],
    *,
    by: Any,
    file_name: str = "",
    correction_reason: str = "",
) -> Outcome:
    """Write checked rows: new figures are created, changed ones updated with the old values kept
    as a revision (who and when), identical ones left alone. A published figure changes only as a
    correction with a reason, and shows as corrected."""
    outcome = Outcome()
    areas = {a.code: a for a in plan.areas.all()}
    periods = {code: Period.objects.for_code(code) for code in {r.period for r in rows}}
    existing = {
        (o.measure_id, o.period_id, o.area_id): o
        for o in Observation.objects.filter(measure__plan=plan, period__in=periods.values())
    }
    user, name = user_of(by), actor_name(by)
    new: list[dict[str, Any]] = []
    changed, revisions, locked = [], [], []
    for r in rows:
        period, area = periods[r.period], areas[r.area_code]
        obs = existing.get((r.measure.pk, period.pk, area.pk))
        if obs is None:
            # A plain row, not an instance: building 40,000 instances costs more than the write.
            values = {
                "measure_id": r.measure.pk,
                "period_id": period.pk,
                "area_id": area.pk,
                "recorded_by_id": user.pk if user else None,
                **_field_values(r.fields),
            }
            if not values.get("source") and file_name:
                values["source"] = file_name
            new.append(values)
            continue
        before = obs.snapshot()
        _apply(obs, r.fields)
        if obs.snapshot() == before:
            outcome.unchanged += 1
            continue
        if obs.state in PROVIDERS_STATES:
            # A provider's figure is theirs until the office reviews it: an upload never
            # silently takes its place.
            who = obs.recorded_by.get_username() if obs.recorded_by else "a data provider"
            locked.append(
                Problem(
                    file_name,
                    r.row,
                    None,
                    f"{r.measure.code} {r.period} ({r.area_code}) has a figure from {who} "
                    f"that is {obs.get_state_display().lower()}, not yet reviewed: approve it or "
                    "send it back on its review page first; the upload did not replace it",
                )
            )
            continue
        if why := _correct(obs, correction_reason):
            locked.append(Problem(file_name, r.row, None, why))
            continue
        changed.append(obs)
        revisions.append(
            ObservationRevision(
                observation=obs,
                previous=before,
                changed_by=user,
                changed_by_name=name,
                note=f"re-imported from {file_name}" if file_name else "",
            )
        )
    if locked:
        raise ImportRefused(locked)
    insert_new(Observation, new)  # set-based, sized for the database (core/bulk.py)
    if changed:
        Observation.objects.bulk_update(
            changed,
            list(Observation.TRACKED) + ["updated_at", "correction_reason", "corrected_at"],
            batch_size=1000,
        )
        ObservationRevision.objects.bulk_create(revisions, batch_size=2000)
    outcome.created, outcome.updated = len(new), len(changed)
    record(
        "import_observations",
        by=by,
        obj=plan,
        summary=f"{file_name or 'observations'} into {plan.slug}: {outcome}",
    )
    return outcome


def _field_values(fields: dict[str, Any]) -> dict[str, Any]:
    """An import row's fields as the figure stores them (no status is "", not null)."""
    return {
        key: "" if value is None and key in ("status", "rag_override") else value
        for key, value in fields.items()
    }


def _apply(obs: Observation, fields: dict[str, Any]) -> None:
    for key, value in _field_values(fields).items():
        setattr(obs, key, value)
    obs.updated_at = timezone.now()


# A figure in these states is a data provider's, awaiting the office's review.
PROVIDERS_STATES = (
    ObservationState.DRAFT,
    ObservationState.SUBMITTED,
    ObservationState.RETURNED,
)


@transaction.atomic
def record_observation(
    measure: Measure,
    period_code: str,
    *,
    by: Any,
    area: Area | None = None,
    note: str = "",
    state: str | None = None,
    correction_reason: str = "",
    **fields: Any,
) -> Observation:
    """Enter or change one figure (the web form and the API use this); history is kept.

    `state` sets the workflow state (a data provider's entry is a draft). A published figure
    changes only as a correction with a reason, and stays published, marked corrected.
    """
    period = Period.objects.for_code(period_code)
    area = area or measure.plan.force_area
    obs = Observation.objects.filter(measure=measure, period=period, area=area).first()
    created = obs is None
    if obs is None:
        obs = Observation(
            measure=measure,
            period=period,
            area=area,
            recorded_by=user_of(by),
            state=state or ObservationState.APPROVED,
        )
    before = None if created else obs.snapshot()
    _apply(obs, fields)
    if before is not None and obs.snapshot() == before and state in (None, obs.state):
        return obs
    if before is not None and obs.state == ObservationState.PUBLISHED:
        if why := _correct(obs, correction_reason):
            raise Refused(why)
        note = note or f"correction: {correction_reason}"
    elif state is not None:
        obs.state = state
    obs.save()
    if before is not None:
        ObservationRevision.objects.create(
            observation=obs,
            previous=before,
            changed_by=user_of(by),
            changed_by_name=actor_name(by),
            note=note,
        )
    record(
        "record_observation", by=by, obj=obs, summary=str(obs), before=before, after=obs.snapshot()
    )
    return obs


def override_rag(obs: Observation, rag: str, *, reason: str, by: Any) -> Observation:
    """A human status in place of the engine's: allowed only with a reason; both stay visible."""
    if rag and rag not in {r.value for r in lr.Rag} | {RagChoice.NONE.value}:
        raise ValueError(f'"{rag}" is not a RAG status')
    if rag and not reason.strip():
        raise ValueError("an override needs a reason")
    return record_observation(
        obs.measure,
        obs.period.code,
        area=obs.area,
        by=by,
        rag_override=rag,
        rag_reason=reason,
        note="status override",
    )


@versioned
def import_narrative(plan: Plan, spec: NarrativeSpec, *, by: Any) -> Outcome:
    """Write a period's narrative sections; a section's earlier text is kept in its history, and
    the audit entry has each changed section's old and new values."""
    with batched_versions(reason=f"narrative import for {spec.period}"):
        return _import_narrative(plan, spec, by=by)


def _import_narrative(plan: Plan, spec: NarrativeSpec, *, by: Any) -> Outcome:
    outcome = Outcome()
    changes = ChangeSet()
    period = Period.objects.for_code(spec.period)
    objectives = {o.code: o for o in plan.objectives.all()}
    for order, item in enumerate(spec.items):
        keys = {
            "plan": plan,
            "period": period,
            "section": item.section,
            "objective": objectives.get(item.objective_code or ""),
            "key": item.key,
        }
        label = " ".join(x for x in (item.section, item.objective_code or "", item.key) if x)
        upsert(
            Narrative,
            outcome,
            keys,
            {"title": item.title, "body": item.body, "order": order, "updated_by": user_of(by)},
            changes=changes,
            label=label,
        )
    record(
        "import_narrative",
        by=by,
        obj=plan,
        summary=f"narrative {spec.period}: {outcome}",
        **changes.audit(),
    )
    return outcome


# ---------------------------------------------------------------- the collection workflow


@transaction.atomic
def open_collection(plan: Plan, period_code: str, *, by: Any, due: Any = None) -> Collection:
    """Open a period for data providers to enter figures."""
    period = Period.objects.for_code(period_code)
    collection, created = Collection.objects.get_or_create(
        plan=plan, period=period, defaults={"opened_by": user_of(by), "due": due}
    )
    if not created and collection.status != CollectionStatus.OPEN:
        collection.status, collection.closed_at = CollectionStatus.OPEN, None
        collection.save(update_fields=["status", "closed_at"])
    record("open_collection", by=by, obj=collection, summary=f"{plan.slug} {period.code} opened")
    return collection


@transaction.atomic
def close_collection(collection: Collection, *, by: Any) -> Collection:
    collection.status, collection.closed_at = CollectionStatus.CLOSED, timezone.now()
    collection.save(update_fields=["status", "closed_at"])
    record("close_collection", by=by, obj=collection, summary=f"{collection.period.code} closed")
    return collection


def _set_state(
    obs: Observation, state: str, *, by: Any, action: str, note: str = ""
) -> Observation:
    before = {"state": obs.state, "review_note": obs.review_note}
    obs.state = state
    if note or state == ObservationState.RETURNED:
        obs.review_note = note
    obs.save(update_fields=["state", "review_note", "updated_at"])
    record(
        action,
        by=by,
        obj=obs,
        summary=f"{obs} {state}",
        before=before,
        after={"state": obs.state, "review_note": obs.review_note},
    )
    return obs


@transaction.atomic
def submit_figure(obs: Observation, *, by: Any) -> Observation:
    """A data provider sends a draft (or sent-back) figure to the editor for review."""
    if obs.state not in (ObservationState.DRAFT, ObservationState.RETURNED):
        raise Refused(f"only a draft or sent-back figure can be submitted, not a {obs.state} one")
    return _set_state(obs, ObservationState.SUBMITTED, by=by, action="submit_figure")


@transaction.atomic
def return_figure(obs: Observation, *, note: str, by: Any) -> Observation:
    """The editor sends a submitted figure back to its provider with a note."""
    if not note.strip():
        raise Refused("sending a figure back needs a note saying why")
    if obs.state not in (ObservationState.SUBMITTED, ObservationState.APPROVED):
        raise Refused(
            f"only a submitted or approved figure can be sent back, not a {obs.state} one"
        )
    return _set_state(obs, ObservationState.RETURNED, by=by, action="return_figure", note=note)


@transaction.atomic
def approve_figure(obs: Observation, *, by: Any) -> Observation:
    if obs.state not in (
        ObservationState.SUBMITTED,
        ObservationState.DRAFT,
        ObservationState.RETURNED,
    ):
        raise Refused(f"only a submitted figure can be approved, not a {obs.state} one")
    return _set_state(obs, ObservationState.APPROVED, by=by, action="approve_figure")


@versioned
def publish_period(plan: Plan, period_code: str, *, by: Any) -> tuple[Publication, int]:
    """Publish every approved figure of the period; the period is then locked (corrections need
    a reason). Returns the publication and how many figures were published."""
    period = Period.objects.for_code(period_code)
    now = timezone.now()
    count = Observation.objects.filter(
        measure__plan=plan, period=period, state=ObservationState.APPROVED
    ).update(state=ObservationState.PUBLISHED, published_at=now, updated_at=now)
    publication, _ = Publication.objects.get_or_create(
        plan=plan, period=period, defaults={"published_by": user_of(by)}
    )
    texts = publish_texts(plan, period, now)
    record(
        "publish_period",
        by=by,
        obj=publication,
        summary=f"{plan.slug} {period.code}: {count} figures published; {texts}",
    )
    return publication, count


@versioned
def publish_narrative(plan: Plan, period_code: str, *, by: Any) -> str:
    """Publish a published period's narrative and commentary as they now stand (an edit made after
    the period was published waits for this)."""
    period = Period.objects.for_code(period_code)
    if not Publication.objects.filter(plan=plan, period=period).exists():
        raise Refused(
            f"{period.code} is not published yet: its narrative is published with its figures"
        )
    done = publish_texts(plan, period, timezone.now())
    record("publish_narrative", by=by, obj=plan, summary=f"{plan.slug} {period.code}: {done}")
    return done


def publish_texts(plan: Plan, period: Period, now: Any) -> str:
    """The period's narrative and commentary as they stand become what the public reads (an edit
    after this stays unpublished until the period is published again)."""
    changed = (
        Q(published_at__isnull=True) | ~Q(published_body=F("body")) | ~Q(published_title=F("title"))
    )
    narratives = list(Narrative.objects.filter(plan=plan, period=period).filter(changed))
    Narrative.objects.filter(pk__in=[n.pk for n in narratives]).update(
        published_title=F("title"), published_body=F("body"), published_at=now
    )
    keep_versions(Narrative, narratives, created=False, reason="published")
    commentary = list(
        Commentary.objects.filter(measure__plan=plan, period=period).filter(
            Q(published_at__isnull=True) | ~Q(published_text=F("text"))
        )
    )
    Commentary.objects.filter(pk__in=[c.pk for c in commentary]).update(
        published_text=F("text"), published_at=now
    )
    keep_versions(Commentary, commentary, created=False, reason="published")
    return (
        f"{len(narratives)} narrative section(s) and {len(commentary)} commentary text(s) published"
    )


@versioned
def save_commentary(
    measure: Measure,
    period_code: str,
    *,
    area: Area | None = None,
    text: str,
    by: Any,
    expected_version: int | None = None,
) -> Commentary | None:
    """Keep, edit or replace a measure's commentary for a period. Saved text wins over the draft
    the statistics write; empty text removes it, so the draft shows again (its last text stays in
    its history). Audited before/after. With `expected_version` (the version an edit form started
    from; 0 for none), a save after someone else's is refused (`Conflict`, saying what changed)."""
    period = Period.objects.for_code(period_code)
    area = area or measure.plan.force_area
    existing = Commentary.objects.filter(measure=measure, period=period, area=area).first()
    check_version(existing, expected_version, model=Commentary)
    before = existing.text if existing else ""
    text = text.strip()
    if text == before:
        return existing
    if not text:
        result = None
        if existing and existing.published_at:
            # The public still reads the published text until the period is published again.
            existing.text, existing.updated_by = "", user_of(by)
            existing.save(update_fields=["text", "updated_by", "updated_at"])
        elif existing:
            existing.delete()
    else:
        result, _ = Commentary.objects.update_or_create(
            measure=measure,
            period=period,
            area=area,
            defaults={"text": text, "updated_by": user_of(by)},
        )
    record(
        "save_commentary",
        by=by,
        obj=result or measure,
        summary=f"commentary on {measure.code} {period.code} {area.code}",
        before={"text": before},
        after={"text": text},
    )
    return result


# ---------------------------------------------------------------- editing the plan in the web forms


@versioned
def save_objective(
    plan: Plan,
    objective: Objective | None,
    *,
    by: Any,
    expected_version: int | None = None,
    **values: Any,
) -> Objective:
    """Create or change an objective; the audit entry holds the values before and after. With
    `expected_version` (the version the edit form started from), a save after someone else's is
    refused (`Conflict`, saying what changed)."""
    if objective is None:
        objective = Objective.objects.create(plan=plan, **values)
        record("create_objective", by=by, obj=objective, summary=str(objective), after=values)
        return objective
    check_version(objective, expected_version)
    before, after = before_after(objective, values)
    for k, v in values.items():
        setattr(objective, k, v)
    objective.save()
    record(
        "change_objective", by=by, obj=objective, summary=str(objective), before=before, after=after
    )
    return objective


@versioned
def save_measure(
    objective: Objective,
    measure: Measure | None,
    *,
    by: Any,
    providers: Any = None,
    expected_version: int | None = None,
    **values: Any,
) -> Measure:
    """Create or change a measure (target, tolerance, providers); audited before and after.
    With `expected_version`, a save after someone else's is refused (`Conflict`)."""
    if measure is None:
        measure = Measure.objects.create(plan=objective.plan, objective=objective, **values)
        before = None
        action = "create_measure"
    else:
        check_version(measure, expected_version)
        before, _ = before_after(measure, values)
        for k, v in values.items():
            setattr(measure, k, v)
        measure.objective = objective
        measure.save()
        action = "change_measure"
    if providers is not None:
        measure.providers.set(providers)
    _, after = before_after(measure, values)
    record(action, by=by, obj=measure, summary=str(measure), before=before, after=after)
    return measure


@versioned
def save_narrative(
    plan: Plan,
    period_code: str,
    narrative: Narrative | None,
    *,
    by: Any,
    expected_version: int | None = None,
    **values: Any,
) -> Narrative:
    """Create or change one section of a period's report text (Markdown, sanitised when shown);
    its earlier text is kept in its history. With `expected_version`, a save after someone
    else's is refused (`Conflict`, saying what changed)."""
    period = Period.objects.for_code(period_code)
    if narrative is None:
        narrative = Narrative.objects.create(
            plan=plan, period=period, updated_by=user_of(by), **values
        )
        record(
            "create_narrative", by=by, obj=narrative, summary=f"{period.code} {narrative.section}"
        )
        return narrative
    check_version(narrative, expected_version)
    before, after = before_after(narrative, values)
    for k, v in values.items():
        setattr(narrative, k, v)
    narrative.updated_by = user_of(by)
    narrative.save()
    record(
        "change_narrative",
        by=by,
        obj=narrative,
        summary=f"{period.code} {narrative.section}",
        before=before,
        after=after,
    )
    return narrative


# ---------------------------------------------------------------- the Panel and the public


@versioned
def release_to_panel(collection: Collection, *, by: Any) -> PanelRelease:
    """Release the period's reviewed (approved or published) figures, narrative and commentary to
    the Panel as they stand now. The Panel reads this snapshot until the office releases again;
    figures still awaiting review are not released, and the audit entry says how many."""
    snapshot = snapshot_of(collection.plan, collection.period)
    waiting = (
        Observation.objects.filter(measure__plan=collection.plan, period=collection.period)
        .exclude(state__in=RELEASABLE)
        .count()
    )
    release = PanelRelease.objects.create(
        collection=collection, released_by=user_of(by), snapshot=snapshot
    )
    record(
        "release_to_panel",
        by=by,
        obj=collection,
        summary=(
            f"{collection.plan.slug} {collection.period.code}: {len(snapshot['figures'])} "
            f"figure(s) released to the Panel; {waiting} awaiting review not released"
        ),
    )
    return release


@versioned
def publish_plan(plan: Plan, *, by: Any, current: bool | None = None) -> Plan:
    """Make a plan public (a draft, or an archived plan restored); `current` makes it the plan the
    public site opens on."""
    before = {"state": plan.state, "current": plan.current}
    plan.state = PlanState.PUBLISHED
    plan.published_at = plan.published_at or timezone.now()
    if current is not None:
        plan.current = current
    if plan.current:
        others = list(Plan.objects.exclude(pk=plan.pk).filter(current=True))
        Plan.objects.filter(pk__in=[p.pk for p in others]).update(current=False)
        keep_versions(Plan, others, created=False, reason=f"{plan.slug} made current")
    plan.save(update_fields=["state", "published_at", "current", "updated_at"])
    record(
        "publish_plan",
        by=by,
        obj=plan,
        summary=f"plan {plan.slug} published" + (" as the current plan" if plan.current else ""),
        before=before,
        after={"state": plan.state, "current": plan.current},
    )
    return plan


@versioned
def archive_plan(plan: Plan, *, by: Any) -> Plan:
    """Withdraw a plan from the public site without deleting anything; `publish_plan` restores it."""
    before = {"state": plan.state, "current": plan.current}
    plan.state, plan.current = PlanState.ARCHIVED, False
    plan.save(update_fields=["state", "current", "updated_at"])
    record(
        "archive_plan",
        by=by,
        obj=plan,
        summary=f"plan {plan.slug} archived",
        before=before,
        after={"state": plan.state, "current": plan.current},
    )
    return plan


DONE = (ObservationState.SUBMITTED, ObservationState.APPROVED, ObservationState.PUBLISHED)


def outstanding(collection: Collection) -> dict[Any, list]:
    """{provider: [measures whose figure is not yet submitted]} for the collection's period."""
    measures = collection.plan.measures.prefetch_related("providers")
    done = set(
        collection.period.observations.filter(
            measure__plan=collection.plan,
            area__is_force_area=True,
            state__in=DONE,
        ).values_list("measure_id", flat=True)
    )
    out: dict[Any, list] = {}
    for m in measures:
        if m.pk in done:
            continue
        for user in m.providers.all():
            out.setdefault(user, []).append(m)
    return out


def providers_without_email(collection: Collection) -> list[str]:
    """The names of providers with figures still to enter whom no email can reach."""
    return sorted(
        user.get_full_name() or user.get_username()
        for user in outstanding(collection)
        if not user.email
    )


def send_reminders(collection: Collection, *, by: Any, site_url: str = "") -> int:
    """Email each provider the measures still to enter; returns how many emails were sent."""
    messages = []
    for user, measures in outstanding(collection).items():
        if not user.email:
            continue
        lines = "\n".join(f"  - {m.code} {m.name}" for m in measures)
        due = f" by {collection.due:%-d %B %Y}" if collection.due else ""
        messages.append(
            (
                f"Figures needed for {collection.period.code}",
                f"Dear {user.get_full_name() or user.get_username()},\n\n"
                f"Please enter your figures for {collection.period.code}{due}:\n{lines}\n\n"
                f"{site_url}\n",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    unreached = providers_without_email(collection)
    record(
        "send_reminders",
        by=by,
        obj=collection,
        summary=f"{collection.period.code}: {sent} reminder(s) sent"
        + (f"; no email address for {', '.join(unreached)}" if unreached else ""),
    )
    return sent
