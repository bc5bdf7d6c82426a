"""Statistics fields for each measure's status (variation, assurance, limits, significance).

Filled in when the statistics library lands; until then the export carries no extra fields.
"""

from __future__ import annotations

from typing import Any

from .models import Plan


def statistics_fields(plan: Plan, period: str) -> Any:
    return None
