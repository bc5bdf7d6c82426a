"""Staff upload figures, a narrative or the plan through the browser, checked exactly as the
command line checks them: every problem listed with row and column, nothing written on any."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.accounts.roles import Role
from oversight.plans.models import Narrative, Observation, Plan

from conftest import HEADER

PLAN = "west-mercia-2013"
URL = f"/staff/plans/{PLAN}/upload/"
NEW_PLAN = """\
plan: {slug: new-plan, title: A new plan, force: West Mercia, starts: 2025-04-01, ends: 2029-03-31}
objectives:
  - code: "1"
    title: Reduce crime
    measures:
      - {code: "1.1", name: Burglary, unit: count, polarity: down, target: {kind: monitor}}
"""


def upload(client, what: str, name: str, text: str, url: str = URL, **extra):
    return client.post(
        url, {"what": what, "file": SimpleUploadedFile(name, text.encode()), **extra}
    )


def test_bad_rows_are_all_listed_and_nothing_is_written(client, site):
    client.force_login(site.cast[Role.EDITOR])
    before = Observation.objects.count()
    text = (
        HEADER
        + "1.1,2013/14 Q3,,70.2,,,,,,,,,,\n9.9,2013/14 Q3,,5,,,,,,,,,,\n1.2,2013/14 Q3,,lots,,,,,,,,,,\n"
    )
    page = " ".join(upload(client, "figures", "q3.csv", text).content.decode().split())
    assert "2 problems found; nothing was imported" in page
    assert "q3.csv, row 3" in page and "q3.csv, row 4" in page and "lots" in page
    assert Observation.objects.count() == before


def test_good_figures_are_imported_and_a_published_one_changes_only_with_a_reason(client, site):
    client.force_login(site.cast[Role.EDITOR])
    response = upload(client, "figures", "q3.csv", HEADER + "1.1,2013/14 Q3,,70.2,,,,,,,,,,\n")
    assert response.status_code == 302 and response["Location"] == URL
    assert "1 rows from q3.csv: 1 new" in client.get(URL).content.decode()
    assert Observation.objects.get(measure__code="1.1", period__code="2013/14 Q3").value == Decimal(
        "70.2"
    )

    published = Observation.objects.get(
        measure__plan=site.plan, measure__code="1.1", period__code="2013/14 Q1", area__code="force"
    )
    fix = HEADER + "1.1,2013/14 Q1,,69.3,,,,,,,,,,\n"
    page = upload(client, "figures", "fix.csv", fix).content.decode()
    assert "is published: a correction needs a reason" in page and "--correction-reason" not in page
    published.refresh_from_db()
    assert published.value == Decimal("69.1")
    upload(client, "figures", "fix.csv", fix, correction_reason="a late-recorded figure")
    published.refresh_from_db()
    assert (published.value, published.correction_reason) == (
        Decimal("69.3"),
        "a late-recorded figure",
    )
    assert published.revisions.get().previous["value"] == "69.1"


def test_a_narrative_and_the_plan_itself_can_be_uploaded(client, site):
    client.force_login(site.cast[Role.EDITOR])
    text = "---\nperiod: 2013/14 Q3\n---\n# Purpose\n\nThe third quarter's report.\n"
    assert upload(client, "narrative", "q3.md", text).status_code == 302
    assert Narrative.objects.filter(plan=site.plan, period__code="2013/14 Q3").exists()
    other = NEW_PLAN.replace("new-plan", "another")
    page = upload(client, "plan", "other.yaml", other).content.decode()
    assert "not this plan" in page and not Plan.objects.filter(slug="another").exists()
    wrong = upload(client, "plan", "plan.csv", "x").content.decode()
    assert "Choose a .yaml, .yml file" in wrong


def test_a_new_plan_from_its_yaml(client, site, write):
    client.force_login(site.cast[Role.EDITOR])
    response = upload(client, "plan", "new.yaml", NEW_PLAN, url="/staff/new-plan/")
    assert response.status_code == 302 and response["Location"] == "/staff/plans/new-plan/upload/"
    assert Plan.objects.get(slug="new-plan").measures.count() == 1
    assert 'value="figures"' not in client.get("/staff/new-plan/").content.decode()


def test_only_editors_upload(client, site):
    client.force_login(site.cast[Role.PROVIDER])
    assert client.get(URL).status_code == 403
    assert upload(client, "figures", "q3.csv", HEADER).status_code == 403


def test_scrutiny_records_are_uploaded_on_the_scrutiny_import_page(client, site):
    from oversight.scrutiny.demo import DATA
    from oversight.scrutiny.models import Meeting

    client.force_login(site.cast[Role.EDITOR])
    url = "/scrutiny/import/"

    def send(name: str, text: str):
        return client.post(url, {"file": SimpleUploadedFile(name, text.encode())})

    broken = "meetings:\n  - {body: nowhere, starts: not-a-date}\n"
    page = " ".join(send("pcp.yaml", broken).content.decode().split())
    assert "nothing was imported" in page and "pcp.yaml" in page
    assert not Meeting.objects.exists()
    text = (DATA / "west-mercia-scrutiny.yaml").read_text(encoding="utf-8")
    response = send("west-mercia-scrutiny.yaml", text)
    assert response.status_code == 302
    assert "Scrutiny records from west-mercia-scrutiny.yaml" in client.get(url).content.decode()
    assert Meeting.objects.exists()
    client.force_login(site.cast[Role.PANEL])
    assert client.get(url).status_code == 403


def test_a_damaged_spreadsheet_is_refused_with_a_reason_not_an_error_page(client, site):
    client.force_login(site.cast[Role.EDITOR])
    response = upload(client, "figures", "q3.xlsx", HEADER + "1.1,2013/14 Q3,,70.2\n")
    page = " ".join(response.content.decode().split())
    assert response.status_code == 200 and "q3.xlsx: cannot read the file" in page


def test_the_new_plan_page_does_not_overwrite_a_plan_already_loaded(client, site):
    client.force_login(site.cast[Role.EDITOR])
    title = site.plan.title
    text = NEW_PLAN.replace("new-plan", PLAN)
    page = upload(client, "plan", "again.yaml", text, url="/staff/new-plan/").content.decode()
    assert "a plan already loaded" in page
    site.plan.refresh_from_db()
    assert site.plan.title == title


def test_a_new_plan_is_a_draft_the_public_cannot_see_until_it_is_published(client, site):
    client.force_login(site.cast[Role.EDITOR])
    response = upload(client, "plan", "new.yaml", NEW_PLAN, url="/staff/new-plan/")
    assert "It is a draft" in client.get(response["Location"]).content.decode()
    client.logout()
    home = client.get("/").content.decode()
    # The home page still opens on the published plan (the new one starts later, in 2025).
    assert "Police and Crime Plan for West Mercia 2013-2017" in home and "A new plan" not in home
    assert client.get("/plans/new-plan/").status_code == 404
    assert client.get("/plan/")["Location"] == f"/plans/{PLAN}/"
    assert "new-plan" not in client.get("/api/v1/plans/").content.decode()

    client.force_login(site.cast[Role.EDITOR])
    client.post("/staff/plans/new-plan/state/", {"do": "publish"})
    client.logout()
    assert client.get("/plans/new-plan/").status_code == 200
    assert "Other published plans" in client.get("/").content.decode()

    # Only an administrator archives (withdraws) a plan; nothing is deleted and it can return.
    client.force_login(site.cast[Role.EDITOR])
    assert client.post("/staff/plans/new-plan/state/", {"do": "archive"}).status_code == 403
    client.force_login(site.cast[Role.ADMIN])
    client.post("/staff/plans/new-plan/state/", {"do": "archive"})
    client.logout()
    assert client.get("/plans/new-plan/").status_code == 404
    assert Plan.objects.get(slug="new-plan").measures.count() == 1
    client.force_login(site.cast[Role.ADMIN])
    client.post("/staff/plans/new-plan/state/", {"do": "publish"})
    client.logout()
    assert client.get("/plans/new-plan/").status_code == 200


def test_the_office_chooses_the_plan_the_public_site_opens_on(client, site, write):
    from oversight.plans.actions import import_plan, publish_plan
    from oversight.plans.importers import read_plan

    later, _ = import_plan(read_plan(write("new.yaml", NEW_PLAN)), by="test")
    publish_plan(later, by="test")
    # Published, and newer, but the office marked the demo plan as current.
    assert "Police and Crime Plan for West Mercia 2013-2017" in client.get("/").content.decode()
    client.force_login(site.cast[Role.EDITOR])
    client.post("/staff/plans/new-plan/state/", {"do": "current"})
    client.logout()
    assert client.get("/plan/")["Location"] == "/plans/new-plan/"


def test_an_upload_never_replaces_a_providers_figure_awaiting_review(client, site):
    client.force_login(site.cast[Role.EDITOR])
    text = HEADER + "2.1,2013/14 Q2,,1200,,ytd,,,,,,,,\n"
    response = upload(client, "figures", "q2.csv", text)
    page = response.content.decode()
    assert "provider-user" in page and "not yet reviewed" in page
    obs = Observation.objects.get(pk=site.draft.pk)
    assert obs.value == Decimal(987654) and obs.state == "submitted"
    assert obs.recorded_by == site.cast[Role.PROVIDER]
