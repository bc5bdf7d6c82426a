"""A force against its peers: counts, rates per 1,000 residents, rank, an exact Poisson test of
the force's rate against the group's, and a funnel plot of every force in the group.

Test: with the group's rate r (its crimes over its population) a force of population P expects
E = r·P crimes; its count is compared with E by the exact two-sided Poisson test
(lib/significance.count_against_target). Funnel limits are the exact Poisson limits of E at 95%
and 99.8% (Spiegelhalter 2005), drawn as rates. Without populations, only counts and ranks by
count are given, and the comparison says rates need populations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oversight.lib import significance as sig
from oversight.lib.charts import Chart, FunnelPoint, funnel_chart
from oversight.lib.periods import PeriodKind, parse_period
from oversight.lib.policeuk import funnel_limits

from .queries import counts_by_force, populations


@dataclass
class ForceRow:
    force: str
    name: str
    crimes: int
    population: int | None
    rate: float | None
    rank: int
    p_value: float | None = None
    significant: bool | None = None
    direction: str = ""  # "higher" | "lower" than the group's rate, where significant

    def record(self) -> dict[str, Any]:
        return {
            "force": self.force,
            "name": self.name,
            "crimes": self.crimes,
            "population": self.population,
            "rate_per_1000": None if self.rate is None else round(self.rate, 3),
            "rank": self.rank,
            "p_value": None if self.p_value is None else round(self.p_value, 4),
            "significant": self.significant,
            "direction": self.direction,
        }


@dataclass
class Comparison:
    period: str
    months: list[str]
    crime_types: list[str]
    group_label: str
    rows: list[ForceRow] = field(default_factory=list)
    group_rate: float | None = None
    notes: list[str] = field(default_factory=list)

    def row(self, force: str) -> ForceRow | None:
        return next((r for r in self.rows if r.force == force), None)

    def record(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "crime_types": self.crime_types or ["all crime (excluding anti-social behaviour)"],
            "group": self.group_label,
            "group_rate_per_1000": None if self.group_rate is None else round(self.group_rate, 3),
            "ranked_by": "rate per 1,000 (1 = lowest)"
            if self.group_rate is not None
            else "count (1 = lowest)",
            "notes": self.notes,
            "forces": [r.record() for r in self.rows],
        }


def compare(
    period_code: str, crime_types: list[str], group: list[str] | None = None, label: str = ""
) -> Comparison:
    period = parse_period(period_code)
    months = [
        p.code for p in (period.months() if period.kind is not PeriodKind.MONTH else [period])
    ]
    counts = counts_by_force(months, crime_types)
    if group:
        missing = [f for f in group if f not in counts]
        counts = {f: n for f, n in counts.items() if f in group}
    else:
        missing = []
    result = Comparison(
        period.code,
        months,
        crime_types,
        label or (f"{len(group)} forces" if group else f"all {len(counts)} forces imported"),
    )
    if missing:
        result.notes.append(
            f"No police.uk data imported for {', '.join(missing)} in every month of {period.code}."
        )
    pops = populations()
    with_pop: dict[str, int] = {}
    for f in counts:
        if f in pops and (population := pops[f][1]):
            with_pop[f] = population
    rows = []
    if counts and len(with_pop) == len(counts):
        total, people = sum(counts.values()), sum(with_pop.values())
        group_rate = result.group_rate = total / people * 1000
        for f, n in counts.items():
            p = with_pop[f]
            test = sig.count_against_target(n, group_rate * p / 1000)
            rows.append(
                ForceRow(
                    f,
                    pops[f][0],
                    n,
                    p,
                    n / p * 1000,
                    0,
                    test.p_value,
                    test.significant,
                    ("higher" if (test.estimate or 0) > 0 else "lower") if test.significant else "",
                )
            )
        rows.sort(key=lambda r: (r.rate, r.force))
    else:
        if counts:
            result.notes.append(
                "Rates per 1,000 need every force's population in the populations file "
                "(src/oversight/opendata/data/README.md); ranked by count instead."
            )
        rows = [
            ForceRow(f, pops.get(f, (f, None, ""))[0], n, pops.get(f, (f, None, ""))[1], None, 0)
            for f, n in counts.items()
        ]
        rows.sort(key=lambda r: (r.crimes, r.force))
    for i, r in enumerate(rows, start=1):
        r.rank = i
    result.rows = rows
    return result


def funnel(result: Comparison, highlight: str | None = None) -> Chart | None:
    """The funnel plot, or None without populations."""
    if result.group_rate is None or not result.rows:
        return None
    lo = min(r.population for r in result.rows if r.population)
    hi = max(r.population for r in result.rows if r.population)
    steps = [lo * 0.8 + (hi * 1.2 - lo * 0.8) * i / 60 for i in range(61)]
    limits = []
    for confidence in (0.95, 0.998):
        for p in steps:
            e = result.group_rate * p / 1000
            low, high = funnel_limits(e, confidence)
            limits.append((p, low / p * 1000, high / p * 1000))
    what = ", ".join(result.crime_types) if result.crime_types else "all crime"
    return funnel_chart(
        [
            FunnelPoint(r.name, float(r.population), float(r.rate), r.force == highlight)
            for r in result.rows
            if r.population and r.rate is not None
        ],
        title=f"{what}, {result.period}: {result.group_label}",
        group_rate=result.group_rate,
        limits=limits,
    )
