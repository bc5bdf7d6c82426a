from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.audit.backup import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Load a backup made by `oversight backup` into an empty database (migrated first), in one "
        "transaction: every row comes back with its id. --replace deletes everything in a "
        "database that is not empty first, in the same transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete every row in this database first (nothing is deleted if the restore fails)",
        )

    def handle(self, file, replace, **options):
        try:
            summary = restore_backup(Path(file), by="oversight command line", replace=replace)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from None
        head = summary.header
        self.stdout.write(
            f"Restored {summary.rows:,} rows into {summary.tables} tables from {file} "
            f"(made by Oversight {head.get('oversight_version')} on {head.get('database')}, "
            f"{head.get('created_at', '')[:19].replace('T', ' ')} UTC)."
        )
