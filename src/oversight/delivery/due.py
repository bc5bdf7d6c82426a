"""What falls due in the delivery plan and the risk register, for reminders and the calendar
(`oversight.lib.due`): each milestone not yet completed, and each risk's next review.

Who is told (`chain`): step 0 the owner (the activity's owner for a milestone; the risk's owner);
step 1 the office's editors, who keep the delivery plan; step 2 its administrators. An owner who is
a named person without an account is told by email when one is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from oversight.accounts.roles import Role
from oversight.lib.due import DueItem, Recipient

from .models import Milestone, Owned, Risk


def _person(user: Any) -> Recipient:
    return Recipient(
        name=user.get_full_name() or user.get_username(), email=user.email or "", user_id=user.pk
    )


def _owner(record: Owned) -> tuple[Recipient, ...]:
    if record.owner is not None:
        return (_person(record.owner),)
    if record.owner_name or record.owner_email:
        return (Recipient(name=record.owner_name or record.owner_email, email=record.owner_email),)
    return ()


def _holding(role: Role) -> tuple[Recipient, ...]:
    users = get_user_model().objects.filter(is_active=True)
    if role is Role.ADMIN:
        users = users.filter(Q(is_superuser=True) | Q(groups__name=role.value))
    else:
        users = users.filter(groups__name=role.value, is_superuser=False)
    return tuple(_person(u) for u in users.distinct().order_by("username"))


def _chain(record: Owned, editors: tuple, admins: tuple) -> tuple[tuple[Recipient, ...], ...]:
    return (_owner(record), editors, admins)


def milestone_due_items(today: date) -> Iterator[DueItem]:
    """Every milestone of every plan: done once completed. `today` is the caller's; a milestone
    is overdue when its due date is before it (DueItem.days_overdue)."""
    editors, admins = _holding(Role.EDITOR), _holding(Role.ADMIN)
    milestones = Milestone.objects.select_related(
        "activity__plan", "activity__objective", "activity__owner"
    ).order_by("due", "pk")
    for m in milestones.iterator(chunk_size=500):
        a = m.activity
        yield DueItem(
            key=f"milestone:{a.plan.slug}:{a.code}:{m.pk}",
            kind="milestone",
            title=f"{a.code} {a.title}: {m.title}",
            due=m.due,
            url=f"/staff/delivery/activities/{a.pk}/",
            source=f"Delivery plan, objective {a.objective.code}",
            done=m.done_by(today),
            state=m.get_status_display(),
            chain=_chain(a, editors, admins),
        )


def risk_review_due_items(today: date) -> Iterator[DueItem]:
    """Every risk's next review date (risks without one are not listed)."""
    editors, admins = _holding(Role.EDITOR), _holding(Role.ADMIN)
    risks = Risk.objects.filter(review_on__isnull=False).select_related("plan", "owner")
    for r in risks.order_by("review_on", "pk").iterator(chunk_size=500):
        if r.review_on is None:  # filtered above; for the type checker
            continue
        yield DueItem(
            key=f"risk-review:{r.plan.slug}:{r.code}",
            kind="risk review",
            title=f"Review risk {r.code}: {r.title}",
            due=r.review_on,
            url=f"/staff/delivery/risks/{r.pk}/",
            source=f"Risk register of {r.plan.title}",
            state=f"Residual score {r.score_after} ({r.band_after.words})",
            chain=_chain(r, editors, admins),
        )
