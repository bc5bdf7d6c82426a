"""Register of interests reviews as things that fall due (lib/due.py): one item per member of a
body whose current entries are due for review, on the earliest entry's review date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from oversight.lib.due import DueItem, Recipient

from .models import Interest

SOURCE = (
    "The Panel's register of members' interests (Localism Act 2011, ss.29–30; the review cycle "
    "is the office's)"
)


def interest_review_due_items(today: date) -> Iterator[DueItem]:
    """Each member's next register review: due on their earliest current entry's review date.
    A Person has no email, so the chain names the member for an editor to contact."""
    earliest: dict[tuple[int, int], Interest] = {}
    for i in Interest.objects.current().select_related("body", "person"):
        key = (i.body_id, i.person_id)
        if key not in earliest or i.review_due < earliest[key].review_due:
            earliest[key] = i
    for i in sorted(earliest.values(), key=lambda i: (i.review_due, i.person.name)):
        reviewed = (
            f"last reviewed {i.last_reviewed_on:%-d %B %Y}"
            if i.last_reviewed_on
            else f"registered {i.registered_on:%-d %B %Y}, not reviewed since"
        )
        yield DueItem(
            key=f"interests-review:{i.body.slug}:{i.person.slug}",
            kind="interest-review",
            title=f"Review {i.person.name}'s entry in the {i.body.name} register of interests",
            due=i.review_due,
            url=reverse("scrutiny:interests", args=[i.body.slug]),
            source=SOURCE,
            state=reviewed,
            chain=((Recipient(name=i.person.name),),),
        )
