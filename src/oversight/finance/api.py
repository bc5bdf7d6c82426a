"""The finance API, mounted at /api/v1/finance/: read-only and public, the same records as the page's
JSON twin and `oversight export finance --audience public`.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from ninja import Router

from oversight.core.plugins import records_route
from oversight.lib.audience import Audience
from oversight.plans.visibility import plans_for

from .report import RECORD_FIELDS, finance_records, year_and_quarter

router = Router(tags=["finance"])
records_route(
    router,
    app="finance",
    summary="The finance record for a plan and period (published figures only)",
    fields=RECORD_FIELDS,
    records=finance_records,
    plans=lambda: plans_for(Audience.PUBLIC),  # the open data: published plans only
    check=year_and_quarter,  # a month has no finance record
)
