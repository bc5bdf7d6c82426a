"""Changes to the delivery plan and the risk register: each a verb with a keyword-only `by`, one
transaction and one audit entry, every change keeping the record's earlier version in its history.
The import commands, the staff pages and the tests all call these, so they behave the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from oversight.audit.history import batched_versions, check_version, versioned
from oversight.audit.log import ChangeSet, actor_name, record, user_of
from oversight.core.records import before_after, upsert
from oversight.lib.problems import Outcome, Refused
from oversight.plans.models import Objective, Plan

from .importers import ActivityRow, OwnerSpec, RiskRow
from .models import Activity, ActivityUpdate, Milestone, Risk, State, Status


def _owner_values(owner: OwnerSpec | None) -> dict[str, Any]:
    if owner is None:
        return {}
    return {"owner": owner.user, "owner_name": owner.name, "owner_email": owner.email}


def _settled(values: dict[str, Any]) -> dict[str, Any]:
    """A complete activity is 100% complete, whatever was typed: the roll-up counts it so."""
    if values.get("status") == Status.COMPLETE:
        values["percent_complete"] = 100
    return values


@versioned
def import_delivery(
    plan: Plan, rows: list[ActivityRow], *, by: Any, file_name: str = ""
) -> Outcome:
    """Write checked rows (`importers.read_delivery`): activities and milestones are created, or
    changed where the file differs, or left alone; earlier versions are kept in their history. New
    activities are drafts until the office shares or publishes them."""
    outcome = Outcome()
    changes = ChangeSet()
    existing = {a.code: a for a in Activity.objects.filter(plan=plan)}
    milestones = {
        (m.activity_id, m.title): m for m in Milestone.objects.filter(activity__plan=plan)
    }
    with batched_versions(reason=f"import of {file_name}" if file_name else "import"):
        for order, r in enumerate(rows):
            values = _settled({**r.values, **_owner_values(r.owner)})
            if r.code not in existing:
                values.setdefault("order", order)
            activity = upsert(
                Activity,
                outcome,
                {"plan": plan, "code": r.code},
                values,
                existing=existing,
                key=r.code,
                changes=changes,
                label=f"activity {r.code}",
            )
            for i, m in enumerate(r.milestones):
                upsert(
                    Milestone,
                    outcome,
                    {"activity": activity, "title": m.title},
                    {"due": m.due, "completed_on": m.completed_on, "status": m.status, "order": i},
                    existing=milestones,
                    key=(activity.pk, m.title),
                    changes=changes,
                    label=f"milestone {r.code}: {m.title}",
                )
    record(
        "import_delivery",
        by=by,
        obj=plan,
        summary=f"delivery plan of {plan.slug} from {file_name or 'a file'}: {outcome}",
        **changes.audit(),
    )
    return outcome


@versioned
def import_risks(plan: Plan, rows: list[RiskRow], *, by: Any, file_name: str = "") -> Outcome:
    """Write checked rows (`importers.read_risks`); the links named in the file replace the risk's
    links of that kind. New risks are drafts until the office shares or publishes them."""
    outcome = Outcome()
    changes = ChangeSet()
    existing = {r.code: r for r in Risk.objects.filter(plan=plan)}
    with batched_versions(reason=f"import of {file_name}" if file_name else "import"):
        for r in rows:
            values = {**r.values, **_owner_values(r.owner)}
            before = outcome.unchanged
            risk = upsert(
                Risk,
                outcome,
                {"plan": plan, "code": r.code},
                values,
                existing=existing,
                key=r.code,
                changes=changes,
                label=f"risk {r.code}",
            )
            if _relink(risk, r.links) and outcome.unchanged > before:
                outcome.unchanged -= 1  # only its links changed: a change all the same
                outcome.updated += 1
                risk.save(update_fields=["updated_at"])  # its new version holds the new links
                changes.add(f"risk {r.code}", None, {"links": "changed"})
    record(
        "import_risks",
        by=by,
        obj=plan,
        summary=f"risk register of {plan.slug} from {file_name or 'a file'}: {outcome}",
        **changes.audit(),
    )
    return outcome


def _relink(risk: Risk, links: dict[str, list[Any]]) -> bool:
    """Set the risk's links of each kind given; whether any changed."""
    changed = False
    for name, items in links.items():
        manager = getattr(risk, name)
        if {x.pk for x in manager.all()} != {x.pk for x in items}:
            manager.set(items)
            changed = True
    return changed


# ---------------------------------------------------------------- edits from the staff pages


def _save(model: Any, obj: Any, create: dict, values: dict, *, by: Any, expected: int | None):
    """Create (with `create` keys) or change a record, audited before and after; a save after
    someone else's is refused (`Conflict`) when `expected` is given."""
    name = model._meta.model_name
    if obj is None:
        obj = model.objects.create(**create, **values)
        record(
            f"create_{name}", by=by, obj=obj, summary=str(obj), after=before_after(obj, values)[1]
        )
        return obj
    check_version(obj, expected)
    before, after = before_after(obj, values)
    for k, v in values.items():
        setattr(obj, k, v)
    obj.full_clean()
    obj.save()
    record(f"change_{name}", by=by, obj=obj, summary=str(obj), before=before, after=after)
    return obj


@versioned
def save_activity(
    plan: Plan,
    activity: Activity | None,
    *,
    by: Any,
    expected_version: int | None = None,
    **values: Any,
) -> Activity:
    """Create or change an activity (its objective must be the plan's)."""
    objective = values.get("objective")
    if isinstance(objective, Objective) and objective.plan_id != plan.pk:
        raise Refused(f"objective {objective.code} is not in plan {plan.slug}")
    return _save(
        Activity, activity, {"plan": plan}, _settled(values), by=by, expected=expected_version
    )


@versioned
def save_milestone(
    activity: Activity,
    milestone: Milestone | None,
    *,
    by: Any,
    expected_version: int | None = None,
    **values: Any,
) -> Milestone:
    if values.get("completed_on") and not values.get("status"):
        values["status"] = Status.COMPLETE
    return _save(
        Milestone, milestone, {"activity": activity}, values, by=by, expected=expected_version
    )


@versioned
def save_risk(
    plan: Plan,
    risk: Risk | None,
    *,
    by: Any,
    links: dict[str, list[Any]] | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Risk:
    """Create or change a risk and (when given) its links; its new version holds both."""
    with batched_versions(reason="edited"):
        saved = _save(Risk, risk, {"plan": plan}, values, by=by, expected=expected_version)
        if links is not None and _relink(saved, links):
            saved.save(update_fields=["updated_at"])
    return saved


@versioned
def post_update(
    activity: Activity,
    *,
    by: Any,
    note: str,
    on: date | None = None,
    status: str = "",
    percent_complete: int | None = None,
) -> ActivityUpdate:
    """A dated progress note; a status or percentage given with it becomes the activity's own."""
    from oversight.core.clock import today

    if not note.strip():
        raise Refused("an update needs a note")
    update = ActivityUpdate.objects.create(
        activity=activity,
        on=on or today(),
        note=note,
        status=status,
        percent_complete=percent_complete,
        by=user_of(by),
        by_name=actor_name(by),
    )
    values: dict[str, Any] = {}
    if status:
        values["status"] = status
    if percent_complete is not None:
        values["percent_complete"] = percent_complete
    if values:
        _settled(values)
        for k, v in values.items():
            setattr(activity, k, v)
        activity.save()
    record(
        "post_activity_update",
        by=by,
        obj=activity,
        summary=f"{activity.code}: update of {update.on.isoformat()}",
        after={"note": note, **{k: str(v) for k, v in values.items()}},
    )
    return update


@versioned
def set_state(plan: Plan, what: str, state: str, *, by: Any, codes: list[str] | None = None) -> int:
    """Share with the Panel or publish (or withdraw to draft) a plan's activities or risks: the
    named codes, or all. Returns how many changed."""
    model: Any = {"activities": Activity, "risks": Risk}[what]
    if state not in State.values:
        raise Refused(f'"{state}" is not a state: one of {", ".join(State.values)}')
    items = model.objects.filter(plan=plan).exclude(state=state)
    if codes is not None:
        items = items.filter(code__in=codes)
    count = 0
    with batched_versions(reason=f"state: {state}"):
        for item in items:
            item.state = state
            item.save(update_fields=["state", "updated_at"])
            count += 1
    record(
        f"{state}_{what}",
        by=by,
        obj=plan,
        summary=f"{count} {what} of {plan.slug} now {State(state).label.lower()}",
        after={"codes": codes, "state": state, "count": count, "at": timezone.now().isoformat()},
    )
    return count
