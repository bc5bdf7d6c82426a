"""The API's own page: what it offers and its stability promise (the contract is the OpenAPI document)."""

from __future__ import annotations

from django.shortcuts import render

from oversight.accounts.access import public
from oversight.core.cache import cached_for_public


@public
@cached_for_public()
def api_docs(request):
    """What the API offers and the stability promise; the contract is the OpenAPI document."""
    from oversight.api.api import STABILITY, operations

    return render(request, "api/index.html", {"operations": operations(), "stability": STABILITY})
