from pathlib import Path

from oversight.core.commands import ImportCommand
from oversight.lib.files import out_folder
from oversight.plans.commands import get_plan
from oversight.plans.exports import (
    export_readme,
    narrative_markdown,
    not_carried,
    observations_csv,
    plan_yaml,
)
from oversight.plans.models import Narrative


class Command(ImportCommand):
    help = (
        "Write a plan's YAML, all its figures (observations CSV) and each period's narrative "
        "(Markdown) into a folder, in the formats `oversight import` reads, with a README.txt "
        "saying what the files do not carry (workflow states, publications, corrections, "
        "revisions, commentary, assignments): `oversight backup` keeps everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug")
        parser.add_argument(
            "--out",
            required=True,
            type=out_folder,
            help="the folder to write into (made if its parent folder exists)",
        )

    def run(self, plan, out, **options):
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
        return (
            f"Plan {target.slug}: plan.yaml, observations.csv and {len(periods)} narrative files "
            f"in {folder}.\nNot in these files (README.txt lists them): "
            + "; ".join(not_carried(target))
            + ". `oversight backup` keeps everything."
        )
