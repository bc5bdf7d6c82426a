"""The cache is a setting: Django's Redis cache when OVERSIGHT_CACHE_URL names one (shared by every
app server), nothing when it says "off", each process's memory when unset; and a page cached in
Redis changes as soon as a figure is published, because the version it is keyed on is read from
the database on every request, not held by any process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from oversight.plans import actions
from oversight.plans.models import Measure

REDIS = "redis://127.0.0.1:6379/15"


def _backend(url: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "OVERSIGHT_CACHE_URL"}
    if url is not None:
        env["OVERSIGHT_CACHE_URL"] = url
    code = "from oversight import settings; print(settings.CACHES['default']['BACKEND'])"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().rsplit(".", 1)[-1]


@pytest.mark.parametrize(
    ("url", "backend"),
    [(None, "LocMemCache"), ("off", "DummyCache"), (REDIS, "RedisCache")],
)
def test_the_cache_backend_follows_the_setting(url, backend):
    assert _backend(url) == backend


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_a_page_cached_in_redis_shows_a_newly_published_figure(client, site, settings):
    if not _redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    caches["default"].clear()
    url = "/plans/west-mercia-2013/performance/2013-14-q1/"
    first = client.get(url).content
    assert client.get(url).content == first  # from Redis
    m = Measure.objects.get(plan=site.plan, code="2.2")
    actions.record_observation(
        m,
        "2013/14 Q1",
        by=site.cast["editor"],
        value=44.4,
        correction_reason="revised",
        basis="ytd",
    )
    assert "44.4%" in client.get(url).content.decode()
    caches["default"].clear()


def test_the_redis_cache_keeps_one_client_for_its_calls():
    if not _redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379")
    from oversight.core.cache import RedisCache

    shared = RedisCache(REDIS, {})
    shared.set("oversight:test-one-client", 1)
    assert shared.get("oversight:test-one-client") == 1
    # One server: reads and writes share a pool, and now one client (Django makes one a call).
    assert shared._cache.get_client() is shared._cache.get_client(write=True)
    shared.delete("oversight:test-one-client")
