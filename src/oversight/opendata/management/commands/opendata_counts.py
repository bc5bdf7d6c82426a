import json

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.tables import to_csv
from oversight.opendata.queries import counts_by_type, months_available


class Command(BaseCommand):
    help = (
        "Print a force's street-level crime counts by police.uk crime type for a month (or a "
        'quarter or year, e.g. "2018/19 Q3"), optionally for one local authority or local '
        "policing area, as JSON or CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, help='police.uk force id, e.g. "west-mercia"')
        parser.add_argument("--month", required=True, help="YYYY-MM, or a quarter or year")
        parser.add_argument("--area", help="a local authority or local policing area")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, force, month, area=None, format="json", **options):
        try:
            period = parse_period(month)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        months = [
            p.code for p in (period.months() if period.kind is not PeriodKind.MONTH else [period])
        ]
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
