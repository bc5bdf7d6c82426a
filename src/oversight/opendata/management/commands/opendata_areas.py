import json

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.policeuk import CRIME_TYPES
from oversight.opendata.queries import area_series, months_available


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
            for a in area_series(force, months, crime_type)
        ]
        if format == "json":
            self.stdout.write(json.dumps(out, indent=2))
            return
        for a in out:
            variation = a["variation"] or f"no icon ({len(months)} months; 12 needed)"
            self.stdout.write(
                f"{a['area']:28s} {' '.join(f'{v:6,d}' for v in a['crimes'])}  mean {a['mean']:,}  {variation}"
            )
