"""The JSON API: one NinjaAPI, with each app's `router` (its `api.py`) mounted at /api/v1/<app>/."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import ValidationError

from oversight.core.api import validation_problems
from oversight.opendata import api as opendata_api
from oversight.plans import api as plans_api
from oversight.registers import api as registers_api
from oversight.scrutiny import api as scrutiny_api

# No Swagger page: it loads scripts from a CDN, which the Content Security Policy forbids. The
# OpenAPI document is served at /api/v1/openapi.json and described on the site's /api/ page.
api = NinjaAPI(title="Oversight API", version="1", urls_namespace="api", docs_url=None)


@api.exception_handler(ValidationError)
def unreadable_input(request, exc: ValidationError):
    """A request that does not match the document is refused as the routes refuse bad values."""
    return api.create_response(request, validation_problems(exc.errors), status=422)


api.add_router("/plans/", plans_api.router)
api.add_router("/scrutiny/", scrutiny_api.router)
api.add_router("/registers/", registers_api.router)
api.add_router("/opendata/", opendata_api.router)
