"""What can be subscribed to: a body's meetings and papers, a published plan's reports, a
register's published items. Each is named by a kind and a key (a slug, or a register's kind), and
exists for a subscriber only while the public may read it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from oversight.lib.audience import Audience
from oversight.plans.visibility import plans_for
from oversight.registers.importers import KINDS
from oversight.scrutiny.models import Body

from .models import TargetKind


@dataclass(frozen=True)
class Target:
    kind: str
    key: str
    name: str  # "the West Mercia Police and Crime Panel", "Decisions"
    url: str  # the page, a path on this site

    @property
    def described(self) -> str:
        """ "West Mercia Police and Crime Panel: meetings and papers"."""
        return f"{self.name}: {TargetKind(self.kind).label}"


def find_target(kind: str, key: str) -> Target | None:
    """The target the public may read, or None (unknown kind or key, or not published)."""
    if kind == TargetKind.BODY:
        body = Body.objects.filter(slug=key).first()
        if body:
            return Target(kind, key, body.name, reverse("scrutiny:body", args=[key]))
    elif kind == TargetKind.PLAN:
        plan = plans_for(Audience.PUBLIC).filter(slug=key).first()
        if plan:
            return Target(kind, key, plan.title, reverse("plans:plan", args=[key]))
    elif kind == TargetKind.REGISTER and key in KINDS:
        return Target(kind, key, KINDS[key].title, reverse("registers:list", args=[key]))
    return None


def every_target() -> list[Target]:
    """Everything the public may subscribe to: each body, each published plan, each register."""
    found = [
        Target(TargetKind.BODY, b.slug, b.name, reverse("scrutiny:body", args=[b.slug]))
        for b in Body.objects.all()
    ]
    found += [
        Target(TargetKind.PLAN, p.slug, p.title, reverse("plans:plan", args=[p.slug]))
        for p in plans_for(Audience.PUBLIC).order_by("-starts", "slug")
    ]
    found += [
        Target(TargetKind.REGISTER, k, kind.title, reverse("registers:list", args=[k]))
        for k, kind in KINDS.items()
    ]
    return found
