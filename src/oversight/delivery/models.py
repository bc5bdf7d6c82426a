"""The delivery plan (activities under the plan's objectives, their milestones and dated updates)
and the risk register behind the plan.

Progress is never typed above the activity: an objective's, an aim's and the plan's progress are
computed from the activities (`oversight.lib.delivery.rolled_up`). A risk's scores and bands are
computed from its likelihood and impact. Every version of every record is kept (`history`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oversight.audit.history import versions
from oversight.lib import delivery as ld
from oversight.lib.audience import Audience
from oversight.plans.models import Measure, Objective, Plan


class State(models.TextChoices):
    """Who may read an activity or a risk: staff always; the Police and Crime Panel once the
    office shares it; the public once it is published (many offices publish their risk register;
    some share it with the Panel only)."""

    DRAFT = "draft", "Draft (staff only)"
    PANEL = "panel", "Shared with the Panel"
    PUBLISHED = "published", "Published"


def states_for(audience: Audience) -> tuple[str, ...]:
    """The states an audience may read; there is no default audience."""
    if not isinstance(audience, Audience):
        raise TypeError(f"an audience is needed, not {audience!r}")
    if audience is Audience.STAFF:
        return tuple(State.values)
    if audience is Audience.PANEL:
        return (State.PANEL, State.PUBLISHED)
    return (State.PUBLISHED,)


class ShownQuerySet(models.QuerySet):
    def for_audience(self, audience: Audience) -> Self:
        """The records `audience` may read (see State)."""
        return self.filter(state__in=states_for(audience))


class Status(models.TextChoices):
    """An activity's or a milestone's status, always shown in words (never by colour alone)."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Owned(models.Model):
    """An owner: a user of the site where there is one, else a named person (and their email)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A user of this site, where the owner has an account",
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="The owner's name, where they have no account"
    )
    owner_email = models.EmailField(blank=True)

    class Meta:
        abstract = True

    @property
    def owner_words(self) -> str:
        # Never the account's user name: this is shown to the public with the published plan.
        if self.owner is not None:
            return self.owner.get_full_name() or self.owner_name or "a member of the office's staff"
        return self.owner_name or "No owner"


class Activity(Owned):
    """One line of the delivery plan: an activity under an objective."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(max_length=50, help_text='e.g. "1.3a"; unique within the plan')
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Its share in the objective's progress (1 when all count the same)",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="0 to 100; blank when no percentage is recorded (never 0 for unknown)",
    )
    order = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)
    history = versions()

    objects = ShownQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["objective__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="activity_code_unique"),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="activity_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="activity_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def part(self) -> ld.Part:
        return ld.Part(self.weight, self.percent_complete, self.status)

    @property
    def progress(self) -> int | None:
        """What the activity adds to the roll-up: 100 when complete, else its percent complete,
        else 0 when not started; None (left out of the roll-up) when it has begun with no
        percentage recorded."""
        return self.part.progress


class Milestone(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=500)
    due = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["due", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "title"], name="milestone_title_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def done_by(self, day: date) -> bool:
        return self.completed_on is not None and self.completed_on <= day

    def is_overdue(self, today: date) -> bool:
        """Due before `today` and not completed by then (oversight.core.clock.today())."""
        return self.due < today and not self.done_by(today)

    def overdue_words(self, today: date) -> str:
        """ "Overdue by 12 days", or "" — the flag in words, never by colour alone."""
        if not self.is_overdue(today):
            return ""
        days = (today - self.due).days
        return f"Overdue by {days} day{'s' if days != 1 else ''}"


class ActivityUpdate(models.Model):
    """A dated progress note on an activity, by a user (Markdown, sanitised when shown)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    note = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = versions()

    class Meta:
        ordering = ["-on", "-id"]


class Risk(Owned):
    """A risk behind the plan, scored before and after its controls."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    code = models.CharField(max_length=50, help_text="unique within the plan")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    likelihood_before = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact_before = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    likelihood_after = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact_after = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    controls = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True, help_text="When the risk is next reviewed")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="risks")
    activities = models.ManyToManyField(Activity, blank=True, related_name="risks")
    measures = models.ManyToManyField(Measure, blank=True, related_name="risks")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)
    history = versions(m2m_fields=["objectives", "activities", "measures"])

    objects = ShownQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="risk_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def score_before(self) -> int:
        return ld.risk_score(self.likelihood_before, self.impact_before)

    @property
    def score_after(self) -> int:
        return ld.risk_score(self.likelihood_after, self.impact_after)

    @property
    def band_before(self) -> ld.Band:
        return ld.risk_band(self.score_before)

    @property
    def band_after(self) -> ld.Band:
        return ld.risk_band(self.score_after)

    def review_overdue(self, today: date) -> bool:
        return self.review_on is not None and self.review_on < today

    def review_words(self, today: date) -> str:
        if not self.review_overdue(today) or self.review_on is None:
            return ""
        days = (today - self.review_on).days
        return f"Review overdue by {days} day{'s' if days != 1 else ''}"
