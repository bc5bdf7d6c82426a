"""Reminder policies (versioned: administrators restore an earlier one) and the ledger of every
reminder (read only: it is the record of what was sent)."""

from django.contrib import admin

from oversight.audit.admin import VersionedAdmin

from .models import Reminder, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(VersionedAdmin):
    list_display = ["kind", "label", "active", "first_days_before", "escalation_days"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["title", "step", "recipient_name", "recipient_email", "status", "on"]
    list_filter = ["status", "kind", "step"]
    search_fields = ["title", "recipient_name", "recipient_email", "item_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
