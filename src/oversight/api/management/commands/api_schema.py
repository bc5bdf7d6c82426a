from pathlib import Path

from django.core.management.base import BaseCommand

from oversight.api.schema import COMMITTED, openapi_text
from oversight.lib.files import out_file_or_stdout


class Command(BaseCommand):
    help = (
        "Write the API's OpenAPI document (docs/openapi.json by default). Run it after changing "
        "the API and commit the result: a test fails while the two differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            default=str(COMMITTED),
            type=out_file_or_stdout,
            help="file to write ('-' for stdout)",
        )

    def handle(self, out, **options):
        text = openapi_text()
        if out == "-":
            self.stdout.write(text, ending="")
            return
        Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(f"OpenAPI document written to {out}.")
