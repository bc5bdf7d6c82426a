"""Where a PDF's time goes: the action log and the report of the other benchmarks, each rendered
in CPU seconds of this process (a shared machine's other work does not count) as it is and with
one thing changed, alternately, medians of --repeats:

  - as is;
  - fonts subset by fontTools, as where libharfbuzz-subset0 is missing;
  - DejaVu Sans subset by fontTools, as where neither Liberation Sans nor HarfBuzz's subsetter
    is installed (what `make pdflibs` installs);
  - the tables with no borders, padding or backgrounds: how much of the time the styling costs.

The data are the synthetic ones of bench_scrutiny.py (432 actions) and bench_spine.py (200
measures). Figures only, no goal: the goals are timed by those two scripts.

    .venv/bin/python benchmarks/pdf_costs.py [--repeats 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scrutiny  # noqa: E402
import bench_spine  # noqa: E402
from figures import Report, json_argument  # noqa: E402

BARE = "table, th, td, thead th, tr.highlight, tr.highlight > * { border: none !important; padding: 0 !important; background: none !important; }"


def variants(html: str) -> dict[str, tuple[str, bool]]:
    """Name → (the HTML, whether fontTools subsets the fonts)."""
    dejavu = html.replace('"Liberation Sans", ', "")
    return {
        "as is": (html, False),
        "fonts subset by fontTools": (html, True),
        "DejaVu Sans, subset by fontTools": (dejavu, True),
        "tables unstyled": (html.replace("</style>", BARE + "</style>"), False),
    }


def cpu_seconds(html: str, fonttools: bool) -> tuple[float, int]:
    from weasyprint import HTML

    with bench_spine.fonttools_subsetting() if fonttools else nullcontext():
        start = time.process_time()
        document = HTML(string=html).render(pdf_variant="pdf/ua-1")
        document.write_pdf(pdf_variant="pdf/ua-1")
        return time.process_time() - start, len(document.pages)


def documents(work: Path) -> dict[str, object]:
    from oversight.lib.audience import Audience
    from oversight.plans.actions import import_observations, import_plan
    from oversight.plans.importers import read_observations, read_plan
    from oversight.reports.compose import compose_report
    from oversight.scrutiny.actions import import_scrutiny
    from oversight.scrutiny.documents import action_log_document
    from oversight.scrutiny.importers import read_scrutiny
    from oversight.scrutiny.models import Body

    import_scrutiny(read_scrutiny(bench_scrutiny.make_file(work)), by="bench")
    plan_file, obs_file = bench_spine.make_files(work)
    plan, _ = import_plan(read_plan(plan_file), by="bench")
    import_observations(plan, read_observations(obs_file, plan), by="bench")
    return {
        "action log (432 actions)": action_log_document(Body.objects.get(slug="bench-panel")),
        "report (200 measures)": compose_report(plan, "2019/20 Q4", audience=Audience.STAFF),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    json_argument(parser)
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its notes on the CSS, as pdf.py does
    work = Path(tempfile.mkdtemp(prefix="pdf-costs-"))
    os.environ.setdefault("OVERSIGHT_DATA_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    (work / "var").mkdir()
    import django

    django.setup()
    from django.core.management import call_command

    from oversight.core.render.html import render_html

    call_command("migrate", verbosity=0)
    report = Report(
        "pdf_costs",
        settings={"repeats": args.repeats, "font_subsetter": bench_spine.font_subsetter()},
    )
    for name, doc in documents(work).items():
        cases = variants(render_html(doc, for_print=True))  # type: ignore[arg-type]
        cpu_seconds(*cases["as is"])  # warm-up: Pango's and fontconfig's first loads
        times: dict[str, list[float]] = {case: [] for case in cases}
        pages: dict[str, int] = {}
        for _ in range(args.repeats):
            for case, (html, fonttools) in cases.items():
                seconds, pages[case] = cpu_seconds(html, fonttools)
                times[case].append(seconds)
                print(f"{name}, {case:<36} {seconds:6.2f} s CPU, {pages[case]} pages", flush=True)
        mine = statistics.median(times["as is"])
        for case in cases:
            figure = statistics.median(times[case])
            if case == "as is":
                report.add(f"{name}, as is, {pages[case]} pages", figure, "s CPU")
            else:
                report.add(
                    f"  as is, against: {case}, {pages[case]} pages",
                    mine,
                    "s CPU",
                    baseline=figure,
                    baseline_name=case,
                )
    return report.finish(args.json)


if __name__ == "__main__":
    sys.exit(main())
