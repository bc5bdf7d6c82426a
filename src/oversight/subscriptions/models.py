"""Email subscriptions: anyone may ask to be told when a Panel's meetings and papers, a plan's
reports or a register's items are published. No account: an address, confirmed by a link (double
opt-in), unsubscribed by a link in every mail. Nothing is deleted: an unsubscribed address keeps
its record (and every change its version), and every digest sent is recorded with what it listed.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from oversight.audit.history import versions


class TargetKind(models.TextChoices):
    BODY = "body", "meetings and papers"
    PLAN = "plan", "published reports"
    REGISTER = "register", "published items"


def new_salt() -> str:
    return secrets.token_hex(16)


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> SubscriptionQuerySet:
        """Confirmed and not unsubscribed: the only subscriptions that are ever sent a digest."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    email = models.EmailField(max_length=254, db_index=True)
    target_kind = models.CharField(max_length=10, choices=TargetKind.choices)
    target_key = models.CharField(max_length=120)  # a body's or plan's slug, a register's kind
    # Part of every token's signing salt: a token for an earlier subscription of the same
    # address and target does not work for this one.
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmations_sent = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["email", "target_kind", "target_key", "created_at"]
        constraints = [
            # One open subscription per address and target; unsubscribed ones stay as history.
            models.UniqueConstraint(
                fields=["email", "target_kind", "target_key"],
                condition=Q(unsubscribed_at__isnull=True),
                name="one_open_subscription",
            )
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} to {self.target_kind} {self.target_key}"

    @property
    def state(self) -> str:
        if self.unsubscribed_at:
            return "unsubscribed"
        return "confirmed" if self.confirmed_at else "awaiting confirmation"


class Notice(models.Model):
    """One thing published, as subscribers are told of it: noted once (its key is unique), from
    what the public may read at the time."""

    key = models.CharField(max_length=300, unique=True)  # "plan:police-crime-plan:2024/25 Q1"
    target_kind = models.CharField(max_length=10, choices=TargetKind.choices)
    target_key = models.CharField(max_length=120)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)  # a path on this site
    published_at = models.DateTimeField()
    noted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["published_at", "pk"]
        indexes = [models.Index(fields=["target_kind", "target_key", "published_at"])]

    def __str__(self) -> str:
        return self.title


class Digest(models.Model):
    """A digest sent to an address: at most one per address per day, with the notices it listed
    (a notice is never sent twice to the same address)."""

    email = models.EmailField(max_length=254)
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    notices = models.ManyToManyField(Notice, related_name="digests")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "day"], name="one_digest_per_day"),
        ]

    def __str__(self) -> str:
        return f"digest of {self.day}"
