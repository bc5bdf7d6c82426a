"""Scrutiny pages: public lists and details with .json and .csv twins, the calendar and Popolo
downloads, the API, and who may update an action or pin a question."""

import csv
import io

from django.contrib.auth.models import Group, User

from oversight.accounts.roles import Role


def user_with(role: Role | None, name: str) -> User:
    user = User.objects.create_user(name, password="pw")
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def test_the_public_pages_and_their_twins_show_the_same_records(client, scrutiny_records, settings):
    from oversight.scrutiny.models import Meeting

    settings.OVERSIGHT_TODAY = "2020-03-01"
    assert "West Mercia Police and Crime Panel" in client.get("/scrutiny/").text
    page = client.get("/scrutiny/meetings/")
    assert page.status_code == 200 and "West Mercia Police and Crime Panel" in page.text
    listed = client.get("/scrutiny/meetings.json").json()
    assert "2019-09-10" in {m["date"] for m in listed["items"]}
    september = Meeting.objects.get(date="2019-09-10")
    detail = client.get(f"/scrutiny/meetings/{september.pk}/")
    assert "Serious and Organised Crime Strategy Consultation" in detail.text
    assert "Mr S J Mackay (Chairman)" in detail.text and "Overdue" in detail.text
    data = client.get(f"/scrutiny/meetings/{september.pk}.json").json()
    assert [i["minute"] for i in data["items"]] == list(range(305, 315))
    assert len(data["actions"]) == 8
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/scrutiny/meetings/{september.pk}.csv").text))
    )
    assert rows[5]["minute"] == "310" and "310.1" in rows[5]["actions"]
    overdue = client.get("/scrutiny/actions.json?state=overdue").json()
    assert len(overdue["items"]) == 8 and overdue["as_of"] == "2020-03-01"
    assert "Overdue" in client.get("/scrutiny/actions/?state=overdue").text
    assert client.get("/scrutiny/actions.csv").status_code == 200
    tracker = client.get("/scrutiny/hmicfrs.json").json()["items"]
    assert {r["id"] for r in tracker} >= {"wmp-vsa-revisit", "vetting-misconduct-misogyny"}
    assert "17% signed off" in client.get("/scrutiny/hmicfrs/").text
    assert client.get("/scrutiny/hmicfrs.csv").status_code == 200


def test_minutes_download_calendar_popolo_and_api(client, scrutiny_records):
    from oversight.scrutiny.models import Meeting

    september = Meeting.objects.get(date="2019-09-10")
    docx = client.get(f"/scrutiny/meetings/{september.pk}/minutes.docx")
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('.docx"')
    assert client.get(f"/scrutiny/meetings/{september.pk}/minutes.exe").status_code == 404
    ics = client.get("/scrutiny/bodies/west-mercia-pcp/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert client.get("/scrutiny/popolo.json").json()["events"]
    assert client.get("/api/v1/scrutiny/meetings").json()
    one = client.get(f"/api/v1/scrutiny/meetings/{september.pk}").json()
    assert one["items"][0]["minute"] == 305 and len(one["actions"]) == 8
    assert client.get("/api/v1/scrutiny/actions?state=bogus").status_code == 422
    assert client.get("/api/v1/scrutiny/hmicfrs").json()["items"]


def test_only_staff_update_actions_and_a_closed_action_needs_its_meeting(client, scrutiny_records):
    from oversight.scrutiny.models import Action, Meeting

    action = Action.objects.get(ref="313.1")
    url = f"/scrutiny/actions/{action.pk}/update/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(user_with(Role.PANEL, "pat"))
    assert client.get(url).status_code == 403
    client.force_login(user_with(Role.EDITOR, "edith"))
    assert client.get(url).status_code == 200
    refused = client.post(url, {"text": "KPIs sent", "status": "closed", "answer": "KPIs sent"})
    assert refused.status_code == 200 and "reported to a meeting" in refused.text
    november = Meeting.objects.get(date="2019-11-30", body__slug="west-mercia-pcp")
    done = client.post(
        url,
        {
            "text": "KPIs sent",
            "status": "closed",
            "answer": "KPIs sent",
            "reported_at": november.pk,
        },
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "closed" and action.updates.get().by == "edith"


def test_a_panel_member_pins_a_question_to_a_measure(client, scrutiny_records, small_plan):
    from django.urls import reverse

    from oversight.scrutiny.models import Action

    measure = small_plan.measures.get(code="1.1")
    url = reverse("scrutiny:pin_question", args=[measure.pk])
    assert client.get(url).status_code == 302
    client.force_login(user_with(None, "olly"))
    assert client.get(url).status_code == 403
    client.force_login(user_with(Role.PANEL, "pat"))
    assert client.get(url).status_code == 200
    empty = client.post(url, {"question": "", "body": "", "owner": "PCC"})
    assert empty.status_code == 200 and not Action.objects.filter(kind="question").exists()
    from oversight.scrutiny.models import Body

    panel = Body.objects.get(slug="west-mercia-pcp")
    response = client.post(
        url, {"question": "Why are crimes up?", "body": panel.pk, "owner": "PCC"}
    )
    assert response.status_code == 302
    question = Action.objects.get(kind="question")
    assert (question.measure, question.raised_by, question.body) == (measure, "pat", panel)


def test_staff_record_a_response_and_move_a_recommendation_on(client, scrutiny_records, settings):
    from oversight.scrutiny.models import Finding, InspectionReport

    settings.OVERSIGHT_TODAY = "2023-11-17"
    page = client.get("/scrutiny/hmicfrs/vetting-misconduct-misogyny/")
    assert page.status_code == 200 and "Review of historic allegations" in page.text
    data = client.get("/scrutiny/hmicfrs/vetting-misconduct-misogyny.json").json()
    assert len(data["items"]) == 24 and data["report"]["late"] is False
    assert data["report"]["response_state"] == (
        "no response recorded; none is due, as the force was not inspected"
    )
    assert "None due: the force was not inspected" in page.text
    assert client.get("/scrutiny/hmicfrs/vetting-misconduct-misogyny.csv").status_code == 200
    url = "/scrutiny/hmicfrs/vetting-misconduct-misogyny/response/"
    assert client.get(url).status_code == 302
    client.force_login(user_with(Role.EDITOR, "edith"))
    refused = client.post(url, {"published": "2022-10-01"})
    assert "before the report" in refused.text
    assert client.post(url, {"published": "2022-12-27"}).status_code == 302
    report = InspectionReport.objects.get(slug="vetting-misconduct-misogyny")
    assert report.response_published.isoformat() == "2022-12-27" and not report.is_late(
        report.response_published
    )
    finding = Finding.objects.get(report=report, ref="R23")
    done = client.post(
        f"/scrutiny/findings/{finding.pk}/update/",
        {"status": "compliant-awaiting-audit", "text": "Review completed in October"},
    )
    assert done.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "compliant-awaiting-audit" and finding.updates.get().by == "edith"
    recs = client.get("/scrutiny/hmicfrs.json").json()["items"]
    vetting = next(r for r in recs if r["id"] == "vetting-misconduct-misogyny")
    assert vetting["recommendations"]["outstanding"] == 1 and vetting["late"] is False


def test_the_adhoc_requests_page_and_twins(client, scrutiny_records):
    page = client.get("/scrutiny/adhoc-requests/")
    assert page.status_code == 200 and "Crime and public confidence in Pershore" in page.text
    items = client.get("/scrutiny/adhoc-requests.json").json()["items"]
    assert {i["subject"] for i in items} == {
        "Crime and public confidence in Pershore",
        "MAA policy and the impact on safeguarding",
        "Safer Neighbourhood Team (SNT) abstractions",
    }
    assert all(i["sent_in"] == "2023/24 Q1" for i in items)
    rows = list(csv.DictReader(io.StringIO(client.get("/scrutiny/adhoc-requests.csv").text)))
    assert len(rows) == 3


def test_a_meeting_not_yet_held_lists_the_actions_due_to_it_without_minutes_or_declarations(
    client, scrutiny_records, settings
):
    from oversight.scrutiny.models import Meeting

    settings.OVERSIGHT_TODAY = "2019-10-01"
    november = Meeting.objects.get(date__year=2019, date__month=11, body__slug="west-mercia-pcp")
    assert november.status == "scheduled"
    page = client.get(f"/scrutiny/meetings/{november.pk}/").text
    assert "Declarations of interest" not in page and "None." not in page
    assert "minutes." not in page  # no link to minutes that do not exist
    assert "This meeting has not been held yet" in page
    assert "8 actions agreed at earlier meetings, due by this one" in page
    assert (
        "The Panel would be provided with performance information in respect of Operation Snap"
        in (page)
    )
    assert client.get(f"/scrutiny/meetings/{november.pk}/minutes.pdf").status_code == 404
    data = client.get(f"/scrutiny/meetings/{november.pk}.json").json()
    assert len(data["actions_due"]) == 8 and {a["due_meeting"] for a in data["actions_due"]} == {
        november.key
    }
    api = client.get(f"/api/v1/scrutiny/meetings/{november.pk}").json()
    assert [a["ref"] for a in api["actions_due"]] == [a["ref"] for a in data["actions_due"]]
    september = Meeting.objects.get(date="2019-09-10")
    held = client.get(f"/scrutiny/meetings/{september.pk}/").text
    assert (
        "Declarations of interest" in held
        and f"/scrutiny/meetings/{september.pk}/minutes.pdf" in (held)
    )


def test_a_missing_response_says_none_is_recorded_and_whether_one_is_due(
    client, scrutiny_records, settings
):
    from oversight.scrutiny.models import InspectionReport

    settings.OVERSIGHT_TODAY = "2026-12-02"
    InspectionReport.objects.filter(slug="wmp-vsa-revisit").update(response_published=None)
    tracker = client.get("/scrutiny/hmicfrs/").text
    assert "days late" not in tracker and "1436" not in tracker
    assert "No response recorded; none is due, as the force was not inspected" in tracker
    assert "No response recorded; one was due by 25 December 2023 (s.55)" in tracker
    items = {r["id"]: r for r in client.get("/scrutiny/hmicfrs.json").json()["items"]}
    assert items["vetting-misconduct-misogyny"]["late"] is False
    assert items["wmp-vsa-revisit"]["late"] is True
    page = client.get("/scrutiny/hmicfrs/wmp-vsa-revisit/").text
    assert "no response recorded; one was due by 25 December 2023 (s.55)" in page
    assert "Overdue" in page
