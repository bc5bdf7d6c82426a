"""Release of a period's unpublished figures to the Police and Crime Panel.

The Panel reads draft figures only once the office releases them (e.g. with the agenda pack); the
public never sees them until the period is published. Kept here rather than in plans to avoid a
migration clash while plans changes elsewhere; it belongs beside Collection (see the notes).
"""

from django.conf import settings
from django.db import models


class PanelRelease(models.Model):
    collection = models.OneToOneField(
        "plans.Collection", on_delete=models.CASCADE, related_name="panel_release"
    )
    released_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.collection.period.code} released to the Panel"
