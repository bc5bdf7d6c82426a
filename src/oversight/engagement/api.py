"""The engagement API, mounted at /api/v1/engagement/: read-only and public, the same records as the page's
JSON twin and `oversight export engagement --audience public`.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from ninja import Router

from oversight.core.plugins import records_route
from oversight.lib.audience import Audience
from oversight.plans.visibility import plans_for

from .report import RECORD_FIELDS, engagement_records

router = Router(tags=["engagement"])
records_route(
    router,
    app="engagement",
    summary="Engagement and casework reported in a period (published spans only)",
    fields=RECORD_FIELDS,
    records=engagement_records,
    plans=lambda: plans_for(Audience.PUBLIC),  # the open data: published plans only
)
