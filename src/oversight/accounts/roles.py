"""The roles an installation knows, and which one a user holds.

A role is a Django group of the same name; a superuser is always an administrator.
"""

from __future__ import annotations

from enum import StrEnum

from oversight.lib.audience import Audience


class Role(StrEnum):
    ADMIN = "administrator"
    EDITOR = "editor"
    PROVIDER = "provider"
    PANEL = "panel"


# Strongest first: a user in several groups holds the first that matches.
ORDER = [Role.ADMIN, Role.EDITOR, Role.PANEL, Role.PROVIDER]
STAFF = (Role.ADMIN, Role.EDITOR)
EDITORS = (Role.EDITOR,)  # for @require: editors (and, as always, administrators)
SIGNED_IN = (Role.EDITOR, Role.PROVIDER, Role.PANEL)  # every role (administrators included)


def role_of(user) -> Role | None:
    """The user's role, or None for an anonymous visitor (the public)."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    names = set(user.groups.values_list("name", flat=True))
    for role in ORDER:
        if role in names:
            return role
    return None


def audience_of(user) -> Audience:
    """What a user reads as: staff (editors, administrators) everything, Panel members what the
    office released to the Panel, everyone else (data providers included) what is published."""
    role = role_of(user)
    if role in STAFF:
        return Audience.STAFF
    if role == Role.PANEL:
        return Audience.PANEL
    return Audience.PUBLIC
