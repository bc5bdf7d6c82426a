"""Engagement and casework as data, for a plan, a report period and an audience: the report
composer's engagement section (`engagement_summary`, `span_summary`) and the exports' records
(`engagement_records`). Each figure carries its change on the previous span of the same length
(the months just before), computed when the audience may read that span."""

from __future__ import annotations

from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.money import change_on_previous
from oversight.lib.periods import parse_period
from oversight.plans.models import Plan
from oversight.plans.visibility import plans_for

from . import models as m

RECORD_FIELDS = [
    "plan",
    "period",
    "first_month",
    "last_month",
    "span",
    "section",
    "code",
    "label",
    "value",
    "text",
    "previous_value",
    "change",
    "change_words",
    "note",
]


def _text(value: int | None, qualifier: str = m.Qualifier.EXACT) -> str:
    """ "1,527"; "circa 9,500"; "more than 8,800"."""
    if value is None:
        return ""
    if qualifier == m.Qualifier.EXACT:
        return f"{value:,}"
    return f"{m.Qualifier(qualifier).label} {value:,}"


def _previous(span: m.Span, audience: Audience) -> m.Span | None:
    first, last = span.previous_bounds()
    return (
        m.Span.objects.for_audience(audience)
        .filter(plan=span.plan, first_month=first, last_month=last)
        .first()
    )


def span_summary(span: m.Span, *, audience: Audience) -> dict[str, Any]:
    """One span's counts, casework and themes, each count with its change on the previous span.
    The caller has checked that `audience` may read `span`."""
    prev = _previous(span, audience)
    prev_counts = {c.kind_id: c for c in prev.counts.all()} if prev else {}
    counts = []
    for c in span.counts.select_related("kind"):
        p = prev_counts.get(c.kind_id)
        change, words = change_on_previous(c.value, p.value if p else None)
        counts.append(
            {
                "kind": c.kind.code,
                "label": c.kind.label,
                "value": c.value,
                "qualifier": c.qualifier,
                "text": _text(c.value, c.qualifier),
                "previous_value": p.value if p else None,
                "change": change,
                "change_words": words,
                "note": c.note,
            }
        )
    casework = getattr(span, "casework", None)
    prev_case = getattr(prev, "casework", None) if prev else None
    case: dict[str, Any] | None = None
    if casework is not None:
        case = {"note": casework.note, "response_days": casework.response_days}
        for f in ("new", "closed", "open_at_end"):
            now = getattr(casework, f)
            before = getattr(prev_case, f) if prev_case else None
            change, words = change_on_previous(now, before)
            case[f] = {
                "value": now,
                "text": _text(now),
                "previous_value": before,
                "change": change,
                "change_words": words,
            }
    return {
        "plan": span.plan.slug,
        "period": span.period,
        "first_month": span.first_month.strftime("%Y-%m"),
        "last_month": span.last_month.strftime("%Y-%m"),
        "span": span.label,
        "months": span.months,
        "state": span.state,
        "previous_span": prev.label if prev else None,
        "counts": counts,
        "casework": case,
        "themes": [
            {"theme": t.theme.code, "label": t.theme.label, "rank": t.rank, "count": t.value}
            for t in span.themes.select_related("theme")
        ],
        "note": span.note,
    }


def spans_for(plan: Plan, period: str, *, audience: Audience) -> list[m.Span]:
    code = parse_period(period).code
    if not plans_for(audience).filter(pk=plan.pk).exists():
        return []
    return list(
        m.Span.objects.for_audience(audience)
        .filter(plan=plan, period=code)
        .select_related("plan")
        .order_by("first_month")
    )


def engagement_summary(plan: Plan, period: str, *, audience: Audience) -> list[dict[str, Any]]:
    """Every span reported in `period` that `audience` may read, as `span_summary` gives it."""
    return [span_summary(s, audience=audience) for s in spans_for(plan, period, audience=audience)]


def engagement_records(plan: Plan, period: str, *, audience: Audience) -> list[dict[str, Any]]:
    """The spans as flat records, one per figure, for CSV and JSON exports."""
    out = []
    for s in engagement_summary(plan, period, audience=audience):
        base = {k: s[k] for k in ("plan", "period", "first_month", "last_month", "span")}
        for c in s["counts"]:
            out.append(
                {
                    **base,
                    "section": "counts",
                    "code": c["kind"],
                    "label": c["label"],
                    **{k: c[k] for k in ("value", "text", "previous_value", "change")},
                    "change_words": c["change_words"],
                    "note": c["note"],
                }
            )
        if s["casework"]:
            for f in ("new", "closed", "open_at_end"):
                fig = s["casework"][f]
                if fig["value"] is None:
                    continue
                out.append(
                    {
                        **base,
                        "section": "casework",
                        "code": f,
                        "label": f.replace("_", " "),
                        **{k: fig[k] for k in ("value", "text", "previous_value", "change")},
                        "change_words": fig["change_words"],
                        "note": s["casework"]["note"],
                    }
                )
        for t in s["themes"]:
            out.append(
                {
                    **base,
                    "section": "themes",
                    "code": t["theme"],
                    "label": t["label"],
                    "value": t["count"],
                    "text": f"rank {t['rank']}",
                    "previous_value": None,
                    "change": None,
                    "change_words": "",
                    "note": "",
                }
            )
    return out
