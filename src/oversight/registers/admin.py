"""The register items in the admin: administrators view each version (with the objectives it was
linked to) and restore an earlier one."""

from django.contrib import admin

from oversight.audit.admin import VersionedAdmin

from .models import Bid, Contract, Decision, Disposal, Grant, GrantProgramme


class RegisterItemAdmin(VersionedAdmin):
    list_display = ["identifier", "__str__", "updated_at"]
    search_fields = ["identifier"]


for model in (Decision, GrantProgramme, Grant, Contract, Bid, Disposal):
    admin.site.register(model, RegisterItemAdmin)
