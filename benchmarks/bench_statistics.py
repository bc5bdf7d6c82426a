"""Time the statistics layer at full size: 200 measures × 5 areas × 120 months.

For each of the 1,000 series: an XmR chart with its rules and icons, the conditional binomial
test of the latest month against the one before, and a two-proportion test, first with nothing
remembered and then again (the tests are remembered for their numbers, as a server process keeps
them between pages). Goal: the first pass under 2 s; its baseline is the remembered pass.

    .venv/bin/python benchmarks/bench_statistics.py [--json PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import Report, json_argument  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    json_argument(parser)
    args = parser.parse_args()
    series = make_series(np.random.default_rng(2024))
    run(make_series(np.random.default_rng(1))[:20])  # warm imports (other figures: none reused)
    start = time.perf_counter()
    special = run(series)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    run(series)
    again = time.perf_counter() - start
    points = sum(len(s) for s in series)
    print(
        f"{len(series):,} series, {points:,} points: XmR + rules + icons + 2 tests in "
        f"{elapsed:.2f} s ({elapsed / len(series) * 1000:.2f} ms a series; budget {BUDGET:.0f} s); "
        f"{special} latest points special cause"
    )
    print(f"again, the tests remembered: {again:.2f} s")
    report = Report("bench_statistics", settings={"series": len(series), "points": points})
    report.add(
        "1,000 series: XmR + rules + 2 tests",
        elapsed,
        "s",
        goal=BUDGET,
        baseline=again,
        baseline_name="the same, tests remembered, same run",
    )
    return report.finish(args.json)


if __name__ == "__main__":
    sys.exit(main())
