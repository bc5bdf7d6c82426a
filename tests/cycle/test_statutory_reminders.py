"""The reminder job reads every provider in OVERSIGHT_DUE_PROVIDERS, the statutory calendar's too:
its dates are reminded by the same steps, once each."""

from __future__ import annotations

from datetime import date

from cycle_fixtures import *  # noqa: F403 (the fixtures smtp, run and panel)

from oversight.accounts.roles import Role
from oversight.cycle.jobs import run_reminders
from oversight.cycle.models import Reminder


def test_the_precept_deadline_is_reminded_once_through_the_same_job(smtp, settings, cast):
    assert STATUTORY in settings.OVERSIGHT_DUE_PROVIDERS  # noqa: F405
    settings.OVERSIGHT_TODAY = "2027-01-20"  # the proposed precept is due to the Panel on 1 Feb
    run_reminders()
    mails = smtp.take()
    statutory = Reminder.objects.filter(kind="statutory", status="sent")
    assert statutory.exists()
    assert {r.recipient_email for r in statutory} == {cast[Role.ADMIN].email}
    assert len(mails) == statutory.count()
    assert any("1 February 2027" in body for _, _, body in mails)
    run_reminders()
    assert smtp.take() == []
    assert date(2027, 1, 20) in {r.on for r in statutory}
