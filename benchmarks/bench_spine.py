"""Benchmark: import 40,000 observations and render the report in each format.

Generates a synthetic plan of 200 measures (8 objectives × 25) × 5 areas × 40 quarters
(2010/11 Q1 to 2019/20 Q4) into a fresh SQLite database in a temporary folder (or PostgreSQL via
DATABASE_URL, which must name an empty database), then times, once each after one warm-up where
noted:
  - reading and checking the CSV plus writing it (a first import of 40,000 rows), and, as the
    baseline in the same run, the same rows written into a second, identical plan the way the
    write was done before (model instances through Django's bulk_create);
  - a clean re-import of the same file (every row compared, nothing written);
  - composing the report for the last quarter with nothing cached, then composing and rendering
    it as HTML, DOCX and PDF (the statistics kept from that first composition, as a server keeps
    them until a figure changes); the PDF's render alone against the same report laid out as
    before (WeasyPrint's automatic table layout), alternately three times each, medians.
Goals on a 2-core machine: first import under 3 s; report PDF under 2 s.

    .venv/bin/python benchmarks/bench_spine.py [--json PATH]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import Report, database_vendor, json_argument  # noqa: E402

REPEATS = 3
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
    print(f"{label:<52} {results[label]:7.2f} s", flush=True)
    return out


def seconds(label: str, fn, results: dict) -> float:
    timed(label, fn, results)
    return results[label]


def write_as_before(plan, rows) -> None:
    """The write phase as it was: one model instance per new figure, Django's bulk_create."""
    from django.db import transaction

    from oversight.plans.actions import _apply
    from oversight.plans.models import Observation, Period

    with transaction.atomic():
        areas = {a.code: a for a in plan.areas.all()}
        periods = {code: Period.objects.for_code(code) for code in {r.period for r in rows}}
        new = []
        for r in rows:
            obs = Observation(measure=r.measure, period=periods[r.period], area=areas[r.area_code])
            _apply(obs, r.fields)
            new.append(obs)
        Observation.objects.bulk_create(new, batch_size=2000)


def pdf_as_before(doc) -> bytes:
    """The report's PDF with every table laid out automatically, as before tables with widths
    were laid out fixed."""
    from weasyprint import HTML

    from oversight.core.render.html import render_html

    html = render_html(doc, for_print=True).replace("table.fixed { table-layout: fixed; }", "")
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def font_subsetter() -> str:
    """The library WeasyPrint cuts each PDF's fonts down with on this machine: "HarfBuzz" where
    libharfbuzz-subset0 is installed (`make pdflibs`), else "fontTools" (slower, same PDF)."""
    from weasyprint.pdf import fonts

    return "HarfBuzz" if fonts.harfbuzz_subset else "fontTools"


@contextmanager
def fonttools_subsetting():
    """WeasyPrint as on a machine without libharfbuzz-subset0: fonts subset by fontTools."""
    from weasyprint.pdf import fonts

    saved, fonts.harfbuzz_subset = fonts.harfbuzz_subset, None
    try:
        yield
    finally:
        fonts.harfbuzz_subset = saved


def pdf_with_fonttools(doc) -> bytes:
    from oversight.core.render import render

    with fonttools_subsetting():
        return render(doc, "pdf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    json_argument(parser)
    args = parser.parse_args()
    report = Report(
        "bench_spine",
        settings={
            "measures": MEASURES,
            "areas": len(AREAS) + 1,
            "font_subsetter": font_subsetter(),
        },
    )
    work = Path(tempfile.mkdtemp(prefix="oversight-bench-"))
    os.environ.setdefault("OVERSIGHT_DATA_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from oversight.core.render import render
    from oversight.lib.audience import Audience
    from oversight.plans.actions import import_observations, import_plan
    from oversight.plans.importers import read_observations, read_plan
    from oversight.reports.compose import compose_report

    (work / "var").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    plan_file, obs_file = make_files(work)
    plan, _ = import_plan(read_plan(plan_file), by="benchmark")
    twin_file = work / "twin.yaml"
    twin_file.write_text(plan_file.read_text().replace("slug: bench,", "slug: bench-twin,"))
    twin, _ = import_plan(read_plan(twin_file), by="benchmark")
    results: dict[str, float] = {}
    rows = timed("read and check 40,000 rows", lambda: read_observations(obs_file, plan), results)
    timed(
        "write 40,000 new observations",
        lambda: import_observations(plan, rows, by="benchmark"),
        results,
    )
    twin_rows = read_observations(obs_file, twin)
    timed(
        "baseline: the same write as before (bulk_create)",
        lambda: write_as_before(twin, twin_rows),
        results,
    )
    first = results["read and check 40,000 rows"] + results["write 40,000 new observations"]
    print(f"{'import (first, end to end)':<52} {first:7.2f} s")
    timed(
        "re-import unchanged (check + compare)",
        lambda: import_observations(plan, read_observations(obs_file, plan), by="benchmark"),
        results,
    )
    period = "2019/20 Q4"
    staff = Audience.STAFF  # the bench plan is a draft: its figures are the staff's
    cache.clear()
    timed(
        "report compose, nothing cached (first request)",
        lambda: compose_report(plan, period, audience=staff),
        results,
    )
    for fmt in ("html", "docx", "pdf"):
        timed(
            f"report {fmt} (compose + render, 200 measures)",
            lambda fmt=fmt: render(compose_report(plan, period, audience=staff), fmt),
            results,
        )
    doc = compose_report(plan, period, audience=staff)
    # The PDF against its baseline: alternately, REPEATS times each, medians compared, so that
    # a busy machine's spikes fall on both alike.
    # Where HarfBuzz subsets the fonts, the same PDF with fontTools subsetting them is timed too.
    harfbuzz = font_subsetter() == "HarfBuzz"
    now, before, fonttools = [], [], []
    for _ in range(REPEATS):
        now.append(seconds("report pdf render alone", lambda: render(doc, "pdf"), results))
        before.append(
            seconds("baseline: report pdf laid out as before", lambda: pdf_as_before(doc), results)
        )
        if harfbuzz:
            fonttools.append(
                seconds(
                    "baseline: report pdf, fonts subset by fontTools",
                    lambda: pdf_with_fonttools(doc),
                    results,
                )
            )
    results["report pdf render alone"] = statistics.median(now)
    results["baseline: report pdf laid out as before"] = statistics.median(before)

    write = results["write 40,000 new observations"]
    before = results["baseline: the same write as before (bulk_create)"]
    report.add("import 40,000 figures, first (read + check + write)", first, "s", goal=3)
    report.add(
        "  write phase",
        write,
        "s",
        baseline=before,
        baseline_name="bulk_create, same rows, same run",
    )
    report.add("re-import unchanged", results["re-import unchanged (check + compare)"], "s")
    report.add(
        "report html, 200 measures",
        results["report html (compose + render, 200 measures)"],
        "s",
        goal=1,
    )
    report.add(
        "report docx, 200 measures",
        results["report docx (compose + render, 200 measures)"],
        "s",
        goal=3,
    )
    report.add(
        "report pdf, 200 measures (compose + render)",
        results["report pdf (compose + render, 200 measures)"],
        "s",
        goal=2,
    )
    report.add(
        f"  pdf render alone (median of {REPEATS})",
        results["report pdf render alone"],
        "s",
        baseline=results["baseline: report pdf laid out as before"],
        baseline_name=f"automatic table layout, median of {REPEATS}, interleaved",
    )
    if fonttools:
        report.add(
            f"  pdf render alone, fonts by HarfBuzz (median of {REPEATS})",
            results["report pdf render alone"],
            "s",
            baseline=statistics.median(fonttools),
            baseline_name=f"fonts subset by fontTools, median of {REPEATS}, interleaved",
        )
    return report.finish(args.json, database_vendor())


if __name__ == "__main__":
    sys.exit(main())
