import json

from django.core.management.base import CommandError

from oversight.core.commands import ImportCommand, add_audience_argument
from oversight.lib.audience import Audience
from oversight.lib.files import out_file
from oversight.lib.periods import PeriodError, parse_period
from oversight.lib.tables import to_csv
from oversight.plans.commands import get_plan
from oversight.plans.exports import MEASURE_FIELDS, measure_records


class Command(ImportCommand):
    help = (
        "Print every measure's figure, target and RAG for a period, one record per measure and area "
        "(JSON or CSV): measure, name, objective, headline, period, area, actual, target, comparator, "
        "rag, rag_computed, rag_reason, footnotes, and the statistics fields."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug")
        parser.add_argument("--period", required=True, help='e.g. "2013/14 Q1"')
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--out", type=out_file, help="write to this file instead of standard output"
        )
        add_audience_argument(parser)

    def run(self, plan, period, format, audience, out=None, **options):
        target = get_plan(plan)
        try:
            period = parse_period(period).code
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        from oversight.plans.statistics import statistics_fields

        who = Audience(audience)
        records = measure_records(
            target, period, audience=who, extra=statistics_fields(target, period, audience=who)
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
            return f"{len(records)} records for {period} written to {out}."
        self.stdout.write(text, ending="")
        return ""
