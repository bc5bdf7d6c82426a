import json

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.periods import PeriodError
from oversight.lib.policeuk import CRIME_TYPES
from oversight.opendata.compare import compare, funnel
from oversight.plans.exports import to_csv


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
            help="comma-separated force ids (e.g. your most similar group); default every force imported",
        )
        parser.add_argument(
            "--label", default="", help='the group\'s name, e.g. "Most similar group"'
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
        members = [g.strip() for g in group.split(",")] if group else None
        if members and force not in members:
            members.append(force)
        try:
            result = compare(period, crime_type, members, label)
        except PeriodError as exc:
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
