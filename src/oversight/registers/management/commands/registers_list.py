from django.core.management.base import BaseCommand

from oversight.lib.audience import Audience
from oversight.lib.numbers import plural
from oversight.registers.exports import records
from oversight.registers.importers import KINDS

# The columns `oversight registers list` prints for each register.
SHOWN = {
    "decisions": ["id", "reference", "made_on", "value", "title"],
    "programmes": ["id", "fund_total", "grants_awarded", "amount_awarded", "title"],
    "grants": ["id", "awarded_on", "amount", "summary_count", "recipient_name", "title"],
    "contracts": ["id", "starts_on", "ends_on", "value", "provider", "title"],
    "bids": ["id", "outcome", "amount_requested", "amount_awarded", "fund"],
    "disposals": ["id", "status", "value", "expected_by", "asset"],
}


class Command(BaseCommand):
    help = "List a register's items, one a line: `oversight registers list KIND`."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="which register")

    def handle(self, kind, **options):
        items = records(kind, audience=Audience.STAFF)  # the office's own listing, drafts too
        for r in items:
            self.stdout.write("  ".join(_text(r.get(c)) for c in SHOWN[kind]))
        self.stdout.write(f"{plural(len(items), 'row')} in {KINDS[kind].title.lower()}.")


def _text(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
