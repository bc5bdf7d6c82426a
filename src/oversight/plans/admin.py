"""The plan's records in the admin: administrators view each version and restore an earlier one."""

from django.contrib import admin

from oversight.audit.admin import VersionedAdmin

from .models import Area, Commentary, Measure, Narrative, Objective, Plan


@admin.register(Plan)
class PlanAdmin(VersionedAdmin):
    list_display = ["slug", "title", "starts", "ends"]


@admin.register(Area)
class AreaAdmin(VersionedAdmin):
    list_display = ["name", "code", "plan"]
    list_filter = ["plan"]


@admin.register(Objective)
class ObjectiveAdmin(VersionedAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]


@admin.register(Measure)
class MeasureAdmin(VersionedAdmin):
    list_display = ["__str__", "objective", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "name"]


@admin.register(Narrative)
class NarrativeAdmin(VersionedAdmin):
    list_display = ["period", "section", "objective", "key", "plan"]
    list_filter = ["plan", "period"]
    search_fields = ["title", "body"]


@admin.register(Commentary)
class CommentaryAdmin(VersionedAdmin):
    list_display = ["__str__", "area", "updated_at"]
    search_fields = ["text"]
