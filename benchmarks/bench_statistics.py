"""Time the statistics layer at full size: 200 measures × 5 areas × 120 months.

For each of the 1,000 series: an XmR chart with its rules and icons, the conditional binomial
test of the latest month against the one before, and a two-proportion test. Budget: under 2 s.

    .venv/bin/python benchmarks/bench_statistics.py
"""

from __future__ import annotations

import time

import numpy as np

from oversight.lib.significance import compare_counts, compare_proportions
from oversight.lib.spc import xmr

MEASURES, AREAS, MONTHS = 200, 5, 120
BUDGET = 2.0


def make_series(rng: np.random.Generator) -> list[list[float]]:
    levels = rng.uniform(20, 2000, size=MEASURES * AREAS)
    counts = rng.poisson(levels[:, None], size=(len(levels), MONTHS))
    return [row.astype(float).tolist() for row in counts]


def run(series: list[list[float]]) -> int:
    special = 0
    for i, values in enumerate(series):
        r = xmr(values, polarity="down" if i % 2 else "up", target=values[0])
        special += r.variation not in (None, "common_cause")
        current, previous = int(values[-1]), int(values[-2])
        compare_counts(current, previous)
        compare_proportions(current, current + previous + 50, previous, current + previous + 50)
    return special


def main() -> None:
    series = make_series(np.random.default_rng(2024))
    run(series[:20])  # warm imports and caches
    start = time.perf_counter()
    special = run(series)
    elapsed = time.perf_counter() - start
    points = sum(len(s) for s in series)
    print(
        f"{len(series):,} series, {points:,} points: XmR + rules + icons + 2 tests in "
        f"{elapsed:.2f} s ({elapsed / len(series) * 1000:.2f} ms a series; budget {BUDGET:.0f} s); "
        f"{special} latest points special cause"
    )
    if elapsed > BUDGET:
        raise SystemExit(f"over budget: {elapsed:.2f} s > {BUDGET:.1f} s")


if __name__ == "__main__":
    main()
