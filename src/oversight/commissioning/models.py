"""Commissioned services' performance: each contract's KPIs per quarter (or year), its quarterly
contract review meetings and their notes, and the outputs that funded projects promised ("the
funding … will deliver 14 initiatives", seed 003 §19) against what they delivered.

Contracts, grants and bids are the registers' records (this app sits above the registers in the
layers, so it links to them by foreign key); the objectives they serve are the contracts' own
links to the plan. The share referred by the police is computed from the counts where given, and
otherwise is the share the source states. Every record is a draft until published, and keeps its
earlier versions.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q

from oversight.audit.history import versions
from oversight.core.publishing import PublishedQuerySet, state_field
from oversight.plans.models import Objective
from oversight.registers.models import Bid, Contract, Grant


class ServiceKpi(models.Model):
    """A contract's key performance indicators for a quarter or a financial year."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="kpis")
    period = models.CharField(max_length=20, help_text='"2023/24 Q2" or "2022/23"')
    referrals = models.PositiveIntegerField(null=True, blank=True)
    people_supported = models.PositiveIntegerField(null=True, blank=True)
    referred_by_police = models.PositiveIntegerField(null=True, blank=True)
    police_share_stated = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The share referred by the police as the source states it, when it gives no "
        "counts (percent)",
    )
    outcomes = models.PositiveIntegerField(null=True, blank=True)
    outcomes_note = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    state = state_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["contract__title", "period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="service_kpi_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract.identifier} {self.period}"

    @property
    def base(self) -> int | None:
        """What the police share is a share of: referrals, else people supported."""
        return self.referrals if self.referrals is not None else self.people_supported

    @property
    def police_share(self) -> Decimal | None:
        """Percent referred by the police: computed from the counts where given (one place),
        else as stated."""
        base = self.base
        if self.referred_by_police is not None and base:
            return (Decimal(self.referred_by_police) * 100 / base).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        return self.police_share_stated

    @property
    def police_share_computed(self) -> bool:
        return self.referred_by_police is not None and bool(self.base)


class ReviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class ContractReview(models.Model):
    """A quarterly contract review meeting and its notes."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="reviews")
    period = models.CharField(max_length=20, help_text='The quarter reviewed, e.g. "2023/24 Q2"')
    meets_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED
    )
    notes = models.TextField(blank=True, help_text="Markdown")
    state = state_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["contract__title", "period"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "period"], name="contract_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract.identifier} review {self.period}"


class FundedOutput(models.Model):
    """An output a grant or a won bid promised ("deliver 14 initiatives"), and what was
    delivered; under the objective it serves."""

    code = models.SlugField(max_length=120, unique=True)
    bid = models.ForeignKey(
        Bid, null=True, blank=True, on_delete=models.PROTECT, related_name="outputs"
    )
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="outputs"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="funded_outputs"
    )
    description = models.CharField(max_length=300, help_text='e.g. "initiatives"')
    target = models.PositiveIntegerField()
    delivered = models.PositiveIntegerField(null=True, blank=True)
    period = models.CharField(max_length=20, help_text="The report period it was reported in")
    note = models.TextField(blank=True)
    state = state_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bid__isnull=False) | Q(grant__isnull=False),
                name="funded_output_has_a_source",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def source(self) -> Bid | Grant | None:
        return self.bid or self.grant
