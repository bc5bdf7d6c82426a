"""`oversight subscriptions …`: the daily digest and a count of subscriptions."""

from collections import Counter

from oversight.core.commands import Group, command
from oversight.subscriptions.jobs import send_digests
from oversight.subscriptions.models import Subscription


class Command(Group):
    help = (
        "Email subscriptions: send the daily digest, count subscriptions.\n\n"
        "Anyone may subscribe by email (no account) to a Panel's meetings and papers, a plan's "
        "reports or a register; confirmed subscribers get at most one digest a day."
    )

    @command()
    def digest(self):
        """Send today's digests: each confirmed subscriber is sent at most one a day, listing
        what was published for their subscriptions since their last. Safe to run often."""
        sent = send_digests()
        self.stdout.write(f"Sent {sent} digest(s).")

    @command(name="list")
    def list_(self):
        """Count subscriptions by target and state (no addresses are printed)."""
        counts = Counter((s.target_kind, s.target_key, s.state) for s in Subscription.objects.all())
        if not counts:
            self.stdout.write("No subscriptions.")
            return
        for (kind, key, state), n in sorted(counts.items()):
            self.stdout.write(f"{kind} {key}: {n} {state}")
