"""The finance figures a narrative may cite (`{{ finance.forecast_variance }}`, see the README's
narrative section), as `finance_summary` gives them to the audience, formatted as the papers
print money (lib.money)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.money import format_money

from .report import BUDGET_FIELDS, finance_summary

KEYS = {
    **{f: f"the year's {f.replace('_', ' ')} (budget set)" for f in BUDGET_FIELDS},
    "forecast_variance": "the size of the period's year-end forecast variance, e.g. £1.337m",
    "forecast_variance_kind": 'the forecast\'s direction: "underspend", "overspend" or "variance"',
    "forecast_variance_words": 'the forecast in words: "a projected underspend of £1.337m"',
    "forecast_outturn": "the forecast outturn",
    "forecast_quarter": 'the quarter of the forecast reported: "Q2"',
    "forecast_movement": "the size of the forecast's movement on the previous quarter's",
    "forecast_movement_kind": 'the movement\'s direction: "improvement", "deterioration"',
    "forecast_movement_words": 'the movement in words: "an improvement of £3.716m from the Q1 forecast"',
    "forecast_previous_quarter": 'the quarter the movement is measured from: "Q1"',
    "line_budget:CODE": "a budget line's budget",
    "capital_budget:CODE": "a capital project's budget",
    "capital_spend_to_date:CODE": "a capital project's spend to date",
    "receipt:CODE": "a capital receipt's amount, by the disposal's identifier",
}


def _size(value: Decimal | None) -> str | None:
    return format_money(abs(value)) if value is not None else None


def figures(plan: Any, period: str, audience: Audience) -> dict[str, str | None]:
    """The finance keys' figures for the period as `audience` may read them; {} when it may read
    no budget set for the year."""
    s = finance_summary(plan, period, audience=audience)
    if s is None:
        return {}
    b = s["budget"]
    out: dict[str, str | None] = {f: b[f]["text"] or None for f in BUDGET_FIELDS}
    t = s["total"]
    if t is not None:
        v = t["variance"]
        out |= {
            "forecast_variance": _size(v),
            "forecast_variance_kind": "underspend"
            if v < 0
            else "overspend"
            if v > 0
            else "variance",
            "forecast_variance_words": t["variance_words"],
            "forecast_outturn": t["forecast_outturn_text"] or None,
            "forecast_quarter": t["quarter"],
        }
        if (move := t["movement"]) is not None:
            out |= {
                "forecast_movement": _size(move),
                "forecast_movement_kind": "improvement"
                if move < 0
                else "deterioration"
                if move > 0
                else "no change",
                "forecast_movement_words": t["movement_words"],
                "forecast_previous_quarter": t["previous_quarter"],
            }
    for line in s["lines"]:
        out[f"line_budget:{line['line']}"] = line["budget_text"] or None
    for c in s["capital"]:
        out[f"capital_budget:{c['project']}"] = c["budget"]["text"] or None
        out[f"capital_spend_to_date:{c['project']}"] = c["spend_to_date"]["text"] or None
    for r in s["receipts"]:
        out[f"receipt:{r['disposal']}"] = r["amount"]["text"] or None
    return out
