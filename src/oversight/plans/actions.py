"""Changes of state for the plan: each a verb with a keyword-only `by`, one transaction and one
audit entry. Commands, the web forms and the API all call these, so they behave the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from oversight.audit.log import actor_name, record
from oversight.lib import rag as lr

from .importers import NarrativeSpec, ObservationRow, PlanSpec
from .models import (
    Area,
    Measure,
    Narrative,
    Objective,
    Observation,
    ObservationRevision,
    Period,
    Plan,
)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged"


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


@transaction.atomic
def import_plan(spec: PlanSpec, *, by: Any) -> tuple[Plan, Outcome]:
    """Create or update a plan, its areas, objectives and measures from a checked PlanSpec."""
    outcome = Outcome()
    plan, created = Plan.objects.get_or_create(
        slug=spec.slug,
        defaults=dict(
            title=spec.title,
            force=spec.force,
            starts=spec.starts,
            ends=spec.ends,
            tolerances=spec.tolerances,
        ),
    )
    if not created:
        _update(
            plan,
            outcome,
            title=spec.title,
            force=spec.force,
            starts=spec.starts,
            ends=spec.ends,
            tolerances=spec.tolerances,
        )
    else:
        outcome.created += 1
    _upsert(
        Area,
        outcome,
        dict(plan=plan, code="force"),
        dict(name=spec.force, is_force_area=True, order=0),
    )
    for order, (code, name) in enumerate(spec.areas, start=1):
        _upsert(
            Area,
            outcome,
            dict(plan=plan, code=code),
            dict(name=name, is_force_area=False, order=order),
        )
    for o in spec.objectives:
        objective = _upsert(
            Objective,
            outcome,
            dict(plan=plan, code=o.code),
            dict(title=o.title, description=o.description, order=o.order),
        )
        for m in o.measures:
            t = m.target
            _upsert(
                Measure,
                outcome,
                dict(plan=plan, code=m.code),
                dict(
                    objective=objective,
                    name=m.name,
                    description=m.description,
                    unit=m.unit,
                    polarity=m.polarity,
                    headline=m.headline,
                    target_kind=t.kind.value,
                    target_value=t.value,
                    target_percent=t.percent,
                    baseline_period=t.baseline_period or "",
                    baseline_value=t.baseline_value,
                    goal=t.goal,
                    goal_by=t.by,
                    due=t.due,
                    target_text=t.text,
                    tolerance=m.tolerance,
                    rag_method=m.rag_method,
                    minimum_sample=m.minimum_sample,
                    footnotes=m.footnotes,
                    data_source=m.data_source,
                    opendata_source=m.opendata_source,
                    order=m.order,
                ),
            )
    record("import_plan", by=by, obj=plan, summary=f"plan {plan.slug}: {outcome}")
    return plan, outcome


def _upsert(model: type, outcome: Outcome, keys: dict, values: dict):
    obj = model.objects.filter(**keys).first()
    if obj is None:
        outcome.created += 1
        return model.objects.create(**keys, **values)
    _update(obj, outcome, **values)
    return obj


def _update(obj: Any, outcome: Outcome, **values: Any) -> None:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        outcome.updated += 1
    else:
        outcome.unchanged += 1


@transaction.atomic
def import_observations(
    plan: Plan, rows: list[ObservationRow], *, by: Any, file_name: str = ""
) -> Outcome:
    """Write checked rows: new figures are created, changed ones updated with the old values kept
    as a revision (who and when), identical ones left alone."""
    outcome = Outcome()
    areas = {a.code: a for a in plan.areas.all()}
    periods = {code: Period.objects.for_code(code) for code in {r.period for r in rows}}
    existing = {
        (o.measure_id, o.period_id, o.area_id): o
        for o in Observation.objects.filter(measure__plan=plan, period__in=periods.values())
    }
    user, name = _user(by), actor_name(by)
    new, changed, revisions = [], [], []
    for r in rows:
        period, area = periods[r.period], areas[r.area_code]
        obs = existing.get((r.measure.pk, period.pk, area.pk))
        if obs is None:
            obs = Observation(measure=r.measure, period=period, area=area, recorded_by=user)
            _apply(obs, r.fields)
            if not obs.source and file_name:
                obs.source = file_name
            new.append(obs)
            continue
        before = obs.snapshot()
        _apply(obs, r.fields)
        if obs.snapshot() == before:
            outcome.unchanged += 1
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
    Observation.objects.bulk_create(new, batch_size=2000)
    if changed:
        Observation.objects.bulk_update(
            changed, list(Observation.TRACKED) + ["updated_at"], batch_size=1000
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


def _apply(obs: Observation, fields: dict[str, Any]) -> None:
    from django.utils import timezone

    for key, value in fields.items():
        setattr(obs, key, "" if value is None and key in ("status", "rag_override") else value)
    obs.updated_at = timezone.now()


@transaction.atomic
def record_observation(
    measure: Measure,
    period_code: str,
    *,
    by: Any,
    area: Area | None = None,
    note: str = "",
    **fields: Any,
) -> Observation:
    """Enter or change one figure (the web form and the API use this); history is kept."""
    period = Period.objects.for_code(period_code)
    area = area or measure.plan.force_area
    obs, created = Observation.objects.get_or_create(
        measure=measure, period=period, area=area, defaults={"recorded_by": _user(by)}
    )
    before = None if created else obs.snapshot()
    _apply(obs, fields)
    if before is not None and obs.snapshot() == before:
        return obs
    obs.save()
    if before is not None:
        ObservationRevision.objects.create(
            observation=obs,
            previous=before,
            changed_by=_user(by),
            changed_by_name=actor_name(by),
            note=note,
        )
    record(
        "record_observation", by=by, obj=obs, summary=str(obs), before=before, after=obs.snapshot()
    )
    return obs


def override_rag(obs: Observation, rag: str, *, reason: str, by: Any) -> Observation:
    """A human status in place of the engine's: allowed only with a reason; both stay visible."""
    if rag and rag not in {r.value for r in lr.Rag}:
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


@transaction.atomic
def import_narrative(plan: Plan, spec: NarrativeSpec, *, by: Any) -> Outcome:
    outcome = Outcome()
    period = Period.objects.for_code(spec.period)
    objectives = {o.code: o for o in plan.objectives.all()}
    for order, item in enumerate(spec.items):
        keys = dict(
            plan=plan,
            period=period,
            section=item.section,
            objective=objectives.get(item.objective_code or ""),
            key=item.key,
        )
        _upsert(
            Narrative,
            outcome,
            keys,
            dict(title=item.title, body=item.body, order=order, updated_by=_user(by)),
        )
    record("import_narrative", by=by, obj=plan, summary=f"narrative {spec.period}: {outcome}")
    return outcome
