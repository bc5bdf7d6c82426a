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

    @property
    def response_required(self) -> bool:
        """Whether the tracker counts an s.55 response as owed: for a report in which the force was
        inspected. A national report that did not inspect the force is tracked (the PCC may still
        respond) but never flagged late."""
        return self.force_inspected

    def days_late(self, today: date) -> int:
        """Days past the s.55 deadline (of the response, else of today); 0 when none is owed."""
        if not self.response_required:
            return 0
        return s55_days_late(self.published, self.response_published, today)

    def is_late(self, today: date) -> bool:
        """An owed response published after the s.55 deadline, or not recorded once it passed."""
        return self.days_late(today) > 0

    def response_state(self, today: date) -> str:
        """The response in words: whether one is recorded, whether one is due, and when."""
        due = f"{self.response_due:%-d %B %Y}"
        if self.response_published:
            if not self.response_required:
                return "published; none was due, as the force was not inspected"
            late = self.days_late(today)
            return (
                f"published {late} day{'s' if late != 1 else ''} late"
                if late
                else "published on time"
            )
        if not self.response_required:
            return "no response recorded; none is due, as the force was not inspected"
        if today > self.response_due:
            return f"no response recorded; one was due by {due} (s.55)"
        return f"no response recorded yet; one is due by {due} (s.55)"


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
