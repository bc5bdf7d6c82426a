import json

from django.core.management.base import BaseCommand, CommandError

from oversight.scrutiny.exports import meeting_record
from oversight.scrutiny.lookup import find_body
from oversight.scrutiny.models import Meeting


class Command(BaseCommand):
    help = (
        "List meetings with the id and key that `oversight minutes --meeting` takes: id, key, "
        "body, date, time, kind, status, title."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", help="only this body's meetings (its id)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, body, format, **options):
        qs = Meeting.objects.select_related("body")
        if body:
            try:
                qs = qs.filter(body=find_body(body))
            except LookupError as exc:
                raise CommandError(str(exc)) from None
        records = [meeting_record(m) for m in qs.order_by("body__name", "date")]
        if format == "json":
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
            return
        for r in records:
            self.stdout.write(
                f"{r['id']:>5}  {r['key']:<36} {r['time'] or '':<5}  {r['kind']:<11} "
                f"{r['status']:<9} {r['title']}".rstrip()
            )
        self.stdout.write(f"{len(records)} meetings.")
