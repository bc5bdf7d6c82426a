"""What falls due in the plan: each data provider's figures for an open collection round, and
each milestone of a plan in force by its due date.

One due item per collection and provider, so each provider is reminded of their own measures and
an editor is told which provider is late. Step 0 is the provider(s), then the editors, then the
administrators (oversight.lib.due explains steps).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from oversight.accounts.recipients import administrators, editors, recipient
from oversight.lib.due import DueItem
from oversight.lib.rag import MilestoneStatus

from .actions import DONE
from .models import Collection, CollectionStatus, Measure, Observation, PlanState

KIND = "collection"
MILESTONE = "milestone"


def collection_due_items(today: date) -> Iterator[DueItem]:
    """Every open collection with a due date, once per provider assigned to one of its plan's
    measures; done when the provider has submitted all of theirs."""
    collections = Collection.objects.filter(
        status=CollectionStatus.OPEN, due__isnull=False
    ).select_related("plan", "period")
    if not collections:
        return
    escalation = (editors(), administrators())
    for c in collections:
        done = set(
            Observation.objects.filter(
                measure__plan=c.plan, period=c.period, area__is_force_area=True, state__in=DONE
            ).values_list("measure_id", flat=True)
        )
        by_provider: dict = {}
        for m in c.plan.measures.prefetch_related("providers").order_by("code"):
            for user in m.providers.all():
                by_provider.setdefault(user, []).append(m)
        if c.due is None:  # filtered above; said again for the type checker
            continue
        for user, measures in sorted(by_provider.items(), key=lambda um: um[0].get_username()):
            missing = [m for m in measures if m.pk not in done]
            who = recipient(user)
            codes = ", ".join(m.code for m in missing) or "none"
            yield DueItem(
                key=f"collection:{c.pk}:provider:{user.pk}",
                kind=KIND,
                title=f"Figures for {c.period.code} ({c.plan.title}) from {who.name}",
                due=c.due,
                url=reverse("plans:my-measures", args=[c.pk]),
                source=f"Collection round for {c.period.code}, opened by the office",
                done=not missing,
                state=(
                    "all figures submitted"
                    if not missing
                    else f"{len(missing)} of {len(measures)} figure(s) to enter: {codes}"
                ),
                chain=((who,), *escalation),
            )


def milestone_due_items(today: date) -> Iterator[DueItem]:
    """Every milestone with a due date in a plan not archived; done once a figure for it records
    it complete. Its providers are told first (they update its status)."""
    measures = (
        Measure.objects.filter(due__isnull=False)
        .exclude(plan__state=PlanState.ARCHIVED)
        .select_related("plan")
        .prefetch_related("providers")
        .order_by("due", "code")
    )
    escalation = None
    for m in measures:
        if not m.is_milestone or m.due is None:
            continue
        escalation = escalation or (editors(), administrators())
        latest = (
            Observation.objects.filter(measure=m, area__is_force_area=True)
            .exclude(status="")
            .order_by("-period__start")
            .first()
        )
        status = MilestoneStatus(latest.status) if latest is not None else None
        yield DueItem(
            key=f"milestone:{m.pk}",
            kind=MILESTONE,
            title=f"Milestone {m.code} of {m.plan.title}: {m.name}",
            due=m.due,
            url=reverse("web:measure", args=[m.pk]),
            source=m.target_text or f"{m.plan.title}, measure {m.code}",
            done=status is MilestoneStatus.COMPLETE,
            state=(
                f"{status.words} at {latest.period.code}"
                if status is not None and latest is not None
                else "no status recorded yet"
            ),
            chain=(tuple(recipient(u) for u in m.providers.all()), *escalation),
        )
