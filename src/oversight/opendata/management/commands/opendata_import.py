from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.opendata.importers import LISTED, ArchiveUnreadable, import_archive


class Command(BaseCommand):
    help = (
        "Import data.police.uk files: a folder or zip in the archive layout "
        "(YYYY-MM/YYYY-MM-<force>-street.csv, -outcomes.csv, -stop-and-search.csv), any forces "
        "and months. Re-importing a month replaces it. Malformed rows are skipped and listed with "
        "their line; a file that cannot be imported (unknown force, wrong header, over the size "
        "limit, no rows to keep) is refused and listed, and the data already imported for its "
        "force and month stays; odd rows are counted. Exits non-zero if anything was refused or "
        "skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a folder, a .zip, or one CSV file")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, path, quiet=False, **options):
        try:
            report = import_archive(Path(path), progress=not quiet)
        except (FileNotFoundError, ArchiveUnreadable) as exc:
            raise CommandError(str(exc)) from None
        problems = report.problems()
        for line in problems[:LISTED]:
            self.stderr.write(line)
        if len(problems) > LISTED:
            self.stderr.write(f"… and {len(problems) - LISTED:,} more lines not listed")
        if report.ignored:
            self.stderr.write(
                f"{len(report.ignored)} files ignored (not named like police.uk archive files), "
                f"e.g. {report.ignored[0]}"
            )
        if not report.files:
            raise CommandError(f"{path}: no police.uk archive files found")
        self.stdout.write(report.summary())
        if report.refusals():
            raise CommandError(report.refusals())
