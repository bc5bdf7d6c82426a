from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.files import out_file
from oversight.scrutiny.ical import body_calendar
from oversight.scrutiny.lookup import find_body


class Command(BaseCommand):
    help = "Write a body's meetings as an iCalendar (.ics) file, in Europe/London time."

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="the body's id, e.g. west-mercia-pcp")
        parser.add_argument("--out", required=True, type=out_file, help="the .ics file to write")

    def handle(self, body, out, **options):
        try:
            found = find_body(body)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        Path(out).write_bytes(body_calendar(found))
        self.stdout.write(f"{found.meetings.count()} meetings of {found.name} written to {out}.")
