"""Demo monthly history for six headline measures, so the charts and the statistics have something
to show. THE SERIES ARE SYNTHETIC: seed 002 publishes only the 2013/14 Q1 figures. They are drawn
with a fixed random seed (Poisson counts with a yearly seasonal swing; binomial proportions), then
pinned so that April–June 2013 adds up to the published 2013/14 Q1 year-to-date figure and
April–June 2012 to the 2012/13 Q1 figure implied by the published target ("less 2% of 2012/13
outturn": 1,639 / 0.98 = 1,672 for violent crime with injury). Every row's source says "synthetic".
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .actions import import_observations, publish_period
from .importers import ObservationRow
from .models import Measure, Plan

if TYPE_CHECKING:
    import numpy as np  # imported where the series are drawn: `oversight demo` loads this module

SOURCE = "synthetic demo series (see README)"
FIRST_YEAR, MONTHS = 2010, 39  # April 2010 to June 2013

# measure code: (monthly mean, seasonal amplitude, published 2013 Q1 total, implied 2012 Q1 total)
COUNTS = {
    "2.1": (590, 0.10, 1517, 1672),
    "4.1": (5100, 0.18, 13800, 14745),
    "5.1": (5300, 0.06, 15015, 15769),
    "5.2": (240, 0.12, 519, 702),
}
# measure code: (denominator measure, long-run rate %, published 2013/14 Q1 rate %)
RATES = {"2.2": ("2.1", 53.0, Decimal("54.9")), "5.3": ("5.2", 23.5, Decimal("26"))}


def months() -> list[str]:
    out = []
    for i in range(MONTHS):
        m = 4 + i
        out.append(f"{FIRST_YEAR + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}")
    return out


def _pin(values: np.ndarray, start: int, total: int) -> None:
    """Scale three months so they add up to a published quarter total exactly."""
    import numpy as np

    part = values[start : start + 3].astype(float)
    scaled = np.floor(part * total / part.sum()).astype(int)
    scaled[-1] += total - scaled.sum()
    values[start : start + 3] = scaled


def generate() -> dict[str, list[tuple[str, Decimal, Decimal | None, Decimal | None]]]:
    """{measure code: [(month, value, numerator, denominator), ...]} for the demo months."""
    import numpy as np

    rng = np.random.default_rng(2013)
    labels = months()
    q1_2012, q1_2013 = labels.index("2012-04"), labels.index("2013-04")
    series: dict[str, list] = {}
    counts: dict[str, np.ndarray] = {}
    for code, (mean, swing, total_2013, total_2012) in COUNTS.items():
        season = np.array([1 + swing * math.sin(2 * math.pi * (i - 3) / 12) for i in range(MONTHS)])
        values = rng.poisson(mean * season)
        _pin(values, q1_2012, total_2012)
        _pin(values, q1_2013, total_2013)
        counts[code] = values
        series[code] = [
            (m, Decimal(int(v)), None, None) for m, v in zip(labels, values, strict=True)
        ]
    for code, (base, rate, published) in RATES.items():
        denominators = counts[base]
        solved = rng.binomial(denominators, rate / 100)
        # April–June 2013 solved counts that give the published quarter rate.
        q = denominators[q1_2013 : q1_2013 + 3]
        target_solved = int(round(float(published) / 100 * q.sum()))
        _pin(solved, q1_2013, target_solved)
        rows = []
        for m, n, d in zip(labels, solved, denominators, strict=True):
            value = (Decimal(int(n)) * 100 / Decimal(int(d))).quantize(Decimal("0.1"))
            rows.append((m, value, Decimal(int(n)), Decimal(int(d))))
        series[code] = rows
    return series


def load(*, plan: Plan, out_dir: Path, by: str) -> list[Path]:
    """Add the synthetic monthly history to the demo plan (only to the demo plan)."""
    if plan.slug != "west-mercia-2013":
        return []
    measures = {m.code: m for m in Measure.objects.filter(plan=plan, code__in=[*COUNTS, *RATES])}
    force = plan.force_area.code
    rows = []
    for code, points in generate().items():
        for i, (month, value, num, den) in enumerate(points):
            fields = {
                "value": value,
                "basis": "period",
                "source": SOURCE,
                "comment": "synthetic monthly figure for the demo",
            }
            if num is not None:
                fields |= {"numerator": num, "denominator": den}
            rows.append(ObservationRow(i + 2, measures[code], month, force, fields))
    import_observations(plan, rows, by=by, file_name="synthetic demo series")
    for month in months():  # the history is public, as the quarter it leads up to is
        publish_period(plan, month, by=by)
    return []
