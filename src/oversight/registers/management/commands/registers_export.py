import json
import sys

from django.core.management.base import BaseCommand, CommandError

from oversight.core.commands import add_audience_argument
from oversight.lib.audience import Audience
from oversight.lib.files import out_file
from oversight.registers import exports, threesixty
from oversight.registers.importers import KINDS
from oversight.registers.models import Grant
from oversight.registers.queries import today


class Command(BaseCommand):
    help = (
        "Export a register: `oversight registers export KIND --format csv|json|360giving --out FILE`. "
        "csv and json carry the import columns plus slug and url; for grants, `--format 360giving` "
        "writes the 360Giving JSON data package and `--format csv` its flattened form with "
        "360Giving column titles. A 360Giving export is checked against the standard's schema "
        "first and refused if it breaks it. `--format register-csv` writes any register, grants "
        "included, in the importer's own columns (it re-imports unchanged). Without --out the "
        "export goes to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="which register")
        parser.add_argument(
            "--format", default="csv", choices=["csv", "json", "360giving", "register-csv"]
        )
        parser.add_argument("--out", type=out_file, help="the file to write")
        add_audience_argument(parser)

    def handle(self, kind, format, audience, out=None, **options):
        audience = Audience(audience)
        if kind == "grants" and format in ("360giving", "csv"):
            grants = (
                Grant.objects.for_audience(audience)
                .select_related("programme")
                .prefetch_related("objectives__plan")
            )
            doc = threesixty.package(grants, issued=today())
            if not doc["grants"]:
                raise CommandError("no grants to a named recipient: 360Giving needs at least one")
            errors = threesixty.validate(doc)
            if errors:
                raise CommandError(
                    "the export breaks the 360Giving schema; nothing was written:\n  - "
                    + "\n  - ".join(errors)
                )
            if format == "360giving":
                text = json.dumps(doc, indent=2, ensure_ascii=False)
            else:
                text = threesixty.flat_csv(doc)
            count = len(doc["grants"])
        elif format == "360giving":
            raise CommandError("--format 360giving is for grants only")
        elif format == "json":
            data = exports.as_json(kind, audience=audience)
            text, count = json.dumps(data, indent=2, ensure_ascii=False), len(data["items"])
        else:
            text = exports.as_csv(kind, audience=audience)
            count = text.count("\n") - 1
        if out is None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
            return
        out.write_text(text, encoding="utf-8")
        self.stdout.write(f"{count} {kind} written to {out} ({format}).")
