"""What every command shares: one grammar (django-typer), readable refusals of bad input, and the
options several commands take (--audience, --out).

A verb is a `Command` with a `handle`; a group (`oversight import plan FILE`) is a `Group` whose
subcommands are methods marked `@command`. Run without a subcommand, a group lists its commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand, TyperCommandMeta, command, initialize

from oversight.lib.audience import Audience
from oversight.lib.files import out_file, out_file_or_stdout, out_folder
from oversight.lib.problems import ImportRefused

__all__ = ["AudienceOption", "Command", "Group", "command", "out_option"]

# Django's own options (--settings, --pythonpath, --traceback, -v …) mean nothing to an office
# running `oversight`; they stay out of every command's help. `oversight manage` keeps Django's.
DJANGO_OPTIONS = {
    "verbosity",
    "settings",
    "pythonpath",
    "traceback",
    "no_color",
    "force_color",
    "skip_checks",
    "version",
    "show_locals",
    "hide_locals",
}


class _Meta(TyperCommandMeta):
    """Plain help text (no boxes: it reads the same in a terminal, a pipe and a test), and a
    group run without a subcommand lists its commands instead of failing."""

    def __new__(mcs, name, bases, attrs, **kwargs):
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("invoke_without_command", True)
        cls = super().__new__(mcs, name, bases, attrs, **kwargs)
        # List subcommands in the order they are written, `import_` (a Python word) as `import`.
        cls._defined_order = [n.rstrip("_") for n in getattr(cls, "_defined_order", [])]
        return cls


class Command(TyperCommand, metaclass=_Meta):
    """One verb. A refused import (ImportRefused) becomes a non-zero exit listing every problem."""

    suppressed_base_arguments = DJANGO_OPTIONS
    actor = "oversight command line"
    # Django's system checks import every view and URL (most of a second) before each command;
    # they check the code, not the office's data, so `oversight serve`, `oversight manage check`
    # and the test suite run them, and a command that reads or writes records does not wait.
    requires_system_checks: list[str] | tuple[str, ...] | Literal["__all__"] = []

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ImportRefused as exc:
            raise CommandError(exc.message) from None


class Group(Command):
    """A noun with verbs under it: `oversight GROUP` alone lists them, each with its one line."""

    @initialize()
    def list_commands(self, ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            self.stdout.write(ctx.get_help())


def _checked(check):
    def parse(text: str) -> Path | str:
        try:
            return check(text)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    parse.check = check  # the guard test reads which check an --out uses
    return parse


OUT_FILE, OUT_FOLDER, OUT_FILE_OR_STDOUT = (
    _checked(c) for c in (out_file, out_folder, out_file_or_stdout)
)


def out_option(help: str = "the file to write", *, check=OUT_FILE) -> Any:
    """`--out`, checked before the command runs: the folder it writes into must exist."""
    return typer.Option("--out", help=help, parser=check, metavar="PATH")


# Every command that writes what a reader will see names its audience; there is no default.
AudienceOption = Annotated[
    Audience,
    typer.Option(
        help="who will read it: public (published figures only), panel (what was released to "
        "the Panel), staff (everything, drafts included)",
    ),
]
