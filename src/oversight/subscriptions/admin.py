"""Subscriptions in the admin: administrators see each one's state and history (read-only)."""

from django.contrib import admin

from oversight.audit.admin import VersionedAdmin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(VersionedAdmin):
    list_display = ["__str__", "state", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["target_kind"]
