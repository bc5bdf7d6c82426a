"""What every page's layout needs: the installation's plan (for the force name) and the role."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from oversight.accounts.roles import Role, role_of


def current_plan():
    """The plan the site shows: the most recent one (one office per installation)."""
    from oversight.plans.models import Plan

    return Plan.objects.order_by("-starts", "slug").first()


def site(request) -> dict:
    role = role_of(getattr(request, "user", None))  # no query for the public
    return {
        "site_plan": SimpleLazyObject(current_plan),
        "site_role": role,
        "is_admin": role == Role.ADMIN,
        "is_editor": role in (Role.ADMIN, Role.EDITOR),
        "is_provider": role == Role.PROVIDER,
        "is_panel": role == Role.PANEL,
    }
