"""The office's engagement, communications and casework, counted over a span of months (seed 003
§72–77: "During the period May to October, 185 press releases…").

A span belongs to a plan and names the report period it is reported in. Its counts are a table
of kind → count; the kinds are a vocabulary the office extends (`CountKind`). Casework is new,
closed and open at the span's end, with the most common themes (a controlled vocabulary,
`Theme`). The change on the previous span of the same length is computed, never typed. A span is
a draft, read only by staff, until the office publishes it; every record keeps its versions.
"""

from __future__ import annotations

from datetime import date

from django.db import models

from oversight.audit.history import versions
from oversight.core.publishing import PublishedQuerySet, state_field
from oversight.lib.publication import add_months
from oversight.plans.models import Plan


class CountKind(models.Model):
    """What is counted: press releases, media items, engagements … (the office adds its own)."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    history = versions()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class Theme(models.Model):
    """A casework theme (crime, anti-social behaviour, road safety …): the office's vocabulary."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)

    history = versions()

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    ABOUT = "about", "circa"
    MORE_THAN = "more_than", "more than"


class Span(models.Model):
    """A span of whole months (first and last month) reported in one report period."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="engagement_spans")
    first_month = models.DateField(help_text="The first day of the span's first month")
    last_month = models.DateField(help_text="The first day of the span's last month")
    period = models.CharField(max_length=20, help_text='The report period, e.g. "2023/24 Q2"')
    note = models.TextField(blank=True)
    state = state_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["plan", "-first_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "first_month", "last_month"], name="engagement_span_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.label}"

    @property
    def months(self) -> int:
        return (
            (self.last_month.year - self.first_month.year) * 12
            + (self.last_month.month - self.first_month.month)
            + 1
        )

    @property
    def label(self) -> str:
        """ "May to October 2023", "November 2023 to April 2024"."""
        a, b = self.first_month, self.last_month
        first = a.strftime("%B") if a.year == b.year else a.strftime("%B %Y")
        return f"{first} to {b.strftime('%B %Y')}" if a != b else b.strftime("%B %Y")

    def previous_bounds(self) -> tuple[date, date]:
        """The previous span of the same length: the months just before this one."""
        return add_months(self.first_month, -self.months), add_months(self.first_month, -1)


class Count(models.Model):
    span = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="counts")
    kind = models.ForeignKey(CountKind, on_delete=models.PROTECT, related_name="counts")
    value = models.PositiveIntegerField()
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    note = models.TextField(blank=True)

    history = versions()

    class Meta:
        ordering = ["span", "kind__order", "kind__code"]
        constraints = [models.UniqueConstraint(fields=["span", "kind"], name="count_unique")]

    def __str__(self) -> str:
        return f"{self.span} {self.kind.code}"


class Casework(models.Model):
    """The span's casework: new pieces, closed, open at its end, and a response-time measure
    where the office keeps one."""

    span = models.OneToOneField(Span, on_delete=models.CASCADE, related_name="casework")
    new = models.PositiveIntegerField(null=True, blank=True)
    closed = models.PositiveIntegerField(null=True, blank=True)
    open_at_end = models.PositiveIntegerField(null=True, blank=True)
    response_days = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, help_text="Mean days to respond"
    )
    note = models.TextField(blank=True)

    history = versions()

    def __str__(self) -> str:
        return f"{self.span} casework"


class ThemeCount(models.Model):
    """A theme among the span's casework: its count where given, its rank (1 = most common)."""

    span = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="themes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="counts")
    rank = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    history = versions()

    class Meta:
        ordering = ["span", "rank"]
        constraints = [models.UniqueConstraint(fields=["span", "theme"], name="theme_count_unique")]

    def __str__(self) -> str:
        return f"{self.span} {self.theme.code}"
