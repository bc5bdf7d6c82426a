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
    Declaration,
    Finding,
    FindingUpdate,
    InspectionReport,
    Meeting,
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
