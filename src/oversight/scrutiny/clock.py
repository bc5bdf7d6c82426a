""" "Today" for deadlines and overdue flags: settings.OVERSIGHT_TODAY when set (to replay a past
meeting cycle), else the local date."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from oversight.lib.deadlines import parse_today


def today() -> date:
    return parse_today(getattr(settings, "OVERSIGHT_TODAY", ""), timezone.localdate())
