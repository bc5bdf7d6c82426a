"""Users as the people a reminder is sent to (oversight.lib.due.Recipient), and the office's
escalation levels: its editors and its administrators."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from oversight.lib.due import Recipient

from .roles import Role


def recipient(user) -> Recipient:
    """A user as a recipient: their full name (else user name) and their email, if any."""
    return Recipient(
        name=user.get_full_name() or user.get_username(), email=user.email or "", user_id=user.pk
    )


def with_role(role: Role) -> tuple[Recipient, ...]:
    """The active users holding `role` (administrators: superusers too), by name."""
    users = get_user_model().objects.filter(is_active=True)
    found = Q(groups__name=role.value)
    if role is Role.ADMIN:
        found |= Q(is_superuser=True)
    return tuple(recipient(u) for u in users.filter(found).distinct().order_by("username"))


def editors() -> tuple[Recipient, ...]:
    return with_role(Role.EDITOR)


def administrators() -> tuple[Recipient, ...]:
    return with_role(Role.ADMIN)
