"""Access rules for views: every view declares who may see it.

`@public` marks a page anyone may read; `@require(Role.EDITOR, ...)` lets in the named roles (an
administrator always). An anonymous visitor to a protected page is sent to the login page (302); a
signed-in user without the role gets 403. Each decorated view carries an `access` attribute, which
the access-matrix test reads: a view without one fails the suite.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import Role, role_of

PUBLIC = "public"


def public(view):
    view.access = PUBLIC
    return view


def require(*roles: Role):
    allowed = {Role.ADMIN, *roles}

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.access = tuple(sorted(allowed))
        return wrapper

    return decorate


def has_role(user, *roles: Role) -> bool:
    return role_of(user) in {Role.ADMIN, *roles}
