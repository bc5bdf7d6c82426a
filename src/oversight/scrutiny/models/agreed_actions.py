"""Agreed actions (from a resolution, a minute or a Panel question pinned to a measure), their dated
updates, and the PCC's ad-hoc A&A requests to the Chief Constable."""

from __future__ import annotations

from datetime import date

from django.db import models

from oversight.audit.history import versions

from .meetings import AgendaItem, Meeting, Resolution
from .people import Body, Person


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in-progress", "In progress"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"  # only once the answer has been reported to a meeting


OUTSTANDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionKind(models.TextChoices):
    AGREED = "agreed", "Agreed action"
    QUESTION = "question", "Panel question"
    OUTCOME = "outcome", "Meeting outcome"


class ActionQuerySet(models.QuerySet):
    def outstanding(self) -> ActionQuerySet:
        return self.filter(status__in=OUTSTANDING)

    def not_closed(self) -> ActionQuerySet:
        return self.exclude(status=ActionStatus.CLOSED)

    def with_related(self) -> ActionQuerySet:
        return self.select_related(
            "body",
            "meeting__body",
            "item",
            "due_meeting__body",
            "reported_at__body",
            "measure__plan",
        ).prefetch_related("updates")


class Action(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=30)  # unique in the body: "310.1", "Q3"
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.AGREED)
    meeting = models.ForeignKey(  # where it was agreed
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    measure = models.ForeignKey(  # a Panel question pinned to a success measure
        "plans.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200)  # a person or an office: "PCC", "ACC", "the Panel"
    # The person who answers for it, whom its reminders go to; `owner` stays the label shown.
    owner_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_owned"
    )
    raised_on = models.DateField(null=True, blank=True)
    raised_by = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_due"
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    reported_at = models.ForeignKey(  # the meeting the answer was reported to (closes the action)
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_reported"
    )

    objects = ActionQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["body", "raised_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["body", "ref"], name="action_body_ref")]

    def __str__(self) -> str:
        return f"{self.ref}: {self.description[:80]}"

    @property
    def due_on(self) -> date | None:
        """The date the answer is due: the due date, else the due meeting's date."""
        if self.due_date:
            return self.due_date
        return self.due_meeting.date if self.due_meeting is not None else None

    @property
    def due_label(self) -> str:
        if self.due_date:
            return f"{self.due_date:%-d %B %Y}"
        if self.due_meeting is not None:
            return self.due_meeting.short_label
        return "no date set"

    @property
    def minute(self) -> int | None:
        return self.item.minute if self.item is not None else None

    def is_overdue(self, today: date) -> bool:
        """Outstanding (no answer recorded) and its due date or meeting has passed."""
        due = self.due_on
        return self.status in OUTSTANDING and due is not None and due < today


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)  # after this update
    by = models.CharField(max_length=200, blank=True)
    history = versions()

    class Meta:
        ordering = ["action", "on", "id"]


class AdHocStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Response received"
    CLOSED = "closed", "Closed"


class AdHocRequest(models.Model):
    """A written A&A request from the PCC to the Chief Constable, outside the formal meetings."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="adhoc_requests")
    subject = models.CharField(max_length=500)
    sent = models.DateField(null=True, blank=True)
    sent_in = models.CharField(max_length=20, blank=True)  # a period, when only that is known
    due = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    follow_up = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AdHocStatus.choices, default=AdHocStatus.SENT)
    closed_on = models.DateField(null=True, blank=True)
    history = versions()

    class Meta:
        ordering = ["body", "sent", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["body", "subject"], name="adhoc_body_subject")
        ]

    def __str__(self) -> str:
        return self.subject
