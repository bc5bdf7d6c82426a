"""What falls due in scrutiny: each agreed action's answer, by its due date or due meeting.

Step 0 is the action's owner (a person; an office named only in words, like "PCC", has no email
and is listed to the editors), then the body's support officer (the Panel's scrutiny officer),
then the administrators.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from oversight.accounts.recipients import administrators
from oversight.lib.due import DueItem, Recipient

from .models import Action, Person
from .models.agreed_actions import OUTSTANDING

KIND = "action"


def person_recipient(person: Person) -> Recipient:
    return Recipient(name=person.name, email=person.contact_email, user_id=person.user_id)


def owner_recipient(action: Action) -> Recipient:
    """Whom an action's reminder goes to: its owner, a person, or the label alone."""
    if action.owner_person is not None:
        return person_recipient(action.owner_person)
    return Recipient(name=action.owner or "the owner (not recorded)")


def action_due_items(today: date) -> Iterator[DueItem]:
    """Every action with a due date or due meeting; done once answered (or closed)."""
    actions = Action.objects.select_related(
        "body__support_officer__user", "owner_person__user", "due_meeting", "meeting", "item"
    ).filter(status__in=OUTSTANDING)
    admins: tuple[Recipient, ...] | None = None
    for a in actions:
        due = a.due_on
        if due is None:
            continue
        if admins is None:
            admins = administrators()
        officer = a.body.support_officer
        yield DueItem(
            key=f"action:{a.pk}",
            kind=KIND,
            title=f"Action {a.ref} of {a.body.name}: {a.description[:120]}",
            due=due,
            url=f"{reverse('scrutiny:actions')}?{urlencode({'owner': a.owner})}",
            source=(
                f"Agreed at {a.meeting.short_label}"
                + (f", minute {a.minute}" if a.minute is not None else "")
                if a.meeting is not None
                else f"{a.get_kind_display()} of {a.body.name}"
            ),
            done=False,
            state=f"{a.get_status_display()}; owner {a.owner}; due {a.due_label}",
            chain=(
                (owner_recipient(a),),
                (person_recipient(officer),) if officer is not None else (),
                admins,
            ),
        )
