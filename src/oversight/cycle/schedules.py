"""The scheduled jobs in the database, from the setting OVERSIGHT_JOBS: created or updated, never
duplicated, whenever the database is migrated and whenever the worker starts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

EVERY = {"hourly": "H", "daily": "D", "weekly": "W"}  # django-q2's schedule types


def schedule_fields(schedule: str | int) -> dict[str, Any]:
    """django-q2's schedule type (and minutes) for "hourly", "daily", "weekly" or N minutes."""
    if isinstance(schedule, int) and not isinstance(schedule, bool) and schedule > 0:
        return {"schedule_type": "I", "minutes": schedule}
    if schedule in EVERY:
        return {"schedule_type": EVERY[str(schedule)], "minutes": None}
    raise ValueError(
        f'a job runs "hourly", "daily", "weekly" or every N minutes (a whole number), '
        f"not {schedule!r}"
    )


def ensure_schedules(jobs: list | None = None) -> list[str]:
    """Create or update one django-q2 schedule per job, named `oversight:<name>`; returns the
    names. Each job's function must import, so a misspelt job fails here, not at 3 a.m."""
    from django_q.models import Schedule

    names = []
    for name, func, schedule in settings.OVERSIGHT_JOBS if jobs is None else jobs:
        import_string(func)
        fields = {"func": func, **schedule_fields(schedule), "repeats": -1}
        same = list(Schedule.objects.filter(name=f"oversight:{name}").order_by("pk"))
        found = same[0] if same else None
        if len(same) > 1:  # two processes started at once: keep the first
            Schedule.objects.filter(pk__in=[s.pk for s in same[1:]]).delete()
        if found is None:
            Schedule.objects.create(name=f"oversight:{name}", next_run=timezone.now(), **fields)
        elif any(getattr(found, k) != v for k, v in fields.items()):
            Schedule.objects.filter(pk=found.pk).update(**fields)
        names.append(f"oversight:{name}")
    return names


def ensure_schedules_after_migrate(**kwargs: Any) -> None:
    from django.db import DEFAULT_DB_ALIAS

    if kwargs.get("using", DEFAULT_DB_ALIAS) != DEFAULT_DB_ALIAS:
        return
    apps = kwargs.get("apps")
    # Only once django-q2's own tables exist (a migrate to an earlier state may lack them).
    if apps is not None:
        try:
            apps.get_model("django_q", "Schedule")
        except LookupError:
            return
    ensure_schedules()
