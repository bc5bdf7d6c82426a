from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.render import FORMATS, write
from oversight.lib.files import out_file
from oversight.scrutiny.documents import action_log_document
from oversight.scrutiny.lookup import find_body


class Command(BaseCommand):
    help = (
        "Write a body's action log for its next meeting (matters arising: overdue first, with "
        "updates) as HTML, DOCX or PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="the body's id, e.g. west-mercia-pcp")
        parser.add_argument("--as-of", dest="as_of", help="today's date, YYYY-MM-DD")
        parser.add_argument("--open", action="store_true", help="leave out closed actions")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--out", required=True, type=out_file, help="the file to write")

    def handle(self, body, as_of, open, format, out, **options):
        try:
            found = find_body(body)
            day = date.fromisoformat(as_of) if as_of else None
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        except ValueError:
            raise CommandError(f'--as-of "{as_of}" is not a date: use YYYY-MM-DD') from None
        doc = action_log_document(found, as_of=day, include_closed=not open)
        self.stdout.write(f"Action log of {found.name} written to {write(doc, format, Path(out))}.")
