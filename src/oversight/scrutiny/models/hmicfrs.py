"""HMICFRS inspection reports, their findings and the PCC's s.55 response."""

from __future__ import annotations

from datetime import date

from django.db import models

from oversight.audit.history import versions
from oversight.core.columns import validate_web_address
from oversight.lib.deadlines import s55_days_late, s55_response_due


class ReportKind(models.TextChoices):
    PEEL = "peel", "PEEL"
    FORCE = "force", "Force inspection"
    THEMATIC = "thematic", "National thematic"
    JOINT = "joint", "Joint inspection"


class InspectionReport(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    published = models.DateField()
    force_inspected = models.BooleanField(default=False)
    url = models.URLField(blank=True, validators=[validate_web_address])
    response_published = models.DateField(null=True, blank=True)
    response_url = models.URLField(blank=True, validators=[validate_web_address])
    summary = models.TextField(blank=True)  # Markdown
    history = versions()

    class Meta:
        ordering = ["-published", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def response_due(self) -> date:
        return s55_response_due(self.published)

    def days_late(self, today: date) -> int:
        return s55_days_late(self.published, self.response_published, today)

    def is_late(self, today: date) -> bool:
        """Published after the s.55 deadline, or not published and the deadline has passed."""
        return self.days_late(today) > 0

    def response_state(self, today: date) -> str:
        if self.response_published:
            late = self.days_late(today)
            return (
                f"published {late} day{'s' if late != 1 else ''} late"
                if late
                else "published on time"
            )
        if today > self.response_due:
            return "no response recorded: overdue"
        return "due"


class FindingKind(models.TextChoices):
    CAUSE_OF_CONCERN = "cause-of-concern", "Cause of concern"
    RECOMMENDATION = "recommendation", "Recommendation"
    AREA_FOR_IMPROVEMENT = "area-for-improvement", "Area for improvement"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    PARTIALLY_COMPLIANT = "partially-compliant", "Partially compliant"
    COMPLIANT = "compliant-awaiting-audit", "Compliant, awaiting audit"
    SIGNED_OFF = "signed-off", "Signed off"


class Finding(models.Model):
    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="findings")
    ref = models.CharField(max_length=30)
    kind = models.CharField(max_length=30, choices=FindingKind.choices)
    text = models.TextField()
    status = models.CharField(
        max_length=30, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    evidence = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    history = versions()

    class Meta:
        ordering = ["report", "order", "ref"]
        constraints = [models.UniqueConstraint(fields=["report", "ref"], name="finding_report_ref")]

    def __str__(self) -> str:
        return f"{self.ref}: {self.text[:80]}"


class FindingUpdate(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=30, choices=FindingStatus.choices)
    by = models.CharField(max_length=200, blank=True)
    history = versions()

    class Meta:
        ordering = ["finding", "on", "id"]
