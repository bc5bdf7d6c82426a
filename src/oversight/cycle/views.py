"""My items (every signed-in person's due items) and the editors' reminders page: the policy for
each kind, the people the reminders could not reach, and what was sent lately."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from oversight.accounts.access import require
from oversight.accounts.roles import EDITORS, SIGNED_IN
from oversight.audit.history import Conflict, version_of
from oversight.core.clock import today
from oversight.lib.due import DueItem
from oversight.lib.problems import Refused

from .actions import update_policy
from .forms import PolicyForm
from .models import NOT_REACHED, Reminder, ReminderPolicy
from .reminders import due_items

RECENT = 50  # reminders listed on the editors' page


def is_theirs(item: DueItem, user) -> bool:
    """The user is among the people responsible (step 0): by account, or by the same email."""
    email = (user.email or "").lower()
    first = item.chain[0] if item.chain else ()
    return any(r.user_id == user.pk or (email and r.email.lower() == email) for r in first)


def state_words(item: DueItem, day: date) -> str:
    if item.done:
        return "Done"
    late = item.days_overdue(day)
    if late:
        return f"Overdue by {late} day{'s' if late != 1 else ''}"
    return "Due today" if item.due == day else "Not yet due"


@require(*SIGNED_IN)
def my_items(request):
    day = today()
    mine = sorted(
        (i for i in due_items(day) if is_theirs(i, request.user)),
        key=lambda i: (i.due, i.key),
        reverse=True,
    )
    rows = [(i, state_words(i, day)) for i in mine]
    return render(
        request,
        "cycle/my_items.html",
        {
            "to_do": [(i, w) for i, w in rows if not i.done],
            "done": [(i, w) for i, w in rows if i.done],
            "today": day,
        },
    )


@require(*EDITORS)
def reminders(request):
    day = today()
    open_keys = {i.key for i in due_items(day) if not i.done}
    unreached = [
        r
        for r in Reminder.objects.filter(status__in=NOT_REACHED).order_by("due", "item_key", "step")
        if r.item_key in open_keys
    ]
    return render(
        request,
        "cycle/reminders.html",
        {
            "policies": ReminderPolicy.objects.all(),
            "unreached": unreached,
            "recent": Reminder.objects.select_related("user")[:RECENT],
            "today": day,
        },
    )


@require(*EDITORS)
def policy_edit(request, kind: str):
    policy = get_object_or_404(ReminderPolicy, kind=kind)
    form = PolicyForm(
        request.POST or None,
        initial={
            "active": policy.active,
            "first_days_before": policy.first_days_before,
            "escalation_days": policy.escalation_days,
        },
        version=version_of(policy),
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_policy(
                policy,
                active=form.cleaned_data["active"],
                first_days_before=form.cleaned_data["first_days_before"],
                escalation_days=form.cleaned_data["escalation_days"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except Conflict as exc:
            form.conflict(exc)
        except Refused as exc:
            form.add_error("escalation_days", str(exc))
        else:
            messages.success(request, f"Reminders for {policy} saved.")
            return redirect("cycle:reminders")
    return render(request, "cycle/policy_edit.html", {"policy": policy, "form": form})
