"""`oversight opendata import|counts|areas|compare|refresh`: police.uk open data."""

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from django.core.management.base import CommandError

from oversight.core.commands import Group, command
from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.policeuk import CRIME_TYPES
from oversight.lib.problems import ImportRefused
from oversight.lib.tables import to_csv
from oversight.opendata.actions import refresh_plan
from oversight.opendata.compare import FIELDS
from oversight.opendata.compare import compare as compare_forces
from oversight.opendata.compare import funnel as funnel_plot
from oversight.opendata.groups import GroupError, resolve
from oversight.opendata.queries import area_series, counts_by_type, months_available
from oversight.plans.commands import get_plan


def _known(crime_types: list[str], hint: bool = False) -> None:
    bad = [t for t in crime_types if t not in CRIME_TYPES]
    if bad:
        more = f": use one of {', '.join(CRIME_TYPES)}" if hint else ""
        raise CommandError(f"unknown crime type {', '.join(bad)}{more}")


class Command(Group):
    help = (
        "police.uk open data: import it, count crimes, compare forces and areas.\n\n"
        "Import the archive files, count a force's crimes, compare its areas and its peers, and "
        "refresh a plan's measures from them."
    )

    @command(name="import")
    def import_(
        self,
        path: Annotated[
            str, typer.Argument(metavar="PATH", help="a folder, a .zip, or one CSV file")
        ],
        quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
    ):
        """Import data.police.uk files: a folder or zip in the archive layout, any forces and
        months.

        The layout is YYYY-MM/YYYY-MM-<force>-street.csv, -outcomes.csv, -stop-and-search.csv.
        Re-importing a month replaces it. Malformed rows are skipped and listed with their line;
        a file that cannot be imported (unknown force, wrong header, over the size limit, no rows
        to keep) is refused and listed, and the data already imported for its force and month
        stays; odd rows are counted. Exits non-zero if anything was refused or skipped.
        """
        # imported here: the importer loads Arrow, which listing the commands should not wait for
        from oversight.opendata.importers import LISTED, ArchiveUnreadable, import_archive

        try:
            report = import_archive(Path(path), progress=not quiet)
        except (FileNotFoundError, ArchiveUnreadable) as exc:
            raise CommandError(str(exc)) from None
        problems = report.problems()
        for line in problems[:LISTED]:
            self.stderr.write(line)
        if len(problems) > LISTED:
            self.stderr.write(f"… and {len(problems) - LISTED:,} more lines not listed")
        if report.ignored:
            self.stderr.write(
                f"{len(report.ignored)} files ignored (not named like police.uk archive files), "
                f"e.g. {report.ignored[0]}"
            )
        if not report.files:
            raise CommandError(f"{path}: no police.uk archive files found")
        self.stdout.write(report.summary())
        if report.refusals():
            raise CommandError(report.refusals())

    @command()
    def counts(
        self,
        force: Annotated[str, typer.Option(help='police.uk force id, e.g. "west-mercia"')],
        month: Annotated[str, typer.Option(help="YYYY-MM, or a quarter or year")],
        area: Annotated[
            str | None, typer.Option(help="a local authority or local policing area")
        ] = None,
        format: Annotated[Literal["json", "csv"], typer.Option()] = "json",
    ):
        """Print a force's street-level crime counts by crime type for a month, quarter or year.

        A period such as 2019-01, "2018/19 Q3" or 2018/19, optionally for one local authority or
        local policing area, as JSON or CSV.
        """
        try:
            period = parse_period(month)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        months = [
            p.code for p in (period.months() if period.kind is not PeriodKind.MONTH else [period])
        ]
        if not months:
            raise CommandError(f"police.uk data are monthly: {period.label} holds no whole month")
        have = months_available(force)
        missing = [m for m in months if m not in have]
        if missing:
            raise CommandError(
                f"no police.uk street data imported for {force} in {', '.join(missing)} "
                f"(imported: {', '.join(have) or 'none'}); run `oversight opendata import PATH`"
            )
        rows = [
            {"force": force, "period": period.code, "area": area or "", "crime_type": t, "count": n}
            for t, n in counts_by_type(force, months, area)
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            self.stdout.write(
                to_csv(rows, ["force", "period", "area", "crime_type", "count"]), ending=""
            )

    @command()
    def areas(
        self,
        force: Annotated[str, typer.Option(help='police.uk force id, e.g. "west-mercia"')],
        crime_type: Annotated[
            list[str] | None,
            typer.Option(help="police.uk crime type (repeatable); default all crime"),
        ] = None,
        format: Annotated[Literal["table", "json"], typer.Option()] = "table",
    ):
        """Each local policing area's monthly crimes for a force, with the latest month's SPC
        variation.

        Areas come from force_areas.csv; an area above its usual range is found by the data.
        """
        crime_type = crime_type or []
        _known(crime_type)
        months = months_available(force)
        if not months:
            raise CommandError(f"no police.uk street data imported for {force}")
        found = area_series(force, months, crime_type)
        out = [
            {
                "area": a.area,
                "months": months,
                "crimes": a.crimes,
                "mean": round(a.result.means[-1], 1),
                "upper_limit": None
                if a.result.uppers[-1] is None
                else round(a.result.uppers[-1], 1),
                "variation": a.result.variation,
                "warnings": a.result.warnings,
            }
            for a in found
        ]
        if format == "json":
            self.stdout.write(json.dumps(out, indent=2))
            return
        for a, shown in zip(found, out, strict=True):
            variation = a.result.variation or f"no icon ({len(months)} months; 12 needed)"
            self.stdout.write(
                f"{a.area:28s} {' '.join(f'{v:6,d}' for v in a.crimes)}  mean {shown['mean']:,}  {variation}"
            )

    @command()
    def compare(
        self,
        force: Annotated[str, typer.Option(help="the force to highlight")],
        period: Annotated[str, typer.Option(help='a month, quarter or year, e.g. "2018/19 Q3"')],
        crime_type: Annotated[
            list[str] | None,
            typer.Option(help="police.uk crime type (repeatable); default all crime"),
        ] = None,
        group: Annotated[
            str,
            typer.Option(
                help="all (every force imported), england-and-wales, region (the force's "
                "region), msg (its most similar group, from the office's list) or "
                "comma-separated force ids"
            ),
        ] = "all",
        label: Annotated[
            str, typer.Option(help="the group's name, if not the one it is given")
        ] = "",
        format: Annotated[Literal["table", "json", "csv"], typer.Option()] = "table",
        funnel: Annotated[
            str | None, typer.Option(help="write the funnel plot (SVG) to this file")
        ] = None,
    ):
        """Compare a force with a group of forces for a crime type and period.

        Crimes, rate per 1,000 residents, rank, and whether the force's rate differs
        significantly from the group's (exact Poisson test); optionally write the funnel plot as
        SVG.
        """
        crime_type = crime_type or []
        _known(crime_type, hint=True)
        try:
            members, named = resolve(group, force)
            result = compare_forces(period, crime_type, members, label or named)
        except (PeriodError, GroupError) as exc:
            raise CommandError(str(exc)) from None
        if result.row(force) is None:
            raise CommandError(
                f"no police.uk data imported for {force} in every month of {result.period}"
            )
        if funnel:
            chart = funnel_plot(result, force)
            if chart is None:
                self.stderr.write("No funnel plot: no force in the group has a population.")
            else:
                with open(funnel, "w", encoding="utf-8") as fh:
                    fh.write(chart.svg)
        if format == "json":
            self.stdout.write(json.dumps(result.record(), indent=2))
        elif format == "csv":
            records = [r.record() for r in result.rows]
            self.stdout.write(to_csv(records, FIELDS), ending="")
        else:
            for note in result.notes:
                self.stdout.write(f"Note: {note}")
            if result.group_rate is not None:
                self.stdout.write(
                    f"Group rate {result.group_rate:.2f} per 1,000 residents. {result.populations}"
                )
            for r in result.rows:
                mark = "*" if r.force == force else " "
                rate = f"{r.rate:8.2f}" if r.rate is not None else "       –"
                if r.rate is None:
                    sig = "no population: ranked by count"
                else:
                    sig = (
                        f"significantly {r.direction}" if r.significant else "not significant"
                    ) + (f" ({r.p_words}); {r.funnel}" if r.p_value is not None else "")
                    sig += f"; population {r.population_year}" + (
                        " (another year)" if r.other_year else ""
                    )
                self.stdout.write(f"{mark}{r.rank:3d} {r.name:40.40s} {r.crimes:9,d} {rate}  {sig}")
            row = result.row(force)
            if row is not None:  # None when the force is not among the compared rows
                by = (
                    f"by rate per 1,000, population: {row.population_source}, {row.population_year}"
                    if row.rate is not None
                    else "by count (no population)"
                )
                of = len([r for r in result.rows if (r.rate is None) == (row.rate is None)])
                self.stdout.write(
                    f"{row.name} ranks {row.rank} of {of} ({result.group_label}, "
                    f"{result.period}; {by})."
                )

    @command()
    def refresh(
        self,
        plan: Annotated[str, typer.Option(help="the plan's slug")],
        replace: Annotated[
            bool, typer.Option("--replace", help="overwrite hand-entered figures too")
        ] = False,
    ):
        """Write the figures of every measure whose plan entry declares a police.uk source.

        For every month imported and every quarter whose three months are all there. Figures
        entered by hand are kept (and listed) unless --replace is given.
        """
        target = get_plan(plan)
        try:
            report = refresh_plan(target, by=self.actor, replace=replace)
        except ImportRefused:
            raise
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for line in report.kept_by_hand + report.problems + report.notes:
            self.stderr.write(line)
        self.stdout.write(report.summary())
