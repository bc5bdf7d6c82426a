"""What every command shares: readable refusals of bad input, and the audience argument."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused


def add_audience_argument(parser) -> None:
    """Every command that writes what a reader will see names its audience; there is no default."""
    parser.add_argument(
        "--audience",
        required=True,
        choices=[a.value for a in Audience],
        help="who will read it: public (published figures only), panel (what was released to "
        "the Panel), staff (everything, drafts included)",
    )


class ImportCommand(BaseCommand):
    """Runs `run()`, turning ImportRefused into a non-zero exit that lists every problem."""

    actor = "oversight command line"

    def handle(self, *args, **options):
        try:
            line = self.run(*args, **options)
        except ImportRefused as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(line)

    def run(self, *args, **options) -> str:  # pragma: no cover - each command defines it
        raise NotImplementedError
