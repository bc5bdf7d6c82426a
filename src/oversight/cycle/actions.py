"""Changes of state for the reminders: the office's policy for a kind of due item."""

from __future__ import annotations

from typing import Any

from oversight.audit.history import check_version, versioned
from oversight.audit.log import record
from oversight.lib.problems import Refused

from .models import ReminderPolicy, parse_days


def _snapshot(p: ReminderPolicy) -> dict:
    return {
        "active": p.active,
        "first_days_before": p.first_days_before,
        "escalation_days": p.escalation_days,
    }


@versioned
def update_policy(
    policy: ReminderPolicy,
    *,
    active: bool,
    first_days_before: int,
    escalation_days: str,
    by: Any,
    expected_version: int | None = None,
) -> ReminderPolicy:
    """Set when a kind's reminders are sent. Refused when the steps are not whole numbers of days,
    each later than the one before, the first escalation after the first reminder."""
    check_version(policy, expected_version)
    try:
        days = parse_days(escalation_days)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    if first_days_before < 0:
        raise Refused("the first reminder is a number of days before the due date, 0 or more")
    if days and days[0] <= -first_days_before:
        raise Refused("the first escalation must come after the first reminder")
    before = _snapshot(policy)
    policy.active = active
    policy.first_days_before = first_days_before
    policy.escalation_days = ", ".join(str(d) for d in days)
    policy.save()
    record(
        "update_reminder_policy",
        by=by,
        obj=policy,
        summary=f"reminders for {policy.kind}: {policy.first_days_before} day(s) before, then "
        f"{policy.escalation_days or 'no escalation'}",
        before=before,
        after=_snapshot(policy),
    )
    return policy
