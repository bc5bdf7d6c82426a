"""Reusable questions other apps ask of the scrutiny record (the staff dashboard, the API)."""

from __future__ import annotations

from datetime import timedelta

from oversight.core.clock import today
from oversight.scrutiny.models.agreed_actions import OUTSTANDING

from .models import Action, InspectionReport


def overdue_actions() -> list[str]:
    """One line per overdue action: no answer recorded by its due date or meeting."""
    day = today()
    found = [
        a for a in Action.objects.filter(status__in=OUTSTANDING).with_related() if a.is_overdue(day)
    ]
    found.sort(key=lambda a: (a.due_on, a.ref))
    return [f"{a.body.name} {a.ref} ({a.owner}, due {a.due_label}): {a.description}" for a in found]


def upcoming_deadlines(days: int = 90) -> list[str]:
    """s.55 responses due within `days`, or overdue with none recorded."""
    day = today()
    out = []
    for r in InspectionReport.objects.filter(response_published__isnull=True).order_by("published"):
        if not r.response_required:
            continue  # a national report that did not inspect the force: no response is owed
        due = r.response_due
        if due < day:
            out.append(f"{r.title}: s.55 response overdue since {due:%-d %B %Y}")
        elif due <= day + timedelta(days=days):
            out.append(f"{r.title}: s.55 response due {due:%-d %B %Y}")
    return out
