from pathlib import Path
from typing import Annotated

from oversight.audit.backup import write_backup
from oversight.core.commands import Command as OversightCommand
from oversight.core.commands import out_option


class Command(OversightCommand):
    help = (
        "Write a complete copy of the database to one file.\n\n"
        "Every row of every table, with its id, goes into one "
        "gzip file that `oversight restore` loads into an empty database, on SQLite or "
        "PostgreSQL. The police.uk open-data folder is files, not rows: copy it beside the backup."
    )

    def handle(self, out: Annotated[Path, out_option("the file to write, e.g. backup.jsonl.gz")]):
        path = Path(out)
        summary = write_backup(path)
        size = path.stat().st_size
        self.stdout.write(
            f"Backed up {summary.rows:,} rows from {summary.tables} tables to {path} "
            f"({size / 1e6:.1f} MB)."
        )
