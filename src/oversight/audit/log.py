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


def user_of(by: Any) -> Any:
    """The user behind `by`, or None for a command's name (a plain string) or nobody."""
    return by if getattr(by, "pk", None) and hasattr(by, "get_username") else None


def record(
    action: str,
    *,
    by: Any,
    obj: Any = None,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user_of(by),
        user_name=actor_name(by),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        summary=summary[:500],
        before=before,
        after=after,
    )


class ChangeSet:
    """What an import changed, for its audit entry's before and after: each changed record's
    changed fields with their old and new values, new records with their values. Bounded: at most
    RECORDS records and VALUE characters of a value (the whole text is in the version history)."""

    RECORDS = 200
    VALUE = 1000

    def __init__(self) -> None:
        self.before: dict[str, dict[str, Any]] = {}
        self.after: dict[str, dict[str, Any]] = {}
        self.left_out = 0

    def add(self, label: str, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        """One record's change; `before` is None for a new record."""
        if len(self.after) >= self.RECORDS:
            self.left_out += 1
            return
        if before is not None:
            self.before[label] = {k: self._bounded(v) for k, v in before.items()}
        self.after[label] = {k: self._bounded(v) for k, v in after.items()}

    @classmethod
    def _bounded(cls, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, float)):
            return value
        text = value if isinstance(value, str) else str(value)
        if isinstance(value, (list, dict)) and len(text) <= cls.VALUE:
            return value
        return text if len(text) <= cls.VALUE else text[: cls.VALUE - 1] + "…"

    def audit(self) -> dict[str, Any]:
        """The `before` and `after` keywords of `record`."""
        after: dict[str, Any] = dict(self.after)
        if self.left_out:
            after["…"] = {"more records changed": self.left_out}
        return {"before": self.before or None, "after": after or None}
