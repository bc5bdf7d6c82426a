"""The commands a scrutiny officer runs, and the report's Part 3 built from the record."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.lib.audience import Audience


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_minutes_are_written_for_a_meeting_named_by_key_date_or_number(scrutiny_records, tmp_path):
    from oversight.scrutiny.models import Meeting

    listed = run("scrutiny", "meetings", "--body", "west-mercia-pcp")
    assert "west-mercia-pcp/2019-09-10" in listed and "west-mercia-pcp/2019-11 " in listed

    out = tmp_path / "minutes.html"
    line = run(
        "scrutiny",
        "minutes",
        "--meeting",
        "west-mercia-pcp/2019-09-10",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert "written to" in line
    html = out.read_text()
    assert "Serious and Organised Crime Strategy Consultation" in html and "310" in html
    pk = Meeting.objects.get(date="2019-09-10").pk
    run(
        "scrutiny",
        "minutes",
        "--meeting",
        str(pk),
        "--format",
        "docx",
        "--out",
        str(tmp_path / "m.docx"),
    )
    run(
        "scrutiny",
        "minutes",
        "--meeting",
        "2019-09-10",
        "--format",
        "html",
        "--out",
        str(tmp_path / "m2.html"),
    )
    assert (tmp_path / "m.docx").stat().st_size > 1000
    with pytest.raises(CommandError, match="no meeting on 1 January 2019"):
        run(
            "scrutiny",
            "minutes",
            "--meeting",
            "2019-01-01",
            "--format",
            "html",
            "--out",
            str(tmp_path / "x.html"),
        )
    with pytest.raises(CommandError, match="is not a meeting"):
        run(
            "scrutiny",
            "minutes",
            "--meeting",
            "last tuesday",
            "--format",
            "html",
            "--out",
            str(tmp_path / "x.html"),
        )


def test_actions_filter_by_owner_and_state_and_export_safe_csv(scrutiny_records):
    acc = json.loads(
        run("scrutiny", "actions", "--owner", "acc", "--format", "json", "--as-of", "2020-03-01")
    )
    assert [a["ref"] for a in acc] == ["313.1"]
    assert set(acc[0]) >= {
        "id",
        "meeting",
        "minute",
        "description",
        "owner",
        "due",
        "status",
        "updates",
    }
    table = run("scrutiny", "actions", "--open", "--as-of", "2020-03-01")
    assert "OVERDUE" in table and "actions as at 1 March 2020" in table
    assert "respect of Operation Snap" in table  # descriptions wrap in full, never cut
    assert "the November 2019 meeting" in table
    rows = list(
        csv.DictReader(
            io.StringIO(run("scrutiny", "actions", "--format", "csv", "--as-of", "2020-03-01"))
        )
    )
    assert rows[0]["status"] and "description" in rows[0]
    with pytest.raises(CommandError, match="not a date"):
        run("scrutiny", "actions", "--as-of", "March")


def test_a_formula_in_an_action_is_neutralised_in_csv(scrutiny_records):
    from oversight.scrutiny.models import Action

    Action.objects.filter(ref="313.1").update(description='=HYPERLINK("http://x")')
    rows = list(
        csv.DictReader(io.StringIO(run("scrutiny", "actions", "--owner", "ACC", "--format", "csv")))
    )
    assert rows[0]["description"].startswith("'=")


def test_part3_of_the_report_for_2023_24_q2_has_the_aa_meetings_requests_and_hmicfrs(
    scrutiny_records, settings
):
    from oversight.lib import document as d
    from oversight.scrutiny.report import part3_sections

    settings.OVERSIGHT_TODAY = "2023-11-17"
    sections = {s.title: s for s in part3_sections(None, "2023/24 Q2", audience=Audience.PUBLIC)}
    assert set(sections) == {
        "Assurance and accountability meetings",
        "Ad-hoc assurance and accountability requests",
        "HMICFRS inspection reports",
    }
    text = json.dumps([repr(b) for s in sections.values() for b in s.blocks])
    assert "28 July 2023: Public meeting" in text and "31 August 2023: Performance meeting" in text
    assert "Crime and public confidence in Pershore" in text
    assert "body worn video compliance" in text
    hmicfrs = next(
        b for b in sections["HMICFRS inspection reports"].blocks if isinstance(b, d.Table)
    )
    assert len(hmicfrs.rows) == 2  # the two race and policing reports, published in August
    # A 2013 report has nothing from these records, so no empty sections appear.
    assert part3_sections(None, "2013/14 Q1", audience=Audience.PUBLIC) == []


def test_calendar_popolo_action_log_and_summary_files(scrutiny_records, tmp_path):
    run("scrutiny", "calendar", "--body", "west-mercia-pcp", "--out", str(tmp_path / "panel.ics"))
    assert (tmp_path / "panel.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    run("scrutiny", "popolo", "--out", str(tmp_path / "popolo.json"))
    assert json.loads((tmp_path / "popolo.json").read_text())["persons"]
    run(
        "scrutiny",
        "actionlog",
        "--body",
        "west-mercia-pcp",
        "--as-of",
        "2020-03-01",
        "--format",
        "html",
        "--out",
        str(tmp_path / "log.html"),
    )
    log = (tmp_path / "log.html").read_text()
    assert "9 actions: 8 overdue, 1 open" in log and "as at 1 March 2020" in log
    run(
        "scrutiny",
        "hmicfrs",
        "--format",
        "html",
        "--as-of",
        "2023-11-17",
        "--out",
        str(tmp_path / "h.html"),
    )
    assert "17% have been signed off" in (tmp_path / "h.html").read_text()
    with pytest.raises(CommandError, match="give --out"):
        run("scrutiny", "hmicfrs", "--format", "pdf")
    with pytest.raises(CommandError, match='no body "nowhere"'):
        run("scrutiny", "calendar", "--body", "nowhere", "--out", str(tmp_path / "x.ics"))


def test_part3_lists_panel_actions_answered_in_the_period(scrutiny_records, settings):
    from oversight.scrutiny.actions import update_action
    from oversight.scrutiny.models import Action, Meeting
    from oversight.scrutiny.report import part3_sections

    action = Action.objects.get(ref="310.3")
    november = Meeting.objects.get(body__slug="west-mercia-pcp", date="2019-11-30")
    from datetime import date

    update_action(
        action,
        text="KPIs reported",
        status="closed",
        answer="Case timeliness KPIs were presented",
        reported_at=november,
        on=date(2019, 11, 20),
        by="test",
    )
    sections = {s.title: s for s in part3_sections(None, "2019/20 Q3", audience=Audience.PUBLIC)}
    answered = sections["Panel actions answered"]
    text = repr(answered.blocks)
    assert "Case timeliness KPIs were presented" in text and "310.3" in text
    assert "Panel actions answered" not in {
        s.title for s in part3_sections(None, "2019/20 Q4", audience=Audience.PUBLIC)
    }


def test_the_staff_dashboard_queries(scrutiny_records, settings):
    from oversight.scrutiny.queries import overdue_actions, upcoming_deadlines

    settings.OVERSIGHT_TODAY = "2020-03-01"
    lines = overdue_actions()
    assert len(lines) == 8 and lines[0].startswith("West Mercia Police and Crime Panel 310.1 (PCC")
    settings.OVERSIGHT_TODAY = "2022-11-10"
    # The vetting report is national and did not inspect West Mercia: no response is owed.
    assert upcoming_deadlines() == []
    from oversight.scrutiny.models import InspectionReport

    InspectionReport.objects.filter(slug="wmp-vsa-revisit").update(response_published=None)
    settings.OVERSIGHT_TODAY = "2023-11-17"
    assert upcoming_deadlines() == [
        "West Mercia Police revisit: service to victims cause of concern: "
        "s.55 response due 25 December 2023"
    ]
