"""The office's reminder policy for each kind of due item, and the ledger of every reminder: one
row per item, step and person, so a reminder is never sent twice however often the job runs."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from oversight.audit.history import versions


def parse_days(text: str) -> list[int]:
    """ "3, 10" → [3, 10]: whole numbers of days, each later than the one before; raises
    ValueError saying what is wrong."""
    days = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            days.append(int(part))
        except ValueError:
            raise ValueError(f'"{part}" is not a whole number of days') from None
    if any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise ValueError("each step must come later than the one before it")
    return days


def validate_days(text: str) -> None:
    try:
        parse_days(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class ReminderPolicy(models.Model):
    """When each step of a kind's reminders is taken. Step 0 goes to the people responsible
    `first_days_before` the due date; each later step goes to the next level of the item's chain
    the given number of days after the due date (negative: before it)."""

    kind = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True, help_text="Send reminders for this kind")
    first_days_before = models.PositiveSmallIntegerField(
        default=7, help_text="Days before the due date that the people responsible are reminded"
    )
    escalation_days = models.CharField(
        max_length=100,
        blank=True,
        default="3, 10",
        validators=[validate_days],
        help_text='Days after the due date for each escalation step, e.g. "3, 10" (negative: '
        "before the due date)",
    )
    history = versions()

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "reminder policies"

    def __str__(self) -> str:
        return self.label or self.kind

    def clean(self) -> None:
        days = parse_days(self.escalation_days) if self.escalation_days else []
        if days and days[0] <= -self.first_days_before:
            raise ValidationError(
                {"escalation_days": "the first escalation must come after the first reminder"}
            )

    def step_dates(self, due: date) -> list[date]:
        """The day each step is taken for an item due on `due`, step 0 first."""
        return [due - timedelta(days=self.first_days_before)] + [
            due + timedelta(days=d) for d in parse_days(self.escalation_days)
        ]


class ReminderStatus(models.TextChoices):
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    NO_EMAIL = "no-email", "Not sent: no email address"
    NOBODY = "nobody", "Not sent: nobody holds this role"
    FAILED = "failed", "Not sent: the mail server refused it (tried again next run)"


NOT_REACHED = (ReminderStatus.NO_EMAIL, ReminderStatus.NOBODY)


class Reminder(models.Model):
    """One reminder: an item, a step and a person. The row is written before the mail is sent,
    and its uniqueness is what stops a second send, even from two workers at once."""

    item_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    step = models.PositiveSmallIntegerField()
    recipient_key = models.CharField(max_length=254)  # "user:12", "email:a@b.org", "name:PCC"
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=500)
    due = models.DateField()
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices)
    error = models.CharField(max_length=500, blank=True)
    on = models.DateField(help_text='The job\'s "today" when the step was taken')
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "item_key", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "step", "recipient_key"], name="reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: step {self.step} to {self.recipient_name} ({self.status})"
