"""What the plans' commands share: finding the plan a command names."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import Plan


def get_plan(slug: str) -> Plan:
    try:
        return Plan.objects.get(slug=slug)
    except Plan.DoesNotExist:
        known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(
            f'no plan "{slug}" (plans: {known}); import one with `oversight import plan FILE`'
        ) from None
