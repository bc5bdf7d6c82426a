from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.audit.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write a complete copy of the database (every row of every table, with its id) to one "
        "gzip file that `oversight restore` loads into an empty database, on SQLite or "
        "PostgreSQL. The police.uk open-data folder is files, not rows: copy it beside the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the file to write, e.g. backup.jsonl.gz")

    def handle(self, out, **options):
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"--out: the folder {path.parent} does not exist")
        if path.is_dir():
            raise CommandError(f"--out: {path} is a folder; give a file name")
        summary = write_backup(path)
        size = path.stat().st_size
        self.stdout.write(
            f"Backed up {summary.rows:,} rows from {summary.tables} tables to {path} "
            f"({size / 1e6:.1f} MB)."
        )
