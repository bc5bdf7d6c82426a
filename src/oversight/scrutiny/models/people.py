"""Bodies (the Panel, A&A meetings, boards), the people who sit on them and their organisations."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.audit.history import versions


class Organisation(models.Model):
    """A council, the force, the OPCC, a charity: where a person comes from."""

    name = models.CharField(max_length=200, unique=True)
    classification = models.CharField(max_length=100, blank=True)  # "council", "police force"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)  # as usually written: "Julian Grubb"
    formal_name = models.CharField(max_length=200, blank=True)  # as in a Present list: "Mr J Grubb"
    honorific = models.CharField(max_length=50, blank=True)  # "Councillor", "Mrs"
    title = models.CharField(max_length=300, blank=True)  # "Chief Executive"
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    # How reminders reach the person: their own email, else their user account's (whose "My
    # items" page then lists the actions they own). A person with neither is listed to an editor.
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scrutiny_person",
    )
    history = versions()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user is not None else "")

    @property
    def listed_name(self) -> str:
        return self.formal_name or self.name

    @property
    def described(self) -> str:
        """ "John Champion, West Mercia Police & Crime Commissioner"."""
        parts = [self.name]
        if self.title:
            parts.append(self.title)
        if self.organisation and self.organisation.name not in self.title:
            parts.append(self.organisation.name)
        return ", ".join(parts)


class BodyKind(models.TextChoices):
    PANEL = "panel", "Police and Crime Panel"
    ACCOUNTABILITY = "accountability", "Assurance and Accountability meetings"
    BOARD = "board", "Partnership board"
    AUDIT = "audit", "Joint Audit Committee"


class Body(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    organisation = models.ForeignKey(  # the host, e.g. the council whose democratic services run it
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="bodies"
    )
    default_venue = models.CharField(max_length=300, blank=True)
    moderngov_id = models.CharField(max_length=50, blank=True)
    # The officer who supports the body (the Panel's scrutiny officer): an overdue action's
    # reminder escalates to them.
    support_officer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="bodies_supported"
    )
    history = versions()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice-chair", "Vice-chair"
    COUNCILLOR = "councillor", "Councillor member"
    CO_OPTED = "co-opted", "Co-opted member"
    INDEPENDENT = "independent", "Independent member"
    SUBSTITUTE = "substitute", "Named substitute"
    MEMBER = "member", "Member"


class Membership(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    representing = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)
    substitute_for = models.ForeignKey(  # a named substitute stands in for this member
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="substitutes"
    )

    class Meta:
        ordering = ["body", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "person", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.body}"
