"""What falls due in the registers: contracts coming to an end, and each item's publication
under the Specified Information Order (the publication tracker's due dates).

Both go to the editors first, then the administrators.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from oversight.accounts.recipients import administrators, editors
from oversight.lib.audience import Audience
from oversight.lib.due import DueItem
from oversight.lib.publication import Standing

from . import tracker
from .models import Contract

CONTRACT, PUBLICATION = "contract", "publication"
ENDED_SHOWN_DAYS = 90  # an ended contract stays on the list this long, marked done


def contract_due_items(today: date) -> Iterator[DueItem]:
    """Every contract with an end date, from ENDED_SHOWN_DAYS ago on. The key holds the end date,
    so an extension (a new end date) starts its reminders afresh."""
    contracts = Contract.objects.filter(
        ends_on__gte=today - timedelta(days=ENDED_SHOWN_DAYS)
    ).order_by("ends_on", "title")
    chain = None
    for c in contracts:
        if c.ends_on is None:
            continue
        chain = chain or (editors(), administrators())
        extensions = (
            f"; {c.extensions_left} extension(s) of {c.extension_months or '?'} month(s) left"
            if c.extensions_left
            else "; no extension left"
        )
        yield DueItem(
            key=f"contract:{c.identifier}:{c.ends_on:%Y-%m-%d}",
            kind=CONTRACT,
            title=f"Contract ends: {c.title}" + (f" ({c.provider})" if c.provider else ""),
            due=c.ends_on,
            url=c.get_absolute_url(),
            source="Contracts register" + (f", {c.reference}" if c.reference else ""),
            done=c.ends_on < today,
            state=("ended" if c.ends_on < today else "running") + extensions,
            chain=chain,
        )


def publication_due_items(today: date) -> Iterator[DueItem]:
    """Each register item's publication deadline under each duty in the rules; done once a
    publication is recorded."""
    chain = None
    for report in tracker.build(today=today, audience=Audience.STAFF):
        for e in report.entries:
            if e.due is None:
                continue
            chain = chain or (editors(), administrators())
            yield DueItem(
                key=f"publication:{e.duty.code}:{e.item.identifier}",
                kind=PUBLICATION,
                title=f"Publish {getattr(e.item, 'title', e.item)}: {e.duty.title}",
                due=e.due,
                url=e.item.get_absolute_url(),
                source=e.duty.source or e.duty.describe(),
                done=e.standing not in (Standing.PENDING, Standing.MISSING),
                state=e.standing.value,
                chain=chain,
            )
