"""Register imports: every problem listed with row, column and reason; nothing written on any
error; re-import idempotent; changed values kept in the history."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.audit.models import AuditEntry
from oversight.registers.actions import history, import_register, update_item
from oversight.registers.importers import KINDS, read_register
from oversight.registers.models import Bid, Contract, Decision, Grant, GrantProgramme

PROGRAMMES = (
    "id,title,funder_name,funder_org_id,fund_total,objectives\n"
    "cgs,Commissioner's grant scheme,Testshire PCC,GB-GOR-TEST,2000000,1\n"
)
GRANTS_HEADER = (
    "id,programme,title,purpose,recipient_name,charity_number,amount,awarded_on,"
    "summary_count,objectives\n"
)
GRANTS = GRANTS_HEADER + (
    "g-1,cgs,Youth club,Diversionary activities,Northtown Youth Trust,1234567,5000,2013-05-02,,1\n"
    "g-2,cgs,Street pastors,Night-time economy patrols,Street Pastors North,,2500.50,2013-06-10,,1;2\n"
)


def imp(kind, path, plan="test-plan"):
    args = ["registers", "import", kind, str(path)]
    if plan:
        args += ["--plan", plan]
    call_command(*args)


@pytest.fixture
def programmes(small_plan, write):
    imp("programmes", write("programmes.csv", PROGRAMMES))
    return GrantProgramme.objects.get()


def grants_state():
    return sorted(Grant.objects.values_list("identifier", "amount", "recipient_name", "awarded_on"))


def refused(kind, path):
    with pytest.raises(CommandError) as exc:
        imp(kind, path)
    return str(exc.value)


def test_it_imports_grants_linked_to_their_programme_and_objectives(programmes, write):
    imp("grants", write("grants.csv", GRANTS))
    g2 = Grant.objects.get(identifier="g-2")
    assert g2.programme == programmes
    assert str(g2.amount) == "2500.50"
    assert sorted(o.code for o in g2.objectives.all()) == ["1", "2"]
    assert g2.slug == "g-2" and not g2.summary and g2.grants_count == 1


@pytest.mark.parametrize(
    "column, field",
    [
        ("recipient_name", "recipientOrganization/0/name"),
        ("amount", "amountAwarded"),
        ("awarded_on", "awardDate"),
        ("title", "title"),
        ("purpose", "description"),
    ],
)
def test_a_grant_missing_a_required_field_is_refused_naming_the_field(
    programmes, write, column, field
):
    header = GRANTS_HEADER.strip().split(",")
    values = "g-9,cgs,Youth club,Activities,Northtown Youth Trust,,5000,2013-05-02,,".split(",")
    values[header.index(column)] = ""
    message = refused("grants", write("g.csv", ",".join(header) + "\n" + ",".join(values) + "\n"))
    assert f'row 2, column {column}: "{column}" (360Giving {field}) is missing' in message
    assert Grant.objects.count() == 0


def test_a_missing_required_column_is_named(programmes, write):
    message = refused(
        "grants", write("g.csv", "id,title,purpose,recipient_name,awarded_on\nx,T,P,R,2013-05-02\n")
    )
    assert 'the required column "amount" (360Giving amountAwarded) is missing' in message


def test_every_problem_is_listed_with_row_column_and_reason_and_nothing_is_written(
    programmes, write
):
    imp("grants", write("grants.csv", GRANTS))
    before, audits = grants_state(), AuditEntry.objects.count()
    bad = GRANTS_HEADER + (
        "g-1,cgs,Youth club,Activities,Northtown Youth Trust,,9999,2013-05-02,,1\n"  # fine alone
        "g-3,nope,Title,Purpose,Recipient,,12x,2013-02-30,,7\n"
        "g-1,cgs,Dup,Purpose,Recipient,,1,2013-05-02,,\n"
        "bad id!,cgs,T,P,,,1,2013-05-02,1,\n"
    )
    message = refused("grants", write("bad.csv", bad))
    for expected in [
        'bad.csv, row 3, column programme: no grant programme "nope"',
        'bad.csv, row 3, column amount: "12x" is not a number',
        'bad.csv, row 3, column awarded_on: "2013-02-30" is not a date',
        'bad.csv, row 3, column objectives: no objective "7"',
        'bad.csv, row 4, column id: "g-1" is also on row 2',
        'bad.csv, row 5, column id: "bad id!" must be letters',
        "bad.csv, row 5, column summary_count: a summary row covers two or more grants",
    ]:
        assert expected in message
    assert "nothing was imported" in message
    assert grants_state() == before
    assert AuditEntry.objects.count() == audits


def test_reimporting_the_same_file_changes_nothing(programmes, write):
    path = write("grants.csv", GRANTS)
    imp("grants", path)
    rows = read_register("grants", path)
    outcome = import_register("grants", rows, by="test")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert Grant.history.count() == 2  # each grant's first version, and no other
    assert history("grants", "g-1") == []


def test_a_changed_value_is_kept_in_the_history(programmes, write):
    imp("grants", write("grants.csv", GRANTS))
    imp("grants", write("grants2.csv", GRANTS.replace("5000,2013-05-02", "6000,2013-05-02")))
    assert str(Grant.objects.get(identifier="g-1").amount) == "6000.00"
    (rev,) = history("grants", "g-1")
    assert rev.previous["amount"] == "5000"
    assert rev.note == "import of grants2.csv"


def test_update_item_changes_one_field_and_keeps_the_old_value(programmes, write):
    imp("grants", write("grants.csv", GRANTS))
    update_item("grants", "g-2", by="test", note="typo", amount=2600)
    assert str(Grant.objects.get(identifier="g-2").amount) == "2600.00"
    assert history("grants", "g-2")[0].previous["amount"] == "2500.5"
    assert AuditEntry.objects.filter(action="update_grant").count() == 1


def test_a_summary_row_records_a_published_total_without_a_recipient(programmes, write):
    imp(
        "grants",
        write("g.csv", GRANTS_HEADER + "q1,cgs,Q1 awards,Grants,,,1369313,2013-06-30,61,\n"),
    )
    g = Grant.objects.get()
    assert g.summary and g.grants_count == 61 and g.recipient_name == ""


def test_a_summary_row_with_a_recipient_is_refused(programmes, write):
    message = refused(
        "grants", write("g.csv", GRANTS_HEADER + "q1,cgs,Q1,G,Someone,,100,2013-06-30,61,\n")
    )
    assert "row 2, column recipient_name: a summary row has no single recipient" in message


DECISIONS = (
    "id,reference,title,made_on,category,value,significant_public_interest,published_on,"
    "exempt_part,exempt_reason,exempt_review_on\n"
    "pcc-d-2023-30,PCC/D/2023/30,Disposal of land,2023-10-19,estates,1200000,,2023-11-01,"
    "Valuation report,Commercially sensitive,2024-10-19\n"
)


def test_decisions_keep_their_reference_and_what_was_withheld(small_plan, write):
    imp("decisions", write("d.csv", DECISIONS))
    d = Decision.objects.get()
    assert d.reference == "PCC/D/2023/30" and d.slug == "pcc-d-2023-30"
    assert d.significant_public_interest  # blank means true
    assert d.withheld and d.exempt_reason == "Commercially sensitive"


def test_a_reference_used_by_another_decision_is_refused(small_plan, write):
    imp("decisions", write("d.csv", DECISIONS))
    message = refused(
        "decisions",
        write("d2.csv", "id,reference,title,made_on\nother,PCC/D/2023/30,Other,2023-11-01\n"),
    )
    assert 'row 2, column reference: "PCC/D/2023/30" belongs to decision "pcc-d-2023-30"' in message


@pytest.mark.parametrize(
    "kind, text, expected",
    [
        (
            "decisions",
            "id,title,made_on,category\nx,T,2023-01-01,sport\n",
            'column category: "sport" is not one of',
        ),
        ("decisions", "id,title,made_on,colour\nx,T,2023-01-01,red\n", 'unknown column "colour"'),
        (
            "contracts",
            "id,title,starts_on,ends_on\nx,T,2024-04-01,2024-03-31\n",
            "column ends_on: 2024-03-31 is before starts_on",
        ),
        (
            "decisions",
            "id,title,made_on,published_on\nx,T,2023-10-19,2023-10-01\n",
            "column published_on: 2023-10-01 is before made_on 2023-10-19",
        ),
        (
            "decisions",
            "id,title,made_on,exempt_part\nx,T,2023-10-19,The valuation\n",
            "column exempt_reason: say why the withheld part was withheld",
        ),
        (
            "contracts",
            "id,title,extension_options,extensions_used\nx,T,1,2\n",
            "column extensions_used: 2 used but only 1 allowed",
        ),
        ("contracts", "id,title,value\nx,T,-5\n", 'column value: "-5" is negative'),
        (
            "bids",
            "id,funder,fund,outcome\nx,Home Office,Fund,maybe\n",
            'column outcome: "maybe" is not one of',
        ),
        (
            "bids",
            "id,funder,fund,outcome,amount_awarded\nx,HO,Fund,declined,100\n",
            "a declined bid has no amount awarded",
        ),
        (
            "grants",
            "id,title,purpose,recipient_name,amount,awarded_on,currency\nx,T,P,R,1,2023-01-01,pounds\n",
            '"pounds" is not a three-letter currency code',
        ),
    ],
)
def test_bad_values_are_refused_with_a_reason(small_plan, write, kind, text, expected):
    model = KINDS[kind].model
    assert expected in refused(kind, write("f.csv", text))
    assert model.objects.count() == 0


def test_an_xlsx_file_is_read_like_a_csv(small_plan, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "funder", "fund", "amount_awarded", "outcome", "decided_on"])
    ws.append(["ss5", "Home Office", "Safer Streets Fund round 5", 999025, "won", None])
    path = tmp_path / "bids.xlsx"
    wb.save(path)
    imp("bids", path)
    assert str(Bid.objects.get().amount_awarded) == "999025.00"


def test_contracts_record_extensions_and_the_alert_date(small_plan, write):
    imp(
        "contracts",
        write(
            "c.csv",
            "id,title,provider,value,starts_on,ends_on,extension_options,extensions_used\n"
            "vs,Victim Support contract,Victim Support,100000,2021-04-01,2024-03-31,2,1\n",
        ),
    )
    c = Contract.objects.get()
    assert c.extensions_left == 1
    assert str(c.alert_on) == "2023-09-30"


def test_objectives_need_a_plan_when_several_exist(small_plan, write):
    from oversight.plans.models import Plan

    Plan.objects.create(
        slug="other", title="Other", force="X", starts="2020-04-01", ends="2024-03-31"
    )
    with pytest.raises(CommandError) as exc:
        imp("programmes", write("p.csv", PROGRAMMES), plan=None)
    assert "--plan" in str(exc.value)


def test_the_history_command_prints_the_earlier_values(programmes, write, capsys):
    imp("grants", write("grants.csv", GRANTS))
    imp("grants", write("grants2.csv", GRANTS.replace("5000,2013-05-02", "6000,2013-05-02")))
    call_command("registers", "history", "grants", "g-1")
    out = capsys.readouterr().out
    assert "(import of grants2.csv): " in out and "amount=5000" in out
    assert out.strip().endswith("1 earlier version of grants g-1.")
    with pytest.raises(CommandError, match='no item "nope"'):
        call_command("registers", "history", "grants", "nope")
