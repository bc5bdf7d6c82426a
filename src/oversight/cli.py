"""The `oversight` console script: the product's verbs, each a Django management command.

One grammar: `oversight GROUP COMMAND [options]` for the nouns with several verbs (`oversight
import plan FILE`, `oversight registers list KIND`), `oversight VERB [options]` for the rest
(`oversight report …`). A group is one django-typer command whose subcommands are the verbs, so
`oversight import` alone lists them. `oversight manage …` runs any Django command. The database is
created and migrated on first use.

`oversight --help` prints `cli_listing.USAGE`, the listing `usage()` builds, kept in the package
so that the list appears without starting Django (0.5 s and more on a 2-core machine). A test
compares the kept listing with the one the commands give today and fails, naming
`make cli-listing`, when a command or its one line changes.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version
from pathlib import Path

HELP_WORDS = {"-h", "--help", "help"}
LISTING = Path(__file__).with_name("cli_listing.py")
DJANGO_SCHEMA_COMMANDS = {"migrate", "makemigrations", "showmigrations", "sqlmigrate"}


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
    if _every_migration_applied():
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


def _every_migration_applied() -> bool:
    """Whether every migration file of every app is recorded as applied: the names on disk
    against the table of applied ones, without importing the migrations (Django's own check
    imports all of them, a quarter of a second before each command). Anything else — a new
    database, a file not yet applied, a migration folder that is not a plain package — is left
    to Django's check."""
    import pkgutil
    from importlib.util import find_spec

    from django.apps import apps
    from django.db import DatabaseError, connection
    from django.db.migrations.loader import MigrationLoader

    on_disk = set()
    for app in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(app.label)
        if module is None:
            continue
        spec = find_spec(module) if find_spec(module.rpartition(".")[0] or module) else None
        if spec is None or not spec.submodule_search_locations:
            continue
        for found in pkgutil.iter_modules(spec.submodule_search_locations):
            if not found.ispkg and found.name[0] not in "_~":
                on_disk.add((app.label, found.name))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        return False
    return on_disk <= applied


def commands() -> dict[str, tuple[str, list[str]]]:
    """Oversight's own commands: name → (one-line description, subcommand names; [] for a verb)."""
    from django.core.management import get_commands, load_command_class
    from django_typer.management import TyperCommand

    found = {}
    for name, app in sorted(get_commands().items()):
        if not app.startswith("oversight"):
            continue
        cmd = load_command_class(app, name)
        subcommands = []
        if isinstance(cmd, TyperCommand) and cmd.is_compound_command:
            subcommands = list(cmd.command_tree.children)
        found[name] = (summary(str(cmd.help)), subcommands)
    return found


def summary(text: str) -> str:
    """A help text's first paragraph, on one line."""
    return " ".join(text.strip().split("\n\n")[0].split())


def usage() -> str:
    ours = commands()
    width = max(len(n) for n in ours) + 2
    groups = [(n, d, subs) for n, (d, subs) in ours.items() if subs]
    verbs = [(n, d) for n, (d, subs) in ours.items() if not subs]
    lines = ["Usage: oversight GROUP COMMAND [OPTIONS]  or  oversight COMMAND [OPTIONS]", ""]
    lines.append("Groups (`oversight GROUP` lists its commands):")
    for name, description, subs in groups:
        lines.append(f"  {name:<{width}}{description}")
        lines.append(f"  {'':<{width}}  {', '.join(subs)}")
    lines += ["", "Commands:"]
    lines += [f"  {name:<{width}}{description}" for name, description in verbs]
    lines += [
        "",
        "Options:",
        f"  {'--version':<{width}}print Oversight's version",
        f"  {'--help':<{width}}show this list",
        "",
        "`oversight COMMAND --help` explains each; `oversight manage ...` runs any Django command.",
    ]
    return "\n".join(lines)


def write_listing(path: Path = LISTING) -> None:
    """Keep today's listing in the package (`make cli-listing`)."""
    _setup()
    text = usage()
    path.write_text(
        '"""The listing `oversight --help` prints, kept so that it needs no Django start-up.\n\n'
        "Made by `make cli-listing` from `oversight.cli.usage()`; tests/test_cli.py fails when it\n"
        'differs from what the commands give."""\n\n'
        + (
            f'USAGE = """\\\n{text}"""\n'
            if '"""' not in text and "\\" not in text
            else f"USAGE = {text!r}\n"
        )
    )


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--version"]:
        sys.stdout.write(f"oversight {version('oversight')}\n")
        return
    if not argv or argv[0] in HELP_WORDS:
        from oversight.cli_listing import USAGE

        sys.stdout.write(USAGE + "\n")
        return
    _setup()
    from django.core.management import ManagementUtility

    if argv[0] == "manage":
        argv = argv[1:]
    if argv and argv[0] not in DJANGO_SCHEMA_COMMANDS and not set(argv) & HELP_WORDS:
        _ensure_database()
    sys.argv[0] = "oversight"  # usage lines name the command the user typed, not its path
    ManagementUtility(["oversight", *argv]).execute()


if __name__ == "__main__":
    main()
