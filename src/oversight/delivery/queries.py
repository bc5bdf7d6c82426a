"""Reading the delivery plan and the risk register for a reader: every function takes the audience
(no default), and the public reads only what is published, the Panel also what was shared with it.

`delivery_plan` and `risk_implications` are what the report composer calls: plain data (dicts,
Decimals, dates), never HTML. The pages, their .json/.csv twins, the API and `oversight export`
read the same functions, so they all carry the same computed roll-up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from oversight.core.clock import today as clock_today
from oversight.lib import delivery as ld
from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.lib.tables import number, to_csv
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from .models import Activity, ActivityUpdate, Milestone, Risk, states_for


def as_at(period: str | None, today: date | None = None) -> tuple[date, date | None]:
    """(the day milestones are judged on, the period's first day): the period's last day, or today
    when the period has not ended or none is given."""
    day = today or clock_today()
    if not period:
        return day, None
    p = parse_period(period)
    return min(p.end, day), p.start


def _shown(plan: Plan, audience: Audience) -> tuple[str, ...]:
    """The states of activities and risks `audience` may read in this plan: none at all in a plan
    it may not open (a draft or archived plan, for anyone but staff)."""
    states = states_for(audience)
    return states if plans_for(audience).filter(pk=plan.pk).exists() else ()


def _owner(record: Any) -> str:
    return record.owner_words if (record.owner_id or record.owner_name) else ""


def activity_record(a: Activity, on: date, since: date | None) -> dict[str, Any]:
    milestones = [
        {
            "title": m.title,
            "due": m.due,
            "completed_on": m.completed_on,
            "status": m.status,
            "status_words": m.get_status_display(),
            "overdue": m.is_overdue(on),
            "overdue_words": m.overdue_words(on),
        }
        for m in a.milestones.all()
    ]
    updates = [
        {
            "on": u.on,
            "note": u.note,
            "by": u.by_name,
            "status": u.status,
            "percent_complete": u.percent_complete,
        }
        for u in a.updates.all()
        if u.on <= on and (since is None or u.on >= since)
    ]
    return {
        "code": a.code,
        "title": a.title,
        "description": a.description,
        "objective": a.objective.code,
        "aim": a.objective.aim.code if a.objective.aim else "",
        "owner": _owner(a),
        "weight": a.weight,
        "status": a.status,
        "status_words": a.get_status_display(),
        "percent_complete": a.percent_complete,
        "progress": a.progress,
        "state": a.state,
        "milestones": milestones,
        "overdue_milestones": sum(1 for m in milestones if m["overdue"]),
        "updates": updates,
    }


def _progress(rollup: ld.Rollup) -> dict[str, Any]:
    """A level's roll-up: the figure (None: nothing to count), its words, how many activities it
    counts and how many it leaves out for want of a recorded percentage."""
    return {
        "progress": rollup.progress,
        "progress_words": rollup.words,
        "progress_counted": rollup.counted,
        "progress_not_recorded": rollup.not_recorded,
    }


def delivery_plan(
    plan: Plan, *, audience: Audience, period: str | None = None, today: date | None = None
) -> dict[str, Any]:
    """The delivery plan as `audience` may read it, per objective (grouped under the plan's
    strategic aims where it has them), with the computed roll-up at each level.

    With a `period` (e.g. "2023/24 Q2") milestones are judged as at the period's last day (or
    today, if sooner) and the updates listed are those dated within the period; without one, as
    at today, with every update. Percent complete and status are the activities' recorded ones; a
    percent complete of None is not recorded (left out of the roll-up, never counted as 0).
    Returns {"plan", "period", "as_at", "progress", "progress_words", "progress_counted",
    "progress_not_recorded", "aims": [...], "objectives": [{"code", "title", "aim", "progress",
    "progress_words", "progress_counted", "progress_not_recorded", "activities": [...]}],
    "overdue_milestones"}."""
    on, since = as_at(period, today)
    activities = list(
        Activity.objects.filter(plan=plan, state__in=_shown(plan, audience))
        .select_related("objective__aim", "owner")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due", "order", "title")),
            Prefetch("updates", queryset=ActivityUpdate.objects.order_by("-on", "-id")),
        )
    )
    by_objective: dict[int, list[Activity]] = {}
    for a in activities:
        by_objective.setdefault(a.objective_id, []).append(a)
    objectives = []
    for o in plan.objectives.select_related("aim"):
        mine = by_objective.get(o.pk, [])
        rollup = ld.roll_up(a.part for a in mine)
        records = [activity_record(a, on, since) for a in mine]
        objectives.append(
            {
                "code": o.code,
                "title": o.title,
                "aim": o.aim.code if o.aim else "",
                **_progress(rollup),
                "activities": records,
                "overdue_milestones": sum(r["overdue_milestones"] for r in records),
            }
        )
    aims = []
    for aim in plan.aims.all():
        parts = [a.part for a in activities if a.objective.aim_id == aim.pk]
        aims.append(
            {
                "code": aim.code,
                "title": aim.title,
                **_progress(ld.roll_up(parts)),
                "objectives": [o["code"] for o in objectives if o["aim"] == aim.code],
            }
        )
    return {
        "plan": plan.slug,
        "period": parse_period(period).code if period else None,
        "as_at": on,
        "audience": audience.value,
        **_progress(ld.roll_up(a.part for a in activities)),
        "aims": aims,
        "objectives": objectives,
        "overdue_milestones": sum(o["overdue_milestones"] for o in objectives),
    }


DELIVERY_FIELDS = [
    "objective",
    "objective_title",
    "objective_progress",
    "aim",
    "aim_progress",
    "plan_progress",
    "code",
    "title",
    "owner",
    "weight",
    "status",
    "status_words",
    "percent_complete",
    "progress",
    "milestones",
    "next_milestone_due",
    "overdue_milestones",
    "overdue",
    "objective_progress_words",
    "plan_progress_words",
]


def delivery_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """`delivery_plan`'s document as one flat row per activity (the CSV twins and exports), each
    carrying its objective's, aim's and the plan's computed progress."""
    aims = {a["code"]: a["progress"] for a in doc["aims"]}
    rows = []
    for o in doc["objectives"]:
        for a in o["activities"]:
            pending = [m["due"] for m in a["milestones"] if not m["completed_on"]]
            rows.append(
                {
                    "objective": o["code"],
                    "objective_title": o["title"],
                    "objective_progress": o["progress"],
                    "aim": o["aim"],
                    "aim_progress": aims.get(o["aim"]),
                    "plan_progress": doc["progress"],
                    "code": a["code"],
                    "title": a["title"],
                    "owner": a["owner"],
                    "weight": a["weight"],
                    "status": a["status"],
                    "status_words": a["status_words"],
                    "percent_complete": a["percent_complete"],
                    "progress": a["progress"],
                    "milestones": len(a["milestones"]),
                    "next_milestone_due": min(pending) if pending else None,
                    "overdue_milestones": a["overdue_milestones"],
                    "overdue": "; ".join(
                        f"{m['title']}: {m['overdue_words']}"
                        for m in a["milestones"]
                        if m["overdue"]
                    ),
                    # the words say how many activities the figure leaves out (not recorded)
                    "objective_progress_words": o["progress_words"],
                    "plan_progress_words": doc["progress_words"],
                }
            )
    return rows


# ---------------------------------------------------------------- risks

RISK_FIELDS = [
    "code",
    "title",
    "description",
    "owner",
    "likelihood_before",
    "impact_before",
    "score_before",
    "band_before",
    "likelihood_after",
    "impact_after",
    "score_after",
    "band_after",
    "controls",
    "review_on",
    "review_overdue",
    "review_words",
    "objectives",
    "activities",
    "measures",
]


def risk_record(r: Risk, on: date, audience: Audience) -> dict[str, Any]:
    shown = states_for(audience)
    return {
        "code": r.code,
        "title": r.title,
        "description": r.description,
        "owner": _owner(r),
        "likelihood_before": r.likelihood_before,
        "impact_before": r.impact_before,
        "score_before": r.score_before,
        "band_before": r.band_before.words,
        "likelihood_after": r.likelihood_after,
        "impact_after": r.impact_after,
        "score_after": r.score_after,
        "band_after": r.band_after.words,
        "controls": r.controls,
        "review_on": r.review_on,
        "review_overdue": r.review_overdue(on),
        "review_words": r.review_words(on),
        "objectives": "; ".join(o.code for o in r.objectives.all()),
        # an activity the reader may not see is not named
        "activities": "; ".join(a.code for a in r.activities.all() if a.state in shown),
        "measures": "; ".join(m.code for m in r.measures.all()),
    }


def risk_register(
    plan: Plan, *, audience: Audience, today: date | None = None
) -> list[dict[str, Any]]:
    """The plan's risks `audience` may read, highest residual score first."""
    on = today or clock_today()
    risks = (
        Risk.objects.filter(plan=plan, state__in=_shown(plan, audience))
        .select_related("owner")
        .prefetch_related("objectives", "activities", "measures")
    )
    records = [risk_record(r, on, audience) for r in risks]
    return sorted(records, key=lambda r: (-r["score_after"], -r["score_before"], r["code"]))


# Residual bands a report names among its risk implications.
IMPLICATION_BANDS = (ld.Band.HIGH.words, ld.Band.VERY_HIGH.words)


def risk_implications(
    plan: Plan, *, audience: Audience, today: date | None = None
) -> dict[str, Any]:
    """A report's "Risk Management Implications", drawn from the register: the risks whose
    residual (after-controls) band is High or Very high, highest first, and the sentence a report
    prints — "None." when there are none (as seed 003 prints)."""
    risks = [
        r
        for r in risk_register(plan, audience=audience, today=today)
        if r["band_after"] in IMPLICATION_BANDS
    ]
    if not risks:
        words = "None."
    else:
        listed = "; ".join(
            f"{r['code']} {r['title']} (residual score {r['score_after']}, {r['band_after']})"
            for r in risks
        )
        n = len(risks)
        words = (
            f"{n} risk{'s' if n != 1 else ''} in the register remain high after controls: {listed}."
        )
    return {"plan": plan.slug, "risks": risks, "words": words}


def plain_json(value: Any) -> Any:
    """For json.dumps: a roll-up or weight (Decimal) as a number, a date as YYYY-MM-DD."""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def as_csv(records: list[dict[str, Any]], fields: list[str]) -> str:
    """Records as CSV, numbers and dates written as the pages' .csv twins write them."""
    return to_csv(
        [
            {k: plain_json(v) if isinstance(v, (Decimal, date)) else v for k, v in r.items()}
            for r in records
        ],
        fields,
    )
