import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.core.clock import today
from oversight.lib.files import out_file
from oversight.scrutiny.exports import report_record
from oversight.scrutiny.models import InspectionReport


class Command(BaseCommand):
    help = (
        "List HMICFRS reports: per report its title, published, response_due (s.55: 56 days counting "
        "the day of publication), response_published, late, and the findings' status counts with the "
        "recommendation figures (signed off, compliant, outstanding)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["table", "json", "html", "docx", "pdf"],
            default="table",
            help="table or json to read here; html, docx or pdf writes the tracker summary to --out",
        )
        parser.add_argument(
            "--out", type=out_file, help="the file for an html, docx or pdf summary"
        )
        parser.add_argument("--as-of", dest="as_of", help="today's date for late flags, YYYY-MM-DD")

    def handle(self, format, as_of=None, out=None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else today()
        except ValueError as exc:
            raise CommandError(f'--as-of "{as_of}" is not a date: use YYYY-MM-DD') from exc
        if format in ("html", "docx", "pdf"):
            if not out:
                raise CommandError(f"--format {format} writes a document: give --out PATH")
            from oversight.core.render import write
            from oversight.scrutiny.documents import hmicfrs_document

            path = write(hmicfrs_document(as_of=day), format, Path(out))
            self.stdout.write(f"HMICFRS summary written to {path}.")
            return
        records = [
            report_record(r, day) for r in InspectionReport.objects.prefetch_related("findings")
        ]
        if format == "json":
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
            return
        if not records:
            self.stdout.write("No HMICFRS reports recorded.")
            return
        for r in records:
            if not r["response_published"]:
                late = (
                    f"none recorded: LATE, {r['days_late']} days past the deadline"
                    if r["late"]
                    else "awaited"
                )
            else:
                late = (
                    f"LATE by {r['days_late']} day{'s' if r['days_late'] != 1 else ''}"
                    if r["late"]
                    else "on time"
                )
            self.stdout.write(
                f"{r['title']}\n  published {r['published']}; response due {r['response_due']}; "
                f"response published {r['response_published'] or '—'} ({late})"
            )
            if r["findings"]:
                self.stdout.write(
                    "  findings: " + ", ".join(f"{k} {v}" for k, v in sorted(r["findings"].items()))
                )
            if r["recommendations"]:
                f = r["recommendations"]
                self.stdout.write(
                    f"  recommendations: {f['total']}; {f['signed_off_percent']}% signed off, "
                    f"{f['compliant_percent']}% partially or fully compliant, {f['outstanding']} outstanding"
                )
        self.stdout.write(f"{len(records)} reports as at {day:%-d %B %Y}.")
