"""Write police.uk figures into a plan's measures.

`refresh_plan` finds every measure whose plan entry declares `opendata:` (see lib/policeuk.Source),
works out its figure for every month imported and every financial quarter whose three months are
all there, and records them through the plans importer's own rules (history kept, published
figures changed only as corrections). A figure entered by hand (its source does not start with
"police.uk") is never overwritten unless `replace=True`; each one kept is listed.

A force-wide rate per 1,000 also gets its comparators from the same data (`peer_comparators`):
the rate of England and Wales, of the force's region and of its most similar group (where the
office has given one), and the force's rank by rate among the forces of England and Wales. What
cannot be filled (no most similar group given, forces without data) is said in `notes`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max

from oversight.lib import periods as lp
from oversight.lib.policeuk import Kind, Source, Statistic, parse_source
from oversight.plans.actions import import_observations
from oversight.plans.importers import ObservationRow, value_problem
from oversight.plans.models import Measure, Observation, Plan

from .models import ImportedFile
from .queries import (
    monthly_counts,
    months_available,
    population_for,
    population_table,
    populations,
)

SOURCE_PREFIX = "police.uk"


@dataclass
class RefreshReport:
    written: int = 0
    unchanged: int = 0
    kept_by_hand: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    measures: int = 0
    notes: list[str] = field(default_factory=list)  # comparators that could not be filled

    def summary(self) -> str:
        text = (
            f"{self.measures} measures fed from police.uk: {self.written} figures written, "
            f"{self.unchanged} unchanged"
        )
        if self.kept_by_hand:
            text += (
                f"; {len(self.kept_by_hand)} hand-entered figures kept (use --replace to "
                "overwrite them)"
            )
        if self.problems:
            text += f"; {len(self.problems)} problems"
        return text + "."


def fed_measures(plan: Plan) -> list[tuple[Measure, Source]]:
    out = []
    for m in plan.measures.exclude(opendata_source=None).order_by("objective__order", "order"):
        if m.opendata_source:
            out.append((m, parse_source(m.opendata_source)))
    return out


def figures_for(source: Source) -> dict[str, tuple[Decimal, Decimal | None, Decimal | None]]:
    """{period code: (value, numerator, denominator)} for each month imported and each quarter
    whose three months are all imported."""
    months = months_available(source.force)
    if not months:
        return {}
    counts = monthly_counts(source.force, months, source.crime_types, source.area)
    solved = (
        monthly_counts(source.force, months, source.crime_types, source.area, source.outcomes)
        if source.statistic is Statistic.OUTCOME_RATE
        else {}
    )
    periods: dict[str, list[str]] = {m: [m] for m in counts}
    quarters: dict[str, list[str]] = defaultdict(list)
    for m in counts:
        spec = lp.parse_period(m)
        quarter = lp.period_containing(spec.start, lp.PeriodKind.QUARTER)
        quarters[quarter.code].append(m)
    for q, ms in quarters.items():
        if len(ms) == 3:
            periods[q] = ms
    out: dict[str, tuple[Decimal, Decimal | None, Decimal | None]] = {}
    for code, ms in periods.items():
        n = sum(counts[m] for m in ms)
        if source.statistic is Statistic.COUNT:
            out[code] = (Decimal(n), None, None)
        elif source.statistic is Statistic.RATE:
            population = population_in(source.force, code)[0]
            if population:
                rate = (Decimal(n) * 1000 / Decimal(population)).quantize(Decimal("0.001"))
                out[code] = (rate, Decimal(n), Decimal(population))
        else:
            k = sum(solved.get(m, 0) for m in ms)
            if n:
                value = (Decimal(k) * 100 / Decimal(n)).quantize(Decimal("0.1"))
                out[code] = (value, Decimal(k), Decimal(n))
    return out


def population_in(force: str, period_code: str) -> tuple[int | None, str]:
    """The force's population for the year nearest the period's middle, and its source and year
    in words ("ONS mid-year estimate, 2019"); (None, "") without one."""
    rows = population_table().get(force)
    if not rows:
        return None, ""
    period = lp.parse_period(period_code)
    row = population_for(rows, period.start + (period.end - period.start) / 2)
    return row.population, row.basis if row.population else ""


def refresh_plan(plan: Plan, *, by: Any, replace: bool = False) -> RefreshReport:
    report = RefreshReport()
    rows: list[ObservationRow] = []
    areas = {a.code: a for a in plan.areas.all()}
    names = {a.name.lower(): a.code for a in areas.values()}
    for measure, source in fed_measures(plan):
        report.measures += 1
        area_code = plan.force_area.code
        if source.area:
            area_code = names.get(source.area.lower()) or (
                source.area if source.area in areas else ""
            )
            if not area_code:
                report.problems.append(
                    f'{measure.code}: area "{source.area}" is not one of the plan\'s areas'
                )
                continue
        if (
            source.statistic is Statistic.RATE
            and not populations().get(source.force, ("", None))[1]
        ):
            report.problems.append(
                f"{measure.code}: a rate per 1,000 needs {source.force}'s population in the "
                "populations file (see src/oversight/opendata/data/README.md)"
            )
            continue
        figures = figures_for(source)
        existing = {
            o.period.code: o
            for o in Observation.objects.filter(
                measure=measure, area__code=area_code, period__code__in=list(figures)
            ).select_related("period")
        }
        imported = _imported_on(source.force)
        for code, (value, num, den) in sorted(figures.items()):
            old = existing.get(code)
            if (
                old is not None
                and old.value is not None
                and not old.source.startswith(SOURCE_PREFIX)
            ):
                if not replace:
                    report.kept_by_hand.append(
                        f"{measure.code} {code}: kept {old.value.normalize():f} "
                        f"(source: {old.source or 'entered by hand'}); police.uk gives {value}"
                    )
                    continue
            problem = value_problem(measure, value)
            if problem:
                report.problems.append(f"{measure.code} {code}: {problem}")
                continue
            fields: dict[str, Any] = {
                "value": value,
                "basis": "period",
                "source": f"{SOURCE_PREFIX} street-level crime, imported {imported}",
            }
            if source.statistic is Statistic.RATE:
                fields["source"] += f"; population: {population_in(source.force, code)[1]}"
            if num is not None:
                fields |= {"numerator": num, "denominator": den}
            if source.statistic is Statistic.RATE and not source.area:
                fields |= peer_comparators(source, code, report.notes)
            rows.append(ObservationRow(len(rows) + 1, measure, code, area_code, fields))
    if rows:
        outcome = import_observations(
            plan,
            rows,
            by=by,
            file_name="police.uk refresh",
            correction_reason="police.uk data re-imported",
        )
        report.written = outcome.created + outcome.updated
        report.unchanged = outcome.unchanged
    return report


def _imported_on(force: str) -> str:
    when = ImportedFile.objects.filter(force=force, kind=Kind.STREET.value).aggregate(
        latest=Max("imported_at")
    )["latest"]
    return f"{when:%-d %B %Y}" if when else "unknown date"


def peer_comparators(source: Source, period_code: str, notes: list[str]) -> dict[str, Any]:
    """The comparator and rank fields of a force-wide rate per 1,000 for a period: the rates of
    England and Wales, the force's region and its most similar group (each over the forces with
    data and a population for the period), and its rank by rate among the forces of England and
    Wales (1 = lowest). Anything that cannot be filled is added to `notes` once, in words."""
    from .compare import compare
    from .groups import GroupError, most_similar, regions

    result = compare(period_code, source.crime_types)
    rated = {r.force: r for r in result.rows if r.rate is not None and r.population}
    table = regions()
    comparators: list[dict[str, str]] = []

    def group_rate(members: set[str], name: str, label: str) -> None:
        found = [rated[f] for f in members if f in rated]
        if not found:
            return
        crimes = sum(r.crimes for r in found)
        people = sum(r.population or 0 for r in found)
        rate = (Decimal(crimes) * 1000 / Decimal(people)).quantize(Decimal("0.001"))
        if len(found) < len(members):
            label += f" ({len(found)} of {len(members)} forces with data)"
        comparators.append({"name": name, "label": label, "value": f"{rate.normalize():f}"})

    def note(text: str) -> None:
        if text not in notes:
            notes.append(text)

    national = set(table)
    group_rate(national, "national", "England and Wales")
    region = table.get(source.force)
    if region:
        members = {f for f, r in table.items() if r == region}
        group_rate(members, "region", region if region == "Wales" else f"{region} region")
    else:
        note(f"{source.force} has no region in the regions table: no regional comparator")
    try:
        peers = most_similar().get(source.force)
    except GroupError:
        peers = None
    if peers:
        group_rate({*peers, source.force}, "msg", "most similar group")
    else:
        note(
            f"no most similar group is given for {source.force} (opendata/data/"
            "most_similar_groups.csv is the office's to fill): no most similar group comparator"
        )
    fields: dict[str, Any] = {"comparators": comparators}
    ranked = sorted(
        (r for f, r in rated.items() if f in national), key=lambda r: (r.rate or 0, r.force)
    )
    position = next((i for i, r in enumerate(ranked, 1) if r.force == source.force), None)
    if position is not None:
        fields |= {
            "rank": position,
            "rank_of": len(ranked),
            "rank_label": "forces in England and Wales by rate (1 = lowest)",
        }
        if len(ranked) < len(national):
            note(
                f"{period_code}: ranked among the {len(ranked)} forces of England and Wales "
                f"with data and a population, not all {len(national)}"
            )
    return fields
