"""The JSON API: one NinjaAPI; each app that has routes offers `router` in its `api.py`."""

from __future__ import annotations

import importlib

from ninja import NinjaAPI
from ninja.errors import ValidationError

from oversight.core.api import validation_problems

# No Swagger page: it loads scripts from a CDN, which the Content Security Policy forbids. The
# OpenAPI document is served at /api/v1/openapi.json and described on the site's /api/ page.
api = NinjaAPI(title="Oversight API", version="1", urls_namespace="api", docs_url=None)


@api.exception_handler(ValidationError)
def unreadable_input(request, exc: ValidationError):
    """A request that does not match the document is refused as the routes refuse bad values."""
    return api.create_response(request, validation_problems(exc.errors), status=422)


# (prefix, module): the app's `router` is mounted at /api/v1/<prefix>/ when the module exists.
ROUTERS = [
    ("plans", "oversight.plans.api"),
    ("scrutiny", "oversight.scrutiny.api"),
    ("registers", "oversight.registers.api"),
    ("opendata", "oversight.opendata.api"),
]

for prefix, module_name in ROUTERS:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            continue
        raise
    api.add_router(f"/{prefix}/", module.router)
