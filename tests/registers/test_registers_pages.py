"""Register pages, their .json and .csv twins, the golden thread, expiring contracts and the API."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from oversight.lib.audience import Audience
from oversight.plans.actions import publish_plan
from oversight.registers.actions import import_register, publish_items
from oversight.registers.importers import read_register
from oversight.registers.models import Decision, Grant
from oversight.registers.queries import contract_alerts, expiring_contracts, golden_thread

FILES = {
    "decisions": (
        "id,reference,title,made_on,value,published_on,exempt_part,exempt_reason,exempt_review_on,objectives\n"
        "pcc-d-2023-30,PCC/D/2023/30,Disposal of land,2023-10-19,1200000,2023-11-28,"
        "The valuation,Commercially sensitive,2024-10-19,1\n"
    ),
    "grants": (
        "id,title,purpose,recipient_name,amount,awarded_on,objectives\n"
        'g1,Youth club,Activities,"=HYPERLINK(""http://x"")",5000,2023-10-01,1\n'
    ),
    "contracts": (
        "id,title,provider,value,starts_on,ends_on,alert_months,objectives\n"
        "vs,Victim Support contract,Victim Support,250000,2021-04-01,2024-03-31,,1\n"
        "sarc,SARC service,,,2024-03-31,2029-03-30,,\n"
        "short,Short notice contract,,,2023-01-01,2024-06-30,1,\n"
    ),
}


@pytest.fixture
def registers(small_plan, write, settings):
    settings.OVERSIGHT_TODAY = "2024-01-31"
    for kind, text in FILES.items():
        import_register(
            kind, read_register(kind, write(f"{kind}.csv", text), small_plan), by="test"
        )
        publish_items(kind, by="test")
    return publish_plan(small_plan, by="test")


def test_a_decision_page_says_what_was_withheld_and_why(client, registers):
    page = client.get("/registers/decisions/pcc-d-2023-30/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<strong>Withheld:</strong> The valuation" in text
    assert "<strong>Reason:</strong> Commercially sensitive" in text
    assert "£1,200,000" in text


def test_every_register_page_has_json_and_csv_twins(client, registers):
    for url in [
        "/registers/decisions",
        "/registers/grants",
        "/registers/contracts",
        "/registers/bids",
    ]:
        assert client.get(url + "/").status_code == 200
        data = client.get(url + ".json").json()
        assert "items" in data and "fields" in data
        assert client.get(url + ".csv")["Content-Type"].startswith("text/csv")
    detail = client.get("/registers/decisions/pcc-d-2023-30.json").json()
    assert detail["items"][0]["reference"] == "PCC/D/2023/30"


def test_the_grants_csv_twin_opens_a_formula_as_text(client, registers):
    rows = list(csv.DictReader(io.StringIO(client.get("/registers/grants.csv").content.decode())))
    assert rows[0]["recipient_name"] == '\'=HYPERLINK("http://x")'


def test_an_unknown_item_is_not_found(client, registers):
    assert client.get("/registers/decisions/nope/").status_code == 404
    assert client.get("/registers/meetings/").status_code == 404


def test_contracts_expiring_within_a_year_with_the_six_month_alert(registers):
    today = date(2024, 1, 31)
    found = expiring_contracts(365, today, audience=Audience.PUBLIC)
    assert [c.identifier for c in found] == ["vs", "short"]
    # six months before 31 March 2024 is 30 September 2023; "short" alerts one month ahead only
    assert [c.identifier for c in contract_alerts(today, audience=Audience.PUBLIC)] == ["vs"]
    later = contract_alerts(date(2024, 6, 1), audience=Audience.PUBLIC)
    assert [c.identifier for c in later] == ["short"]


def test_the_expiring_page_reads_today_from_settings(client, registers):
    data = client.get("/registers/expiring-contracts.json").json()
    assert data["today"] == "2024-01-31"
    assert [(i["id"], i["days_left"], i["alert"]) for i in data["items"]] == [
        ("vs", 60, True),
        ("short", 151, False),
    ]


def test_the_tracker_page_flags_the_late_decision(client, registers):
    data = client.get("/registers/tracker.json").json()
    item = next(i for i in data["items"] if i["id"] == "pcc-d-2023-30")
    assert (item["standing"], item["days_late"], item["days_taken"]) == ("published late", 20, 40)
    assert "Published late" in client.get("/registers/tracker/").content.decode()


def test_the_golden_thread_gathers_everything_that_serves_an_objective(client, registers):
    objective = registers.objectives.get(code="1")
    doc = golden_thread(objective, audience=Audience.PUBLIC)
    assert [m["code"] for m in doc["measures"]] == ["1.1", "1.2"]
    assert [x["id"] for x in doc["decisions"]] == ["pcc-d-2023-30"]
    assert [x["id"] for x in doc["grants"]] == ["g1"] and doc["grants_total"] == 5000
    assert [x["id"] for x in doc["contracts"]] == ["vs"]
    page = client.get(f"/registers/objectives/{objective.pk}.json").json()
    assert page["thread"]["objective"]["code"] == "1"
    assert {r["type"] for r in page["items"]} >= {"measure", "decision", "grant", "contract"}
    assert client.get(f"/registers/objectives/{objective.pk}/").status_code == 200
    assert client.get("/registers/objectives/").status_code == 200


def test_every_register_view_declares_who_may_see_it():
    resolver = get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if getattr(pattern, "app_name", None) == "registers":
            for p in pattern.url_patterns:
                found.append((str(p.pattern), getattr(p.callback, "access", None)))
    assert found and all(access for _, access in found), found


def test_the_api_serves_registers_tracker_thread_and_360giving(client, registers):
    assert client.get("/api/v1/registers/decisions").json()["items"][0]["id"] == "pcc-d-2023-30"
    assert client.get("/api/v1/registers/grants/g1").json()["amount"] == 5000
    assert client.get("/api/v1/registers/meetings").status_code == 404
    assert client.get("/api/v1/registers/tracker").json()["duties"]
    assert (
        client.get("/api/v1/registers/contracts/expiring?within_days=90").json()["items"][0]["id"]
        == "vs"
    )
    objective = registers.objectives.get(code="1")
    assert client.get(f"/api/v1/registers/objectives/{objective.pk}/thread").json()["grants"]
    package = client.get("/api/v1/registers/grants/360giving").json()
    assert package["grants"][0]["recipientOrganization"][0]["name"] == '=HYPERLINK("http://x")'


def test_only_staff_may_import_through_the_web(client, registers, editor, outsider):
    assert client.get("/registers/import/").status_code == 302
    client.force_login(outsider)
    assert client.get("/registers/import/").status_code == 403
    client.force_login(editor)
    assert client.get("/registers/import/").status_code == 200


def test_a_web_import_lists_every_problem_and_writes_nothing(client, registers, editor):
    client.force_login(editor)
    bad = SimpleUploadedFile(
        "grants.csv", b"id,title,purpose,recipient_name,amount,awarded_on\nx,T,P,,abc,2023-13-01\n"
    )
    page = client.post("/registers/import/", {"kind": "grants", "file": bad})
    text = page.content.decode()
    assert "3 problems found; nothing was imported" in text
    assert "grants.csv, row 2, column amount" in text
    assert Grant.objects.count() == 1
    good = SimpleUploadedFile(
        "decisions.csv", b"id,title,made_on\nnew,Treasury management strategy,2024-01-10\n"
    )
    page = client.post(
        "/registers/import/", {"kind": "decisions", "file": good, "plan": registers.slug}
    )
    assert "Imported: 1 new, 0 changed, 0 unchanged." in page.content.decode()
    assert Decision.objects.filter(identifier="new").exists()


def test_an_editor_records_a_publication_date_and_the_tracker_follows(client, registers, editor):
    url = "/registers/grants/g1/publication/"
    assert client.post(url, {"published_on": "2023-11-01"}).status_code == 302  # to sign in
    assert Grant.objects.get().published_on is None
    client.force_login(editor)
    assert "Record the publication date" in client.get("/registers/grants/g1/").content.decode()
    assert client.post(url, {"published_on": "1 Nov"}).status_code == 200  # refused, shown again
    response = client.post(url, {"published_on": "2023-11-01"})
    assert response.status_code == 302 and response["Location"] == "/registers/grants/g1/"
    assert str(Grant.objects.get().published_on) == "2023-11-01"
    item = next(i for i in client.get("/registers/tracker.json").json()["items"] if i["id"] == "g1")
    assert item["standing"] == "on time"  # awarded 1 October, due 30 November
    assert client.get("/registers/bids/x/publication/").status_code == 404


def test_the_thread_finds_linked_items_by_their_relations(registers):
    # The scrutiny app is searched this way; the registers' own models show the rule works.
    from oversight.registers.queries import linked_items

    found = linked_items("registers", registers.objectives.get(code="1"))
    assert {k: [x["title"] for x in v] for k, v in found.items()} == {
        "decisions": ["pcc-d-2023-30"],
        "grants": ["g1"],
        "contracts": ["vs"],
    }
    assert linked_items("registers", registers.objectives.get(code="2")) == {}
    assert linked_items("no-such-app", registers.objectives.get(code="1")) == {}


def test_a_changed_value_shows_in_the_items_history(client, registers, write):
    changed = FILES["grants"].replace(",5000,", ",5500,")
    import_register("grants", read_register("grants", write("g2.csv", changed)), by="test")
    data = client.get("/registers/grants/g1.json").json()
    assert data["items"][0]["amount"] == 5500
    assert [h["previous"]["amount"] for h in data["history"]] == ["5000"]
    assert "earlier values" in client.get("/registers/grants/g1/").content.decode()


def test_a_long_register_is_paged_and_searchable_and_its_twins_stay_whole(
    client, small_plan, write
):
    rows = "".join(
        f"g{i},Grant {i},Activities,{'Northtown Trust' if i % 50 == 0 else 'Southtown Club'},"
        f"{1000 + i},2023-10-01,1\n"
        for i in range(1, 251)
    )
    text = "id,title,purpose,recipient_name,amount,awarded_on,objectives\n" + rows
    import_register(
        "grants", read_register("grants", write("grants.csv", text), small_plan), by="t"
    )
    publish_items("grants", by="t")
    first = " ".join(client.get("/registers/grants/").content.decode().split())
    assert "Grants: 250 items; 1 to 100 shown" in first or "250 items; 1 to 100 shown" in first
    assert "Page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = " ".join(client.get("/registers/grants/", {"page": 3}).content.decode().split())
    assert "201 to 250 shown" in last and "Page 3 of 3" in last
    found = " ".join(client.get("/registers/grants/", {"q": "northtown"}).content.decode().split())
    assert "5 of 250 items match" in found and "Page 1 of" not in found
    assert "No item matches" in client.get("/registers/grants/", {"q": "nowhere"}).content.decode()
    assert len(client.get("/registers/grants.json", {"page": 2}).json()["items"]) == 250


def test_an_imported_item_is_a_draft_only_staff_see_until_an_editor_publishes_it(
    client, small_plan, write, editor
):
    text = "id,title,made_on,decision_maker,category,value\nd1,Sale of a police house,2023-05-01,PCC,estates,120000\n"
    import_register("decisions", read_register("decisions", write("d.csv", text)), by="test")
    assert client.get("/registers/decisions/d1/").status_code == 404
    assert "Sale of a police house" not in client.get("/registers/decisions/").content.decode()
    assert client.get("/registers/decisions.json").json()["items"] == []
    assert client.get("/api/v1/registers/decisions").json()["items"] == []
    client.force_login(editor)
    page = client.get("/registers/decisions/").content.decode()
    assert "Sale of a police house" in page and "Draft" in page
    client.post("/registers/decisions/publish/", {"id": "d1"})
    client.logout()
    assert client.get("/registers/decisions/d1/").status_code == 200
    assert [i["id"] for i in client.get("/api/v1/registers/decisions").json()["items"]] == ["d1"]


def test_the_golden_thread_is_linked_from_the_plan_objective_and_measure_pages(
    client, registers, editor
):
    objective = registers.objectives.get(code="1")
    thread = f"/registers/objectives/{objective.pk}/"
    assert client.get(thread).status_code == 200
    plan_page = client.get(f"/plans/{registers.slug}/").text
    assert f'href="{thread}">Golden thread for objective 1' in plan_page
    measure = objective.measures.first()
    assert f'href="{thread}">golden thread' in client.get(f"/measures/{measure.pk}/").text
    client.force_login(editor)
    assert f'href="{thread}">Golden thread' in client.get(f"/staff/plans/{registers.slug}/").text
    assert f'href="{thread}">Golden thread for objective 1' in (
        client.get(f"/staff/objectives/{objective.pk}/").text
    )
    assert f'href="{thread}">Golden thread for objective 1' in (
        client.get(f"/staff/measures/{measure.pk}/").text
    )
