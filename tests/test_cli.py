"""The `oversight` command line: one grammar (GROUP COMMAND, or a VERB), each group listing its
commands, Oversight's own version, none of Django's options in the help, readable refusals."""

import os
import subprocess
import sys
from importlib.metadata import version
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError, OutputWrapper

from oversight.cli import commands, usage
from oversight.cli_listing import USAGE

OVERSIGHT = Path(sys.executable).parent / "oversight"  # the console script pip installed

GROUPS = {
    "import": [
        "plan",
        "observations",
        "narrative",
        "commissioning",
        "engagement",
        "finance",
        "delivery",
        "risks",
    ],
    "export": [
        "measures",
        "plan",
        "commissioning",
        "engagement",
        "finance",
        "delivery",
        "risks",
    ],  # fmt: skip
    "registers": ["import", "export", "list", "history", "expiring", "tracker"],
    "scrutiny": [
        "import",
        "moderngov",
        "actions",
        "actionlog",
        "calendar",
        "popolo",
        "meetings",
        "minutes",
        "hmicfrs",
    ],
    "subscriptions": ["digest", "list"],
    "opendata": ["import", "counts", "areas", "compare", "refresh"],
    "plan": ["publish", "archive"],
    "api": ["schema"],
}
VERBS = ["backup", "commentary", "createuser", "demo", "report", "restore", "serve", "worker"]
DJANGO_OPTIONS = ["--settings", "--pythonpath", "--traceback", "--no-color", "--force-color",
                  "--skip-checks", "--verbosity", "--version", "--show-locals"]  # fmt: skip


def oversight(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OVERSIGHT_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own SQLite file, made on first use
    return subprocess.run(
        [str(OVERSIGHT), *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_commands_are_the_groups_and_verbs_the_readme_names():
    found = commands()
    assert {n: subs for n, (_, subs) in found.items() if subs} == GROUPS
    assert sorted(n for n, (_, subs) in found.items() if not subs) == VERBS
    assert all(description for description, _ in found.values())


def test_the_kept_listing_is_what_the_commands_give_today():
    """`oversight --help` prints the kept listing without starting Django; it must not go stale."""
    assert USAGE == usage(), "the command listing changed: run `make cli-listing` and commit it"


def test_help_prints_the_kept_listing_without_starting_django():
    script = (
        "import sys; sys.argv = ['oversight', '--help']; from oversight.cli import main; main(); "
        "print('DJANGO LOADED' if 'django' in sys.modules else 'NO DJANGO')"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == USAGE + "\nNO DJANGO\n"


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_a_group_alone_lists_its_commands_each_with_its_one_line(group):
    out = StringIO()
    call_command(group, stdout=out)
    listed = out.getvalue().split("Commands:")[1].splitlines()[1:]
    names = [line.split()[0] for line in listed if line.strip()]
    assert names == GROUPS[group]
    assert all(len(line.split()) > 2 for line in listed if line.strip()), listed


def test_the_console_script_lists_a_group_and_exits_zero(tmp_path):
    done = oversight("import", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Usage: oversight import" in done.stdout
    # The column is as wide as the longest subcommand's name ("commissioning").
    assert "  plan           Import or update a Police and Crime Plan" in done.stdout
    assert "  observations   Import a period's figures from CSV or XLSX." in done.stdout


def test_the_console_script_prints_oversights_own_version(tmp_path):
    done = oversight("--version", tmp_path=tmp_path)
    assert done.returncode == 0
    assert done.stdout.strip() == f"oversight {version('oversight')}"


def test_the_console_script_help_lists_every_group_and_verb_with_a_description(tmp_path):
    done = oversight("--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("  ")}
    for name in [*GROUPS, *VERBS]:
        assert len(lines[name].split()) > 2, name
    assert "import_plan" not in done.stdout


def test_a_commands_help_hides_djangos_options_and_shows_defaults(tmp_path):
    done = oversight("opendata", "counts", "--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Usage: oversight opendata counts" in done.stdout
    assert "[default: json]" in done.stdout
    for option in DJANGO_OPTIONS:
        assert option not in done.stdout, option


@pytest.mark.parametrize("words", [[g, s] for g, subs in GROUPS.items() for s in subs] + [[v] for v in VERBS], ids=" ".join)  # fmt: skip
def test_no_command_offers_djangos_options(words):
    out = StringIO()
    command = load_command_class(get_commands()[words[0]], words[0])
    command.stdout = OutputWrapper(out)
    command.print_help("oversight", *words)
    assert "Usage:" in out.getvalue()
    for option in DJANGO_OPTIONS:
        assert option not in out.getvalue(), option


def test_a_mistyped_option_on_the_command_line_is_one_readable_line_and_no_traceback(tmp_path):
    done = oversight("registers", "list", "nonsense", tmp_path=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "'nonsense' is not one of" in done.stderr


def test_manage_still_runs_djangos_own_commands(tmp_path):
    done = oversight("manage", "showmigrations", "accounts", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "[ ]" in done.stdout or "[X]" in done.stdout


# One refusal of bad input per group: a readable message, a non-zero exit (CommandError).
BAD_INPUT = [
    (["import", "plan", "/no/such/plan.yaml"], "plan.yaml"),
    (["export", "measures", "--plan", "nope", "--period", "2013/14 Q1", "--audience", "staff"],
     'no plan "nope"'),
    (["registers", "history", "grants", "nope"], 'no item "nope" in grants'),
    (["scrutiny", "actions", "--as-of", "March"], '--as-of "March" is not a date'),
    (["opendata", "counts", "--force", "west-mercia", "--month", "13-2019"], "13-2019"),
    (["plan", "publish", "nope"], 'no plan "nope"'),
    (["api", "schema", "--out", "/no/such/folder/openapi.json"], "does not exist"),
]  # fmt: skip


@pytest.mark.parametrize("args,message", BAD_INPUT, ids=lambda a: " ".join(a[:2]) if isinstance(a, list) else "")  # fmt: skip
def test_each_group_refuses_bad_input_with_a_readable_message(db, args, message):
    with pytest.raises(CommandError) as err:
        call_command(*args)
    assert message in str(err.value)


def test_keyword_options_reach_a_subcommand(db):
    """call_command takes a subcommand's optional options as keywords too."""
    out = StringIO()
    call_command("scrutiny", "meetings", format="json", stdout=out)
    assert out.getvalue().strip() == "[]"


def test_the_register_names_the_cli_accepts_are_the_importers_registers():
    from typing import get_args

    from oversight.registers.importers import KINDS
    from oversight.registers.management.commands.registers import KindName

    assert get_args(KindName) == tuple(KINDS)


def test_djangos_system_checks_pass():
    """Commands other than `serve` skip Django's checks to start quickly; the suite runs them."""
    call_command("check", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_command_skips_djangos_migration_check_only_when_every_migration_file_is_applied():
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from oversight.cli import _every_migration_applied

    assert _every_migration_applied()
    last = MigrationRecorder.Migration.objects.filter(app="plans").order_by("-name").first()
    last.delete()  # as if the newest migration had not been applied
    try:
        assert not _every_migration_applied()
    finally:
        MigrationRecorder.Migration.objects.create(app=last.app, name=last.name)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_migrations RENAME TO moved_migrations")
    try:
        assert not _every_migration_applied()  # a database with no record: Django's check
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE moved_migrations RENAME TO django_migrations")
