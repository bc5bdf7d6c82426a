"""Public pages are cached until anything changes.

Every change of state in the product goes through an action that writes an audit entry, so the
newest audit entry's id (and the admin site's newest log entry) is a version number for all the
data: a cached page is served only while that version stands. One indexed query per request
instead of composing a 200-measure page; an edit shows at once. Signed-in users (whose pages
differ by role) always get a fresh page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

TIMEOUT = 600  # seconds; a backstop only, the version does the invalidating
T = TypeVar("T")


KEY = "CAST(id AS VARCHAR(20)) || '@' || CAST({t} AS VARCHAR(40))"  # standard SQL
VERSION_SQL = (
    "SELECT (SELECT {a} FROM audit_auditentry ORDER BY id DESC LIMIT 1),"
    " (SELECT {b} FROM django_admin_log ORDER BY id DESC LIMIT 1)"
)


def data_version() -> str:
    """The newest audit entry and admin log entry, by id and time (ids alone can be reused when
    a transaction rolls back, as in tests), in one indexed query."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL.format(a=KEY.format(t="at"), b=KEY.format(t="action_time")))
        audit, admin = cursor.fetchone()
    return f"{audit}.{admin}".replace(" ", "T")


def cache_key(*parts: object) -> str:
    """A key any cache backend accepts (memcached refuses spaces and long keys): a hash of the parts."""
    return "oversight:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def remembered(namespace: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per distinct `parts`, kept in the cache (shared by every server when the
    cache is Redis). `parts` must name every input of the computation (a chart's figures, a data
    version), so a changed input is a new key and nothing needs invalidating."""
    key = cache_key(namespace, *parts)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found


def cached_for_public(*params: str):
    """Serve anonymous GETs of the view from the cache while the data version stands.

    `params` names the query parameters the page reads; the key keeps only those (in a fixed
    order), so `?bust=1` and friends hit the same cached page instead of building a new one."""
    if len(params) == 1 and callable(params[0]):
        raise TypeError("use @cached_for_public() with the query parameters the page reads")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            used = tuple((name, request.GET.get(name, "")) for name in params)
            key = cache_key("page", data_version(), request.path, used)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    cache.set(key, response, TIMEOUT)
            return response

        wrapper.cache_params = params
        return wrapper

    return decorate
