"""Escalating reminders, run through a collection round and an overdue action with a fake clock,
delivered to a real SMTP server: each reminder arrives once, in order, to the right person."""

from __future__ import annotations

from datetime import date

import pytest
from cycle_fixtures import *  # noqa: F403 (the fixtures smtp, run and panel)

from oversight.accounts.actions import create_user
from oversight.accounts.roles import Role
from oversight.cycle.models import Reminder, ReminderStatus
from oversight.plans import actions as plans
from oversight.plans.models import Measure
from oversight.scrutiny.models import Action, ActionStatus

from conftest import PASSWORD

DUE = date(2026, 3, 10)  # collection policy: 7 days before, then 3 and 10 days after


@pytest.fixture
def round_(small_plan, cast):
    """A collection round due on DUE: the cast's provider owes 1.1 and 1.2; a second provider,
    with no email address, owes 2.1."""
    # The plan's milestone (due in 2013) is left out: it would be reminded of too.
    Measure.objects.filter(plan=small_plan, code="2.1").update(due=None)
    quiet = create_user("quiet-provider", password=PASSWORD, role=Role.PROVIDER, by="test")
    for code, who in (("1.1", cast[Role.PROVIDER]), ("1.2", cast[Role.PROVIDER]), ("2.1", quiet)):
        Measure.objects.get(plan=small_plan, code=code).providers.add(who)
    collection = plans.open_collection(small_plan, "2013/14 Q2", due=DUE, by=cast[Role.EDITOR])
    return collection, quiet


def to_and_subject(mails):
    return [(to, subject) for to, subject, _ in mails]


def test_a_collection_round_reminds_each_provider_then_escalates_once_each(smtp, run, round_, cast):
    collection, quiet = round_
    run(date(2026, 3, 2))  # eight days before: nothing yet
    assert smtp.take() == []

    run(date(2026, 3, 3))  # seven days before: the providers
    mails = smtp.take()
    assert to_and_subject(mails) == [
        ("provider@example.org", "Reminder: Figures for 2013/14 Q2 (Test Police and Crime Plan) "
         "from provider-user"),
    ]  # fmt: skip
    assert "due on 10 March 2026, in 7 day(s)" in mails[0][2]
    assert "2 of 2 figure(s) to enter: 1.1, 1.2" in mails[0][2]
    # The provider without an email is recorded, not skipped.
    unreached = Reminder.objects.get(status=ReminderStatus.NO_EMAIL)
    assert (unreached.recipient_name, unreached.step) == ("quiet-provider", 0)

    run(date(2026, 3, 3))  # the same day again, and the next: nothing new
    run(date(2026, 3, 4))
    assert smtp.take() == []

    # The first provider enters and submits both figures before the escalation.
    provider = cast[Role.PROVIDER]
    for code in ("1.1", "1.2"):
        m = Measure.objects.get(plan=collection.plan, code=code)
        obs = plans.record_observation(
            m, "2013/14 Q2", by=provider, value=5, basis="ytd", state="draft"
        )
        plans.submit_figure(obs, by=provider)

    run(date(2026, 3, 13))  # three days late: the editors, about the quiet provider only
    mails = smtp.take()
    assert to_and_subject(mails) == [
        ("editor@example.org", "Overdue: Figures for 2013/14 Q2 (Test Police and Crime Plan) "
         "from quiet-provider"),
    ]  # fmt: skip
    body = mails[0][2]
    assert "was due on 10 March 2026, 3 day(s) ago" in body
    assert "We could not email these people about it" in body
    assert "quiet-provider (not sent: no email address)" in body

    run(date(2026, 3, 19))
    assert smtp.take() == []
    run(date(2026, 3, 20))  # ten days late: the administrators
    assert to_and_subject(smtp.take()) == [
        ("administrator@example.org", "Overdue: Figures for 2013/14 Q2 (Test Police and Crime "
         "Plan) from quiet-provider"),
    ]  # fmt: skip
    for day in (date(2026, 3, 20), date(2026, 4, 30)):  # past the last step: nothing, ever
        run(day)
    assert smtp.take() == []
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3


def test_an_overdue_action_reminds_its_owner_then_the_support_officer_then_an_administrator(
    smtp, run, panel, cast
):
    body, owner, _ = panel
    action = Action.objects.create(
        body=body, ref="12.1", description="Report the 101 call answering times",
        owner="Olive Owner", owner_person=owner, due_date=date(2026, 3, 10),
    )  # fmt: skip
    answered = Action.objects.create(
        body=body, ref="12.2", description="Send the estates strategy",
        owner="Olive Owner", owner_person=owner, due_date=date(2026, 3, 10),
    )  # fmt: skip
    subject = "Action 12.1 of Testshire Police and Crime Panel: Report the 101 call answering times"
    run(date(2026, 3, 3))  # action policy: 7 days before, then 1 and 14 days after
    assert to_and_subject(smtp.take()) == [
        ("olive@example.org", f"Reminder: {subject}"),
        ("olive@example.org", "Reminder: Action 12.2 of Testshire Police and Crime Panel: "
         "Send the estates strategy"),
    ]  # fmt: skip
    answered.status, answered.answer = ActionStatus.ANSWERED, "Sent on 5 March"
    answered.save()

    run(date(2026, 3, 10))
    assert smtp.take() == []
    run(date(2026, 3, 11))
    mails = smtp.take()
    assert to_and_subject(mails) == [("officer@testshire.example", f"Overdue: {subject}")]
    assert "Responsible: Olive Owner." in mails[0][2]
    run(date(2026, 3, 24))
    assert to_and_subject(smtp.take()) == [("administrator@example.org", f"Overdue: {subject}")]
    run(date(2026, 3, 25))
    assert smtp.take() == []
    action.refresh_from_db()
    assert action.history.count() == 1  # reminding changes nothing in the action itself


def test_an_office_named_only_in_words_is_listed_to_the_editors_and_in_the_escalation(
    smtp, run, panel, cast, client
):
    body, _, _ = panel
    Action.objects.create(
        body=body, ref="7.3", description="Publish the precept consultation",
        owner="PCC", due_date=date(2026, 3, 10),
    )  # fmt: skip
    run(date(2026, 3, 3))
    assert smtp.take() == []
    client.force_login(cast[Role.EDITOR])
    page = client.get("/staff/reminders/").content.decode()
    assert "People we could not email" in page
    assert "PCC" in page and "Publish the precept consultation" in page
    run(date(2026, 3, 11))
    (to, _, text), *rest = smtp.take()
    assert to == "officer@testshire.example" and not rest
    assert "  - PCC (not sent: no email address)" in text


def test_a_body_without_a_support_officer_is_not_skipped_silently(smtp, run, panel):
    body, owner, _ = panel
    body.support_officer = None
    body.save()
    Action.objects.create(
        body=body, ref="1", description="d", owner="x", owner_person=owner,
        due_date=date(2026, 3, 10),
    )  # fmt: skip
    run(date(2026, 3, 11))
    assert [to for to, _, _ in smtp.take()] == ["olive@example.org"]
    nobody = Reminder.objects.get(status=ReminderStatus.NOBODY)
    assert nobody.step == 1


def test_a_refused_mail_is_recorded_and_tried_again_on_the_next_run(smtp, run, round_, settings):
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    run(date(2026, 3, 3))
    assert Reminder.objects.get(recipient_email="provider@example.org").status == "failed"
    settings.EMAIL_PORT = good_port
    run(date(2026, 3, 3))
    assert [to for to, _, _ in smtp.take()] == ["provider@example.org"]
    assert Reminder.objects.get(recipient_email="provider@example.org").status == "sent"


def test_two_runs_racing_for_the_same_reminder_send_it_once(smtp, run, round_):
    from oversight.cycle.reminders import _claim, due_items

    item = next(i for i in due_items(date(2026, 3, 3)) if "provider-user" in i.title)
    person = item.chain[0][0]
    first = _claim(item, 0, person, ReminderStatus.SENDING, date(2026, 3, 3))
    second = _claim(item, 0, person, ReminderStatus.SENDING, date(2026, 3, 3))
    assert first is not None and second is None
    run(date(2026, 3, 3))  # the claimed reminder is not sent again by a later run
    assert smtp.take() == []


def test_an_editor_changes_the_policy_and_the_steps_follow_it(smtp, run, round_, cast, client):
    client.force_login(cast[Role.EDITOR])
    url = "/staff/reminders/collection/"
    page = client.post(
        url, {"active": "on", "first_days_before": "2", "escalation_days": "5, 3"}
    ).content.decode()
    assert "each step must come later than the one before it" in page
    response = client.post(url, {"active": "on", "first_days_before": "2", "escalation_days": "1"})
    assert response.status_code == 302
    run(date(2026, 3, 3))
    assert smtp.take() == []  # now two days before, not seven
    run(date(2026, 3, 8))
    assert [to for to, _, _ in smtp.take()] == ["provider@example.org"]
    from oversight.cycle.models import ReminderPolicy

    assert ReminderPolicy.objects.get(kind="collection").history.count() == 2  # kept


def test_the_manual_reminder_button_names_the_providers_it_could_not_email(
    round_, cast, client, mailoutbox
):
    collection, _ = round_
    client.force_login(cast[Role.EDITOR])
    page = client.post(f"/staff/collections/{collection.pk}/remind/", follow=True)
    text = page.content.decode()
    assert "1 reminder email(s) sent." in text
    assert "Not reminded, for want of an email address: quiet-provider" in text
    assert [m.to for m in mailoutbox] == [["provider@example.org"]]


def test_a_milestone_reminds_its_provider_and_stops_once_recorded_complete(
    smtp, run, small_plan, cast
):
    provider = cast[Role.PROVIDER]
    milestone = Measure.objects.get(plan=small_plan, code="2.1")  # due 31 July 2013
    milestone.providers.add(provider)
    run(date(2013, 7, 16))
    assert smtp.take() == []
    run(date(2013, 7, 17))  # milestone policy: 14 days before, then 1 and 14 days after
    (to, subject, body), *rest = smtp.take()
    assert (to, subject, rest) == (
        "provider@example.org",
        "Reminder: Milestone 2.1 of Test Police and Crime Plan: Strategy in place",
        [],
    )
    assert "no status recorded yet" in body
    plans.record_observation(milestone, "2013/14 Q1", by=provider, status="complete")
    run(date(2013, 8, 1))  # complete: nobody is told it is late
    run(date(2013, 8, 14))
    assert smtp.take() == []


def test_an_action_typed_over_two_lines_is_reminded_on_one_subject_line(smtp, run, panel):
    # A line break in a mail header is refused by Django (BadHeaderError): the run crashed and
    # the reminder stayed "being sent" for ever.
    body, owner, _ = panel
    Action.objects.create(
        body=body, ref="7", description="Report the 101 figures\r\nand the 999 figures",
        owner="Olive Owner", owner_person=owner, due_date=date(2026, 3, 10),
    )  # fmt: skip
    run(date(2026, 3, 3))
    assert to_and_subject(smtp.take()) == [
        ("olive@example.org", "Reminder: Action 7 of Testshire Police and Crime Panel: "
         "Report the 101 figures and the 999 figures"),
    ]  # fmt: skip


def test_one_days_reminders_go_in_the_order_the_items_were_made():
    # item keys carry row ids; "action:10" sorted as text came before "action:9"
    from oversight.cycle.reminders import _natural

    keys = ["action:10", "action:9", "interest:2", "action:100"]
    assert sorted(keys, key=_natural) == ["action:9", "action:10", "action:100", "interest:2"]
