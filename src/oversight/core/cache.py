"""Public pages are cached until anything changes.

Every change of state in the product goes through an action that writes an audit entry, so the
newest audit entry's id (and the admin site's newest log entry) is a version number for all the
data: a cached page is served only while that version stands. One indexed query per request
instead of composing a 200-measure page; an edit shows at once. Signed-in users (whose pages
differ by role) always get a fresh page.

Two layers serve the same pages. `PublicPageCache` (core.middleware), placed before sessions,
authentication, CSRF and messages, answers a request that carries no session, messages or
Authorization header — so is surely anonymous — from the finished response (headers included)
stored by an earlier such request: one data-version query and one cache read, nothing else run.
`cached_for_public` marks the views it may serve (and which query parameters they read) and, for
anonymous requests the middleware leaves alone (a visitor with a session cookie), keeps the
view's response as before.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache, wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

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


# What a kept result's version also names: a result pickled by another release of Oversight or
# Django, or in another layout of this module's, is worked out again rather than read.
KEPT_FORMAT = 1


# How long a kept result is read back at most, whatever its version: the backstop for a change
# its version cannot see (a deletion, or SQL, outside the actions), as the cache's entries expire.
KEPT_FOR = TIMEOUT


def kept(
    namespace: str,
    parts: tuple,
    version: object,
    compute: Callable[[], T],
    *,
    keep: Callable[[], bool] | None = None,
) -> T:
    """`compute()` once per `version` of the data it reads, kept in the database (`core.Kept`)
    so that every server and every command reads the one result until the data changes (or for
    KEPT_FOR seconds at most), and in the cache besides (when one is configured) for the servers'
    quicker reads.

    `parts` names what is computed and for whom (every input but the data: a plan, a period, an
    audience); `version` must change whenever any data the result reads changes. The row for
    `parts` holds one version: a new version replaces it. `keep`, asked only when nothing kept
    answers, says whether to keep what is worked out: False for `parts` that the data does not
    bound (a period nothing was ever recorded for, named in a request), which would otherwise let
    requests fill the table. Rows past KEPT_FOR are deleted as
    new ones are written. Two processes working out the same result at once both use their own;
    the first written is kept. Keeping is a saving only: a write the database refuses leaves the
    result as worked out."""
    import django

    import oversight

    from .models import Kept

    name = cache_key(namespace, *parts)
    stamp = cache_key(KEPT_FORMAT, oversight.__version__, django.__version__, version)
    quick = f"{name}:{stamp}"
    found = cache.get(quick)
    if found is not None:
        return found
    fresh = timezone.now() - timedelta(seconds=KEPT_FOR)
    stored = (
        Kept.objects.filter(name=name, version=stamp, made_at__gte=fresh)
        .values_list("value", flat=True)
        .first()
    )
    if stored is not None:
        # Our own table, written below from our own objects (as Django's caches pickle theirs).
        found = pickle.loads(bytes(stored))  # noqa: S301
    elif keep is not None and not keep():
        return compute()
    else:
        found = compute()
        value = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with transaction.atomic():
                Kept.objects.update_or_create(
                    name=name, defaults={"version": stamp, "value": value}
                )
                Kept.objects.filter(made_at__lt=fresh).delete()
        except DatabaseError:
            # Another process kept the same result first, or the database is busy (SQLite with
            # another writer): the result stands, only its keeping waits for the next request.
            pass
    cache.set(quick, found, KEPT_FOR)
    return found


def forget_kept(**_: object) -> None:
    """Empty the kept results (after `migrate`: an upgrade may work them out differently)."""
    from .models import Kept

    if Kept._meta.db_table in connection.introspection.table_names():
        Kept.objects.all().delete()


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
            version = getattr(request, "data_version", None) or data_version()
            key = cache_key("page", version, request.path, used)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    cache.set(key, response, TIMEOUT)
            return response

        wrapper.cache_params = params
        return wrapper

    return decorate


# Set by a signed-in (or once signed-in) browser, or by a message waiting to be shown.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def finished_page_key(request: HttpRequest) -> str | None:
    """The key of the finished public page this request asks for, or None when the request may
    not share one: not a GET, a session or messages cookie or an Authorization header (the
    visitor may be signed in, or see something of their own), or a view not marked with
    `cached_for_public`. Reads the data version once and keeps it on the request."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return None
    if any(name in request.COOKIES for name in PRIVATE_COOKIES):
        return None
    params = cache_params(request.path_info)
    if params is None:
        return None
    used = tuple((name, request.GET.get(name, "")) for name in params)
    version = data_version()
    request.data_version = version  # type: ignore[attr-defined]  # read by cached_for_public
    return cache_key("finished-page", version, request.path, used)


@lru_cache(maxsize=4096)
def cache_params(path: str) -> tuple[str, ...] | None:
    """The query parameters the public page at `path` reads, or None when no public page is
    there. The URLs are fixed for a process's life, so each path is resolved once a process."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "cache_params", None)


def keep_finished(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]] | None:
    """What is stored of a finished page: its body and headers, or None for a response that must
    not be shared (not a 200, streamed, setting a cookie — a CSRF token, say — or private)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return None
    return response.content, list(response.items())


def finished_response(stored: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response.headers[name] = value
    return response


class _OneClient(RedisCacheClient):
    """Django's Redis client builds a redis-py client (and its table of 170 response callbacks)
    for every cache call, a fair share of a cached page's cost; one per connection pool is kept
    instead (a redis-py client is safe to share, and this one is the thread's own anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        found = self._clients.get(id(pool))
        if found is None:
            found = self._clients[id(pool)] = self._client(connection_pool=pool)
        return found


class RedisCache(DjangoRedisCache):
    """Django's Redis cache (OVERSIGHT_CACHE_URL=redis://…) with one redis-py client kept."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClient
