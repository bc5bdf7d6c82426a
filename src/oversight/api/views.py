"""The API's own page: what it offers and its stability promise (the contract is the OpenAPI document)."""

from __future__ import annotations

from django.shortcuts import render

from oversight.accounts.access import public
from oversight.core.cache import cached_for_public


@public
@cached_for_public()
def api_docs(request):
    """What the API offers and the stability promise; the contract is the OpenAPI document."""
    from oversight.api.api import api

    schema = api.get_openapi_schema()
    operations = [
        (method.upper(), route, op.get("summary", ""), op.get("description", ""))
        for route, item in schema["paths"].items()
        for method, op in item.items()
    ]
    return render(request, "api/index.html", {"operations": operations})
