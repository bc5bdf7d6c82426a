from pathlib import Path

from oversight.core.commands import ImportCommand
from oversight.scrutiny.actions import import_scrutiny
from oversight.scrutiny.importers import read_scrutiny


class Command(ImportCommand):
    help = (
        "Import bodies, people, memberships, meetings (attendance, declarations, numbered minutes, "
        "resolutions), agreed actions, the work programme, ad-hoc A&A requests and HMICFRS reports "
        "from a scrutiny YAML file. Checks everything first; nothing is written on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the scrutiny YAML file")

    def run(self, file, **options):
        spec = read_scrutiny(file)
        outcome = import_scrutiny(spec, by=self.actor)
        return f"Imported {file.name}: {spec.counts()} ({outcome})."
