"""Meetings: agenda items with minute numbers, attendance, declarations, resolutions, public
questions, and the work programme of items planned for future meetings."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from oversight.audit.history import versions
from oversight.core.columns import validate_web_address

from .people import Body, Person


class MeetingKind(models.TextChoices):
    """A&A meetings are public, performance or thematic; other bodies' meetings are ordinary."""

    ORDINARY = "ordinary", "Meeting"
    PUBLIC = "public", "Public meeting"
    PERFORMANCE = "performance", "Performance meeting"
    THEMATIC = "thematic", "Thematic meeting"
    SPECIAL = "special", "Special meeting"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def held(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.HELD)

    def between(self, start, end) -> MeetingQuerySet:
        return self.filter(date__gte=start, date__lte=end)


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    # Only the month is known (e.g. "its November meeting"): shown as the month, never as a day.
    date_provisional = models.BooleanField(default=False)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    kind = models.CharField(
        max_length=20, choices=MeetingKind.choices, default=MeetingKind.ORDINARY
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    title = models.CharField(
        max_length=300, blank=True
    )  # the theme: "Police visibility and contact"
    public_questions_received = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)  # Markdown: key outcomes, papers before the meeting
    moderngov_id = models.CharField(max_length=50, blank=True)
    # The minute of a later meeting at which these minutes were agreed as a correct record.
    minutes_confirmed_by = models.ForeignKey(
        "scrutiny.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirms_minutes_of",
    )

    objects = MeetingQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["body", "date"], name="meeting_body_date")]

    def __str__(self) -> str:
        return f"{self.body} – {self.date_label}"

    @property
    def key(self) -> str:
        """The meeting's stable name in files and on the command line: "<body>/<YYYY-MM-DD>", or
        "<body>/<YYYY-MM>" while only the month is known."""
        day = f"{self.date:%Y-%m}" if self.date_provisional else self.date.isoformat()
        return f"{self.body.slug}/{day}"

    @property
    def date_label(self) -> str:
        if self.date_provisional:
            return f"{self.date:%B %Y} (date to be confirmed)"
        return f"{self.date:%A, %-d %B %Y}"

    @property
    def short_date(self) -> str:
        """ "10 Sep 2019", or "Nov 2019" while only the month is known."""
        return f"{self.date:%b %Y}" if self.date_provisional else f"{self.date:%-d %b %Y}"

    @property
    def short_label(self) -> str:
        """ "the November 2019 meeting" style words for a due meeting."""
        return f"the {self.date:%B %Y} meeting"

    @property
    def confirmation_label(self) -> str:
        """ "Confirmed as a correct record at the meeting of 10 September 2019 (minute 309)", or ""
        while the minutes await confirmation. Needs `minutes_confirmed_by__meeting` loaded."""
        item = self.minutes_confirmed_by
        if item is None:
            return ""
        minute = f" (minute {item.minute})" if item.minute is not None else f" ({item.title})"
        return (
            f"Confirmed as a correct record at the meeting of {item.meeting.date:%-d %B %Y}{minute}"
        )

    @property
    def time_label(self) -> str:
        if not self.starts_at:
            return ""
        return _clock(self.starts_at)

    def start_datetime(self) -> datetime | None:
        if self.date_provisional or not self.starts_at:
            return None
        return timezone.make_aware(datetime.combine(self.date, self.starts_at))

    def end_datetime(self) -> datetime | None:
        if self.date_provisional or not self.ends_at:
            return None
        return timezone.make_aware(datetime.combine(self.date, self.ends_at))


def _clock(t) -> str:
    """11:00 → "11.00 am", as council minutes write times."""
    hour = t.hour % 12 or 12
    return f"{hour}.{t.minute:02d} {'am' if t.hour < 12 else 'pm'}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField()
    minute = models.PositiveIntegerField(null=True, blank=True)  # numbered across a body's meetings
    title = models.CharField(max_length=500)
    minutes = models.TextField(blank=True)  # Markdown: discussion points as a list, as the seeds do
    agreed_intro = models.CharField(max_length=200, default="It was agreed that:", blank=True)
    # What the item considers: a quarterly report's period, an HMICFRS report, a paper.
    considers_period = models.CharField(max_length=20, blank=True)
    considers_report = models.ForeignKey(
        "scrutiny.InspectionReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    considers_document = models.CharField(max_length=500, blank=True)
    considers_url = models.URLField(blank=True, validators=[validate_web_address])
    history = versions()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="item_meeting_order"),
        ]

    def __str__(self) -> str:
        return f"{self.minute or ''} {self.title}".strip()


class Resolution(models.Model):
    """One thing "It was agreed that": the words of the minute; an action may follow from it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="resolutions")
    order = models.PositiveIntegerField()
    text = models.TextField()
    history = versions()

    class Meta:
        ordering = ["item", "order"]

    def __str__(self) -> str:
        return self.text


class AttendanceKind(models.TextChoices):
    PRESENT = "present", "Present"
    SUBSTITUTE = "substitute", "Present as a named substitute"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    ATTENDING = "attending", "Also attended"
    OFFICER = "officer", "Officer supporting the meeting"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")
    kind = models.CharField(max_length=20, choices=AttendanceKind.choices)
    role = models.CharField(max_length=100, blank=True)  # at this meeting: "Chairman"
    capacity = models.CharField(max_length=300, blank=True)  # "Senior Public Health Practitioner"
    substitute_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["meeting", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]


class Declaration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    nature = models.TextField()  # "a retired Police Officer in receipt of a Police Pension"
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["meeting", "order"]


class PublicQuestion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="public_questions")
    order = models.PositiveIntegerField(default=0)
    asked_by = models.CharField(max_length=200, blank=True)
    question = models.TextField()
    answer = models.TextField(blank=True)
    history = versions()

    class Meta:
        ordering = ["meeting", "order"]


class WorkProgrammeItem(models.Model):
    """An item planned for a future meeting; it becomes an agenda item when the meeting is set."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="work_programme")
    title = models.CharField(max_length=500)
    planned_for = models.CharField(max_length=7, blank=True)  # the month, "2020-02"
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(  # the minute that asked for it
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_items"
    )
    notes = models.TextField(blank=True)
    history = versions()

    class Meta:
        ordering = ["planned_for", "title"]
        constraints = [
            models.UniqueConstraint(fields=["body", "title"], name="work_item_body_title")
        ]

    def __str__(self) -> str:
        return self.title
