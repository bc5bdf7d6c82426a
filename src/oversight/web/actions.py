"""Changes of state made from the web workspace that belong to no other app: sending reminders.
Each has a keyword-only `by` and one audit entry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail

from oversight.audit.log import record
from oversight.plans.models import Collection, ObservationState

DONE = (ObservationState.SUBMITTED, ObservationState.APPROVED, ObservationState.PUBLISHED)


def outstanding(collection: Collection) -> dict[Any, list]:
    """{provider: [measures whose figure is not yet submitted]} for the collection's period."""
    measures = collection.plan.measures.prefetch_related("providers")
    done = set(
        collection.period.observations.filter(
            measure__plan=collection.plan,
            area__is_force_area=True,
            state__in=DONE,
        ).values_list("measure_id", flat=True)
    )
    out: dict[Any, list] = {}
    for m in measures:
        if m.pk in done:
            continue
        for user in m.providers.all():
            out.setdefault(user, []).append(m)
    return out


def send_reminders(collection: Collection, *, by: Any, site_url: str = "") -> int:
    """Email each provider the measures still to enter; returns how many emails were sent."""
    messages = []
    for user, measures in outstanding(collection).items():
        if not user.email:
            continue
        lines = "\n".join(f"  - {m.code} {m.name}" for m in measures)
        due = f" by {collection.due:%-d %B %Y}" if collection.due else ""
        messages.append(
            (
                f"Figures needed for {collection.period.code}",
                f"Dear {user.get_full_name() or user.get_username()},\n\n"
                f"Please enter your figures for {collection.period.code}{due}:\n{lines}\n\n"
                f"{site_url}\n",
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
        )
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    record(
        "send_reminders",
        by=by,
        obj=collection,
        summary=f"{collection.period.code}: {sent} reminder(s) sent",
    )
    return sent
