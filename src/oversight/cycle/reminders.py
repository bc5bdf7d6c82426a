"""Escalating reminders: read every provider's due items, and for each item not done take each
step its kind's policy has reached, emailing that step's people once.

Step 0 tells the people responsible (chain[0]); step k tells chain[k]. A step beyond the chain is
not taken. A person without an email is recorded (not skipped): the editors' page lists them, and
the next step's email names them, so someone tells them by other means.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from oversight.audit.log import record
from oversight.core.clock import today as clock_today
from oversight.lib.due import DueItem, Recipient

from .models import NOT_REACHED, Reminder, ReminderPolicy, ReminderStatus

log = logging.getLogger(__name__)

# The office's starting policy for each kind it knows; an unknown kind gets GENERIC. Editors
# change them on the reminders page or in the admin.
DEFAULTS: dict[str, tuple[str, int, str]] = {
    "collection": ("Figures due in a collection round", 7, "3, 10"),
    "milestone": ("Plan milestones", 14, "1, 14"),
    "action": ("Agreed actions to report back on", 7, "1, 14"),
    "statutory": ("Statutory deadlines", 14, "-3, 1"),
    "contract": ("Contracts coming to an end", 182, "-30"),
    "publication": ("Publication duties", 7, "1, 7"),
}
GENERIC = ("", 7, "3, 10")


def due_items(today: date) -> list[DueItem]:
    """Every provider's due items (setting OVERSIGHT_DUE_PROVIDERS), the first of each key."""
    seen: dict[str, DueItem] = {}
    for path in settings.OVERSIGHT_DUE_PROVIDERS:
        provider = import_string(path)
        try:
            items = list(provider(today))
        except Exception:  # noqa: BLE001 (one broken provider must not silence the others)
            log.exception("the due-item provider %s failed", path)
            continue
        for item in items:
            seen.setdefault(item.key, item)
    return list(seen.values())


def _natural(key: str) -> tuple:
    """A key in natural order, its numbers as numbers: "action:9" before "action:10" (a plain
    string sort sent the reminders of one day in an order that changed with the row ids)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key))


def policy_for(kind: str, known: dict[str, ReminderPolicy] | None = None) -> ReminderPolicy:
    if known is not None and kind in known:
        return known[kind]
    label, before, after = DEFAULTS.get(kind, GENERIC)
    policy, _ = ReminderPolicy.objects.get_or_create(
        kind=kind,
        defaults={
            "label": label or kind.capitalize(),
            "first_days_before": before,
            "escalation_days": after,
        },
    )
    if known is not None:
        known[kind] = policy
    return policy


def recipient_key(r: Recipient) -> str:
    if r.user_id is not None:
        return f"user:{r.user_id}"
    if r.email:
        return f"email:{r.email.lower()}"
    return f"name:{r.name}"[:254]


@dataclass
class Outcome:
    sent: int = 0
    not_reached: int = 0
    failed: int = 0
    items: int = 0
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.items} item(s) due: {self.sent} reminder(s) sent, {self.not_reached} "
            f"person(s) could not be emailed, {self.failed} refused by the mail server"
        )


def link(path: str) -> str:
    return f"{settings.OVERSIGHT_SITE_URL}{path}" if path.startswith("/") else path


def compose(item: DueItem, step: int, to: Recipient, today: date) -> tuple[str, str]:
    """The subject and text of step `step`'s email about `item` to `to`."""
    days = (item.due - today).days
    when = (
        f"due today ({item.due:%-d %B %Y})"
        if days == 0
        else f"due on {item.due:%-d %B %Y}, in {days} day(s)"
        if days > 0
        else f"was due on {item.due:%-d %B %Y}, {-days} day(s) ago"
    )
    lines = [f"Dear {to.name},", ""]
    if step == 0:
        subject = f"Reminder: {item.title}"
        lines.append(f"{item.title} is {when}." if days >= 0 else f"{item.title} {when}.")
    else:
        subject = f"{'Overdue' if days < 0 else 'Coming up'}: {item.title}"
        responsible = ", ".join(r.name for r in item.chain[0]) if item.chain else ""
        lines.append(
            f"{item.title} {'is ' if days >= 0 else ''}{when}, and is not yet done."
            + (f" Responsible: {responsible}." if responsible else "")
        )
        lines.append(f"You are told as step {step} of the office's reminders for it.")
    if item.state:
        lines += ["", f"Where it stands: {item.state}."]
    if item.source:
        lines += [f"Source: {item.source}" + (f" ({item.source_url})" if item.source_url else "")]
    if step > 0:
        unreached = Reminder.objects.filter(
            item_key=item.key, step__lt=step, status__in=NOT_REACHED
        ).order_by("step", "recipient_name")
        if unreached:
            lines += ["", "We could not email these people about it; please tell them yourself:"]
            lines += [
                f"  - {r.recipient_name} ({r.get_status_display().lower()})" for r in unreached
            ]
            lines += [f"The list: {link('/staff/reminders/')}"]
    if item.url:
        lines += ["", link(item.url)]
    lines += ["", "(Sent by Oversight's reminders; the office sets when they are sent.)"]
    # One line, however the title was typed (an action's description may hold line breaks,
    # which no mail header may carry).
    return " ".join(subject.split())[:200], "\n".join(lines) + "\n"


def _claim(item: DueItem, step: int, r: Recipient, status: str, today: date) -> Reminder | None:
    """The ledger row for this reminder, written now; None when it exists already (sent, or
    being sent by another run). A failed send is claimed again, so it is retried."""
    key = recipient_key(r)
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                item_key=item.key,
                kind=item.kind,
                step=step,
                recipient_key=key,
                recipient_name=r.name[:200],
                recipient_email=r.email,
                user_id=r.user_id,
                title=item.title[:500],
                due=item.due,
                url=item.url[:500],
                status=status,
                on=today,
            )
    except IntegrityError:
        retried = Reminder.objects.filter(
            item_key=item.key, step=step, recipient_key=key, status=ReminderStatus.FAILED
        ).update(status=ReminderStatus.SENDING, on=today, error="")
        return (
            Reminder.objects.get(item_key=item.key, step=step, recipient_key=key)
            if retried
            else None
        )


def take_step(item: DueItem, step: int, today: date, connection, out: Outcome) -> None:
    people = list(dict.fromkeys(item.chain[step]))  # each person once
    if not people:
        nobody = Recipient(name=f"nobody at step {step}")
        if _claim(item, step, nobody, ReminderStatus.NOBODY, today) is not None:
            out.not_reached += 1
            out.lines.append(f"{item.key} step {step}: nobody to tell")
        return
    for person in people:
        if not person.email:
            if _claim(item, step, person, ReminderStatus.NO_EMAIL, today) is not None:
                out.not_reached += 1
                out.lines.append(f"{item.key} step {step}: {person.name} has no email")
            continue
        row = _claim(item, step, person, ReminderStatus.SENDING, today)
        if row is None:
            continue
        subject, body = compose(item, step, person, today)
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], connection=connection
        )
        try:
            message.send()
        except (smtplib.SMTPException, OSError, ValueError) as exc:  # ValueError: a bad header
            row.status, row.error = ReminderStatus.FAILED, str(exc)[:500]
            row.save(update_fields=["status", "error"])
            out.failed += 1
            log.warning("reminder %s step %s to %s refused: %s", item.key, step, person.email, exc)
            continue
        row.status, row.sent_at = ReminderStatus.SENT, timezone.now()
        row.save(update_fields=["status", "sent_at"])
        out.sent += 1
        out.lines.append(f"{item.key} step {step}: sent to {person.email}")


def remind(items: Iterable[DueItem], today: date) -> Outcome:
    """Take every step reached by `today` for each item not done, in order, once."""
    out = Outcome()
    policies = {p.kind: p for p in ReminderPolicy.objects.all()}
    connection = get_connection()
    for item in sorted(items, key=lambda i: (i.due, _natural(i.key))):
        if item.done:
            continue
        out.items += 1
        policy = policy_for(item.kind, policies)
        if not policy.active:
            continue
        for step, on in enumerate(policy.step_dates(item.due)):
            if on > today or step >= len(item.chain):
                break
            take_step(item, step, today, connection, out)
    return out


def run_reminders(today: date | None = None) -> str:
    """The scheduled job: remind about everything due, as of `today` (default: the site's
    today, OVERSIGHT_TODAY when set). Safe to run as often as wanted. Returns its summary."""
    day = today or clock_today()
    out = remind(due_items(day), day)
    if out.sent or out.not_reached or out.failed:  # an hourly run that did nothing leaves no entry
        record("run_reminders", by="the scheduler", summary=f"{day:%Y-%m-%d}: {out}")
    return str(out)
