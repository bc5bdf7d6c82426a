"""The finance record as data, for a plan, a report period and an audience: the report composer's
finance section (`finance_summary`), the export and the public page's twins (`finance_records`).
Nothing here is HTML; every figure is computed once, here, and rendered elsewhere.

A period names the financial year and the quarter whose forecast is reported: "2023/24 Q2"; a
year ("2023/24") reports its latest forecast.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from oversight.lib.audience import Audience
from oversight.lib.money import (
    forecast_movement,
    format_money,
    movement_words,
    variance_rag,
    variance_words,
)
from oversight.lib.periods import PeriodKind, parse_period
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from . import models as m

BUDGET_FIELDS = (
    "net_budget_requirement",
    "total_budget",
    "reserves_used",
    "precept_band_d",
    "precept_total",
    "budget_gap_next_year",
)
RECORD_FIELDS = [
    "plan",
    "financial_year",
    "period",
    "section",
    "code",
    "name",
    "measure",
    "value",
    "text",
    "rag",
    "rag_words",
    "note",
]


def tolerances() -> tuple[Decimal, Decimal]:
    """The green and amber bands, percent of budget (settings; METHODOLOGY.md §12)."""
    return (
        Decimal(str(settings.OVERSIGHT_FINANCE_GREEN_PERCENT)),
        Decimal(str(settings.OVERSIGHT_FINANCE_AMBER_PERCENT)),
    )


def year_and_quarter(period: str) -> tuple[str, int | None]:
    """("2023/24", 2) for "2023/24 Q2"; ("2023/24", None) for a year (the latest forecast)."""
    p = parse_period(period)
    if p.kind is PeriodKind.MONTH:
        raise ValueError(f'"{period}" is a month: give a quarter ("2023/24 Q2") or a year')
    return p.financial_year.code, (p.index if p.kind is PeriodKind.QUARTER else None)


def budget_set_for(plan: Plan, period: str, *, audience: Audience) -> m.BudgetSet | None:
    year, _ = year_and_quarter(period)
    if not plans_for(audience).filter(pk=plan.pk).exists():
        return None
    return m.BudgetSet.objects.for_audience(audience).filter(plan=plan, financial_year=year).first()


def _money(value: Decimal | None) -> dict[str, Any]:
    return {"value": value, "text": format_money(value)}


def _forecast(
    f: m.Forecast | None, previous: m.Forecast | None, budget: Decimal | None
) -> dict[str, Any] | None:
    if f is None:
        return None
    green, amber = tolerances()
    rag, words = variance_rag(f.variance, budget, green=green, amber=amber)
    out: dict[str, Any] = {
        "quarter": f"Q{f.quarter}",
        "budget": budget,
        "budget_text": format_money(budget),
        "variance": f.variance,
        "variance_text": format_money(f.variance),
        "variance_words": variance_words(f.variance),
        "forecast_outturn": f.forecast_outturn,
        "forecast_outturn_text": format_money(f.forecast_outturn),
        "rag": rag.value if rag else None,
        "rag_words": words,
        "previous_quarter": None,
        "previous_variance": None,
        "movement": None,
        "movement_text": "",
        "movement_words": "",
        "note": f.note,
    }
    if previous is not None:
        move = forecast_movement(previous.variance, f.variance)
        label = f"Q{previous.quarter}"
        out.update(
            previous_quarter=label,
            previous_variance=previous.variance,
            movement=move,
            movement_text=format_money(move),
            movement_words=movement_words(move, label),
        )
    return out


def finance_summary(plan: Plan, period: str, *, audience: Audience) -> dict[str, Any] | None:
    """The finance section for `period` as `audience` may read it, or None when there is no
    budget set it may read. Keys: financial_year, period, quarter, budget (each funding figure
    with its text), lines (each with its forecast), total (the whole budget's forecast with its
    movement on the previous quarter's, computed), reserves (closing computed), capital,
    receipts, tolerances."""
    bs = budget_set_for(plan, period, audience=audience)
    if bs is None:
        return None
    _, quarter = year_and_quarter(period)
    forecasts = list(
        bs.forecasts.for_audience(audience).select_related("line", "budget_set").order_by("quarter")
    )
    if quarter is None:
        quarter = max((f.quarter for f in forecasts), default=None)
    by_key = {(f.quarter, f.line_id): f for f in forecasts}
    # The previous forecast is the latest earlier quarter's the audience may read.
    earlier = sorted({f.quarter for f in forecasts if quarter and f.quarter < quarter})

    def pair(line_id: int | None) -> tuple[m.Forecast | None, m.Forecast | None]:
        current = by_key.get((quarter, line_id)) if quarter else None
        prev = next(
            (by_key[(q, line_id)] for q in reversed(earlier) if (q, line_id) in by_key), None
        )
        return current, prev

    lines = []
    for line in bs.lines.all():
        cur, prev = pair(line.pk)
        lines.append(
            {
                "line": line.code,
                "name": line.name,
                "category": line.category,
                **{
                    f"budget{k}": v
                    for k, v in {"": line.budget, "_text": format_money(line.budget)}.items()
                },
                "forecast": _forecast(cur, prev, line.budget),
                "note": line.note,
            }
        )
    cur, prev = pair(None)
    green, amber = tolerances()
    return {
        "plan": plan.slug,
        "force": plan.force,
        "financial_year": bs.financial_year,
        "period": period,
        "quarter": f"Q{quarter}" if quarter else None,
        "state": bs.state,
        "budget": {
            **{k: _money(getattr(bs, k)) for k in BUDGET_FIELDS},
            "budget_gap_note": bs.budget_gap_note,
            "note": bs.note,
        },
        "lines": lines,
        "total": _forecast(cur, prev, bs.total_budget),
        "reserves": [
            {
                "reserve": r.code,
                "name": r.name,
                "opening": _money(r.opening),
                "planned_use": _money(r.planned_use),
                "closing": _money(r.closing),
                "note": r.note,
            }
            for r in bs.reserves.all()
        ],
        "capital": [
            {
                "project": c.code,
                "name": c.name,
                "budget": _money(c.budget),
                "spend_to_date": _money(c.spend_to_date),
                "stage": c.stage,
                "next_stage": c.next_stage,
                "next_stage_due": c.next_stage_due,
                "completion_due": c.completion_due,
                "note": c.note,
            }
            for c in bs.capital_projects.all()
        ],
        "receipts": [
            {
                "disposal": r.disposal.identifier,
                "asset": r.disposal.asset,
                "amount": _money(r.amount),
                "status": r.status,
                "received_on": r.received_on,
                "note": r.note,
            }
            for r in bs.receipts.select_related("disposal")
            if audience is Audience.STAFF or r.disposal.state == "published"
        ],
        "tolerances": {"green_percent": green, "amber_percent": amber},
    }


def finance_records(plan: Plan, period: str, *, audience: Audience) -> list[dict[str, Any]]:
    """The finance summary as flat records, one per figure (for CSV and JSON exports): plan,
    financial_year, period, section, code, name, measure, value, text, rag, rag_words, note."""
    s = finance_summary(plan, period, audience=audience)
    if s is None:
        return []
    out: list[dict[str, Any]] = []

    def add(section: str, code: str, name: str, measure: str, value: Any, text: str = "", **kw):
        out.append(
            {
                "plan": s["plan"],
                "financial_year": s["financial_year"],
                "period": s["period"],
                "section": section,
                "code": code,
                "name": name,
                "measure": measure,
                "value": value,
                "text": text,
                "rag": kw.get("rag"),
                "rag_words": kw.get("rag_words", ""),
                "note": kw.get("note", ""),
            }
        )

    note = s["budget"]["note"]
    for k in BUDGET_FIELDS:
        fig = s["budget"][k]
        if fig["value"] is not None:
            add("budget", "", "", k, fig["value"], fig["text"], note=note)
    if s["budget"]["budget_gap_note"]:
        add("budget", "", "", "budget_gap_note", None, s["budget"]["budget_gap_note"], note=note)

    def forecast(code: str, name: str, f: dict[str, Any] | None) -> None:
        if f is None:
            return
        kw = {"rag": f["rag"], "rag_words": f["rag_words"], "note": f["note"]}
        section = f"forecast {f['quarter']}"
        add(section, code, name, "variance", f["variance"], f["variance_words"], **kw)
        if f["forecast_outturn"] is not None:
            add(
                section,
                code,
                name,
                "forecast_outturn",
                f["forecast_outturn"],
                f["forecast_outturn_text"],
                note=f["note"],
            )
        if f["movement"] is not None:
            add(section, code, name, "movement", f["movement"], f["movement_words"], note=f["note"])

    forecast("", "Total", s["total"])
    for line in s["lines"]:
        add(
            "budget line",
            line["line"],
            line["name"],
            "budget",
            line["budget"],
            line["budget_text"],
            note=line["note"],
        )
        forecast(line["line"], line["name"], line["forecast"])
    for r in s["reserves"]:
        for k in ("opening", "planned_use", "closing"):
            add("reserve", r["reserve"], r["name"], k, r[k]["value"], r[k]["text"], note=r["note"])
    for c in s["capital"]:
        for k in ("budget", "spend_to_date"):
            if c[k]["value"] is not None:
                add(
                    "capital",
                    c["project"],
                    c["name"],
                    k,
                    c[k]["value"],
                    c[k]["text"],
                    note=c["note"],
                )
        for k in ("stage", "next_stage"):
            if c[k]:
                add("capital", c["project"], c["name"], k, None, c[k], note=c["note"])
        for k in ("next_stage_due", "completion_due"):
            if c[k]:
                add("capital", c["project"], c["name"], k, None, c[k].isoformat(), note=c["note"])
    for r in s["receipts"]:
        add(
            "receipt",
            r["disposal"],
            r["asset"],
            r["status"],
            r["amount"]["value"],
            r["amount"]["text"],
            note=r["note"],
        )
    return out
