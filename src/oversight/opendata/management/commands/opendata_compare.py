import json

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.periods import PeriodError
from oversight.lib.policeuk import CRIME_TYPES
from oversight.lib.tables import to_csv
from oversight.opendata.compare import compare, funnel
from oversight.opendata.groups import GroupError, resolve


class Command(BaseCommand):
    help = (
        "Compare a force with a group of forces for a crime type and period: crimes, rate per "
        "1,000 residents, rank, and whether the force's rate differs significantly from the "
        "group's (exact Poisson test); optionally write the funnel plot as SVG."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, help="the force to highlight")
        parser.add_argument(
            "--period", required=True, help='a month, quarter or year, e.g. "2018/19 Q3"'
        )
        parser.add_argument(
            "--crime-type",
            action="append",
            default=[],
            help="police.uk crime type (repeatable); default all crime",
        )
        parser.add_argument(
            "--group",
            default="all",
            help="all (every force imported; the default), england-and-wales, region (the "
            "force's region), msg (its most similar group, from the office's list) or "
            "comma-separated force ids",
        )
        parser.add_argument(
            "--label", default="", help="the group's name, if not the one it is given"
        )
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument("--funnel", help="write the funnel plot (SVG) to this file")

    def handle(
        self,
        force,
        period,
        crime_type,
        group=None,
        label="",
        format="table",
        funnel=None,
        **options,
    ):
        bad = [t for t in crime_type if t not in CRIME_TYPES]
        if bad:
            raise CommandError(
                f"unknown crime type {', '.join(bad)}: use one of {', '.join(CRIME_TYPES)}"
            )
        try:
            members, named = resolve(group, force)
            result = compare(period, crime_type, members, label or named)
        except (PeriodError, GroupError) as exc:
            raise CommandError(str(exc)) from None
        if result.row(force) is None:
            raise CommandError(
                f"no police.uk data imported for {force} in every month of {result.period}"
            )
        if funnel:
            chart = _funnel(result, force)
            if chart is None:
                self.stderr.write("No funnel plot: it needs every force's population.")
            else:
                with open(funnel, "w", encoding="utf-8") as fh:
                    fh.write(chart.svg)
        if format == "json":
            self.stdout.write(json.dumps(result.record(), indent=2))
        elif format == "csv":
            records = [r.record() for r in result.rows]
            self.stdout.write(to_csv(records, list(records[0])), ending="")
        else:
            for note in result.notes:
                self.stdout.write(f"Note: {note}")
            for r in result.rows:
                mark = "*" if r.force == force else " "
                rate = f"{r.rate:8.2f}" if r.rate is not None else "       –"
                sig = (
                    f"significantly {r.direction}"
                    if r.significant
                    else ("not significant" if r.significant is False else "")
                )
                self.stdout.write(f"{mark}{r.rank:3d} {r.name:40.40s} {r.crimes:9,d} {rate}  {sig}")
            row = result.row(force)
            self.stdout.write(
                f"{row.name} ranks {row.rank} of {len(result.rows)} ({result.group_label}, {result.period})."
            )


def _funnel(result, force):
    return funnel(result, force)
