"""What the product works out once and keeps: results derived from the record, never the record."""

from __future__ import annotations

from django.db import models


class Kept(models.Model):
    """One computation's result for one set of inputs (`name`, a hash of what was computed and
    for what: a plan, a period, an audience), kept for one `version` of the data it was worked
    out from and for KEPT_FOR seconds at most (`core.cache.kept`). A newer version replaces the
    row; a row of another version, or older, is never read.

    Derived, so left out of backups and emptied whenever `migrate` runs (an upgrade may change
    how a result is worked out); the value is a pickle of Python objects, as Django's caches
    keep them, written and read only by `core.cache.kept`."""

    name = models.CharField(max_length=80, unique=True)
    version = models.CharField(max_length=80)
    value = models.BinaryField()
    made_at = models.DateTimeField(auto_now=True, db_index=True)  # expired rows are deleted

    class Meta:
        verbose_name = "kept result"

    def __str__(self) -> str:
        return f"{self.name} @ {self.version}"
