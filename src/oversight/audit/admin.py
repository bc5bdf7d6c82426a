"""What every versioned model's admin shares: administrators view each record and its history and
restore an earlier version; nothing is edited here.

Records are read-only in the admin because a change made there would skip the rules and the audit
entry the workspace's actions apply. django-simple-history's own revert saves the old version
through the admin form (any user who may *view* the record could post it) and writes no audit
entry; here a revert is for administrators only and goes through `history.restore`, one
transaction with an audit entry (so the public page cache, keyed on the newest entry, refreshes).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from simple_history.admin import SimpleHistoryAdmin

from oversight.accounts.roles import Role, role_of

from .history import restore


class VersionedAdmin(SimpleHistoryAdmin):
    history_list_display = ["actor"]

    @admin.display(description="by")
    def actor(self, version):
        return version.history_actor

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_history_permission(self, request, obj=None) -> bool:
        return role_of(request.user) == Role.ADMIN

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.get_fields() if f.concrete and f.editable]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        if not self.has_change_history_permission(request):
            raise PermissionDenied
        history = self.model.history.model
        version = get_object_or_404(
            history, **{self.model._meta.pk.attname: object_id, "history_id": version_id}
        )
        back = redirect(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history",
            object_id,
        )
        gone = _missing_links(version)
        if gone:
            self.message_user(
                request,
                f"This version cannot be restored: it points to {', '.join(gone)}, since "
                "removed. Restore that first.",
                messages.ERROR,
            )
            return back
        try:
            with transaction.atomic():
                obj = restore(version, by=request.user)
        except IntegrityError as exc:
            self.message_user(
                request, f"This version cannot be restored as it stands: {exc}", messages.ERROR
            )
            return back
        self.log_change(request, obj, f"Restored version {version.history_id}.")
        self.message_user(
            request,
            f"Version {version.history_id} of {version.history_date:%-d %B %Y %H:%M} restored; "
            "the version it replaced stays in the history.",
            messages.SUCCESS,
        )
        return back


def _missing_links(version) -> list[str]:
    """The records a version's foreign keys point to that no longer exist."""
    gone = []
    for field in version.instance_type._meta.concrete_fields:
        if not field.many_to_one:
            continue
        value = getattr(version, field.attname)
        if value is not None and not field.related_model.objects.filter(pk=value).exists():
            gone.append(f"{field.related_model._meta.verbose_name} {value}")
    return gone
