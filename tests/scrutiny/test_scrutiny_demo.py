"""The demo against seeds 001, 000 and 003: the minutes PDF carries every attendee, apology,
declaration, minute number and agreed action of seed 001; the overdue list on 1 March 2020; the
HMICFRS figures of seed 003 para 98 computed from the records."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

# Transcribed from seed 001 independently of the demo's YAML.
SEED_001_PRESENT = [
    "Mr S J Mackay (Chairman)",
    "Mr R C Adams",
    "Mr S Bowen",
    "Mrs C Clive",
    "Mr R Evans",
    "Mr A D Kent",
    "Mr J Grubb",
    "Mr J Lavery",
    "Mr W Parr",
    "Mr K Sahota",
]
SEED_001_ALSO_ATTENDED = [
    "John Champion",
    "Andy Champness",
    "Natasha Noorbakhsh",
    "Tracey Onslow",
    "Geoff Wessell",
    "Tim Rice",
    "Sheena Jones",
    "Samantha Morris",
]
SEED_001_APOLOGIES = ["Barry Durkin", "Jabba Riaz", "Peter Whatley", "Michael Wood"]
SEED_001_DECLARATIONS = ["Julian Grubb", "Steve Mackay"]
SEED_001_AGREED = [
    "performance framework for the SOC Strategy would be brought back to the Panel",
    "replace 'could' with 'would' or 'will'",
    "pace that cases moved through the criminal justice system",
    "results from the draft Rural Crime Strategy consultation would be shared",
    "permanent sign notifying that an area had a Community Speed Watch Scheme",
    "Panel Members would contact the National Farmers Union",
    "performance information in respect of Operation Snap",
    "Herefordshire's child at risk performance volumes",
    "membership of the Budget Scrutiny Group for 2019-20",
]
# The eight actions seed 001 agrees with a report back due at the November 2019 meeting.
DUE_NOVEMBER_2019 = ["310.1", "310.2", "310.3", "311.1", "311.2", "311.3", "313.1", "313.2"]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'"))


@pytest.fixture
def demo(scrutiny_demo):
    return scrutiny_demo


def test_the_demo_writes_minutes_action_log_and_hmicfrs_summary_in_three_formats(demo):
    names = sorted(p.name for p in demo)
    assert len(names) == 9
    for stem in (
        "minutes-west-mercia-pcp-2019-09-10",
        "action-log-west-mercia-pcp",
        "hmicfrs-summary",
    ):
        for fmt in ("html", "docx", "pdf"):
            assert f"{stem}.{fmt}" in names
    assert all(p.stat().st_size > 1000 for p in demo)
    from docx import Document

    docx = next(p for p in demo if p.name == "minutes-west-mercia-pcp-2019-09-10.docx")
    text = flat("\n".join(par.text for par in Document(docx).paragraphs))
    assert "Mr S J Mackay (Chairman)" in text and "Action 313.1: ACC" in text
    html = next(p for p in demo if p.name == "action-log-west-mercia-pcp.html").read_text()
    assert "Overdue" in html and "313.1" in html


def test_the_minutes_pdf_carries_everything_seed_001_records(demo):
    pdf = next(p for p in demo if p.name == "minutes-west-mercia-pcp-2019-09-10.pdf")
    text = flat("\n".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "Tuesday, 10 September 2019" in text
    for name in SEED_001_PRESENT + SEED_001_ALSO_ATTENDED + SEED_001_APOLOGIES:
        assert name in text, name
    for name in SEED_001_DECLARATIONS:
        assert f"{name} was a retired Police Officer in receipt of a Police Pension" in text
        assert f"{name}: a retired Police Officer" in text
    for minute in range(305, 315):
        assert re.search(rf"\b{minute} [A-Z]", text), minute
    for words in SEED_001_AGREED:
        assert words in text, words
    for ref in DUE_NOVEMBER_2019:
        assert f"Action {ref}:" in text
    assert "due the November 2019 meeting" in text
    assert "The meeting ended at 12.55 pm" in text
    assert "Chairman" in text.split("The meeting ended")[-1]


def test_overdue_on_1_march_2020_lists_the_actions_due_by_november_2019(scrutiny_records, settings):
    settings.OVERSIGHT_TODAY = "2020-03-01"
    out = StringIO()
    call_command("scrutiny", "actions", "--overdue", "--format", "json", stdout=out)
    records = json.loads(out.getvalue())
    assert sorted(r["ref"] for r in records) == DUE_NOVEMBER_2019
    assert all(r["overdue"] and r["status"] == "open" and r["minute"] for r in records)
    assert {r["due_label"] for r in records} == {"the November 2019 meeting"}
    # Before the November meeting's month is out none of them is overdue.
    out = StringIO()
    call_command(
        "scrutiny", "actions", "--overdue", "--as-of", "2019-11-15", "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue()) == []


def test_an_answer_recorded_takes_an_action_off_the_overdue_list(scrutiny_records, settings):
    from oversight.scrutiny.actions import update_action
    from oversight.scrutiny.models import Action

    settings.OVERSIGHT_TODAY = "2020-03-01"
    action = Action.objects.get(ref="313.1")
    update_action(
        action,
        text="KPIs circulated",
        status="answered",
        answer="Operation Snap KPIs sent to members",
        by="test",
    )
    out = StringIO()
    call_command("scrutiny", "actions", "--overdue", "--format", "json", stdout=out)
    refs = [r["ref"] for r in json.loads(out.getvalue())]
    assert "313.1" not in refs and len(refs) == 7


def test_the_hmicfrs_figures_of_seed_003_are_computed_from_the_records(scrutiny_records):
    out = StringIO()
    call_command("scrutiny", "hmicfrs", "--format", "json", "--as-of", "2023-11-17", stdout=out)
    reports = {r["id"]: r for r in json.loads(out.getvalue())}
    vetting = reports["vetting-misconduct-misogyny"]["recommendations"]
    # Seed 003 para 98: 17% signed off, 75% partially or fully compliant, 2 outstanding.
    assert (
        vetting["signed_off_percent"],
        vetting["compliant_percent"],
        vetting["outstanding"],
    ) == (17, 75, 2)
    race = reports["race-leadership-governance"]
    assert race["response_due"] == "2023-10-19" and race["response_published"] == "2023-10-20"
    # A national report that did not inspect the force: the response a day after the s.55
    # deadline is not flagged, as none is counted as owed.
    assert race["response_required"] is False and race["late"] is False and race["days_late"] == 0
    vsa = reports["wmp-vsa-revisit"]
    assert vsa["response_due"] == "2023-12-25" and vsa["late"] is False
    assert vsa["response_required"] is True and vsa["response_state"] == "published on time"
    assert vsa["findings"] == {"open": 3}
    table = StringIO()
    call_command("scrutiny", "hmicfrs", "--as-of", "2026-12-02", stdout=table)
    assert "days past the deadline" not in table.getvalue()
    assert (
        "published 2022-11-02; response due none (force not inspected); response published — "
        "(no response recorded; none is due, as the force was not inspected)"
    ) in table.getvalue()


def test_the_hmicfrs_summary_says_17_75_and_2(demo):
    pdf = next(p for p in demo if p.name == "hmicfrs-summary.pdf")
    text = flat("\n".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "17% have been signed off by HMICFRS, 75% are partially or fully compliant" in text
    assert "2 are still outstanding" in text
    assert "none is due, as the force was not inspected" in text
    assert "days late" not in text and "0 with a response published late or overdue" in text


# Meeting days the seeds give: seed 001's meeting and seed 003's A&A meetings (paras 78 and 80).
SEED_MEETING_DAYS = {"2019-09-10", "2023-07-28", "2023-08-31", "2023-10-25", "2023-11-30"}
# Meetings the seeds name by month only (seed 000's undated item, "its November meeting", "its
# February 2020 meeting"): shown as the month, never as a day.
SEED_MEETING_MONTHS = {"December 2018", "November 2019", "February 2020"}
# HMICFRS days not in seed 003 (it gives months), from public sources each report names.
NOTED_REPORT_DAYS = {
    "race-leadership-governance": ["25 August 2023", "20 October 2023"],
    "race-disparity-cj": ["25 August 2023", "20 October 2023"],
    "wmp-vsa-revisit": ["31 October 2023", "18 December 2023"],
    "vetting-misconduct-misogyny": ["2 November 2022"],
}


def test_every_demo_scrutiny_date_is_one_the_seeds_give_or_says_where_it_comes_from(
    scrutiny_records,
):
    from oversight.scrutiny.models import Action, InspectionReport, Meeting

    days = {str(m.date) for m in Meeting.objects.filter(date_provisional=False)}
    assert days == SEED_MEETING_DAYS
    months = {m.date_label for m in Meeting.objects.filter(date_provisional=True)}
    assert months == {f"{m} (date to be confirmed)" for m in SEED_MEETING_MONTHS}
    undated = Meeting.objects.get(date_provisional=True, date__year=2018)
    assert "Date not in the paper" in undated.summary
    # An action is raised at its meeting; seed 003's A&A outcomes only "this quarter" (2023/24 Q2),
    # entered as its last day, which the product never shows as a day.
    meetings = {m.date for m in Meeting.objects.all()}
    assert {a.raised_on for a in Action.objects.all()} <= meetings | {date(2023, 9, 30)}
    for report in InspectionReport.objects.all():
        for day in NOTED_REPORT_DAYS[report.slug]:
            assert day in report.summary, (report.slug, day)
        written = [report.published, report.response_published]
        assert [f"{d:%-d %B %Y}" for d in written if d] == NOTED_REPORT_DAYS[report.slug]
