"""Part 3 of the report from the registers, and the demo's registers from seeds 002-004."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.plans import demo as plan_demo
from oversight.registers import demo, threesixty
from oversight.registers.actions import import_register, update_item
from oversight.registers.importers import read_register
from oversight.registers.models import Bid, Contract, Decision, Disposal, Grant
from oversight.reports.compose import compose_report

from conftest import shared_path, shared_state


def text_of(block) -> str:
    """All the words of a composed block, as a reader sees them."""
    if isinstance(block, str):
        return block
    if isinstance(block, d.Text):
        return block.text
    if isinstance(block, d.Paragraph):
        return "".join(text_of(i) for i in block.content)
    if isinstance(block, d.BulletList):
        return "\n".join("".join(text_of(i) for i in item) for item in block.items)
    if isinstance(block, d.Markdown):
        return block.source
    if isinstance(block, d.Table):
        cells = [
            " | ".join("".join(text_of(i) for i in c.content) for c in r.cells) for r in block.rows
        ]
        return "\n".join([block.caption, *cells])
    if isinstance(block, d.Section):
        return "\n".join([block.title, *(text_of(b) for b in block.blocks)])
    return ""


def part3(plan, period="2013/14 Q1") -> str:
    doc = compose_report(plan, period, audience=Audience.STAFF)
    return text_of(next(s for s in doc.sections if s.title.startswith("Part 3")))


@shared_state
def registers_demo_rows(out):
    plan = plan_demo.load(by="test")
    return plan, demo.load(plan=plan, out_dir=out, by="test")


@pytest.fixture
def demo_plan(_state_registers_demo_rows):
    """The demo plan with the registers' demo (built once; its files are shared: read only)."""
    return _state_registers_demo_rows


def test_the_demo_enters_the_seeds_registers_with_their_figures(demo_plan):
    d30 = Decision.objects.get(reference="PCC/D/2023/30")
    assert (d30.value, str(d30.made_on)) == (Decimal("1200000"), "2023-10-19")
    assert Grant.objects.get(summary=True, awarded_on="2013-06-30").grants_count == 61
    assert Bid.objects.get(identifier="ho-safer-streets-5").amount_awarded == Decimal("999025")
    assert Bid.objects.get(identifier="nhse-complex-care-pathfinder").amount_awarded == 650000
    assert Contract.objects.get(identifier="wm-steer-clear-cyp").value == Decimal("538496")
    assert str(Contract.objects.get(identifier="wm-victim-support").ends_on) == "2024-03-31"
    assert Disposal.objects.get(identifier="holmer-road-hereford").decision == d30
    assert Disposal.objects.count() == 4


# Every date in the demo registers and where it comes from. "noted": the paper gives no such day,
# the register needs one, and the item's note says "Date not in the paper".
REGISTER_DATES = {
    ("decisions", "pcc-d-2023-30", "made_on"): "2023-10-19",  # seed 003 para 67
    ("decisions", "wm-2013-treasury-management-strategy", "made_on"): "2013-06-30",  # noted
    ("decisions", "wm-2013-regional-collaboration-surveillance", "made_on"): "2013-06-30",  # noted
    # seed 002: "To the end of June 2013, 61 grants have been awarded"
    ("grants", "wm-cgs-2013-14-q1-summary", "awarded_on"): "2013-06-30",
    ("grants", "wm-svd-2023-24-herefordshire", "awarded_on"): "2023-10-01",  # noted
    ("grants", "wm-svd-2023-24-north-worcestershire", "awarded_on"): "2023-10-01",  # noted
    ("grants", "wm-svd-2023-24-south-worcestershire", "awarded_on"): "2023-10-01",  # noted
    ("grants", "wm-svd-2023-24-shropshire", "awarded_on"): "2023-10-01",  # noted
    ("grants", "wm-svd-2023-24-telford-wrekin", "awarded_on"): "2023-10-01",  # noted
    ("contracts", "wm-victim-support", "ends_on"): "2024-03-31",  # seed 003 para 15
    ("contracts", "wm-adult-sarc-2024", "starts_on"): "2024-03-31",  # seed 003 para 9
    ("contracts", "wm-steer-clear-cyp", "starts_on"): "2023-10-18",  # seed 003 para 16
    # seed 003 para 67: "in the process of disposal by 31/03/24"
    ("disposals", "holmer-road-hereford", "expected_by"): "2024-03-31",
    ("disposals", "hindlip-the-firs-and-the-orchards", "expected_by"): "2024-03-31",
    ("disposals", "malvern-42a-albert-road", "expected_by"): "2024-03-31",
    ("disposals", "evesham-community-contact-centre", "expected_by"): "2024-03-31",
}
NOTED = [
    ("decisions", "wm-2013-treasury-management-strategy"),
    ("decisions", "wm-2013-regional-collaboration-surveillance"),
    ("grants", "wm-svd-2023-24-herefordshire"),
    ("grants", "wm-svd-2023-24-north-worcestershire"),
    ("grants", "wm-svd-2023-24-south-worcestershire"),
    ("grants", "wm-svd-2023-24-shropshire"),
    ("grants", "wm-svd-2023-24-telford-wrekin"),
]


def test_every_demo_register_date_is_one_the_seeds_give_or_is_noted_as_not_in_the_paper(
    demo_plan, client
):
    from django.db.models import DateField, DateTimeField

    from oversight.registers.models import GrantProgramme

    registers = {
        "decisions": Decision,
        "programmes": GrantProgramme,
        "grants": Grant,
        "contracts": Contract,
        "bids": Bid,
        "disposals": Disposal,
    }
    found = {}
    for kind, model in registers.items():
        days = [
            f.name
            for f in model._meta.fields
            if isinstance(f, DateField) and not isinstance(f, DateTimeField)
        ]
        for item in model.objects.all():
            for name in days:
                if getattr(item, name) is not None:
                    found[(kind, item.identifier, name)] = str(getattr(item, name))
    assert found == REGISTER_DATES
    for kind, identifier in NOTED:
        item = registers[kind].objects.get(identifier=identifier)
        page = client.get(item.get_absolute_url()).content.decode()
        assert "Date not in the paper" in page, identifier


def test_the_demo_report_part3_states_the_grants_count_and_total_from_the_registers(demo_plan):
    plan, _ = demo_plan
    text = part3(plan)
    assert "To the end of June 2013, 61 grants have been awarded totalling £1,369,313." in text
    assert "The PCC has made 2 decisions requiring notices" in text
    assert "Treasury management strategy 2013/14" in text
    assert "Regional collaboration: Surveillance" in text
    assert "West Mercia Commissioner's grant scheme | 61 | £1,369,313" in text
    assert "11. To develop and implement a public engagement strategy | 61 | £1,369,313" in text


def test_changing_one_grants_amount_changes_the_reports_total(demo_plan, tmp_path):
    plan, _ = demo_plan
    update_item("grants", "wm-cgs-2013-14-q1-summary", by="test", amount=Decimal("1369314"))
    assert "61 grants have been awarded totalling £1,369,314." in part3(plan)
    # the same through a re-import of the register file
    src = (demo.DATA / "grants.csv").read_text().replace(",1369313,", ",1400000,")
    path = tmp_path / "grants.csv"
    path.write_text(src)
    import_register("grants", read_register("grants", path, plan), by="test")
    assert "61 grants have been awarded totalling £1,400,000." in part3(plan)


def test_part3_counts_only_the_period_and_says_so_for_a_later_quarter(small_plan, write):
    path = write(
        "grants.csv",
        "id,title,purpose,recipient_name,amount,awarded_on,objectives\n"
        "a,A,P,Alpha Trust,1000,2013-05-01,1\n"
        "b,B,P,Beta Trust,2500,2013-08-01,1;2\n"
        "c,C,P,Gamma Trust,4000,2014-04-01,\n",
    )
    import_register("grants", read_register("grants", path, small_plan), by="test")
    q2 = part3(small_plan, "2013/14 Q2")
    assert (
        "To the end of September 2013, 2 grants have been awarded totalling £3,500 since "
        "1 April 2013, of which 1 grant totalling £2,500 in this quarter." in q2
    )
    assert "1. Reduce crime | 2 | £3,500" in q2 and "2. Deliver strategies | 1 | £2,500" in q2
    assert "Gamma" not in q2


def test_part3_lists_contracts_and_bids_in_the_seeds_words(small_plan, write):
    for kind, text in (
        (
            "contracts",
            "id,title,provider,value,starts_on,ends_on\nvs,Victim Support contract,Victim Support,,2021-04-01,2024-03-31\n",
        ),
        (
            "bids",
            "id,funder,fund,amount_awarded,decided_on,outcome\nss5,Home Office,Safer Streets Fund round 5,999025,2024-01-15,won\n"
            "ey,Home Office,Early Intervention Youth Fund,,2024-02-01,declined\n",
        ),
    ):
        import_register(kind, read_register(kind, write(f"{kind}.csv", text)), by="test")
    text = part3(small_plan, "2023/24 Q4")
    assert "1 contract came to an end in this period." in text
    assert (
        "The PCC bid successfully for £999,025 from Safer Streets Fund round 5 (Home Office)."
        in text
    )
    assert "The PCC's bid to Early Intervention Youth Fund (Home Office) was declined." in text


def test_the_demo_writes_valid_360giving_and_the_tracker(demo_plan):
    _, written = demo_plan
    names = {p.name for p in written}
    assert names == {
        "grants-360giving.json",
        "grants-360giving.csv",
        "publication-tracker.csv",
        "publication-tracker.json",
    }
    path = next(p for p in written if p.name == "grants-360giving.json")
    doc = json.loads(path.read_text())
    assert len(doc["grants"]) == 5  # the five CSP grants; summary rows are not grants
    assert threesixty.validate(doc, shared_path("schemas", "360giving")) == []
    tracker = json.loads(
        next(p for p in written if p.name == "publication-tracker.json").read_text()
    )
    decisions = next(x for x in tracker["duties"] if x["register"] == "decisions")
    assert decisions["deadline_days"] == 20 and decisions["held"] == 3


def test_the_demo_is_safe_to_load_twice(demo_plan, tmp_path):
    plan, _ = demo_plan
    counts = (Grant.objects.count(), Decision.objects.count())
    demo.load(plan=plan, out_dir=tmp_path / "again", by="test")
    assert (Grant.objects.count(), Decision.objects.count()) == counts


def test_list_and_export_commands(demo_plan, capsys, tmp_path):
    call_command("registers", "list", "decisions")
    out = capsys.readouterr().out
    assert "pcc-d-2023-30  PCC/D/2023/30  2023-10-19  1,200,000" in out
    assert out.strip().endswith("3 rows in decision notices.")
    call_command(
        "registers",
        "export",
        "contracts",
        "--format",
        "json",
        "--audience",
        "staff",
        "--out",
        str(tmp_path / "c.json"),
    )
    items = json.loads((tmp_path / "c.json").read_text())["items"]
    assert {i["id"] for i in items} >= {"wm-victim-support", "wm-steer-clear-cyp"}


def test_part3_lists_estate_disposals_in_the_seeds_words_for_their_year(demo_plan):
    plan, _ = demo_plan
    text = part3(plan, "2023/24 Q3")
    assert "Assets identified and in the process of disposal by 31/03/24 include:" in text
    assert (
        "Disposal of the freehold of the land off Holmer Road, Hereford (a 2.8-acre plot) "
        "(Holmer Road, Hereford, HR4 9SW) to Wye Valley NHS Trust for £1,200,000, as per "
        "Decision Notice PCC/D/2023/30 dated 19 October 2023 (approved)." in text
    )
    assert "Estate disposals" not in part3(plan)  # nothing expected in 2013/14


def test_the_demo_tracker_says_publication_dates_are_not_recorded_rather_than_overdue(
    demo_plan,
):
    import json

    _, written = demo_plan
    path = next(p for p in written if p.name == "publication-tracker.json")
    items = [i for d in json.loads(path.read_text())["duties"] for i in d["items"]]
    standings = {i["id"]: i["standing"] for i in items}
    # No seed gives a publication day: none is entered, and none is called overdue.
    assert not any(i["published_on"] for i in items)
    assert "no publication recorded, overdue" not in standings.values()
    assert standings["pcc-d-2023-30"] == "publication date not recorded"
    assert standings["wm-steer-clear-cyp"] == "publication date not recorded"
