""" "Today" for deadlines, overdue flags and expiry alerts: settings.OVERSIGHT_TODAY when set (to
replay a past cycle, e.g. 2020-03-01 for the demo's overdue actions), else the local date."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from oversight.lib.deadlines import parse_today


def today() -> date:
    configured = getattr(settings, "OVERSIGHT_TODAY", "")
    if isinstance(configured, date):
        return configured
    return parse_today(configured, timezone.localdate())
