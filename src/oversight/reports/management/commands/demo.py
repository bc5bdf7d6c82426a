from pathlib import Path
from typing import Annotated

from oversight.core.commands import OUT_FOLDER, out_option
from oversight.core.commands import Command as OversightCommand
from oversight.core.render import FORMATS, write
from oversight.lib.audience import Audience
from oversight.opendata import demo as opendata_demo
from oversight.plans import demo as plan_demo
from oversight.plans import demo_series
from oversight.registers import demo as registers_demo
from oversight.reports.compose import compose_report
from oversight.reports.demos import seed003, seed004
from oversight.scrutiny import demo as scrutiny_demo

# Each app with demo data offers `load(plan=..., out_dir=..., by=...) -> list[Path]`, in this order.
APP_DEMOS = [demo_series, registers_demo, scrutiny_demo, opendata_demo]
# Each seed demo rebuilds one seed paper's report in its own layout: it offers `load(by=...) ->
# Plan`, PERIOD, STEM and LAYOUT. Loaded after the apps' demos, whose documents stay as they were.
SEED_DEMOS = [seed003, seed004]


class Command(OversightCommand):
    help = (
        "Build the demo plan, its figures and its documents.\n\n"
        "The West Mercia Police and Crime Plan 2013-2017 with its 2013/14 Q1 figures "
        "(transcribed from the Panel's published report), then write the report as HTML, DOCX and PDF "
        "and the other demo documents to ./demo-output/; then each later seed paper's demo (West "
        "Mercia 2023/24 Q2, seed 003; Lancashire 2018/19 Q2, seed 004) and its report in the "
        "paper's own layout. Safe to run twice."
    )

    def handle(
        self,
        out: Annotated[
            str,
            out_option(
                "folder for the documents (made if its parent folder exists)", check=OUT_FOLDER
            ),
        ] = "demo-output",
    ):
        by = "oversight demo"
        out_dir = Path(out)
        out_dir.mkdir(exist_ok=True)  # one level only: --out checked that its parent exists
        plan = plan_demo.load(by=by)
        written: list[Path] = []
        for module in APP_DEMOS:
            written += module.load(plan=plan, out_dir=out_dir, by=by) or []
        # The demo's period is published, so the public report is the whole report.
        report = compose_report(plan, plan_demo.PERIOD, audience=Audience.PUBLIC)
        stem = "police-and-crime-plan-report-2013-14-q1"
        reports = [write(report, fmt, out_dir / f"{stem}.{fmt}") for fmt in FORMATS]
        for seed in SEED_DEMOS:
            seed_plan = seed.load(by=by)
            # The seed papers are public, so their reports are composed for the public.
            seed_report = compose_report(
                seed_plan, seed.PERIOD, audience=Audience.PUBLIC, layout=seed.LAYOUT
            )
            reports += [write(seed_report, f, out_dir / f"{seed.STEM}.{f}") for f in FORMATS]
        for path in reports + written:
            self.stdout.write(str(path))
        self.stdout.write(
            f"Demo ready: plan {plan.slug}, {len(reports) + len(written)} documents in {out_dir}/."
        )
