"""Noting what has been published, for the digests: read from what the public may read now
(Audience.PUBLIC), never from drafts, so a digest can only list published things.

Each source offers `(key, target kind, target key, title, url, published at)` for everything of
it now public; `collect` records the new ones as Notices (once each, by key) and returns every key
public now, so a notice for something since withdrawn is not sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from django.urls import reverse

from oversight.audit.history import history_of
from oversight.lib.audience import Audience
from oversight.plans.models import Publication
from oversight.plans.visibility import REPORTING_KINDS, plans_for
from oversight.registers.importers import KINDS
from oversight.scrutiny.models import Meeting, MeetingStatus

from .models import Notice, TargetKind


class Published(NamedTuple):
    key: str
    target_kind: str
    target_key: str
    title: str
    url: str
    published_at: datetime


def plan_reports(now: datetime) -> Iterator[Published]:
    """Each published quarter or year of a published plan: its report."""
    publications = Publication.objects.filter(
        plan__in=plans_for(Audience.PUBLIC), period__kind__in=REPORTING_KINDS
    ).select_related("plan", "period")
    for p in publications:
        yield Published(
            f"plan:{p.plan.slug}:{p.period.code}",
            TargetKind.PLAN,
            p.plan.slug,
            f"{p.plan.title}: the report for {p.period.spec.label} is published",
            reverse("reports:report-file", args=[p.plan.slug, p.period.code, "html"]),
            p.published_at,
        )


def register_items(now: datetime) -> Iterator[Published]:
    """Each published item of each register, from when it was first published."""
    for name, kind in KINDS.items():
        items = kind.model.objects.for_audience(Audience.PUBLIC).filter(
            first_published_at__isnull=False
        )
        for item in items:
            label = getattr(item, "title", "") or getattr(item, "name", "") or item.identifier
            yield Published(
                f"register:{name}:{item.identifier}",
                TargetKind.REGISTER,
                name,
                f"{kind.title}: {label}",
                item.get_absolute_url(),
                item.first_published_at,
            )


def body_meetings(now: datetime) -> Iterator[Published]:
    """Each meeting of a body once listed (its date and papers), and its minutes once held; when
    each happened is read from the meeting's version history."""
    listed: dict[int, datetime] = {}
    held: dict[int, datetime] = {}
    for mid, status, at in (
        history_of(Meeting).order_by("history_date").values_list("id", "status", "history_date")
    ):
        listed.setdefault(mid, at)
        if status == MeetingStatus.HELD:
            held.setdefault(mid, at)
    for m in Meeting.objects.select_related("body"):
        url = reverse("scrutiny:meeting", args=[m.pk])
        yield Published(
            f"body:{m.key}:listed",
            TargetKind.BODY,
            m.body.slug,
            f"{m.body.name}: meeting of {m.date_label} – date, agenda and papers",
            url,
            listed.get(m.pk, now),
        )
        if m.status == MeetingStatus.HELD:
            yield Published(
                f"body:{m.key}:minutes",
                TargetKind.BODY,
                m.body.slug,
                f"{m.body.name}: minutes of the meeting of {m.date_label}",
                url,
                held.get(m.pk, now),
            )


SOURCES = (plan_reports, register_items, body_meetings)


def collect(now: datetime) -> set[str]:
    """Record a Notice for everything newly public; return the keys of everything public now."""
    public: dict[str, Published] = {}
    for source in SOURCES:
        for p in source(now):
            public[p.key] = p
    known = set(Notice.objects.values_list("key", flat=True))
    Notice.objects.bulk_create(
        [
            Notice(
                key=p.key,
                target_kind=p.target_kind,
                target_key=p.target_key,
                title=p.title[:500],
                url=p.url,
                published_at=min(p.published_at, now),
                noted_at=now,
            )
            for key, p in public.items()
            if key not in known
        ],
        ignore_conflicts=True,  # another run noting the same at the same moment
    )
    return set(public)
