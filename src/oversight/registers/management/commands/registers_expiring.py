from django.core.management.base import BaseCommand

from oversight.lib.audience import Audience
from oversight.lib.numbers import plural
from oversight.registers.queries import contract_alerts, expiring_contracts, today


class Command(BaseCommand):
    help = (
        "Contracts ending within the next year (or --within-days N), soonest first, marking those "
        "inside their alert window (six months before the end unless the contract sets another)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within-days", type=int, default=365)

    def handle(self, within_days, **options):
        # The office's own listing: draft contracts too.
        alerts = {c.pk for c in contract_alerts(audience=Audience.STAFF)}
        items = expiring_contracts(within_days, audience=Audience.STAFF)
        for c in items:
            mark = "ALERT " if c.pk in alerts else "      "
            self.stdout.write(f"{mark}{c.ends_on}  {c.identifier}  {c.title}")
        self.stdout.write(
            f"{plural(len(items), 'contract ends', 'contracts end')} within {within_days} days "
            f"of {today()}; "
            f"{len(alerts)} inside their alert window."
        )
