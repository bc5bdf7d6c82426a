"""`oversight export measures|plan`: a period's figures as data; a plan as the files import reads."""

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from django.core.management.base import CommandError

from oversight.core.commands import OUT_FOLDER, AudienceOption, Group, command, out_option
from oversight.lib.periods import PeriodError, parse_period
from oversight.lib.tables import to_csv
from oversight.plans.commands import get_plan
from oversight.plans.exports import (
    MEASURE_FIELDS,
    export_readme,
    measure_records,
    narrative_markdown,
    not_carried,
    observations_csv,
    plan_yaml,
)
from oversight.plans.models import Narrative

Plan = Annotated[str, typer.Option(help="the plan's slug")]


class Command(Group):
    help = (
        "Export a period's measures, or a whole plan as the files `import` reads; a delivery plan "
        "or risks (the delivery app adds those)."
    )

    @command()
    def measures(
        self,
        plan: Plan,
        period: Annotated[str, typer.Option(help='e.g. "2013/14 Q1"')],
        audience: AudienceOption,
        format: Annotated[Literal["json", "csv"], typer.Option()] = "json",
        out: Annotated[
            Path | None, out_option("write to this file instead of standard output")
        ] = None,
    ):
        """Print every measure's figure, target and RAG for a period, as JSON or CSV.

        One record per measure and area: measure, name, objective, headline, period, area,
        actual, target, comparator, rag, rag_computed, rag_reason, footnotes, and the statistics
        fields.
        """
        target = get_plan(plan)
        try:
            period = parse_period(period).code
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        from oversight.plans.statistics import statistics_fields

        records = measure_records(
            target,
            period,
            audience=audience,
            extra=statistics_fields(target, period, audience=audience),
        )
        fields = MEASURE_FIELDS + [
            k for k in (records[0] if records else {}) if k not in MEASURE_FIELDS
        ]
        text = (
            json.dumps(records, indent=2, ensure_ascii=False) + "\n"
            if format == "json"
            else to_csv(records, fields)
        )
        if out:
            with open(out, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            self.stdout.write(f"{len(records)} records for {period} written to {out}.")
            return
        self.stdout.write(text, ending="")

    @command()
    def plan(
        self,
        plan: Plan,
        out: Annotated[
            Path,
            out_option(
                "the folder to write into (made if its parent folder exists)", check=OUT_FOLDER
            ),
        ],
    ):
        """Write a plan's YAML, figures and narratives into a folder, as `oversight import` reads
        them.

        The folder gets plan.yaml, all the figures (observations.csv) and each period's narrative
        (Markdown), with a README.txt saying what the files do not carry (workflow states,
        publications, corrections, revisions, commentary, assignments): `oversight backup` keeps
        everything.
        """
        target = get_plan(plan)
        folder = Path(out)
        folder.mkdir(exist_ok=True)  # one level only: --out checked that its parent exists
        (folder / "plan.yaml").write_text(plan_yaml(target), encoding="utf-8")
        (folder / "observations.csv").write_text(observations_csv(target), encoding="utf-8")
        periods = sorted(
            set(Narrative.objects.filter(plan=target).values_list("period__code", flat=True))
        )
        names = []
        for p in periods:
            name = "narrative-" + p.replace("/", "-").replace(" ", "-") + ".md"
            (folder / name).write_text(narrative_markdown(target, p), encoding="utf-8")
            names.append(name)
        (folder / "README.txt").write_text(export_readme(target, names), encoding="utf-8")
        self.stdout.write(
            f"Plan {target.slug}: plan.yaml, observations.csv and {len(periods)} narrative files "
            f"in {folder}.\nNot in these files (README.txt lists them): "
            + "; ".join(not_carried(target))
            + ". `oversight backup` keeps everything."
        )
