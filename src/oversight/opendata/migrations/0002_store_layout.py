"""Move a police.uk store written by earlier versions (a folder a force-month) to the current
layout (a few files a month, the force a column): the Parquet files live outside the database,
but `oversight migrate` is the step every upgrade runs. Nothing to undo: the new layout holds the
same rows."""

from django.db import migrations


def move_store(apps, schema_editor) -> None:
    from oversight.opendata import storage

    if not storage.legacy_months():  # nothing to move: pyarrow is not loaded for a new database
        return
    from oversight.opendata.importers import migrate_store

    migrate_store()


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(move_store, migrations.RunPython.noop, elidable=True)]
