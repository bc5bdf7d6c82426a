"""The `oversight` console script: the product's verbs, each a Django management command.

One grammar: `oversight GROUP COMMAND [options]` for the nouns with several verbs (`oversight
import plan FILE`, `oversight registers list KIND`), `oversight VERB [options]` for the rest
(`oversight report …`). A group is one django-typer command whose subcommands are the verbs, so
`oversight import` alone lists them. `oversight manage …` runs any Django command. The database is
created and migrated on first use.
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version

HELP_WORDS = {"-h", "--help", "help"}
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
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


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


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--version"]:
        sys.stdout.write(f"oversight {version('oversight')}\n")
        return
    _setup()
    from django.core.management import ManagementUtility

    if not argv or argv[0] in HELP_WORDS:
        sys.stdout.write(usage() + "\n")
        return
    if argv[0] == "manage":
        argv = argv[1:]
    if argv and argv[0] not in DJANGO_SCHEMA_COMMANDS and not set(argv) & HELP_WORDS:
        _ensure_database()
    sys.argv[0] = "oversight"  # usage lines name the command the user typed, not its path
    ManagementUtility(["oversight", *argv]).execute()


if __name__ == "__main__":
    main()
