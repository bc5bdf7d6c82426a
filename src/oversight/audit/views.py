"""The audit log as a page, for administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from oversight.accounts.access import require
from oversight.audit.models import AuditEntry


@require()  # administrators only
def audit_log(request):
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions_list = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(
        request,
        "audit/log.html",
        {"page": page, "action": action, "actions": sorted(set(actions_list))},
    )
