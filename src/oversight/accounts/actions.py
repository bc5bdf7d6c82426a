"""Changes of state for accounts: each with a keyword-only `by` and one audit entry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from oversight.audit.log import record

from .models import ApiToken, hash_token
from .roles import Role


@transaction.atomic
def create_user(username: str, *, password: str, role: Role, email: str = "", by: Any) -> Any:
    """A new user holding one role; an administrator is also a Django superuser (admin site)."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f'a user called "{username}" already exists')
    user = User.objects.create_user(username=username, email=email, password=password)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    group, _ = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    record("create_user", by=by, obj=user, summary=f"{username} ({role})", after={"role": role})
    return user


@transaction.atomic
def issue_token(user: Any, name: str, *, by: Any, days: int | None = None) -> tuple[ApiToken, str]:
    """A new API token for `user`; returns it and the secret, shown once and never stored."""
    raw = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_token(raw),
        hint=raw[:10],
        expires_at=timezone.now() + timedelta(days=days or settings.OVERSIGHT_TOKEN_DAYS),
    )
    record("issue_token", by=by, obj=token, summary=f"token {token.hint}… for {user} ({name})")
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Any) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("revoke_token", by=by, obj=token, summary=f"token {token.hint}… revoked")
    return token
