"""The commissioned services' figures a narrative may cite (`{{ commissioning.output_target:CODE
}}`, see the README's narrative section), as `commissioning_summary` gives them to the audience:
an output's target and delivered count by its code, a contract's latest KPIs by its identifier."""

from __future__ import annotations

from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.citations import count_text

from .report import commissioning_summary

KPI_COUNTS = ("referrals", "people_supported", "referred_by_police", "outcomes")
KEYS = {
    "output_target:CODE": "a funded output's target count, by the output's code",
    "output_delivered:CODE": "a funded output's delivered count, by the output's code",
    **{f"kpi_{f}:CODE": f"a contract's latest {f.replace('_', ' ')}" for f in KPI_COUNTS},
    "kpi_police_share:CODE": 'a contract\'s latest share referred by the police: "43%"',
    "kpi_period:CODE": 'the period of a contract\'s latest KPIs: "2022/23"',
}


def figures(plan: Any, period: str, audience: Audience) -> dict[str, str | None]:
    """The commissioning keys' figures for the period as `audience` may read them."""
    out: dict[str, str | None] = {}
    for group in commissioning_summary(plan, period, audience=audience):
        for c in group["contracts"]:
            k, code = c["kpi"], c["contract"]
            if k is None:
                continue
            for f in KPI_COUNTS:
                out[f"kpi_{f}:{code}"] = count_text(k[f])
            out[f"kpi_police_share:{code}"] = k["police_share_text"] or None
            out[f"kpi_period:{code}"] = k["period"]
        for o in group["outputs"]:
            out[f"output_target:{o['output']}"] = count_text(o["target"])
            out[f"output_delivered:{o['output']}"] = count_text(o["delivered"])
    return out
