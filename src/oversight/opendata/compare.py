"""A force against its peers: counts, rates per 1,000 residents, rank, an exact Poisson test of
the force's rate against the group's, and a funnel plot of every force in the group.

Test: with the group's rate r (its crimes over its population) a force of population P expects
E = r·P crimes; its count is compared with E by the exact two-sided Poisson test
(lib/significance.count_against_target). Funnel limits are the exact Poisson limits of E at 95%
and 99.8% (lib/policeuk.funnel_limits), drawn as rates. Each force's population is the figure for
the year nearest the period's middle in the populations file, and every output names that year
and its source. A force without a population is ranked by count, apart from those ranked by rate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from oversight.lib import significance as sig
from oversight.lib.charts import Chart, FunnelPoint, funnel_chart
from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.policeuk import funnel_limits

from .queries import counts_by_force, population_for, population_table


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
    population_year: str = ""
    population_source: str = ""
    other_year: bool = False  # its population is of another year than most of its peers'
    limits_95: tuple[float, float] | None = None  # funnel limits at its population, per 1,000
    limits_998: tuple[float, float] | None = None

    @property
    def ranked_by(self) -> str:
        return "rate" if self.rate is not None else "count (no population)"

    @property
    def p_words(self) -> str:
        """The test's p-value as a reader sees it: "p = 0.042", or "p < 0.001"."""
        if self.p_value is None:
            return ""
        return "p < 0.001" if self.p_value < 0.001 else f"p = {self.p_value:.3f}"

    @property
    def funnel(self) -> str:
        """Where the force lies on the funnel plot, in words ("" without a population)."""
        if self.rate is None or self.limits_95 is None or self.limits_998 is None:
            return ""
        if not self.limits_998[0] <= self.rate <= self.limits_998[1]:
            return "outside 99.8% limits"
        if not self.limits_95[0] <= self.rate <= self.limits_95[1]:
            return "outside 95% limits"
        return "within 95% limits"

    def record(self) -> dict[str, Any]:
        def limit(pair: tuple[float, float] | None, i: int) -> float | None:
            return None if pair is None else round(pair[i], 3)

        return {
            "force": self.force,
            "name": self.name,
            "crimes": self.crimes,
            "population": self.population,
            "population_year": self.population_year,
            "population_source": self.population_source,
            "population_other_year": self.other_year,
            "rate_per_1000": None if self.rate is None else round(self.rate, 3),
            "rank": self.rank,
            "ranked_by": self.ranked_by,
            "p_value": None if self.p_value is None else float(f"{self.p_value:.4g}"),
            "significant": self.significant,
            "direction": self.direction,
            "funnel_95_lower": limit(self.limits_95, 0),
            "funnel_95_upper": limit(self.limits_95, 1),
            "funnel_998_lower": limit(self.limits_998, 0),
            "funnel_998_upper": limit(self.limits_998, 1),
            "funnel": self.funnel,
        }


FIELDS = list(ForceRow("", "", 0, None, None, 0).record())


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

    @property
    def population_bases(self) -> list[tuple[str, list[str]]]:
        """[(source and year, the forces whose population it is)], the commonest first."""
        by: dict[str, list[str]] = {}
        for r in self.rows:
            if r.population:
                by.setdefault(f"{r.population_source}, {r.population_year}".strip(", "), []).append(
                    r.name
                )
        return sorted(by.items(), key=lambda item: (-len(item[1]), item[0]))

    @property
    def populations(self) -> str:
        """The populations used, in words, for every output that shows a rate: "Populations: ONS
        mid-year estimate, 2019 (36 forces); ONS Census (usual residents), 2011 (Gwent Police)"."""
        bases = self.population_bases
        if not bases:
            return ""
        parts = []
        for i, (basis, names) in enumerate(bases):
            who = f"{len(names)} forces" if i == 0 and len(names) > 3 else ", ".join(sorted(names))
            parts.append(f"{basis} ({who})")
        return "Populations: " + "; ".join(parts) + "."

    def record(self) -> dict[str, Any]:
        rated = self.group_rate is not None
        return {
            "period": self.period,
            "crime_types": self.crime_types or ["all crime (excluding anti-social behaviour)"],
            "group": self.group_label,
            "group_rate_per_1000": None if self.group_rate is None else round(self.group_rate, 3),
            "ranked_by": "rate per 1,000 (1 = lowest)"
            + (
                "; forces without a population by count, after them"
                if rated and any(r.rate is None for r in self.rows)
                else ""
            )
            if rated
            else "count (1 = lowest)",
            "populations": self.populations,
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
    if not months:
        raise PeriodError(
            f"police.uk data are monthly: {period.label} holds no whole month to compare"
        )
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
    middle = period.start + (period.end - period.start) / 2
    table = population_table()
    chosen = {f: population_for(table[f], middle) for f in counts if f in table}
    rated = {f: row for f, row in chosen.items() if row.population}
    rows: list[ForceRow] = []
    if rated:
        total = sum(counts[f] for f in rated)
        people = sum(row.population or 0 for row in rated.values())
        group_rate = result.group_rate = total / people * 1000
        years = Counter(row.year for row in rated.values())
        usual = years.most_common(1)[0][0]
        for f, row in rated.items():
            n, p = counts[f], row.population or 0
            expected = group_rate * p / 1000
            test = sig.count_against_target(n, expected)
            lo95, hi95 = funnel_limits(expected, 0.95)
            lo998, hi998 = funnel_limits(expected, 0.998)
            rows.append(
                ForceRow(
                    f,
                    row.name,
                    n,
                    p,
                    n / p * 1000,
                    0,
                    test.p_value,
                    test.significant,
                    ("higher" if (test.estimate or 0) > 0 else "lower") if test.significant else "",
                    row.year,
                    row.source,
                    row.year != usual,
                    (lo95 / p * 1000, hi95 / p * 1000),
                    (lo998 / p * 1000, hi998 / p * 1000),
                )
            )
        rows.sort(key=lambda r: (r.rate or 0, r.force))
        others = sorted((r.name for r in rows if r.other_year), key=str)
        if others:
            result.notes.append(
                f"The population of {', '.join(others)} is of another year than the "
                f"{usual} figures of the other forces (see the population year of each force)."
            )
    unrated = [
        ForceRow(f, chosen[f].name if f in chosen else f, n, None, None, 0)
        for f, n in counts.items()
        if f not in rated
    ]
    unrated.sort(key=lambda r: (r.crimes, r.force))
    if unrated:
        names = ", ".join(r.name for r in unrated)
        result.notes.append(
            f"No population for {names} in the populations file "
            "(src/oversight/opendata/data/README.md): ranked by count"
            + (", apart from the forces ranked by rate." if rows else " instead of by rate.")
        )
    for ranked in (rows, unrated):
        for i, r in enumerate(ranked, start=1):
            r.rank = i
    result.rows = rows + unrated
    return result


def funnel(result: Comparison, highlight: str | None = None) -> Chart | None:
    """The funnel plot of the forces with a population, or None if none has one."""
    plotted = [r for r in result.rows if r.population and r.rate is not None]
    if result.group_rate is None or not plotted:
        return None
    lo = min(r.population or 0 for r in plotted)
    hi = max(r.population or 0 for r in plotted)
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
            FunnelPoint(r.name, float(r.population or 0), float(r.rate or 0), r.force == highlight)
            for r in plotted
        ],
        title=f"{what}, {result.period}: {result.group_label}",
        group_rate=result.group_rate,
        limits=limits,
        footnote=result.populations,
    )
