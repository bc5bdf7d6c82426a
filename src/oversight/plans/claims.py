"""The claims check for a plan's period: the record summarised as plain values for
`oversight.lib.claims`, and the period's narrative and the office's commentary checked against it.

The editor reads the findings on the pages where the period and its narrative are published and
from `oversight report --check`; nothing here changes any text."""

from __future__ import annotations

from decimal import Decimal

from oversight.lib import claims as lc
from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.lib.rag import Polarity
from oversight.lib.spc import PointType

from .models import Plan, Section
from .statistics import Change, MeasureStatistics, measure_statistics
from .visibility import NarrativeText, commentary, narratives

VARIATION = {
    PointType.COMMON_CAUSE: "common",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "improvement",
    PointType.SPECIAL_CAUSE_CONCERN: "concern",
    PointType.SPECIAL_CAUSE_NEITHER: "neither",
}


def record_for(plan: Plan, period_code: str, *, audience: Audience) -> lc.Record:
    """The force area's figures, statuses and tests for the period, as `audience` reads them."""
    period = parse_period(period_code)
    found = measure_statistics(
        plan, period.code, [plan.force_area], audience=audience, with_commentary=False
    )
    return lc.Record(
        period=period.code,
        start=period.start,
        end=period.end,
        measures=tuple(_measure(st) for st in found),
    )


def _measure(st: MeasureStatistics) -> lc.MeasureRecord:
    s, m = st.status, st.measure
    o = s.observation
    figures: list[Decimal] = [
        x
        for x in (
            s.target,
            o.comparator if o else None,
            o.numerator if o else None,
            o.denominator if o else None,
        )
        if x is not None
    ]
    changes = []
    for change, against in (
        (st.change_vs_previous, "the previous period"),
        (st.change_vs_last_year, "the same period last year"),
    ):
        if change is not None:
            figures.append(change.other.value)
            changes.append(lc.Change(against, _better(change, m.polarity), change.significant))
    return lc.MeasureRecord(
        code=m.code,
        name=m.name,
        unit=m.unit,
        nouns=(m.noun,) if m.noun else (),
        value=o.value if o else None,
        figures=tuple(figures),
        status=s.rag.value if s.rag else None,
        status_by_rules=s.rag_computed.value if s.rag_computed else None,
        changes=tuple(changes),
        variation=VARIATION.get(PointType(st.variation)) if st.variation else None,
    )


def _better(change: Change, polarity: str) -> bool | None:
    if change.difference == 0 or polarity == Polarity.NEUTRAL:
        return None
    return (change.difference > 0) is (polarity == Polarity.UP)


def _where(n: NarrativeText) -> str:
    if n.section == Section.OBJECTIVE:
        return f"Objective {n.objective_code}"
    if n.section == Section.ACTIVITY:
        return f"Activity: {n.title}"
    return Section(n.section).label


def texts_for(plan: Plan, period_code: str, *, audience: Audience) -> list[lc.Text]:
    """The period's narrative sections and the office's own commentary, as `audience` reads them."""
    out = [lc.Text(_where(n), n.body) for n in narratives(plan, period_code, audience)]
    written = commentary(plan, period_code, audience)
    if written:
        # The record is the force area's, so only the force area's commentary is checked.
        force = plan.force_area.pk
        codes = {m.pk: m.code for m in plan.measures.all()}
        for measure_id, text in sorted(
            ((m, t) for (m, a), t in written.items() if a == force), key=lambda i: codes[i[0]]
        ):
            out.append(lc.Text(f"Commentary on {codes[measure_id]}", text))
    return out


def check_period(plan: Plan, period_code: str, *, audience: Audience) -> list[lc.Finding]:
    """The claims check of a period's report text against its record."""
    code = parse_period(period_code).code
    return lc.check_claims(
        texts_for(plan, code, audience=audience), record_for(plan, code, audience=audience)
    )
