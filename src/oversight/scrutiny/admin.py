"""Scrutiny records in the admin: administrators view each version of a meeting, its minutes,
actions and HMICFRS findings, and restore an earlier one."""

from django.contrib import admin

from oversight.audit.admin import VersionedAdmin

from .models import (
    Action,
    ActionUpdate,
    AdHocRequest,
    AgendaItem,
    Attendance,
    Body,
    Declaration,
    Finding,
    FindingUpdate,
    InspectionReport,
    Meeting,
    Person,
    PublicQuestion,
    Resolution,
    WorkProgrammeItem,
)


@admin.register(Meeting)
class MeetingAdmin(VersionedAdmin):
    list_display = ["__str__", "status"]
    list_filter = ["body"]


@admin.register(AgendaItem)
class AgendaItemAdmin(VersionedAdmin):
    list_display = ["__str__", "meeting"]
    search_fields = ["title", "minutes"]


@admin.register(Action)
class ActionAdmin(VersionedAdmin):
    list_display = ["__str__", "body", "status"]
    list_filter = ["body", "status"]
    search_fields = ["ref", "description"]


@admin.register(Person)
class PersonAdmin(VersionedAdmin):
    """A person's email (or user account) is where their actions' reminders go."""

    list_display = ["name", "title", "email", "user"]
    search_fields = ["name", "formal_name", "email"]


@admin.register(Body)
class BodyAdmin(VersionedAdmin):
    list_display = ["name", "kind", "support_officer"]


@admin.register(Finding)
class FindingAdmin(VersionedAdmin):
    list_display = ["__str__", "report", "status"]


for model in (
    Resolution,
    Attendance,
    Declaration,
    PublicQuestion,
    WorkProgrammeItem,
    ActionUpdate,
    AdHocRequest,
    InspectionReport,
    FindingUpdate,
):
    admin.site.register(model, VersionedAdmin)
