import json

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.policeuk import CRIME_TYPES
from oversight.lib.spc import xmr
from oversight.opendata.queries import counts_by_area, months_available


class Command(BaseCommand):
    help = (
        "Each local policing area's monthly crimes for a force (areas from force_areas.csv), with "
        "the latest month's SPC variation, so an area above its usual range is found by the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True)
        parser.add_argument(
            "--crime-type", action="append", default=[], help="repeatable; default all crime"
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, force, crime_type, format="table", **options):
        bad = [t for t in crime_type if t not in CRIME_TYPES]
        if bad:
            raise CommandError(f"unknown crime type {', '.join(bad)}")
        months = months_available(force)
        if not months:
            raise CommandError(f"no police.uk street data imported for {force}")
        by_area = counts_by_area(force, months, crime_type)
        out = []
        for area, series in by_area.items():
            values = [series[m] for m in months]
            r = xmr(values, polarity="down")
            out.append(
                {
                    "area": area,
                    "months": months,
                    "crimes": values,
                    "mean": round(r.means[-1], 1),
                    "upper_limit": None if r.uppers[-1] is None else round(r.uppers[-1], 1),
                    "variation": r.variation,
                    "warnings": r.warnings,
                }
            )
        if format == "json":
            self.stdout.write(json.dumps(out, indent=2))
            return
        for a in out:
            variation = a["variation"] or f"no icon ({len(months)} months; 12 needed)"
            self.stdout.write(
                f"{a['area']:28s} {' '.join(f'{v:6,d}' for v in a['crimes'])}  mean {a['mean']:,}  {variation}"
            )
