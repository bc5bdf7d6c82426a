"""Writing the records an import reads: find each by its keys, create it, or change only the
fields that differ, counting what was done (and, where asked, noting each change for the audit
entry). Plans, scrutiny and ModernGov imports share this."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from oversight.lib.problems import Outcome


def plain_value(value: Any) -> Any:
    """A value as an audit entry keeps it: JSON's own types as they are, anything else as text."""
    if value is None or isinstance(value, (str, int, bool, float, list, dict)):
        return value
    return str(value)


def before_after(obj: Any, values: dict[str, Any]) -> tuple[dict, dict]:
    """The named fields as they are on `obj` and as `values` would make them, as plain values."""
    before = {k: plain_value(getattr(obj, k)) for k in values}
    after = {k: plain_value(v) for k, v in values.items()}
    return before, after


def differs(obj: Any, name: str, value: Any) -> bool:
    """Whether a field differs; a foreign key is compared by id, without loading the record."""
    field = obj._meta.get_field(name)
    if field.many_to_one:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


M = TypeVar("M", bound=models.Model)


def upsert(
    model: type[M],
    outcome: Outcome,
    keys: dict,
    values: dict,
    *,
    existing: dict[Any, M] | None = None,
    key: Any = None,
    changes: Any = None,
    label: str = "",
) -> M:
    """Find the record by its keys (in `existing`, records already loaded by `key`, when given);
    create it, or change only the fields that differ. `changes` (an audit ChangeSet), when given,
    notes what was created or changed under `label`."""
    obj = (
        existing.get(key) if existing is not None else model._default_manager.filter(**keys).first()
    )
    if obj is None:
        outcome.created += 1
        obj = model._default_manager.create(**keys, **values)
        if existing is not None:
            existing[key] = obj
        if changes is not None:
            changes.add(label, None, {k: plain_value(v) for k, v in values.items()})
        return obj
    changed = {k: v for k, v in values.items() if differs(obj, k, v)}
    if not changed:
        outcome.unchanged += 1
        return obj
    before, after = before_after(obj, changed)
    for k, v in changed.items():
        setattr(obj, k, v)
    obj.save(update_fields=list(changed))
    if changes is not None:
        changes.add(label, before, after)
    outcome.updated += 1
    return obj
