"""Writing audit entries: every action in every app calls `record`."""

from __future__ import annotations

from typing import Any

from .models import AuditEntry


def actor_name(by: Any) -> str:
    """A user's name for the record; a plain string (e.g. "oversight demo") for commands."""
    if by is None:
        return "system"
    if isinstance(by, str):
        return by
    return by.get_username()


def record(
    action: str,
    *,
    by: Any,
    obj: Any = None,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    user = by if getattr(by, "pk", None) and hasattr(by, "get_username") else None
    return AuditEntry.objects.create(
        user=user,
        user_name=actor_name(by),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        summary=summary[:500],
        before=before,
        after=after,
    )
