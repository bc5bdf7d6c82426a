"""The standing register of members' interests: what each member of a body has registered, when
it was last reviewed and when its next review is due. Per-meeting declarations (`Declaration`)
sit beside it on the Panel's pages."""

from __future__ import annotations

from datetime import date

from django.db import models

from oversight.audit.history import versions
from oversight.lib.audience import Audience
from oversight.lib.reviews import a_year_after

from .people import Body, Person


class InterestKind(models.TextChoices):
    """The headings of a register of members' interests: the disclosable pecuniary interests of
    the Relevant Authorities (Disclosable Pecuniary Interests) Regulations 2012, then the other
    interests a code of conduct asks to be registered."""

    EMPLOYMENT = "employment", "Employment, office, trade, profession or vocation"
    SPONSORSHIP = "sponsorship", "Sponsorship"
    CONTRACTS = "contracts", "Contracts"
    LAND = "land", "Land"
    LICENCES = "licences", "Licences"
    TENANCIES = "tenancies", "Corporate tenancies"
    SECURITIES = "securities", "Securities"
    MEMBERSHIPS = "memberships", "Membership of other bodies"
    GIFTS = "gifts", "Gifts and hospitality"
    OTHER = "other", "Other registrable interest"


class InterestState(models.TextChoices):
    """An entry typed or imported is a draft until the office publishes it."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class InterestQuerySet(models.QuerySet):
    def for_audience(self, audience: Audience) -> InterestQuerySet:
        """The entries `audience` may read: staff every entry, anyone else the published ones."""
        if not isinstance(audience, Audience):
            raise TypeError(f"an audience is needed, not {audience!r}")
        if audience is Audience.STAFF:
            return self
        return self.filter(state=InterestState.PUBLISHED)

    def current(self) -> InterestQuerySet:
        return self.filter(ended_on__isnull=True)


class Interest(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=20, choices=InterestKind.choices)
    description = models.TextField()
    registered_on = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True)
    review_due = models.DateField()  # a year after the last review (or registration) unless set
    ended_on = models.DateField(null=True, blank=True)  # no longer held: kept, never deleted
    state = models.CharField(
        max_length=10, choices=InterestState.choices, default=InterestState.DRAFT
    )

    objects = InterestQuerySet.as_manager()
    history = versions()

    class Meta:
        ordering = ["person__name", "kind", "registered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person", "kind", "description"], name="interest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    @staticmethod
    def next_review(registered_on: date, last_reviewed_on: date | None) -> date:
        return a_year_after(last_reviewed_on or registered_on)
