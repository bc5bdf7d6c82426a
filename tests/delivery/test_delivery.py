"""The delivery plan and the risk register: imports (refused with every problem listed and nothing
written, or written idempotently), overdue flags on a fake clock, edits with history, exports
carrying the computed roll-up, and who may read what."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from oversight.audit.history import Conflict, version_of
from oversight.delivery import actions
from oversight.delivery.due import milestone_due_items, risk_review_due_items
from oversight.delivery.importers import read_delivery, read_risks
from oversight.delivery.models import Activity, ActivityUpdate, Milestone, Risk
from oversight.delivery.queries import delivery_plan, risk_implications, risk_register
from oversight.lib.audience import Audience
from oversight.lib.problems import ImportRefused
from oversight.plans.actions import publish_plan

from conftest import form_data

DELIVERY = """\
activity,objective,title,owner,owner_email,weight,status,percent_complete,milestone,due,completed_on
1a,1,Launch the rural crime team,Pat Owner,pat@example.org,3,on_track,20,Team recruited,2023-07-31,2023-07-20
1a,,,,,,,,Team trained,2023-09-30,
1b,1,Review burglary response,,,1,complete,,Review published,2023-08-31,2023-08-15
2a,2,Publish the strategy,editor-user,,1,at_risk,50,,,
"""
RISKS = """\
risk,title,owner,likelihood_before,impact_before,likelihood_after,impact_after,controls,review_on,objectives,activities,measures
R1,Recruitment falls short,Pat Owner,4,5,3,4,Monthly tracking,2023-09-01,1,1a,1.1
R2,Data quality,,2,2,1,2,Audits,2024-01-01,2,,
"""


@pytest.fixture
def delivered(small_plan, write, editor):
    plan = small_plan
    actions.import_delivery(
        plan, read_delivery(write("delivery.csv", DELIVERY), plan), by=editor, file_name="d.csv"
    )
    actions.import_risks(plan, read_risks(write("risks.csv", RISKS), plan), by=editor)
    return plan


def test_a_good_import_writes_activities_milestones_and_owners(delivered, editor):
    a = Activity.objects.get(plan=delivered, code="1a")
    assert (a.objective.code, a.weight, a.status, a.percent_complete) == (
        "1",
        Decimal(3),
        "on_track",
        20,
    )
    assert (a.owner, a.owner_name, a.owner_email) == (None, "Pat Owner", "pat@example.org")
    assert [m.title for m in a.milestones.order_by("due")] == ["Team recruited", "Team trained"]
    assert a.milestones.get(title="Team recruited").status == "complete"
    # a complete activity is 100% complete, whatever the file says
    assert Activity.objects.get(code="1b").percent_complete == 100
    assert Activity.objects.get(code="2a").owner == editor  # the owner named a user
    assert Activity.objects.get(code="1a").state == "draft"


def test_importing_the_same_file_again_changes_nothing(delivered, write, editor):
    outcome = actions.import_delivery(
        delivered, read_delivery(write("again.csv", DELIVERY), delivered), by=editor
    )
    assert (outcome.created, outcome.updated) == (0, 0)
    risks = actions.import_risks(delivered, read_risks(write("r.csv", RISKS), delivered), by=editor)
    assert (risks.created, risks.updated) == (0, 0)


BAD_DELIVERY = """\
activity,objective,title,weight,status,percent_complete,milestone,due,colour
1a,9,Unknown objective,-1,sideways,120,Kick-off,2023-02-30,red
,1,No code,1,on_track,10,,,
2a,2,,1,complete,50,Done,,
"""


def test_a_bad_delivery_file_is_refused_with_every_problem_and_nothing_written(small_plan, write):
    with pytest.raises(ImportRefused) as refused:
        read_delivery(write("bad.csv", BAD_DELIVERY), small_plan)
    assert [str(p) for p in refused.value.problems] == [
        'bad.csv, row 1, column colour: unknown column "colour": the columns are activity, '
        "objective, title, description, owner, owner_email, weight, status, percent_complete, "
        "milestone, due, completed_on, milestone_status"
    ]
    fixed = BAD_DELIVERY.replace(",colour", "").replace(",red", "")
    with pytest.raises(ImportRefused) as refused:
        read_delivery(write("bad.csv", fixed), small_plan)
    lines = [str(p) for p in refused.value.problems]
    assert lines == [
        'bad.csv, row 2, column objective: unknown objective "9" in plan test-plan '
        "(objectives: 1, 2)",
        'bad.csv, row 2, column weight: "-1" must be a number of 0 or more',
        'bad.csv, row 2, column status: "sideways" is not a status: use Not started, On track, '
        "At risk, Off track, Complete",
        'bad.csv, row 2, column percent_complete: "120" is not a whole number from 0 to 100',
        'bad.csv, row 2, column due: "2023-02-30" is not a date (use YYYY-MM-DD)',
        "bad.csv, row 3, column activity: is empty: give the activity's code",
        'bad.csv, row 4, column title: the first row of activity "2a" needs its title',
        'bad.csv, row 4, column due: milestone "Done" needs its due date',
        "bad.csv, row 4, column percent_complete: activity 2a is complete: its percent complete "
        "is 100 (or leave it blank)",
    ]
    assert Activity.objects.count() == Milestone.objects.count() == 0
    with pytest.raises(CommandError, match="9 problems found; nothing was imported"):
        call_command("import", "delivery", str(write("bad.csv", fixed)), "--plan", "test-plan")
    assert Activity.objects.count() == 0


def test_a_later_row_that_contradicts_the_first_is_refused(small_plan, write):
    text = "activity,objective,title\n1a,1,First\n1a,2,First\n"
    with pytest.raises(ImportRefused) as refused:
        read_delivery(write("d.csv", text), small_plan)
    assert [str(p) for p in refused.value.problems] == [
        'd.csv, row 3, column objective: differs from row 2 for activity "1a"'
    ]


def test_a_bad_risk_file_is_refused_with_every_problem_and_nothing_written(small_plan, write):
    text = (
        "risk,title,likelihood_before,impact_before,likelihood_after,impact_after,review_on,"
        "objectives,measures\n"
        "R1,Fine,1,1,1,1,,,\n"
        "R1,Twice,6,0,x,,2023-13-01,7,9.9\n"
    )
    with pytest.raises(ImportRefused) as refused:
        read_risks(write("risks.csv", text), small_plan)
    assert [str(p) for p in refused.value.problems] == [
        'risks.csv, row 3, column risk: "R1" is also on row 2',
        'risks.csv, row 3, column likelihood_before: "6" is not a whole number from 1 to 5',
        'risks.csv, row 3, column impact_before: "0" is not a whole number from 1 to 5',
        'risks.csv, row 3, column likelihood_after: "x" is not a whole number from 1 to 5',
        "risks.csv, row 3, column impact_after: is empty (a score from 1 to 5)",
        'risks.csv, row 3, column review_on: "2023-13-01" is not a date (use YYYY-MM-DD)',
        'risks.csv, row 3, column objectives: no objective "7" in plan test-plan (objectives: 1, 2)',
        'risks.csv, row 3, column measures: no measure "9.9" in plan test-plan '
        "(measures: 1.1, 1.2, 2.1)",
    ]
    assert Risk.objects.count() == 0


def test_an_xlsx_file_imports_as_a_csv_does(small_plan, tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in csv.reader(io.StringIO(DELIVERY)):
        ws.append(row)
    path = tmp_path / "delivery.xlsx"
    wb.save(path)
    rows = read_delivery(path, small_plan)
    assert [r.code for r in rows] == ["1a", "1b", "2a"]


def test_too_many_problems_are_listed_up_to_200_and_counted(small_plan, write):
    text = "activity,objective,title\n" + "".join(f"a{i},99,T\n" for i in range(300))
    with pytest.raises(ImportRefused) as refused:
        read_delivery(write("many.csv", text), small_plan)
    assert len(refused.value.problems) == 200 and refused.value.total == 300
    assert refused.value.lines()[-1] == "… and 100 more problems (300 in all)"


def test_the_roll_up_is_computed_per_objective_and_for_the_plan(delivered):
    doc = delivery_plan(delivered, audience=Audience.STAFF, today=date(2023, 10, 1))
    by_code = {o["code"]: o for o in doc["objectives"]}
    # objective 1: (3 × 20 + 1 × 100) / 4 = 40; objective 2: 50; plan: (60 + 100 + 50) / 5 = 42
    assert by_code["1"]["progress"] == Decimal("40.0")
    assert by_code["2"]["progress"] == Decimal("50.0")
    assert doc["progress"] == Decimal("42.0")
    assert doc["progress_words"] == "42% complete"


def test_an_overdue_milestone_is_flagged_in_words_by_the_clock(delivered, settings):
    settings.OVERSIGHT_TODAY = "2023-09-30"
    doc = delivery_plan(delivered, audience=Audience.STAFF)
    trained = next(m for m in doc["objectives"][0]["activities"][0]["milestones"])
    assert doc["overdue_milestones"] == 0
    settings.OVERSIGHT_TODAY = "2023-10-12"
    doc = delivery_plan(delivered, audience=Audience.STAFF)
    milestones = {m["title"]: m for m in doc["objectives"][0]["activities"][0]["milestones"]}
    assert milestones["Team trained"]["overdue_words"] == "Overdue by 12 days"
    assert milestones["Team recruited"]["overdue"] is False  # completed in time
    assert trained["title"] == "Team recruited"
    assert doc["overdue_milestones"] == 1
    # judged as at a period's end: at the end of 2023/24 Q2 (30 September) it was not yet overdue
    q2 = delivery_plan(delivered, audience=Audience.STAFF, period="2023/24 Q2")
    assert (q2["as_at"], q2["overdue_milestones"]) == (date(2023, 9, 30), 0)


def test_milestones_and_risk_reviews_fall_due_to_their_owner_then_editors_then_admins(
    delivered, editor, admin
):
    items = {i.title: i for i in milestone_due_items(date(2023, 10, 12))}
    trained = items["1a Launch the rural crime team: Team trained"]
    assert trained.kind == "milestone" and trained.due == date(2023, 9, 30)
    assert trained.days_overdue(date(2023, 10, 12)) == 12 and not trained.done
    owner, editors, admins = trained.chain
    assert [(r.name, r.email) for r in owner] == [("Pat Owner", "pat@example.org")]
    assert [r.user_id for r in editors] == [editor.pk]
    assert [r.user_id for r in admins] == [admin.pk]
    assert items["1a Launch the rural crime team: Team recruited"].done
    reviews = {i.key: i for i in risk_review_due_items(date(2023, 10, 12))}
    assert reviews["risk-review:test-plan:R1"].days_overdue(date(2023, 10, 12)) == 41


def test_every_edit_keeps_the_earlier_version_and_a_stale_edit_is_refused(delivered, editor):
    a = Activity.objects.get(code="1a")
    started = version_of(a)
    actions.post_update(a, by=editor, note="Recruitment **ahead** of plan", percent_complete=45)
    a.refresh_from_db()
    assert a.percent_complete == 45
    assert [h.percent_complete for h in a.history.order_by("history_id")] == [20, 45]
    assert a.history.latest("history_id").history_user == editor
    assert ActivityUpdate.objects.get(activity=a).by == editor
    with pytest.raises(Conflict, match="Percent complete: “20” when you opened it"):
        actions.save_activity(
            delivered, a, by=editor, expected_version=started, title="Renamed", percent_complete=10
        )
    risk = Risk.objects.get(code="R1")
    actions.save_risk(
        delivered,
        risk,
        by=editor,
        links={"objectives": [], "activities": [], "measures": []},
        likelihood_after=2,
    )
    versions = list(risk.history.order_by("history_id"))
    assert [v.likelihood_after for v in versions] == [3, 2]
    assert [o.objective.code for o in versions[0].objectives.all()] == ["1"]
    assert list(versions[-1].objectives.all()) == []


def test_the_exports_give_the_computed_roll_up(delivered, capsys):
    call_command(
        "export", "delivery", "--plan", "test-plan", "--audience", "staff", "--format", "json"
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["progress"] == 42 and doc["objectives"][0]["progress"] == 40
    call_command(
        "export", "delivery", "--plan", "test-plan", "--audience", "staff", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["code"], r["objective_progress"], r["plan_progress"]) for r in rows] == [
        ("1a", "40", "42"),
        ("1b", "40", "42"),
        ("2a", "50", "42"),
    ]
    call_command("export", "risks", "--plan", "test-plan", "--audience", "staff", "--format", "csv")
    risks = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["code"], r["score_before"], r["score_after"], r["band_after"]) for r in risks] == [
        ("R1", "20", "12", "High"),
        ("R2", "4", "2", "Low"),
    ]
    # the public sees nothing until it is published
    call_command("export", "delivery", "--plan", "test-plan", "--audience", "public")
    assert json.loads(capsys.readouterr().out)["progress"] is None


def test_risk_implications_name_the_risks_still_high_after_controls(delivered):
    found = risk_implications(delivered, audience=Audience.STAFF)
    assert [r["code"] for r in found["risks"]] == ["R1"]
    assert found["words"].startswith("1 risk in the register remain")
    assert risk_implications(delivered, audience=Audience.PUBLIC)["words"] == "None."


def test_nothing_of_a_plan_the_public_may_not_open_reaches_it(delivered, editor):
    actions.set_state(delivered, "activities", "published", by=editor)
    actions.set_state(delivered, "risks", "published", by=editor)
    assert delivery_plan(delivered, audience=Audience.PUBLIC)["progress"] is None  # a draft plan
    assert risk_register(delivered, audience=Audience.PANEL) == []
    publish_plan(delivered, by=editor)
    assert delivery_plan(delivered, audience=Audience.PUBLIC)["progress"] == Decimal("42.0")
    assert len(risk_register(delivered, audience=Audience.PANEL)) == 2


def test_the_public_reads_published_the_panel_also_shared_and_staff_everything(
    delivered, client, editor, panel_member
):
    publish_plan(delivered, by=editor)
    actions.set_state(delivered, "activities", "published", by=editor, codes=["1a"])
    actions.set_state(delivered, "activities", "panel", by=editor, codes=["1b"])
    actions.set_state(delivered, "risks", "panel", by=editor, codes=["R1"])
    for audience, codes in [
        (Audience.PUBLIC, ["1a"]),
        (Audience.PANEL, ["1a", "1b"]),
        (Audience.STAFF, ["1a", "1b", "2a"]),
    ]:
        doc = delivery_plan(delivered, audience=audience)
        assert [a["code"] for o in doc["objectives"] for a in o["activities"]] == codes
    assert [r["code"] for r in risk_register(delivered, audience=Audience.PUBLIC)] == []
    assert [r["code"] for r in risk_register(delivered, audience=Audience.PANEL)] == ["R1"]

    public = client.get("/plans/test-plan/delivery.json").json()
    assert [i["code"] for i in public["items"]] == ["1a"]
    assert public["progress"] == 20  # the roll-up of what the public may see
    assert "Publish the strategy" not in client.get("/plans/test-plan/delivery/").content.decode()
    assert client.get("/plans/test-plan/risks.csv").content.decode().count("\n") == 1
    client.force_login(panel_member)
    page = client.get("/plans/test-plan/risks/").content.decode()
    assert "Recruitment falls short" in page and "High" in page
    api = client.get("/api/v1/delivery/test-plan/delivery").json()
    assert api["progress"] == 20  # the API without a token reads as the public


def test_staff_edit_an_activity_through_the_form_and_its_history_shows(delivered, client, editor):
    a = Activity.objects.get(code="2a")
    client.force_login(editor)
    page = client.get(f"/staff/delivery/activities/{a.pk}/")
    assert page.status_code == 200
    data = form_data(page)
    data.update({"status": "complete", "percent_complete": "100"})
    response = client.post(f"/staff/delivery/activities/{a.pk}/", data)
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.percent_complete) == ("complete", 100)
    assert a.history.count() == 2
    response = client.post(
        f"/staff/delivery/activities/{a.pk}/updates/new/",
        {"on": "2023-10-01", "note": "Strategy signed off", "status": "", "percent_complete": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/staff/delivery/activities/{a.pk}/").content.decode()
    assert "Strategy signed off" in page and "Complete" in page


def test_staff_import_a_bad_file_and_see_every_problem(small_plan, client, editor, write):
    client.force_login(editor)
    with open(write("bad.csv", "activity,objective,title\n1a,9,T\n,1,T\n"), "rb") as fh:
        page = client.post(
            "/staff/plans/test-plan/delivery/import/", {"kind": "delivery", "file": fh}
        ).content.decode()
    assert "2 problems found; nothing was imported" in page
    assert "unknown objective" in page and Activity.objects.count() == 0


def test_the_public_and_the_panel_cannot_open_the_staff_pages(small_plan, client, panel_member):
    assert client.get("/staff/plans/test-plan/delivery/").status_code == 302
    client.force_login(panel_member)
    assert client.get("/staff/plans/test-plan/risks/").status_code == 403


def test_staff_edit_a_risk_and_its_links_through_the_form_and_every_version_is_kept(
    delivered, client, editor
):
    risk = Risk.objects.get(code="R2")
    client.force_login(editor)
    data = form_data(client.get(f"/staff/delivery/risks/{risk.pk}/"))
    data.update({"likelihood_after": "3", "impact_after": "4"})
    data["measures"] = [str(delivered.measures.get(code="1.2").pk)]
    assert client.post(f"/staff/delivery/risks/{risk.pk}/", data).status_code == 302
    risk.refresh_from_db()
    assert (risk.score_after, risk.band_after.words) == (12, "High")
    newest = risk.history.latest("history_id")
    assert [m.measure.code for m in newest.measures.all()] == ["1.2"]
    assert risk.history.count() == 2
    page = client.get("/staff/plans/test-plan/risks/").content.decode()
    assert "R2 Data quality" in page and "High" in page


def test_staff_publish_every_activity_from_the_list_page(delivered, client, editor):
    client.force_login(editor)
    response = client.post("/staff/plans/test-plan/delivery/", {"state": "published"})
    assert response.status_code == 302
    assert set(Activity.objects.values_list("state", flat=True)) == {"published"}
    assert Activity.objects.get(code="1a").history.latest("history_id").state == "published"


def test_staff_add_a_milestone_and_it_is_flagged_when_overdue(delivered, client, editor, settings):
    settings.OVERSIGHT_TODAY = "2024-01-10"
    a = Activity.objects.get(code="2a")
    client.force_login(editor)
    response = client.post(
        f"/staff/delivery/activities/{a.pk}/milestones/new/",
        {"title": "Board approval", "due": "2024-01-01", "status": "on_track", "order": "0"},
    )
    assert response.status_code == 302
    page = client.get(f"/staff/delivery/activities/{a.pk}/").content.decode()
    assert "Board approval" in page and "Overdue by 9 days" in page


UNRECORDED = DELIVERY.replace(
    "2a,2,Publish the strategy,editor-user,,1,at_risk,50",
    "2a,2,Publish the strategy,editor-user,,1,at_risk,",
)


def test_a_percentage_not_recorded_is_left_out_of_the_roll_up_and_said_so_everywhere(
    delivered, client, editor, write, capsys
):
    a = Activity.objects.get(code="2a")
    assert a.percent_complete == 50
    # an empty cell is "not recorded": it clears the recorded 50 (kept in the history), never 0
    outcome = actions.import_delivery(
        delivered, read_delivery(write("again.csv", UNRECORDED), delivered), by=editor
    )
    assert outcome.updated == 1
    a.refresh_from_db()
    assert a.percent_complete is None and a.progress is None
    assert [h.percent_complete for h in a.history.order_by("history_id")] == [50, None]
    doc = delivery_plan(delivered, audience=Audience.STAFF)
    by_code = {o["code"]: o for o in doc["objectives"]}
    # objective 1 as before (40); objective 2 has nothing to count; the plan: (60 + 100) / 4 = 40
    assert by_code["2"]["progress"] is None
    assert by_code["2"]["progress_words"] == (
        "No progress to show (1 activity, none with a percentage recorded)"
    )
    assert doc["progress"] == Decimal("40.0")
    assert doc["progress_words"] == (
        "40% complete (over 2 of 3 activities; 1 has no percentage recorded)"
    )
    assert (doc["progress_counted"], doc["progress_not_recorded"]) == (2, 1)

    call_command("export", "delivery", "--plan", "test-plan", "--audience", "staff")
    exported = json.loads(capsys.readouterr().out)
    assert exported["objectives"][1]["activities"][0]["percent_complete"] is None
    call_command(
        "export", "delivery", "--plan", "test-plan", "--audience", "staff", "--format", "csv"
    )
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows["2a"]["percent_complete"], rows["2a"]["progress"]) == ("", "")
    assert rows["1a"]["percent_complete"] == "20"
    assert rows["2a"]["plan_progress_words"] == doc["progress_words"]

    publish_plan(delivered, by=editor)
    actions.set_state(delivered, "activities", "published", by=editor)
    api = client.get("/api/v1/delivery/test-plan/delivery").json()
    assert api["objectives"][1]["activities"][0]["percent_complete"] is None
    assert api["progress_not_recorded"] == 1
    twin = client.get("/plans/test-plan/delivery.json").json()
    assert twin["progress_words"] == doc["progress_words"]
    page = client.get("/plans/test-plan/delivery/").content.decode()
    assert "Not recorded" in page and "1 has no percentage recorded" in page

    client.force_login(editor)
    staff = client.get(f"/staff/delivery/activities/{a.pk}/")
    assert "Not recorded" in staff.content.decode()  # the history table's version without one
    assert "Not recorded" in client.get("/staff/plans/test-plan/delivery/").content.decode()
    # the staff form takes a blank percentage, and a figure again
    data = form_data(staff)
    assert data["percent_complete"] == ""
    data["percent_complete"] = "35"
    assert client.post(f"/staff/delivery/activities/{a.pk}/", data).status_code == 302
    a.refresh_from_db()
    assert a.percent_complete == 35
    data = form_data(client.get(f"/staff/delivery/activities/{a.pk}/"))
    data["percent_complete"] = ""
    assert client.post(f"/staff/delivery/activities/{a.pk}/", data).status_code == 302
    a.refresh_from_db()
    assert a.percent_complete is None
    assert [h.percent_complete for h in a.history.order_by("history_id")][-3:] == [None, 35, None]


def test_a_file_without_the_percent_column_leaves_the_recorded_percentages(
    delivered, write, editor
):
    text = "activity,objective,title\n2a,2,Publish the strategy\n"
    actions.import_delivery(delivered, read_delivery(write("t.csv", text), delivered), by=editor)
    assert Activity.objects.get(code="2a").percent_complete == 50


def test_a_percentage_that_is_not_a_whole_number_is_still_refused(small_plan, write):
    text = "activity,objective,title,percent_complete\n1a,1,T,n/a\n1b,1,U,0\n1c,1,V,\n"
    with pytest.raises(ImportRefused) as refused:
        read_delivery(write("p.csv", text), small_plan)
    assert [str(p) for p in refused.value.problems] == [
        'p.csv, row 2, column percent_complete: "n/a" is not a whole number from 0 to 100'
    ]
    rows = read_delivery(write("p.csv", text.replace("n/a", "7")), small_plan)
    assert [r.values["percent_complete"] for r in rows] == [7, 0, None]  # 0 typed is 0
