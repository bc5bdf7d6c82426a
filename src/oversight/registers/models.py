"""The registers around the plan: decision notices, grant programmes and grants, commissioned
services and contracts, bids to other funders, and estate disposals.

Every item has a stable `identifier` (the `id` column of its import file, never reused) and a
URL-safe `slug`; each may be linked to the plan objectives it serves. Every version of an item,
its links to objectives included, is kept in its history (`history`), so nothing recorded is lost
silently.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Self

from django.db import models
from django.db.models import Q

from oversight.audit.history import versions
from oversight.core.columns import validate_web_address, validate_web_addresses
from oversight.lib.audience import Audience
from oversight.lib.publication import add_months
from oversight.plans.models import Objective

DEFAULT_ALERT_MONTHS = 6


def money_field() -> models.DecimalField[Decimal | int | str | None, Decimal | None]:
    """An amount in pounds and pence, up to a trillion; empty when not (yet) known."""
    return models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)


class Category(models.TextChoices):
    FINANCE = "finance", "Finance"
    ESTATES = "estates", "Estates"
    COMMISSIONING = "commissioning", "Commissioning"
    POLICY = "policy", "Policy"
    COLLABORATION = "collaboration", "Collaboration"
    GOVERNANCE = "governance", "Governance"
    OTHER = "other", "Other"


class BidOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    WON = "won", "Won"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DisposalStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified for disposal"
    APPROVED = "approved", "Approved"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ItemState(models.TextChoices):
    """An item entered (imported or typed) is a draft until the office publishes it."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class RegisterQuerySet(models.QuerySet):
    def for_audience(self, audience: Audience) -> Self:
        """The items `audience` may read: staff every item, anyone else the published ones."""
        if not isinstance(audience, Audience):
            raise TypeError(f"an audience is needed, not {audience!r}")
        if audience is Audience.STAFF:
            return self
        return self.filter(state=ItemState.PUBLISHED)


class RegisterItem(models.Model):
    identifier = models.CharField(max_length=120, unique=True, help_text="Stable id, never reused")
    slug = models.SlugField(max_length=120, unique=True)
    note = models.TextField(blank=True, help_text="Source and caveats, shown with the item")
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.DRAFT)
    # When the office first published the item here (not `published_on`, the day a notice or
    # award went out, which the publication tracker checks).
    first_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegisterQuerySet.as_manager()

    KIND = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return f"/registers/{self.KIND}/{self.slug}/"


class Decision(RegisterItem):
    """A decision notice: the PCC's formal record of a decision."""

    KIND = "decisions"
    reference = models.CharField(max_length=60, blank=True, help_text='e.g. "PCC/D/2023/30"')
    title = models.CharField(max_length=300)
    made_on = models.DateField()
    decision_maker = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    value = money_field()
    summary = models.TextField(blank=True)
    significant_public_interest = models.BooleanField(default=True)
    published_on = models.DateField(null=True, blank=True)
    documents = models.JSONField(default=list, blank=True, validators=[validate_web_addresses])
    exempt_part = models.TextField(blank=True, help_text="What was withheld from publication")
    exempt_reason = models.TextField(blank=True)
    exempt_review_on = models.DateField(null=True, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="decisions")
    history = versions(m2m_fields=["objectives"])

    class Meta:
        ordering = ["-made_on", "reference", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="decision_reference_unique"
            )
        ]

    @property
    def withheld(self) -> bool:
        return bool(self.exempt_part or self.exempt_reason)


class GrantProgramme(RegisterItem):
    """A grant scheme or round: the Commissioner's grant scheme, a road safety round."""

    KIND = "programmes"
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    funder_name = models.CharField(max_length=200)
    funder_org_id = models.CharField(max_length=100, help_text="org-id, e.g. GB-GOR-...")
    fund_total = money_field()
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True, help_text="The application deadline")
    url = models.URLField(blank=True, validators=[validate_web_address])
    objectives = models.ManyToManyField(Objective, blank=True, related_name="grant_programmes")
    history = versions(m2m_fields=["objectives"])

    class Meta:
        ordering = ["-opens_on", "title"]


class GrantQuerySet(RegisterQuerySet):
    def awarded_between(self, start: dt.date, end: dt.date) -> GrantQuerySet:
        return self.filter(awarded_on__gte=start, awarded_on__lte=end)


class Grant(RegisterItem):
    """A grant awarded. A *summary* row records a published total for several grants whose
    recipients the source does not list (seed 002's "61 grants totalling £1,369,313")."""

    KIND = "grants"
    programme = models.ForeignKey(
        GrantProgramme, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    title = models.CharField(max_length=300)
    purpose = models.TextField(help_text="What the grant is for (360Giving description)")
    recipient_name = models.CharField(max_length=300, blank=True)
    recipient_org_id = models.CharField(max_length=100, blank=True)
    charity_number = models.CharField(max_length=30, blank=True)
    company_number = models.CharField(max_length=30, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    awarded_on = models.DateField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    summary = models.BooleanField(default=False)
    grants_count = models.PositiveIntegerField(default=1)
    published_on = models.DateField(null=True, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="grants")

    # The stubs read a register's own manager as overriding the abstract base's (django-stubs#1713).
    objects = GrantQuerySet.as_manager()  # type: ignore[misc]
    history = versions(m2m_fields=["objectives"])

    class Meta:
        ordering = ["-awarded_on", "identifier"]


class ContractQuerySet(RegisterQuerySet):
    def ending_between(self, start: dt.date, end: dt.date) -> ContractQuerySet:
        return self.filter(ends_on__gte=start, ends_on__lte=end)


class Contract(RegisterItem):
    """A commissioned service or contract."""

    KIND = "contracts"
    reference = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=300, help_text="The service")
    provider = models.CharField(max_length=300, blank=True)
    commissioner = models.CharField(max_length=200, blank=True)
    value = money_field()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    extension_options = models.PositiveSmallIntegerField(default=0)
    extensions_used = models.PositiveSmallIntegerField(default=0)
    extension_months = models.PositiveSmallIntegerField(null=True, blank=True)
    alert_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Warn this many months before the end (default six)"
    )
    published_on = models.DateField(null=True, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="contracts")

    # The stubs read a register's own manager as overriding the abstract base's (django-stubs#1713).
    objects = ContractQuerySet.as_manager()  # type: ignore[misc]
    history = versions(m2m_fields=["objectives"])

    class Meta:
        ordering = ["ends_on", "title"]

    @property
    def extensions_left(self) -> int:
        return max(self.extension_options - self.extensions_used, 0)

    @property
    def alert_on(self) -> dt.date | None:
        """The day the expiry alert starts: `alert_months` (default six) before the end."""
        if self.ends_on is None:
            return None
        return add_months(self.ends_on, -(self.alert_months or DEFAULT_ALERT_MONTHS))


class Bid(RegisterItem):
    """A bid to another funder, and its outcome."""

    KIND = "bids"
    funder = models.CharField(max_length=200)
    fund = models.CharField(max_length=300)
    bidder = models.CharField(max_length=200, blank=True, help_text="The office that bid")
    purpose = models.TextField(blank=True)
    amount_requested = money_field()
    amount_awarded = money_field()
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=BidOutcome.choices, default=BidOutcome.PENDING
    )
    objectives = models.ManyToManyField(Objective, blank=True, related_name="bids")
    history = versions(m2m_fields=["objectives"])

    class Meta:
        ordering = ["-decided_on", "-submitted_on", "fund"]

    @property
    def reported_on(self) -> dt.date | None:
        return self.decided_on or self.submitted_on


class Disposal(RegisterItem):
    """An estate asset identified for disposal, and what became of it."""

    KIND = "disposals"
    asset = models.CharField(max_length=300)
    address = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=12, choices=DisposalStatus.choices, default=DisposalStatus.IDENTIFIED
    )
    value = money_field()
    buyer = models.CharField(max_length=300, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="disposals"
    )
    expected_by = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="disposals")
    history = versions(m2m_fields=["objectives"])

    class Meta:
        ordering = ["expected_by", "asset"]
