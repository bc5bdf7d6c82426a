"""Benchmark: import 40,000 observations and render the report in each format.

Generates a synthetic plan of 200 measures (8 objectives × 25) × 5 areas × 40 quarters
(2010/11 Q1 to 2019/20 Q4) into a fresh SQLite database in a temporary folder (or PostgreSQL via
DATABASE_URL), then times, once each after one warm-up where noted:
  - reading and checking the CSV plus writing it (a first import of 40,000 rows);
  - a clean re-import of the same file (every row compared, nothing written);
  - composing and rendering the report for the last quarter as HTML, DOCX and PDF.
Budget on a 2-core machine: import under 10 s; HTML under 1 s, DOCX under 3 s, PDF under 10 s.

    .venv/bin/python benchmarks/bench_spine.py
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

MEASURES, OBJECTIVES, AREAS, YEARS = 200, 8, ["north", "south", "east", "west"], range(2010, 2020)


def make_files(folder: Path) -> tuple[Path, Path]:
    rnd = random.Random(1)
    lines = (
        [
            "plan: {slug: bench, title: Benchmark plan (synthetic), force: Benchshire, starts: 2010-04-01, ends: 2020-03-31}",
            "areas:",
        ]
        + [f"  - {{code: {a}, name: {a.title()}}}" for a in AREAS]
        + ["objectives:"]
    )
    per = MEASURES // OBJECTIVES
    for o in range(OBJECTIVES):
        lines.append(f'  - code: "{o + 1}"\n    title: Objective {o + 1}\n    measures:')
        for j in range(per):
            unit = "percent" if j % 3 == 0 else "count"
            target = (
                "{kind: value, value: 60}"
                if unit == "percent"
                else '{kind: change, percent: -2, baseline: {period: "2009/10", value: 40000}}'
            )
            lines.append(
                f'      - {{code: "{o + 1}.{j + 1}", name: Measure {o + 1}.{j + 1}, unit: {unit}, '
                f"polarity: {'up' if unit == 'percent' else 'down'}, headline: {str(j < 2).lower()}, target: {target}}}"
            )
    plan = folder / "plan.yaml"
    plan.write_text("\n".join(lines) + "\n")
    obs = folder / "observations.csv"
    with obs.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            "measure,period,area,value,target,basis,comparator,comparator_label,numerator,denominator,status,rag,rag_reason,comment".split(
                ","
            )
        )
        for o in range(OBJECTIVES):
            for j in range(per):
                code, pct = f"{o + 1}.{j + 1}", j % 3 == 0
                for y in YEARS:
                    for q in range(1, 5):
                        for area in [""] + AREAS:
                            value = (
                                round(rnd.uniform(40, 80), 1) if pct else rnd.randint(5000, 15000)
                            )
                            w.writerow(
                                [
                                    code,
                                    f"{y}/{(y + 1) % 100:02d} Q{q}",
                                    area,
                                    value,
                                    "",
                                    "ytd",
                                    "",
                                    "",
                                    "",
                                    "",
                                    "",
                                    "",
                                    "",
                                    "synthetic",
                                ]
                            )
    return plan, obs


def timed(label: str, fn, results: dict) -> object:
    start = time.perf_counter()
    out = fn()
    results[label] = time.perf_counter() - start
    print(f"{label:<42} {results[label]:7.2f} s", flush=True)
    return out


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="oversight-bench-"))
    os.environ.setdefault("OVERSIGHT_DATA_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from oversight.core.render import render
    from oversight.plans.actions import import_observations, import_plan
    from oversight.plans.importers import read_observations, read_plan
    from oversight.reports.compose import compose_report

    (work / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    plan_file, obs_file = make_files(work)
    plan, _ = import_plan(read_plan(plan_file), by="benchmark")
    results: dict[str, float] = {}
    rows = timed("read and check 40,000 rows", lambda: read_observations(obs_file, plan), results)
    timed(
        "write 40,000 new observations",
        lambda: import_observations(plan, rows, by="benchmark"),
        results,
    )
    results["import (first, end to end)"] = (
        results["read and check 40,000 rows"] + results["write 40,000 new observations"]
    )
    print(f"{'import (first, end to end)':<42} {results['import (first, end to end)']:7.2f} s")
    timed(
        "re-import unchanged (check + compare)",
        lambda: import_observations(plan, read_observations(obs_file, plan), by="benchmark"),
        results,
    )
    period = "2019/20 Q4"
    compose_report(plan, period)  # warm caches (templates, fonts) as a running server would have
    for fmt in ("html", "docx", "pdf"):
        timed(
            f"report {fmt} (compose + render, 200 measures)",
            lambda fmt=fmt: render(compose_report(plan, period), fmt),
            results,
        )
    budgets = {
        "import (first, end to end)": 10,
        "report html (compose + render, 200 measures)": 1,
        "report docx (compose + render, 200 measures)": 3,
        "report pdf (compose + render, 200 measures)": 10,
    }
    over = [k for k, limit in budgets.items() if results[k] > limit]
    print("within budget" if not over else f"OVER BUDGET: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
