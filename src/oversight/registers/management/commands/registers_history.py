from django.core.management.base import BaseCommand, CommandError

from oversight.lib.numbers import plural
from oversight.registers.actions import history
from oversight.registers.importers import KINDS


class Command(BaseCommand):
    help = (
        "The earlier values of one register item, newest first: "
        "`oversight registers history KIND ID`."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="which register")
        parser.add_argument("id", help="the item's id")

    def handle(self, kind, id, **options):
        if not KINDS[kind].model.objects.filter(identifier=id).exists():
            raise CommandError(f'no item "{id}" in {kind}')
        revisions = history(kind, id)
        for r in revisions:
            values = ", ".join(f"{k}={v}" for k, v in r.previous.items() if v not in ("", []))
            note = f" ({r.note})" if r.note else ""
            self.stdout.write(f"{r.changed_at:%Y-%m-%d %H:%M} {r.changed_by_name}{note}: {values}")
        self.stdout.write(f"{plural(len(revisions), 'earlier version')} of {kind} {id}.")
