from pathlib import Path
from typing import Annotated

import typer
from django.core.management.base import CommandError

from oversight.audit.backup import RestoreRefused, restore_backup
from oversight.core.commands import Command as OversightCommand


class Command(OversightCommand):
    help = (
        "Load a backup made by `oversight backup` into an empty database.\n\n"
        "The database is migrated first; the load is one transaction and every row comes back "
        "with its id. --replace deletes everything in a "
        "database that is not empty first, in the same transaction."
    )

    def handle(
        self,
        file: Annotated[str, typer.Argument(metavar="FILE", help="the backup file")],
        replace: Annotated[
            bool,
            typer.Option(
                "--replace",
                help="delete every row in this database first (nothing is deleted if the "
                "restore fails)",
            ),
        ] = False,
    ):
        try:
            summary = restore_backup(Path(file), by=self.actor, replace=replace)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from None
        head = summary.header
        self.stdout.write(
            f"Restored {summary.rows:,} rows into {summary.tables} tables from {file} "
            f"(made by Oversight {head.get('oversight_version')} on {head.get('database')}, "
            f"{head.get('created_at', '')[:19].replace('T', ' ')} UTC)."
        )
