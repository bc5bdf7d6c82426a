"""What has been imported from police.uk: one row per archive file, with its counts and quirks.

The rows themselves live as Parquet under the data folder (see `storage.py`); this table is the
record of where each month came from, when, and what was odd about it.
"""

from __future__ import annotations

from django.db import models

from oversight.lib.policeuk import Kind


class ImportedFile(models.Model):
    month = models.CharField(max_length=7)  # "2019-01"
    force = models.CharField(max_length=60)  # police.uk force id
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in Kind])
    file_name = models.CharField(max_length=300)
    rows = models.PositiveIntegerField(help_text="Data rows read (header excluded)")
    kept = models.PositiveIntegerField(help_text="Rows stored and counted")
    quirks = models.JSONField(default=dict, help_text="Counts of each real-data quirk")
    rejected = models.JSONField(default=list, help_text="Malformed rows: line and reason")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "month", "force"]
        constraints = [
            models.UniqueConstraint(fields=["month", "force", "kind"], name="one_import_per_file")
        ]

    def __str__(self) -> str:
        return f"{self.month}-{self.force}-{self.kind}.csv"
