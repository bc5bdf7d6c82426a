"""The statutory calendar: its provider's items and keys, the page and feed for staff and the Panel
(refused to everyone else), the dashboard's overdue items, the records' checks and history, and a
precept season walked day by day as the office enters what happened."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils.module_loading import import_string

from oversight.accounts.roles import Role
from oversight.lib import statutory as law
from oversight.lib.audience import Audience
from oversight.lib.problems import Refused
from oversight.scrutiny.actions import save_statutory_record
from oversight.scrutiny.calendar import calendar_entries, overdue_statutory, statutory_due_items
from oversight.scrutiny.models import (
    Body,
    BodyKind,
    InspectionReport,
    Meeting,
    MeetingStatus,
    PreceptCycle,
    PreceptDecision,
    ProposedAppointment,
    StatutoryContact,
    WorkProgrammeItem,
)

pytestmark = pytest.mark.django_db

PROVIDER = "oversight.scrutiny.calendar.statutory_due_items"


@pytest.fixture
def panel(db):
    return Body.objects.create(
        slug="panel", name="Testshire Police and Crime Panel", kind=BodyKind.PANEL
    )


def states(today: date) -> dict[str, law.State]:
    entries = calendar_entries(date(2027, 1, 1), date(2027, 3, 31), today, audience=Audience.STAFF)
    return {e.key: e.state for e in entries}


def words(today: date, key: str) -> str:
    entries = calendar_entries(date(2027, 1, 1), date(2027, 3, 31), today, audience=Audience.STAFF)
    return next(e.words for e in entries if e.key == key)


# ---------------------------------------------------------------- the provider


def test_the_provider_is_registered_and_gives_each_statutory_item_a_stable_key(
    settings, panel, editor
):
    assert PROVIDER in settings.OVERSIGHT_DUE_PROVIDERS
    report = InspectionReport.objects.create(
        slug="peel-2026",
        title="PEEL 2026",
        kind="peel",
        published=date(2026, 12, 1),
        force_inspected=True,
    )
    national = InspectionReport.objects.create(
        slug="thematic", title="A thematic", kind="thematic", published=date(2026, 12, 2)
    )
    hearing = ProposedAppointment.objects.create(
        post=law.Post.CHIEF_CONSTABLE, candidate="A. Candidate", notified_on=date(2027, 1, 5)
    )
    items = import_string(PROVIDER)(date(2027, 1, 15))
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys))
    assert {i.kind for i in items} == {"statutory"}
    for key in (
        "precept:2027:proposed",
        "precept:2027:panel-report",
        "precept:2027:issued",
        "precept:2027:published",
        f"hmicfrs:{report.slug}:s55",
        f"confirmation:{hearing.pk}:report",
        "annual-report:2025:sent",
    ):
        assert key in keys, key
    # Revised-precept steps apply only after a veto; a national report owes no response.
    assert "precept:2027:revised" not in keys and f"hmicfrs:{national.slug}:s55" not in keys
    due = {i.key: i for i in items}
    assert due[f"hmicfrs:{report.slug}:s55"].due == date(2027, 1, 25)
    assert due[f"confirmation:{hearing.pk}:report"].due == date(2027, 1, 25)
    assert "Sch 8 para 4(6)" in due[f"confirmation:{hearing.pk}:report"].source
    assert due["precept:2027:proposed"].source_url.startswith(
        "http://www.legislation.gov.uk/uksi/2012/2271"
    )
    assert (
        due["precept:2027:proposed"].state == "no record yet"
        and not due["precept:2027:proposed"].done
    )
    assert [i.key for i in statutory_due_items(date(2027, 1, 15))] == keys  # the same every run


def test_each_item_tells_the_people_responsible_first_then_the_administrators(panel, editor, admin):
    StatutoryContact.objects.create(holder=law.Holder.PCC, user=editor, title="Chief Executive")
    StatutoryContact.objects.create(
        holder=law.Holder.PANEL, name="Pat Support", title="Support officer"
    )
    items = {i.key: i for i in statutory_due_items(date(2027, 1, 15))}
    pcc = items["precept:2027:proposed"].chain
    # the first reminder and the nudge before the date to them, the step after it to admins
    assert [[r.email for r in step] for step in pcc] == [
        [editor.email],
        [editor.email],
        [admin.email],
    ]
    assert pcc[0][0].user_id == editor.pk
    first = items["precept:2027:panel-report"].chain[0]
    assert [(r.name, r.email) for r in first] == [
        ("Pat Support", "")
    ]  # no email: listed, not dropped


def test_with_no_one_named_the_administrators_are_told_first(panel, admin):
    chain = {i.key: i for i in statutory_due_items(date(2027, 1, 15))}[
        "precept:2027:proposed"
    ].chain
    assert [[r.user_id for r in step] for step in chain] == [[admin.pk], [admin.pk], [admin.pk]]


def test_the_public_gets_no_calendar_entries(panel):
    assert (
        calendar_entries(
            date(2027, 1, 1), date(2027, 3, 31), date(2027, 2, 2), audience=Audience.PUBLIC
        )
        == []
    )
    assert calendar_entries(
        date(2027, 1, 1), date(2027, 3, 31), date(2027, 2, 2), audience=Audience.PANEL
    )


def test_the_panels_meetings_and_work_programme_are_on_the_calendar_but_not_reminded(panel):
    held = Meeting.objects.create(
        body=panel, date=date(2027, 2, 5), status=MeetingStatus.HELD, title="Precept"
    )
    WorkProgrammeItem.objects.create(
        body=panel, title="Annual report review", planned_for="2027-03"
    )
    entries = {
        e.key: e
        for e in calendar_entries(
            date(2027, 1, 1), date(2027, 3, 31), date(2027, 4, 2), audience=Audience.STAFF
        )
    }
    assert entries[f"meeting:{held.pk}"].state is law.State.DONE
    wp = next(e for k, e in entries.items() if k.startswith("work-programme:"))
    assert wp.month_only and wp.state is law.State.OVERDUE and "not on an agenda" in wp.words
    provided = {i.key for i in statutory_due_items(date(2027, 2, 2))}
    assert not any(k.startswith(("meeting:", "work-programme:")) for k in provided)


# ---------------------------------------------------------------- the records' checks


def test_a_veto_short_of_two_thirds_of_the_members_in_office_is_refused_and_nothing_saved(
    panel, editor
):
    cycle = PreceptCycle(
        year=2027,
        proposed_notified_on=date(2027, 1, 30),
        panel_report_on=date(2027, 2, 6),
        decision=PreceptDecision.VETO_TOO_HIGH,
        members_in_office=10,
        votes_for_veto=6,
        revised_band_d=Decimal("300.00"),
    )
    with pytest.raises(Refused, match=r"two-thirds of the 10 members in office \(7\); 6 voted"):
        save_statutory_record(cycle, by=editor)
    assert not PreceptCycle.objects.exists()


def test_every_problem_of_a_record_is_named_at_once(panel, editor):
    cycle = PreceptCycle(
        year=2027,
        proposed_notified_on=date(2027, 2, 3),
        panel_report_on=date(2027, 2, 1),
        decision=PreceptDecision.SUPPORTED,
        members_in_office=10,
        votes_for_veto=8,
        revised_notified_on=date(2027, 2, 14),
    )
    with pytest.raises(Refused) as refused:
        save_statutory_record(cycle, by=editor)
    text = str(refused.value)
    assert "which carries it (7 needed): record the veto" in text
    assert "a revised precept follows only a veto" in text
    assert "earlier than the proposed precept's notification" in text


def test_a_revised_precept_must_move_the_way_the_veto_said(panel, editor):
    cycle = PreceptCycle(
        year=2027,
        proposed_band_d=Decimal("250.00"),
        decision=PreceptDecision.VETO_TOO_HIGH,
        panel_report_on=date(2027, 2, 7),
        members_in_office=9,
        votes_for_veto=6,
        revised_band_d=Decimal("255.00"),
    )
    with pytest.raises(Refused, match="must be lower"):
        save_statutory_record(cycle, by=editor)
    cycle.revised_band_d = Decimal("245.00")
    save_statutory_record(cycle, by=editor)
    assert PreceptCycle.objects.get().revised_band_d == Decimal("245.00")


def test_only_a_chief_constable_can_be_vetoed(panel, editor):
    proposed = ProposedAppointment(
        post=law.Post.DEPUTY_PCC,
        candidate="B. Deputy",
        notified_on=date(2027, 1, 5),
        report_on=date(2027, 1, 20),
        outcome="vetoed",
        members_in_office=10,
        votes_for_veto=9,
    )
    with pytest.raises(Refused, match="only a proposed chief constable"):
        save_statutory_record(proposed, by=editor)


def test_every_change_of_a_precept_record_keeps_its_previous_version(panel, editor):
    cycle = save_statutory_record(
        PreceptCycle(year=2027, proposed_notified_on=date(2027, 1, 29)), by=editor
    )
    cycle.proposed_band_d = Decimal("271.53")
    save_statutory_record(cycle, by=editor)
    versions = list(cycle.history.order_by("history_id"))
    assert [v.proposed_band_d for v in versions] == [None, Decimal("271.53")]
    assert versions[-1].history_user_id == editor.pk


# ---------------------------------------------------------------- pages and feeds


@pytest.mark.parametrize(
    "role, status",
    [(None, 302), (Role.PROVIDER, 403), (Role.PANEL, 200), (Role.EDITOR, 200), (Role.ADMIN, 200)],
)
def test_the_calendar_page_is_for_staff_and_the_panel_only(client, cast, panel, role, status):
    if role is not None:
        client.force_login(cast[role])
    assert client.get("/scrutiny/calendar/").status_code == status
    assert client.get("/scrutiny/calendar/statutory.ics").status_code == status


def test_the_calendar_shows_each_item_with_its_date_who_source_and_state(
    client, editor, panel, settings
):
    settings.OVERSIGHT_TODAY = "2027-02-02"
    client.force_login(editor)
    page = client.get("/scrutiny/calendar/?year=2026").text
    assert "Statutory calendar 2026/27" in page
    assert (
        "1 February 2027" in page
        and "The PCC notifies the Panel of the proposed precept for 2027/28" in page
    )
    assert 'href="http://www.legislation.gov.uk/uksi/2012/2271/part/2/made"' in page
    assert "SI 2012/2271 reg. 3" in page and "The PCC&#x27;s office" in page
    assert ">Overdue</strong> overdue by 1 day: no record yet" in page
    assert ">Not applicable</strong> applies only if the Panel vetoes" in page
    assert "from Panel guidance, not the law&#x27;s own text" in page  # the 22 February date
    assert "Record a precept cycle" in page


def test_a_panel_member_reads_the_calendar_without_the_staff_forms(
    client, panel_member, panel, settings
):
    settings.OVERSIGHT_TODAY = "2027-02-02"
    client.force_login(panel_member)
    page = client.get("/scrutiny/calendar/?year=2026").text
    assert "The Panel reports to the PCC on the proposed precept for 2027/28" in page
    assert "Record a precept cycle" not in page and "/calendar/records/" not in page
    assert 'href="/scrutiny/calendar/">Statutory calendar</a>' in page  # in the site's menu
    assert client.get("/scrutiny/calendar/records/precept/new/").status_code == 403


def test_an_unknown_year_is_not_found(client, editor, panel):
    client.force_login(editor)
    assert client.get("/scrutiny/calendar/?year=abc").status_code == 404
    assert client.get("/scrutiny/calendar/?year=1999").status_code == 404


def test_the_ical_feed_parses_and_carries_each_item_with_its_source(
    client, editor, panel, settings
):
    from icalendar import Calendar

    settings.OVERSIGHT_TODAY = "2027-02-02"
    InspectionReport.objects.create(
        slug="peel", title="PEEL", kind="peel", published=date(2027, 1, 10), force_inspected=True
    )
    client.force_login(editor)
    response = client.get("/scrutiny/calendar/statutory.ics?year=2026")
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    expected = {
        e.key
        for y in (2026, 2027)
        for e in calendar_entries(
            date(y, 4, 1), date(y + 1, 3, 31), date(2027, 2, 2), audience=Audience.STAFF
        )
        if not e.month_only
    }
    assert {uid.removesuffix("@oversight") for uid in events} == expected
    proposed = events["precept:2027:proposed@oversight"]
    assert proposed.decoded("dtstart") == date(2027, 2, 1)
    assert "[overdue]" in str(proposed["summary"])
    assert "Source: SI 2012/2271 reg. 3" in str(proposed["description"])
    assert "legislation.gov.uk/uksi/2012/2271" in str(proposed["description"])
    assert "Police Act 1996 s.55(5A)" in str(events["hmicfrs:peel:s55@oversight"]["description"])
    for event in events.values():
        if not str(event["uid"]).startswith(("meeting:", "work-programme:")):
            assert "Source: " in str(event["description"])


def test_a_private_feed_link_works_without_signing_in_until_the_password_changes(
    client, panel_member, panel
):
    from oversight.scrutiny.calendar_views import feed_token

    url = f"/scrutiny/calendar/private/{feed_token(panel_member)}.ics"
    assert client.get(url).status_code == 200
    assert client.get("/scrutiny/calendar/private/forged.ics").status_code == 404
    panel_member.set_password("another long passphrase 99")
    panel_member.save()
    assert client.get(url).status_code == 404


def test_a_private_feed_link_of_a_user_without_a_role_is_refused(client, outsider, provider, panel):
    from oversight.scrutiny.calendar_views import feed_token

    for user in (outsider, provider):
        assert client.get(f"/scrutiny/calendar/private/{feed_token(user)}.ics").status_code == 404


def test_the_dashboard_shows_an_overdue_statutory_item_in_words(client, editor, panel, settings):
    settings.OVERSIGHT_TODAY = "2027-02-01"
    client.force_login(editor)
    page = client.get("/staff/").text
    assert "proposed precept for 2027/28" not in page  # due today: not yet overdue
    settings.OVERSIGHT_TODAY = "2027-02-02"
    page = client.get("/staff/").text
    assert "Overdue statutory items" in page
    assert ">Overdue</strong>" in page
    assert "The PCC notifies the Panel of the proposed precept for 2027/28" in page
    assert "due 1 February 2027" in page and "overdue by 1 day: no record yet" in page


def test_an_editor_records_the_precept_through_the_form(client, editor, panel):
    client.force_login(editor)
    form = client.get("/scrutiny/calendar/records/precept/new/?year=2027")
    assert 'value="2027"' in form.text
    response = client.post(
        "/scrutiny/calendar/records/precept/new/",
        {
            "year": "2027",
            "proposed_notified_on": "2027-01-28",
            "proposed_band_d": "271.53",
            "version": "0",
        },
    )
    assert response.status_code == 302
    cycle = PreceptCycle.objects.get(year=2027)
    refused = client.post(
        f"/scrutiny/calendar/records/precept/{cycle.pk}/",
        {
            "year": "2027",
            "proposed_notified_on": "2027-01-28",
            "panel_report_on": "2027-02-05",
            "decision": PreceptDecision.VETO_TOO_HIGH,
            "members_in_office": "12",
            "votes_for_veto": "7",
            "version": "0",
        },
    )
    assert refused.status_code == 200
    assert (
        "a veto needs at least two-thirds of the 12 members in office (8); 7 voted for it"
        in refused.text
    )
    cycle.refresh_from_db()
    assert cycle.decision == ""


# ---------------------------------------------------------------- a precept season, day by day


def test_a_precept_season_from_1_to_22_february_changes_state_as_records_are_entered(panel, editor):
    key = "precept:2027:"
    # 1 February: nothing recorded yet; the PCC's step is due today, not overdue.
    assert states(date(2027, 2, 1))[key + "proposed"] is law.State.DUE
    assert states(date(2027, 2, 1))[key + "revised"] is law.State.NOT_APPLICABLE
    # 2 February: the day after, with no record, it is overdue (and on the dashboard).
    assert states(date(2027, 2, 2))[key + "proposed"] is law.State.OVERDUE
    overdue = [e.key for e in overdue_statutory(date(2027, 2, 2))]
    # Last year's precept closed on 1 April 2026: shown on the calendar, no longer chased.
    assert [k for k in overdue if k.startswith("precept:")] == [key + "proposed"]
    cycle = save_statutory_record(
        PreceptCycle(
            year=2027,
            body=panel,
            proposed_notified_on=date(2027, 2, 1),
            proposed_band_d=Decimal("271.53"),
        ),
        by=editor,
    )
    day = states(date(2027, 2, 2))
    assert day[key + "proposed"] is law.State.DONE and day[key + "panel-report"] is law.State.DUE
    assert not [e for e in overdue_statutory(date(2027, 2, 2)) if e.key.startswith("precept:")]
    assert words(date(2027, 2, 2), key + "proposed") == "done on 1 February 2027 (Band D £271.53)"
    # 7 February: the Panel votes 7 of 10 members in office to veto it as too high.
    cycle.panel_report_on = date(2027, 2, 7)
    cycle.decision = PreceptDecision.VETO_TOO_HIGH
    cycle.members_in_office, cycle.votes_for_veto = 10, 7
    save_statutory_record(cycle, by=editor)
    day = states(date(2027, 2, 8))
    assert day[key + "panel-report"] is law.State.DONE
    assert day[key + "revised"] is law.State.DUE and day[key + "revised-report"] is law.State.DUE
    assert "7 of 10 members in office voted for a veto; 7 needed" in words(
        date(2027, 2, 8), key + "panel-report"
    )
    # 16 February: no revised precept recorded by the 15th, so it is overdue.
    assert states(date(2027, 2, 15))[key + "revised"] is law.State.DUE
    assert states(date(2027, 2, 16))[key + "revised"] is law.State.OVERDUE
    cycle.revised_notified_on, cycle.revised_band_d = date(2027, 2, 16), Decimal("265.00")
    save_statutory_record(cycle, by=editor)
    assert states(date(2027, 2, 16))[key + "revised"] is law.State.DONE
    assert "1 day after the deadline" in words(date(2027, 2, 16), key + "revised")
    # 22 February: the Panel's report on the revised precept is due today, then done.
    assert states(date(2027, 2, 22))[key + "revised-report"] is law.State.DUE
    cycle.revised_report_on = date(2027, 2, 22)
    save_statutory_record(cycle, by=editor)
    day = states(date(2027, 2, 22))
    assert day[key + "revised-report"] is law.State.DONE
    assert day[key + "issued"] is law.State.DUE
    provided = {i.key: i for i in statutory_due_items(date(2027, 2, 22))}
    assert provided[key + "revised-report"].done and not provided[key + "issued"].done


def test_without_a_veto_the_revised_precept_steps_do_not_apply(panel, editor):
    save_statutory_record(
        PreceptCycle(
            year=2027,
            proposed_notified_on=date(2027, 1, 30),
            panel_report_on=date(2027, 2, 6),
            decision=PreceptDecision.RECOMMENDATIONS,
            members_in_office=10,
            votes_for_veto=2,
        ),
        by=editor,
    )
    assert states(date(2027, 2, 20))["precept:2027:revised"] is law.State.NOT_APPLICABLE
    assert "did not veto" in words(date(2027, 2, 20), "precept:2027:revised")
    assert "precept:2027:revised" not in {i.key for i in statutory_due_items(date(2027, 2, 20))}


def test_a_veto_reported_after_8_february_lapses_and_no_revised_precept_is_due(panel, editor):
    save_statutory_record(
        PreceptCycle(
            year=2027,
            proposed_notified_on=date(2027, 1, 30),
            panel_report_on=date(2027, 2, 10),
            decision=PreceptDecision.VETO_TOO_LOW,
            members_in_office=9,
            votes_for_veto=6,
        ),
        by=editor,
    )
    assert states(date(2027, 2, 20))["precept:2027:revised"] is law.State.NOT_APPLICABLE
    assert "reg. 4(2)" in words(date(2027, 2, 20), "precept:2027:revised")


def test_with_everything_recorded_the_dashboard_says_nothing_is_overdue(
    client, editor, panel, settings
):
    from oversight.scrutiny.models import AnnualReport

    settings.OVERSIGHT_TODAY = "2026-10-01"
    meeting = Meeting.objects.create(body=panel, date=date(2026, 7, 1), status=MeetingStatus.HELD)
    AnnualReport.objects.create(year=2025, sent_on=date(2026, 6, 15), meeting=meeting)
    PreceptCycle.objects.create(
        year=2026,
        proposed_notified_on=date(2026, 1, 30),
        panel_report_on=date(2026, 2, 6),
        decision=PreceptDecision.SUPPORTED,
        issued_on=date(2026, 2, 20),
        published_on=date(2026, 3, 20),
    )
    client.force_login(editor)
    assert "No statutory date has passed without a record." in client.get("/staff/").text


def test_a_meeting_known_only_by_its_month_is_overdue_only_once_the_month_has_passed(panel):
    Meeting.objects.create(body=panel, date=date(2027, 3, 1), date_provisional=True)

    def meeting_on(today: date):
        found = calendar_entries(
            date(2027, 1, 1), date(2027, 3, 31), today, audience=Audience.STAFF
        )
        return next(e for e in found if e.key.startswith("meeting:"))

    assert meeting_on(date(2027, 3, 31)).state is law.State.DUE
    assert meeting_on(date(2027, 3, 31)).due_label == "March 2027"
    assert meeting_on(date(2027, 4, 1)).state is law.State.OVERDUE


def test_the_annual_report_and_its_public_meeting_follow_the_record(panel, editor):
    from oversight.scrutiny.models import AnnualReport

    def on(today: date) -> dict[str, law.State]:
        found = calendar_entries(
            date(2026, 4, 1), date(2027, 3, 31), today, audience=Audience.STAFF
        )
        return {e.key: e.state for e in found if e.key.startswith("annual-report:2025")}

    assert on(date(2026, 9, 30)) == {
        "annual-report:2025:sent": law.State.DUE,
        "annual-report:2025:meeting": law.State.DUE,
    }
    assert set(on(date(2026, 10, 1)).values()) == {law.State.OVERDUE}
    meeting = Meeting.objects.create(body=panel, date=date(2026, 11, 12))
    save_statutory_record(
        AnnualReport(year=2025, sent_on=date(2026, 10, 2), meeting=meeting), by=editor
    )
    assert on(date(2026, 11, 1)) == {
        "annual-report:2025:sent": law.State.DONE,
        "annual-report:2025:meeting": law.State.DUE,
    }
    meeting.status = MeetingStatus.HELD
    meeting.save()
    assert set(on(date(2026, 11, 13)).values()) == {law.State.DONE}
