"""The commissioning API, mounted at /api/v1/commissioning/: read-only and public, the same records as the page's
JSON twin and `oversight export commissioning --audience public`.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from ninja import Router

from oversight.core.plugins import records_route
from oversight.lib.audience import Audience
from oversight.plans.visibility import plans_for

from .report import RECORD_FIELDS, commissioning_records

router = Router(tags=["commissioning"])
records_route(
    router,
    app="commissioning",
    summary="Commissioned services: KPIs and outputs under their objectives (published only)",
    fields=RECORD_FIELDS,
    records=commissioning_records,
    plans=lambda: plans_for(Audience.PUBLIC),  # the open data: published plans only
)
