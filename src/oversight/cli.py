"""The `oversight` console script: the product's verbs, each a Django management command.

`oversight import plan FILE` runs the command `import_plan`; `oversight report ...` runs `report`.
Two words are joined with an underscore when such a command exists, so every app can add verbs
without touching this file. The database is created and migrated on first use.
"""

from __future__ import annotations

import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()


def _ensure_database() -> None:
    """Create the data folder and apply any unapplied migrations, quietly."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


def resolve(argv: list[str], commands: set[str]) -> list[str]:
    """Map `oversight word1 word2 ...` to a management command's argv."""
    if len(argv) >= 2 and f"{argv[0]}_{argv[1]}" in commands:
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    _setup()
    from django.core.management import ManagementUtility, get_commands

    if not argv or argv[0] in {"-h", "--help", "help"}:
        ours = sorted(name for name, app in get_commands().items() if app.startswith("oversight"))
        print("usage: oversight COMMAND [options]\n\ncommands:")
        for name in ours:
            print(
                "  " + name.replace("_", " ", 1)
                if name.startswith(("import_", "export_", "opendata_", "registers_", "scrutiny_"))
                else "  " + name
            )
        print(
            "\n`oversight COMMAND --help` explains each; `oversight manage ...` runs any Django command."
        )
        return
    if argv[0] == "manage":
        argv = argv[1:]
    else:
        argv = resolve(argv, set(get_commands()))
    if argv and argv[0] not in {"migrate", "makemigrations", "showmigrations", "sqlmigrate"}:
        _ensure_database()
    ManagementUtility(["oversight", *argv]).execute()


if __name__ == "__main__":
    main()
