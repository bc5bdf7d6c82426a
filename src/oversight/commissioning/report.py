"""Commissioned services as data, for a plan, a report period and an audience, grouped under the
objectives they serve: the report composer's commissioning section (`commissioning_summary`) and
the exports' records (`commissioning_records`).

For each contract the section shows its latest KPIs up to the period's end (a year's figures
reported in a quarter, as seed 003 §10 reports 2022/23 in 2023/24 Q2), the review meetings for
the period, and the outputs of grants and bids reported in the period.
"""

from __future__ import annotations

from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.plans.models import Objective, Plan
from oversight.plans.visibility import plans_for
from oversight.registers.models import Contract, ItemState

from . import models as m

RECORD_FIELDS = [
    "period",
    "objective",
    "section",
    "code",
    "title",
    "kpi_period",
    "measure",
    "value",
    "text",
    "note",
]


def _kpi(k: m.ServiceKpi) -> dict[str, Any]:
    share = k.police_share
    return {
        "period": k.period,
        "referrals": k.referrals,
        "people_supported": k.people_supported,
        "referred_by_police": k.referred_by_police,
        "police_share": share,
        "police_share_text": f"{share.normalize():f}%" if share is not None else "",
        "police_share_computed": k.police_share_computed,
        "outcomes": k.outcomes,
        "outcomes_note": k.outcomes_note,
        "note": k.note,
    }


def _latest_kpi(contract: Contract, end, audience: Audience) -> m.ServiceKpi | None:
    found = [(parse_period(k.period).end, k) for k in contract.kpis.for_audience(audience)]
    found = [(e, k) for e, k in found if e <= end]
    return max(found, key=lambda pair: pair[0])[1] if found else None


def commissioning_summary(plan: Plan, period: str, *, audience: Audience) -> list[dict[str, Any]]:
    """[{objective, title, contracts: [{contract, title, provider, kpi, reviews}], outputs}], one
    per objective of the plan with something to show, then one with objective None for contracts
    and outputs linked to none of the plan's objectives."""
    if not plans_for(audience).filter(pk=plan.pk).exists():
        return []
    p = parse_period(period)
    code = p.code
    contracts = list(
        Contract.objects.for_audience(audience).prefetch_related("objectives").order_by("title")
    )
    outputs = list(
        m.FundedOutput.objects.for_audience(audience)
        .filter(period=code)
        .select_related("bid", "grant", "objective")
    )
    groups: list[tuple[Objective | None, list]] = [(o, []) for o in plan.objectives.all()]
    groups.append((None, []))
    index = {o.pk if o else None: items for o, items in groups}
    for c in contracts:
        kpi = _latest_kpi(c, p.end, audience)
        reviews = [
            {"period": r.period, "meets_on": r.meets_on, "status": r.status, "notes": r.notes}
            for r in c.reviews.for_audience(audience).filter(period=code)
        ]
        if kpi is None and not reviews:
            continue
        entry = {
            "contract": c.identifier,
            "title": c.title,
            "provider": c.provider,
            "kpi": _kpi(kpi) if kpi else None,
            "reviews": reviews,
        }
        own: list[int | None] = [o.pk for o in c.objectives.all() if o.plan_id == plan.pk]
        for pk in own or [None]:
            index[pk].append(entry)
    out = []
    for objective, items in groups:
        mine = [o for o in outputs if o.objective_id == (objective.pk if objective else None)]
        if not items and not mine:
            continue
        out.append(
            {
                "objective": objective.code if objective else None,
                "title": objective.title if objective else "Not linked to an objective",
                "contracts": items,
                "outputs": [
                    {
                        "output": o.code,
                        # a bid or grant still in draft in its register is not named publicly
                        "source": o.source.identifier
                        if o.source
                        and (audience is Audience.STAFF or o.source.state == ItemState.PUBLISHED)
                        else None,
                        "description": o.description,
                        "target": o.target,
                        "delivered": o.delivered,
                        "text": f"{o.delivered if o.delivered is not None else 'not yet reported'} of {o.target} {o.description}",
                        "note": o.note,
                    }
                    for o in mine
                ],
            }
        )
    return out


def commissioning_records(plan: Plan, period: str, *, audience: Audience) -> list[dict[str, Any]]:
    """The summary as flat records, one per figure, for CSV and JSON exports."""
    out = []
    for group in commissioning_summary(plan, period, audience=audience):
        for c in group["contracts"]:
            k = c["kpi"]
            if k is None:
                continue
            for f in (
                "referrals",
                "people_supported",
                "referred_by_police",
                "outcomes",
                "police_share",
            ):
                if k[f] is None:
                    continue
                out.append(
                    {
                        "period": period,
                        "objective": group["objective"],
                        "section": "kpi",
                        "code": c["contract"],
                        "title": c["title"],
                        "kpi_period": k["period"],
                        "measure": f,
                        "value": k[f],
                        "text": k["police_share_text"] if f == "police_share" else f"{k[f]:,}",
                        "note": k["note"],
                    }
                )
        for o in group["outputs"]:
            for f in ("target", "delivered"):
                if o[f] is None:
                    continue
                out.append(
                    {
                        "period": period,
                        "objective": group["objective"],
                        "section": "output",
                        "code": o["output"],
                        "title": o["description"],
                        "kpi_period": "",
                        "measure": f,
                        "value": o[f],
                        "text": o["text"],
                        "note": o["note"],
                    }
                )
    return out
