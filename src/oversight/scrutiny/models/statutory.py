"""What the office and the Panel have done about the statutory calendar: the precept cycle of each
financial year, the appointments notified to the Panel for a confirmation hearing, the PCC's annual
report, and who is told when a statutory date falls due. The dates the law sets are computed in
oversight.lib.statutory; these records say what happened."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from oversight.audit.history import versions
from oversight.core.columns import validate_web_address
from oversight.lib import statutory as law

from .meetings import Meeting
from .people import Body

FIRST_YEAR = 2013  # the first precept set under the 2011 Act (PCCs took office in November 2012)


class PreceptDecision(models.TextChoices):
    SUPPORTED = "supported", "Supported the proposed precept"
    RECOMMENDATIONS = "recommendations", "Supported it with recommendations"
    VETO_TOO_HIGH = "veto-too-high", "Vetoed it as too high"
    VETO_TOO_LOW = "veto-too-low", "Vetoed it as too low"


VETOES = (PreceptDecision.VETO_TOO_HIGH, PreceptDecision.VETO_TOO_LOW)


def _money(digits: int, label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


class PreceptCycle(models.Model):
    """The precept for one financial year, as it went through the Panel."""

    year = models.PositiveIntegerField(
        unique=True,
        validators=[MinValueValidator(FIRST_YEAR)],
        help_text="The financial year the precept is for, by the year it starts: 2027 for 2027/28",
    )
    body = models.ForeignKey(  # the Panel that reviewed it
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="precepts"
    )
    proposed_notified_on = models.DateField(
        "proposed precept notified to the Panel on", null=True, blank=True
    )
    proposed_band_d = _money(8, "proposed precept, Band D (£ a year)")
    proposed_total = _money(14, "proposed precept, total (£)")
    meeting = models.ForeignKey(  # the Panel meeting that considered it
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="precepts"
    )
    panel_report_on = models.DateField("Panel's report made on", null=True, blank=True)
    decision = models.CharField(
        "Panel's decision", max_length=20, choices=PreceptDecision.choices, blank=True
    )
    members_in_office = models.PositiveSmallIntegerField(
        "members of the Panel in office at the vote", null=True, blank=True
    )
    votes_for_veto = models.PositiveSmallIntegerField("votes for a veto", null=True, blank=True)
    revised_notified_on = models.DateField(
        "revised precept notified to the Panel on", null=True, blank=True
    )
    revised_band_d = _money(8, "revised precept, Band D (£ a year)")
    revised_report_on = models.DateField(
        "Panel's report on the revised precept made on", null=True, blank=True
    )
    issued_on = models.DateField("notified to the billing authorities on", null=True, blank=True)
    published_on = models.DateField(
        "budget and precept published (Specified Information) on", null=True, blank=True
    )
    notes = models.TextField(blank=True)
    history = versions()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Precept {self.label}"

    @property
    def label(self) -> str:
        return law.precept_label(self.year)

    @property
    def vetoed(self) -> bool:
        return self.decision in VETOES

    def done_on(self, step: law.PreceptStep) -> date | None:
        """The day the record says a step of the timetable was taken."""
        return {
            law.PreceptStep.PROPOSED: self.proposed_notified_on,
            law.PreceptStep.PANEL_REPORT: self.panel_report_on,
            law.PreceptStep.REVISED: self.revised_notified_on,
            law.PreceptStep.REVISED_REPORT: self.revised_report_on,
            law.PreceptStep.ISSUED: self.issued_on,
            law.PreceptStep.PUBLISHED: self.published_on,
        }[step]

    def vote_words(self) -> str:
        if self.members_in_office is None or self.votes_for_veto is None:
            return ""
        needed = law.veto_threshold(self.members_in_office) if self.members_in_office else 0
        return (
            f"{self.votes_for_veto} of {self.members_in_office} members in office voted for a "
            f"veto; {needed} needed"
        )

    def clean(self) -> None:
        """Every problem at once: a veto the vote does not carry, a revised precept without a
        veto or in the wrong direction, steps recorded before the step they answer."""
        problems: dict[str, list[str]] = {}

        def add(field: str, text: str) -> None:
            problems.setdefault(field, []).append(text)

        voted = self.members_in_office is not None or self.votes_for_veto is not None
        if self.vetoed or voted:
            found = law.veto_problems(self.members_in_office, self.votes_for_veto)
            for text in found:
                add("votes_for_veto", text)
            if not found and self.members_in_office and self.votes_for_veto is not None:
                carries = law.veto_carries(self.members_in_office, self.votes_for_veto)
                needed = law.veto_threshold(self.members_in_office)
                if self.vetoed and not carries:
                    add(
                        "decision",
                        f"a veto needs at least two-thirds of the {self.members_in_office} "
                        f"members in office ({needed}); {self.votes_for_veto} voted for it "
                        "(PRSRA 2011 Sch 5 para 4)",
                    )
                if carries and self.decision and not self.vetoed:
                    add(
                        "decision",
                        f"{self.votes_for_veto} of {self.members_in_office} members voted for a "
                        f"veto, which carries it ({needed} needed): record the veto",
                    )
        if not self.vetoed:
            for field in ("revised_notified_on", "revised_band_d", "revised_report_on"):
                if getattr(self, field) is not None:
                    add(field, "a revised precept follows only a veto; no veto is recorded")
        elif self.revised_band_d is not None and self.proposed_band_d is not None:
            if (
                self.decision == PreceptDecision.VETO_TOO_HIGH
                and self.revised_band_d >= self.proposed_band_d
            ):
                add(
                    "revised_band_d",
                    "the Panel vetoed the precept as too high, so the revised precept must be "
                    "lower (SI 2012/2271 reg. 5(3))",
                )
            if (
                self.decision == PreceptDecision.VETO_TOO_LOW
                and self.revised_band_d <= self.proposed_band_d
            ):
                add(
                    "revised_band_d",
                    "the Panel vetoed the precept as too low, so the revised precept must be "
                    "higher (SI 2012/2271 reg. 5(3))",
                )
        if self.panel_report_on and not self.decision:
            add("decision", "record what the Panel decided in its report")
        order = [
            ("proposed_notified_on", "the proposed precept's notification"),
            ("panel_report_on", "the Panel's report"),
            ("revised_notified_on", "the revised precept"),
            ("revised_report_on", "the Panel's report on the revised precept"),
        ]
        for (before, before_words), (after, _words) in zip(order, order[1:], strict=False):
            a, b = getattr(self, before), getattr(self, after)
            if a and b and b < a:
                add(after, f"is earlier than {before_words} ({a:%-d %B %Y})")
        if problems:
            raise ValidationError(problems)


class AppointmentOutcome(models.TextChoices):
    RECOMMENDED = "recommended", "The Panel recommended the appointment"
    NOT_RECOMMENDED = "not-recommended", "The Panel recommended against the appointment"
    VETOED = "vetoed", "The Panel vetoed the appointment"


class ProposedAppointment(models.Model):
    """An appointment the PCC notified to the Panel for a confirmation hearing."""

    post = models.CharField(max_length=30, choices=[(p.value, p.words) for p in law.Post])
    candidate = models.CharField(max_length=200)
    notified_on = models.DateField("notified to the Panel on")
    meeting = models.ForeignKey(  # the confirmation hearing
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="hearings"
    )
    hearing_on = models.DateField("confirmation hearing held on", null=True, blank=True)
    report_on = models.DateField("Panel's report made on", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=AppointmentOutcome.choices, blank=True)
    members_in_office = models.PositiveSmallIntegerField(
        "members of the Panel in office at the vote", null=True, blank=True
    )
    votes_for_veto = models.PositiveSmallIntegerField("votes for a veto", null=True, blank=True)
    notes = models.TextField(blank=True)
    history = versions()

    class Meta:
        ordering = ["-notified_on", "post"]

    def __str__(self) -> str:
        return f"{law.Post(self.post).words}: {self.candidate}"

    @property
    def report_due(self) -> date:
        return law.confirmation_report_due(self.notified_on)

    def clean(self) -> None:
        problems: dict[str, list[str]] = {}
        if self.outcome == AppointmentOutcome.VETOED:
            if self.post != law.Post.CHIEF_CONSTABLE:
                problems["outcome"] = [
                    "the Panel may veto only a proposed chief constable (Policing Protocol "
                    "para 24); record its recommendation instead"
                ]
            else:
                found = law.veto_problems(self.members_in_office, self.votes_for_veto)
                if found:
                    problems["votes_for_veto"] = found
                elif self.members_in_office and self.votes_for_veto is not None:
                    if not law.veto_carries(self.members_in_office, self.votes_for_veto):
                        needed = law.veto_threshold(self.members_in_office)
                        problems["outcome"] = [
                            f"a veto needs at least {needed} of the {self.members_in_office} "
                            f"members in office; {self.votes_for_veto} voted for it"
                        ]
        if self.report_on and self.notified_on and self.report_on < self.notified_on:
            problems.setdefault("report_on", []).append("is earlier than the notification")
        if self.report_on and not self.outcome:
            problems.setdefault("outcome", []).append("record what the Panel's report said")
        if problems:
            raise ValidationError(problems)


class AnnualReport(models.Model):
    """The PCC's annual report on one financial year (PRSRA 2011 s.12) and the Panel's public
    meeting on it (s.28(4))."""

    year = models.PositiveIntegerField(
        unique=True,
        validators=[MinValueValidator(2012)],
        help_text="The financial year reported on, by the year it starts: 2026 for 2026/27",
    )
    sent_on = models.DateField("sent to the Panel on", null=True, blank=True)
    meeting = models.ForeignKey(  # the Panel's public meeting on it
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="annual_reports"
    )
    url = models.URLField(blank=True, validators=[validate_web_address])
    notes = models.TextField(blank=True)
    history = versions()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Annual report {law.precept_label(self.year)}"


class StatutoryContact(models.Model):
    """Whom a statutory date's reminder goes to first: the PCC office's people (the chief
    executive) for the PCC's steps, the Panel's support officer for the Panel's. After them a
    reminder escalates to the site's administrators."""

    holder = models.CharField(
        max_length=10, choices=[(h.value, h.words) for h in law.Holder], db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True, help_text="Blank: the user's own name")
    email = models.EmailField(blank=True, help_text="Blank: the user's own email")
    title = models.CharField(max_length=200, blank=True)  # "Chief Executive"
    history = versions()

    class Meta:
        ordering = ["holder", "name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({law.Holder(self.holder).words})"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return "(no name)"

    @property
    def address(self) -> str:
        return self.email or (self.user.email if self.user is not None else "")

    def clean(self) -> None:
        if self.user is None and not self.name:
            raise ValidationError({"name": "name a person or choose a user"})
