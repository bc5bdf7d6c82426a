"""A whole precept season through the real reminder job and a real SMTP server, the clock advanced
a day at a time from mid-January to March while the office records what happened: each precept
reminder arrives once, in the order of its dates, to the people whose step it is."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from cycle_fixtures import *  # noqa: F403 (the fixtures smtp, run and panel)

from oversight.accounts.roles import Role
from oversight.cycle.jobs import run_reminders
from oversight.cycle.models import Reminder
from oversight.scrutiny.actions import save_statutory_record
from oversight.scrutiny.models import (
    Body,
    BodyKind,
    PreceptCycle,
    PreceptDecision,
    StatutoryContact,
)

pytestmark = pytest.mark.django_db

OFFICE = "chief.executive@opcc.example"
PANEL_OFFICER = "panel.officer@council.example"


def test_the_precept_season_is_reminded_in_order_once_each_to_the_right_people(
    smtp, settings, cast
):
    editor, admin = cast[Role.EDITOR], cast[Role.ADMIN]
    body = Body.objects.create(slug="panel", name="Testshire PCP", kind=BodyKind.PANEL)
    StatutoryContact.objects.create(holder="pcc", name="Chief Executive", email=OFFICE)
    StatutoryContact.objects.create(holder="panel", name="Panel officer", email=PANEL_OFFICER)
    # What the office records, on the day it happens: the proposed precept on 1 February, the
    # Panel's veto (8 of 11 members in office) on 7 February, the revised precept on 14 February,
    # the Panel's review on 21 February and the precept issued on 28 February.
    entries = {
        date(2027, 2, 1): {"proposed_notified_on": date(2027, 2, 1)},
        date(2027, 2, 7): {
            "panel_report_on": date(2027, 2, 7),
            "decision": PreceptDecision.VETO_TOO_HIGH,
            "members_in_office": 11,
            "votes_for_veto": 8,
        },
        date(2027, 2, 14): {
            "revised_notified_on": date(2027, 2, 14),
            "revised_band_d": Decimal("265.00"),
        },
        date(2027, 2, 21): {"revised_report_on": date(2027, 2, 21)},
    }
    cycle = None
    received: list[tuple[date, str, str]] = []  # (day, to, subject)
    day = date(2027, 1, 10)
    while day <= date(2027, 3, 5):
        if day in entries:
            fields = {"proposed_band_d": Decimal("271.53"), **entries[day]}
            if cycle is None:
                cycle = PreceptCycle(year=2027, body=body, **fields)
            else:
                for name, value in fields.items():
                    setattr(cycle, name, value)
            cycle = save_statutory_record(cycle, by=editor)
        settings.OVERSIGHT_TODAY = day.isoformat()
        run_reminders()
        run_reminders()  # however often the job runs
        received += [(day, to, subject) for to, subject, _ in smtp.take()]
        day += timedelta(days=1)

    sent = Reminder.objects.filter(kind="statutory", item_key__startswith="precept:2027:")
    assert sent.exists()
    # Once each: never the same item, step and person twice, and one mail per reminder.
    keys = [(r.item_key, r.step, r.recipient_email) for r in sent]
    assert len(keys) == len(set(keys))
    assert (
        len([m for m in received if "precept" in m[2].lower()])
        == sent.filter(status="sent").count()
    )
    first = {}
    for r in sent.order_by("on", "pk"):
        first.setdefault(r.item_key, r)
    # The right people: the PCC's steps go first to the office, the Panel's to its officer.
    by_step = {key.split(":")[-1]: r.recipient_email for key, r in first.items()}
    assert by_step["proposed"] == OFFICE
    assert by_step["panel-report"] == PANEL_OFFICER
    assert by_step["revised"] == OFFICE
    assert by_step["revised-report"] == PANEL_OFFICER
    # In order: each step's first reminder comes no later than the next step's.
    order = ["proposed", "panel-report", "revised", "revised-report", "issued"]
    days = [first[f"precept:2027:{s}"].on for s in order if f"precept:2027:{s}" in first]
    assert days == sorted(days) and len(days) >= 4
    # Nothing is sent about a step once it is recorded done; the issue of the precept (never
    # recorded) is reminded to the office 14 and 3 days before 1 March, then, overdue, to the
    # administrators the day after.
    done_on = {
        "proposed": date(2027, 2, 1),
        "panel-report": date(2027, 2, 7),
        "revised": date(2027, 2, 14),
        "revised-report": date(2027, 2, 21),
    }
    for step, done in done_on.items():
        assert not sent.filter(item_key=f"precept:2027:{step}", on__gte=done).exists(), step
        assert not sent.filter(item_key=f"precept:2027:{step}", recipient_email=admin.email)
    issued = sent.filter(item_key="precept:2027:issued").order_by("step")
    assert [(r.on, r.recipient_email) for r in issued] == [
        (date(2027, 2, 15), OFFICE),
        (date(2027, 2, 26), OFFICE),
        (date(2027, 3, 2), admin.email),
    ]
