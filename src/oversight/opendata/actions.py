"""Write police.uk figures into a plan's measures.

`refresh_plan` finds every measure whose plan entry declares `opendata:` (see lib/policeuk.Source),
works out its figure for every month imported and every financial quarter whose three months are
all there, and records them through the plans importer's own rules (history kept, published
figures changed only as corrections). A figure entered by hand (its source does not start with
"police.uk") is never overwritten unless `replace=True`; each one kept is listed.
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
from .queries import monthly_counts, months_available, populations

SOURCE_PREFIX = "police.uk"


@dataclass
class RefreshReport:
    written: int = 0
    unchanged: int = 0
    kept_by_hand: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    measures: int = 0

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
    population = populations().get(source.force, ("", None, ""))[1]
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
            if population:
                rate = (Decimal(n) * 1000 / Decimal(population)).quantize(Decimal("0.001"))
                out[code] = (rate, Decimal(n), Decimal(population))
        else:
            k = sum(solved.get(m, 0) for m in ms)
            if n:
                value = (Decimal(k) * 100 / Decimal(n)).quantize(Decimal("0.1"))
                out[code] = (value, Decimal(k), Decimal(n))
    return out


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
            if num is not None:
                fields |= {"numerator": num, "denominator": den}
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
