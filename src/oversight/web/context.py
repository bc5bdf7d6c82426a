"""What every page's layout needs: the plan the reader's audience opens on, and the role."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from oversight.accounts.roles import Role, audience_of, role_of
from oversight.plans.visibility import current_plan


def site(request) -> dict:
    user = getattr(request, "user", None)
    role = role_of(user)  # no query for the public
    audience = audience_of(user)
    return {
        "site_plan": SimpleLazyObject(lambda: current_plan(audience)),
        "site_role": role,
        "is_admin": role == Role.ADMIN,
        "is_editor": role in (Role.ADMIN, Role.EDITOR),
        "is_provider": role == Role.PROVIDER,
        "is_panel": role == Role.PANEL,
    }
