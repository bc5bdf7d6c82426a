"""The JSON API: one NinjaAPI; each app that has routes offers `router` in its `api.py`."""

from __future__ import annotations

import importlib

from ninja import NinjaAPI

api = NinjaAPI(title="Oversight API", version="1", urls_namespace="api")

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
