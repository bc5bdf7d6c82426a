"""The client's address for a request, for everything that counts or limits by address (the login
lock-out, the subscribe form's hourly limit): REMOTE_ADDR, or, behind the reverse proxies named in
OVERSIGHT_TRUSTED_PROXIES, the address they say the request came from (see lib/forwarded.py)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from oversight.lib.forwarded import Network, parse_networks
from oversight.lib.forwarded import client_address as _client_address


@lru_cache(maxsize=8)
def _proxies(items: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(items)


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as a string ("" if the server gave none)."""
    return _client_address(
        str(request.META.get("REMOTE_ADDR") or ""),
        str(request.META.get("HTTP_X_FORWARDED_FOR") or ""),
        _proxies(tuple(settings.OVERSIGHT_TRUSTED_PROXIES)),
    )
