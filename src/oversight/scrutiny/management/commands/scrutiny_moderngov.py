from pathlib import Path

from oversight.core.commands import ImportCommand
from oversight.scrutiny.models import BodyKind
from oversight.scrutiny.moderngov import import_moderngov, read_moderngov


class Command(ImportCommand):
    help = (
        "Import committees, meetings, agenda items and attendance from saved ModernGov web service "
        "XML (GetCommittees, GetMeetings or GetMeeting responses). Import the committees first; "
        "deleted or expired committees are skipped. Nothing is written on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="XML files, committees first")
        parser.add_argument(
            "--kind",
            choices=BodyKind.values,
            default=BodyKind.PANEL,
            help="kind of body for new committees",
        )

    def run(self, files, kind, **options):
        lines = []
        for f in files:
            spec = read_moderngov(f)
            outcome = import_moderngov(spec, by=self.actor, kind=kind)
            lines.append(
                f"{f.name}: {len(spec.committees)} committees, {len(spec.meetings)} meetings ({outcome})."
            )
        return "\n".join(lines)
