"""Read-only questions the pages, the API and the staff dashboard ask of the registers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import models as djm
from simple_history.models import HistoricalChanges

from oversight.core.clock import today
from oversight.lib.audience import Audience
from oversight.lib.tables import number
from oversight.plans.models import Objective

from .models import Bid, Contract, Decision, Disposal, Grant


def expiring_contracts(
    within_days: int = 365, on: date | None = None, *, audience: Audience
) -> list[Contract]:
    """Contracts `audience` may read whose current end date falls in the next `within_days`
    days (soonest first)."""
    day = on or today()
    return list(
        Contract.objects.for_audience(audience)
        .ending_between(day, day + timedelta(days=within_days))
        .order_by("ends_on", "title")
    )


def contract_alerts(on: date | None = None, *, audience: Audience) -> list[Contract]:
    """Contracts inside their alert window: from `alert_months` (default six) before the end
    until the end."""
    day = on or today()
    return [
        c
        for c in Contract.objects.for_audience(audience)
        .filter(ends_on__gte=day)
        .order_by("ends_on")
        if c.alert_on is not None and c.alert_on <= day
    ]


def in_period(
    start: date, end: date, year_end: date | None = None, *, audience: Audience
) -> dict[str, Any]:
    """What the registers hold for a period, of the items `audience` may read: decisions made,
    grants awarded, contracts starting or ending, bids decided (or submitted, while pending), and
    estate disposals completed or decided in the period, or in progress and expected between its
    start and `year_end` (the end of its financial year, say)."""
    decisions = Decision.objects.for_audience(audience)
    contracts = Contract.objects.for_audience(audience)
    return {
        "decisions": list(
            decisions.filter(made_on__gte=start, made_on__lte=end).order_by("made_on")
        ),
        "grants": list(
            Grant.objects.for_audience(audience)
            .awarded_between(start, end)
            .select_related("programme")
            .prefetch_related("objectives")
            .order_by("awarded_on", "identifier")
        ),
        "contracts_starting": list(
            contracts.filter(starts_on__gte=start, starts_on__lte=end).order_by("starts_on")
        ),
        "contracts_ending": list(contracts.ending_between(start, end).order_by("ends_on")),
        "bids": [
            b
            for b in Bid.objects.for_audience(audience)
            if b.reported_on is not None and start <= b.reported_on <= end
        ],
        "disposals": list(
            Disposal.objects.for_audience(audience)
            .select_related("decision")
            .filter(
                djm.Q(completed_on__gte=start, completed_on__lte=end)
                | djm.Q(decision__made_on__gte=start, decision__made_on__lte=end)
                | djm.Q(
                    status__in=["identified", "approved"],
                    expected_by__gte=start,
                    expected_by__lte=year_end or end,
                    completed_on__isnull=True,
                )
            )
            .order_by("expected_by", "asset")
        ),
    }


# ------------------------------------------------------------------ the golden thread


def linked_items(app_label: str, objective: Objective) -> dict[str, list[dict[str, Any]]]:
    """Every object of an app's models that has a ForeignKey or ManyToMany to this objective or
    to one of its measures, found by the models' relations (so the thread follows that app as it
    grows), grouped by the model's plural name."""
    from django.apps import apps

    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return {}
    measures = list(objective.measures.all())
    out: dict[str, list[dict[str, Any]]] = {}
    for model in config.get_models():
        if issubclass(model, HistoricalChanges):  # earlier versions are not linked items
            continue
        filters = djm.Q()
        for f in model._meta.get_fields():
            if not f.is_relation or (f.auto_created and not f.concrete):
                continue
            target = f.related_model
            if target is Objective:
                filters |= djm.Q(**{f.name: objective})
            elif target is not None and target._meta.label == "plans.Measure" and measures:
                filters |= djm.Q(**{f"{f.name}__in": measures})
        if not filters:
            continue
        name = str(model._meta.verbose_name_plural)
        out[name] = [
            {
                "id": obj.pk,
                "title": str(obj),
                "url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None,
                "status": getattr(obj, "status", None) or None,
            }
            for obj in model._default_manager.filter(filters).distinct()
        ]
    return {k: v for k, v in out.items() if v}


def golden_thread(objective: Objective, *, audience: Audience) -> dict[str, Any]:
    """Everything that serves one objective and that `audience` may read, as one JSON-ready
    document (scrutiny records are public once recorded)."""

    def item(obj: Any, **extra: Any) -> dict[str, Any]:
        return {
            "id": obj.identifier,
            "slug": obj.slug,
            "title": getattr(obj, "title", None)
            or getattr(obj, "asset", None)
            or getattr(obj, "fund", ""),
            "url": obj.get_absolute_url(),
            **extra,
        }

    plan = objective.plan
    grants = list(objective.grants.for_audience(audience).select_related("programme"))
    return {
        "plan": {"slug": plan.slug, "title": plan.title},
        "objective": {"code": objective.code, "title": objective.title},
        "measures": [
            {"code": m.code, "name": m.name, "headline": m.headline}
            for m in objective.measures.all()
        ],
        "decisions": [
            item(
                d,
                reference=d.reference or None,
                made_on=d.made_on.isoformat(),
                value=number(d.value),
            )
            for d in objective.decisions.for_audience(audience)
        ],
        "grant_programmes": [
            item(p, fund_total=number(p.fund_total))
            for p in objective.grant_programmes.for_audience(audience)
        ],
        "grants": [
            item(
                g,
                recipient=g.recipient_name or None,
                amount=number(g.amount),
                grants_count=g.grants_count,
                awarded_on=g.awarded_on.isoformat(),
            )
            for g in grants
        ],
        "grants_total": number(sum((g.amount for g in grants), start=Decimal(0))) if grants else 0,
        "contracts": [
            item(
                c,
                provider=c.provider or None,
                value=number(c.value),
                ends_on=c.ends_on.isoformat() if c.ends_on else None,
            )
            for c in objective.contracts.for_audience(audience)
        ],
        "bids": [
            item(b, outcome=b.outcome, amount_awarded=number(b.amount_awarded))
            for b in objective.bids.for_audience(audience)
        ],
        "disposals": [item(x, status=x.status) for x in objective.disposals.for_audience(audience)],
        # The scrutiny app's records, found through the app registry's relations (the apps are
        # siblings: neither imports the other).
        "scrutiny": linked_items("scrutiny", objective),
    }
