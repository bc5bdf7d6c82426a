"""Each measure's status for a period and area: the figure, the period target, the engine's RAG,
any human override, and the reason in words. The report, the export and the web pages read this."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from oversight.lib import rag as lr
from oversight.lib.periods import Period as PeriodSpec
from oversight.lib.periods import PeriodKind, parse_period

from .models import Area, Measure, Observation, Plan


@dataclass
class MeasureStatus:
    measure: Measure
    area: Area
    period: str
    observation: Observation | None
    assessment: lr.Assessment

    @property
    def rag_computed(self) -> lr.Rag | None:
        return self.assessment.rag

    @property
    def rag(self) -> lr.Rag | None:
        """The published status: the override where there is one, else the engine's."""
        if self.observation is not None and self.observation.rag_override:
            return lr.Rag(self.observation.rag_override)
        return self.assessment.rag

    @property
    def overridden(self) -> bool:
        return self.observation is not None and bool(self.observation.rag_override)

    @property
    def rag_reason(self) -> str:
        if self.overridden:
            return self.observation.rag_reason  # type: ignore[union-attr]
        return self.assessment.reason

    @property
    def actual(self) -> Decimal | None:
        return self.observation.value if self.observation else None

    @property
    def target(self) -> Decimal | None:
        return self.assessment.target

    @property
    def comparator(self) -> Decimal | None:
        return self.observation.comparator if self.observation else None

    @property
    def has_data(self) -> bool:
        o = self.observation
        return o is not None and (o.value is not None or bool(o.status))


def statuses(plan: Plan, period_code: str, areas: list[Area] | None = None) -> list[MeasureStatus]:
    """One MeasureStatus per measure and area, in plan order. Two queries plus one for baselines."""
    period = parse_period(period_code)
    measures = list(
        plan.measures.select_related("objective").order_by("objective__order", "order", "code")
    )
    areas = areas if areas is not None else list(plan.areas.all())
    needed = {period.code} | _baseline_periods(measures, period)
    figures: dict[tuple[int, int, str], Observation] = {}
    for obs in Observation.objects.filter(
        measure__plan=plan, period__code__in=needed, area__in=areas
    ).select_related("period"):
        figures[(obs.measure_id, obs.area_id, obs.period.code)] = obs
    tolerances = {m.pk: m.tolerance_rule() for m in measures}
    out = []
    for m in measures:
        target = m.target
        for area in areas:
            obs = figures.get((m.pk, area.pk, period.code))

            def lookup(p: PeriodSpec, basis: lr.Basis, m=m, area=area) -> Decimal | None:
                found = figures.get((m.pk, area.pk, p.code))
                if found is None or found.value is None:
                    return None
                if p.kind is not PeriodKind.YEAR and found.basis != basis.value:
                    return None
                return found.value

            assessment = lr.assess(
                target=target,
                unit=lr.Unit(m.unit),
                polarity=lr.Polarity(m.polarity),
                tolerance=tolerances[m.pk],
                period=period,
                actual=obs.value if obs else None,
                milestone_status=lr.MilestoneStatus(obs.status) if obs and obs.status else None,
                period_target=obs.target if obs else None,
                comparator=obs.comparator if obs else None,
                comparator_label=obs.comparator_label if obs else "",
                basis=lr.Basis(obs.basis) if obs else lr.Basis.PERIOD,
                lookup=lookup,
            )
            out.append(MeasureStatus(m, area, period.code, obs, assessment))
    return out


def _baseline_periods(measures: list[Measure], period: PeriodSpec) -> set[str]:
    """Periods whose figures may serve as baselines for this period: the baseline period itself
    and the same part of it."""
    codes: set[str] = set()
    for m in measures:
        if not m.baseline_period:
            continue
        base = parse_period(m.baseline_period)
        codes.add(base.code)
        if base.kind is PeriodKind.YEAR and period.kind is not PeriodKind.YEAR:
            codes.add(period.shift_years(base.year - period.year).code)
    return codes
