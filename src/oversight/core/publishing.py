"""Draft until published: the one visibility rule of the finance, engagement and commissioning
records. An imported or typed record is a draft that only the office's staff read; once the
office publishes it, everyone reads it (the Panel and the public alike: these records have no
release to the Panel of their own).

A published record that changes (an import or an edit) is a draft again until the office
publishes it again: what the public reads is always what someone published."""

from __future__ import annotations

from typing import Self

from django.db import models

from oversight.lib.audience import Audience


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishedQuerySet(models.QuerySet):
    def for_audience(self, audience: Audience) -> Self:
        """The records `audience` may read: staff every one, anyone else the published ones."""
        if not isinstance(audience, Audience):
            raise TypeError(f"an audience is needed, not {audience!r}")
        if audience is Audience.STAFF:
            return self
        return self.filter(state=State.PUBLISHED)


def state_field() -> models.CharField:
    return models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)


def money(*, null: bool = True) -> models.DecimalField:
    """Pounds and pence, held exactly (NUMERIC(14, 2)): up to a trillion, never a float."""
    return models.DecimalField(max_digits=14, decimal_places=2, null=null, blank=null)


def back_to_draft(obj: models.Model | None) -> bool:
    """Make a published record a draft again because it (or a part of it) changed; True if it was
    published. The office publishes it again to show the change."""
    if obj is None or getattr(obj, "state", None) != State.PUBLISHED:
        return False
    obj.state = State.DRAFT  # type: ignore[attr-defined]
    obj.save(update_fields=["state", "updated_at"])
    return True


def changed(outcome: object, before: tuple[int, int]) -> bool:
    """Whether an upsert since `before` (an Outcome's created and updated counts) wrote anything."""
    return (outcome.created, outcome.updated) != before  # type: ignore[attr-defined]
