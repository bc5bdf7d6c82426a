"""API tokens: a force's own system submits figures with a token issued to a user; the token
acts with that user's role. Only a hash of the token is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "ovs_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)

    def find(self, raw: str) -> ApiToken | None:
        """The active token matching a presented secret, or None."""
        if not raw or not raw.startswith(PREFIX):
            return None
        return self.active().select_related("user").filter(key_hash=hash_token(raw)).first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=200, help_text="What the token is for, e.g. force system")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to recognise it")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.hint}… ({self.name}, {self.user})"

    @staticmethod
    def new_secret() -> str:
        return PREFIX + secrets.token_urlsafe(32)
