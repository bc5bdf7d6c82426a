import json
from pathlib import Path

from django.core.management.base import BaseCommand

from oversight.lib.files import out_file
from oversight.scrutiny.popolo import export


class Command(BaseCommand):
    help = (
        "Write people, organisations, memberships and meetings as Popolo JSON "
        "(persons, organizations, memberships, events)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=out_file, help="the .json file to write")

    def handle(self, out, **options):
        doc = export()
        Path(out).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(
            f"{len(doc['persons'])} people, {len(doc['organizations'])} organisations, "
            f"{len(doc['memberships'])} memberships and {len(doc['events'])} meetings written to {out}."
        )
