"""ModernGov XML import: the shared hand-written fixtures and this project's own, written from the
shared notes on the service's element names."""

import json
from datetime import date, time
from pathlib import Path

import pytest

from oversight.lib.problems import ImportRefused
from oversight.scrutiny.moderngov import import_moderngov, read_moderngov

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.shared
def test_the_shared_committees_fixture_parses_as_its_expected_output(shared_data):
    folder = shared_data("moderngov", "fixtures_handwritten_by_others")
    expected = json.loads((folder / "expected_GetCommittees_parse.json").read_text())
    spec = read_moderngov(folder / "GetCommittees_senedd_style_fixture.xml")
    first = spec.committees[0]
    assert (first.moderngov_id, first.title, first.category) == (
        "984",
        "Finance Committee",
        "Committees",
    )
    # The scraper's rule also filters on category; ours keeps every committee neither deleted nor expired.
    current = {c.moderngov_id: c.current for c in spec.committees}
    assert current == {k: v or k == "331" for k, v in expected["expected_is_current"].items()}


def test_committees_then_meetings_then_attendance_import_and_reimport_unchanged(db, settings):
    from oversight.scrutiny.models import Attendance, Body, Meeting

    settings.OVERSIGHT_TODAY = "2019-12-01"
    for name in ("GetCommittees_panel.xml", "GetMeetings_panel.xml", "GetMeeting_attendance.xml"):
        import_moderngov(read_moderngov(FIXTURES / name), by="test")
    body = Body.objects.get()
    assert (body.name, body.moderngov_id) == ("West Mercia Police and Crime Panel", "147")
    meetings = list(Meeting.objects.order_by("date"))
    assert [(m.date, m.starts_at, m.status) for m in meetings] == [
        (date(2019, 9, 10), time(11), "held"),
        (date(2020, 2, 5), time(11), "scheduled"),
    ]
    kinds = {a.person.name: (a.kind, a.role) for a in Attendance.objects.select_related("person")}
    assert kinds == {"Steve Mackay": ("present", "Chairman"), "Michael Wood": ("apologies", "")}
    assert [i.minute for i in meetings[0].items.all()] == [305, 306]
    again = import_moderngov(read_moderngov(FIXTURES / "GetMeeting_attendance.xml"), by="test")
    assert (again.created, again.updated) == (0, 0)


def test_meetings_for_an_unknown_committee_are_refused_and_nothing_is_written(db):
    from oversight.scrutiny.models import Meeting

    with pytest.raises(ImportRefused, match='no body has ModernGov committee id "147"'):
        import_moderngov(read_moderngov(FIXTURES / "GetMeetings_panel.xml"), by="test")
    assert not Meeting.objects.exists()


def test_every_bad_element_is_listed(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(
        "<getmeetings><committee><committeeid>1</committeeid>"
        "<meeting><meetingid>1</meetingid><meetingdate>31/02/2020</meetingdate><meetingtime>25:00</meetingtime></meeting>"
        "<meeting><meetingdate>01/03/2020</meetingdate></meeting>"
        "</committee></getmeetings>"
    )
    with pytest.raises(ImportRefused) as caught:
        read_moderngov(bad)
    text = caught.value.message
    assert 'bad.xml, meeting[1], column meetingdate: "31/02/2020" is not a date' in text
    assert 'meeting[1], column meetingtime: "25:00" is not a time' in text
    assert "meeting[2], column meetingid: is missing" in text
    (tmp_path / "junk.xml").write_text("<html><body>not xml")
    with pytest.raises(ImportRefused, match="not valid XML"):
        read_moderngov(tmp_path / "junk.xml")


def test_the_command_imports_committees_then_meetings_and_refuses_bad_files(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command(
        "scrutiny",
        "moderngov",
        str(FIXTURES / "GetCommittees_panel.xml"),
        str(FIXTURES / "GetMeetings_panel.xml"),
        stdout=out,
    )
    assert "GetMeetings_panel.xml: 0 committees, 2 meetings" in out.getvalue()
    (tmp_path / "other.xml").write_text("<rss/>")
    with pytest.raises(CommandError, match="not a GetCommittees, GetMeetings or GetMeeting"):
        call_command("scrutiny", "moderngov", str(tmp_path / "other.xml"))


def test_moderngov_xml_with_entities_is_refused_clearly(db, tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>'
        "<committees><committee><committeetitle>&b;</committeetitle></committee></committees>"
    )
    with pytest.raises(ImportRefused) as err:
        read_moderngov(path)
    assert err.value.lines() == [
        "evil.xml: the file contains XML entities, which Oversight refuses"
    ]
