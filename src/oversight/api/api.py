"""The JSON API: one NinjaAPI, with each app's `router` (its `api.py`) mounted at /api/v1/<app>/,
an index at /api/v1/ and the interactive documentation at /api/v1/docs."""

from __future__ import annotations

import json
from typing import Any

from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger

from oversight.accounts.access import public
from oversight.commissioning import api as commissioning_api
from oversight.core.api import validation_problems
from oversight.delivery import api as delivery_api
from oversight.engagement import api as engagement_api
from oversight.finance import api as finance_api
from oversight.opendata import api as opendata_api
from oversight.plans import api as plans_api
from oversight.registers import api as registers_api
from oversight.scrutiny import api as scrutiny_api

PREFIX = "/api/v1/"
STABILITY = (
    "Within version 1 fields are only added, never renamed or removed, and their meaning does not "
    "change. A change that would break a client gets a new version at /api/v2/, with version 1 "
    "kept alongside it for at least a year."
)


class SiteSwagger(Swagger):
    """The interactive documentation: django-ninja's Swagger UI from this site's own static files
    (settings.STATICFILES_DIRS), no CDN script and no inline script, so it runs within the Content
    Security Policy. Our template (api/templates/ninja/swagger.html) adds the page's language and
    a way back to the site. django-ninja renders that template only when it is an installed app,
    and from a CDN otherwise; it is not installed (loading it cost every command and server start
    a quarter of a second), so this page renders the template itself."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api}
        return render(request, self.template, context)


api = NinjaAPI(
    title="Oversight API",
    version="1",
    urls_namespace="api",
    docs=SiteSwagger(settings={"tryItOutEnabled": False}),
    docs_url="/docs",
    docs_decorator=public,
)


@api.exception_handler(ValidationError)
def unreadable_input(request, exc: ValidationError):
    """A request that does not match the document is refused as the routes refuse bad values."""
    return api.create_response(request, validation_problems(exc.errors), status=422)


api.add_router("/plans/", plans_api.router)
api.add_router("/scrutiny/", scrutiny_api.router)
api.add_router("/registers/", registers_api.router)
api.add_router("/delivery/", delivery_api.router)
api.add_router("/opendata/", opendata_api.router)
api.add_router("/finance/", finance_api.router)
api.add_router("/engagement/", engagement_api.router)
api.add_router("/commissioning/", commissioning_api.router)


def operations() -> list[dict[str, str]]:
    """Every operation in the OpenAPI document: method, path, section and summary."""
    schema = api.get_openapi_schema()
    return [
        {
            "method": method.upper(),
            "path": route,
            "section": route.removeprefix(PREFIX).split("/", 1)[0] or "index",
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
        }
        for route, item in schema["paths"].items()
        for method, op in item.items()
    ]


@api.get(
    "/",
    openapi_extra={"x-access": "public"},
    summary="The API's index: its sections, operations and documents",
    tags=["index"],
)
def index(request) -> dict[str, Any]:
    sections: dict[str, list[dict[str, str]]] = {}
    for op in operations():
        sections.setdefault(op["section"], []).append(
            {"method": op["method"], "path": op["path"], "summary": op["summary"]}
        )
    return {
        "title": api.title,
        "version": api.version,
        "openapi": f"{PREFIX}openapi.json",
        "docs": f"{PREFIX}docs",
        "about": "/api/",
        "stability": STABILITY,
        "sections": [
            {
                "name": name,
                "prefix": f"{PREFIX}{name}/" if name != "index" else PREFIX,
                "operations": ops,
            }
            for name, ops in sections.items()
        ],
    }
