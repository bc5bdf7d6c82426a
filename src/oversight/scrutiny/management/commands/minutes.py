from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.render import FORMATS, write
from oversight.lib.files import out_file
from oversight.scrutiny.documents import minutes_document
from oversight.scrutiny.lookup import find_meeting


class Command(BaseCommand):
    help = (
        "Write the minutes of a meeting (present, also attended, apologies, declarations, numbered "
        "items, resolutions and the actions they created) as HTML, DOCX or PDF. --meeting takes the "
        "meeting's number, its key BODY/YYYY-MM-DD, or a date when one body met that day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--meeting", required=True, help='e.g. 12, "west-mercia-pcp/2019-09-10" or "2019-09-10"'
        )
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--out", required=True, type=out_file, help="the file to write")

    def handle(self, meeting, format, out, **options):
        try:
            m = find_meeting(meeting)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        path = write(minutes_document(m), format, Path(out))
        self.stdout.write(f"Minutes of {m} written to {path}.")
