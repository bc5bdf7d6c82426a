"""Open data: 360Giving JSON and flattened CSV valid against the standard (format checking on),
register CSV/JSON with documented columns, and cells that cannot run as spreadsheet formulas."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.lib.audience import Audience
from oversight.registers import exports, threesixty
from oversight.registers.actions import import_register
from oversight.registers.importers import read_register
from oversight.registers.models import Grant

from conftest import shared_path

PROGRAMMES = "id,title,funder_name,funder_org_id\ncgs,Grant scheme,Testshire PCC,GB-GOR-TEST\n"
GRANTS = (
    "id,programme,title,purpose,recipient_name,charity_number,amount,awarded_on,starts_on,"
    "ends_on,conditions,summary_count,objectives\n"
    'g-1,cgs,Youth club,Activities,"=HYPERLINK(""http://x"")",1234567,5000,2013-05-02,'
    "2013-06-01,2014-05-31,Report quarterly,,1\n"
    "g-2,cgs,Pastors,Patrols,@Street Pastors,,2500.50,2013-06-10,,,,,\n"
    "q1,cgs,Q1 awards,Grants,,,1000000,2013-06-30,,,,40,\n"
)


@pytest.fixture
def grants(small_plan, write):
    for kind, text in (("programmes", PROGRAMMES), ("grants", GRANTS)):
        path = write(f"{kind}.csv", text)
        import_register(kind, read_register(kind, path, small_plan), by="test")
    return Grant.objects.all()


def schema_dir():
    return shared_path("schemas", "360giving")


def package(grants):
    from datetime import date

    return threesixty.package(grants, issued=date(2024, 1, 31))


def test_the_360giving_package_validates_against_the_shipped_schema(grants):
    doc = package(grants)
    assert [g["id"] for g in doc["grants"]] == ["360G-oversight-g-2", "360G-oversight-g-1"]
    assert threesixty.validate(doc, schema_dir()) == []
    assert threesixty.validate(doc) == []  # the vendored copy, used when exporting


def test_the_vendored_schema_is_the_shipped_one():
    for name in ("360-giving-schema.json", "360-giving-package-schema.json"):
        shipped = json.loads((schema_dir() / name).read_text())
        assert json.loads((threesixty.SCHEMA_DIR / name).read_text()) == shipped


def test_the_real_published_grants_file_passes_the_same_validator():
    path = shared_path(
        "schemas",
        "360giving",
        "sample_data",
        "a003W000001B7PzQAK_andrew-lloyd-webber-foundation.json",
    )
    doc = json.loads(path.read_text())
    assert len(doc["grants"]) == 475
    assert threesixty.validate(doc, schema_dir()) == []


def test_format_checking_is_on_so_a_date_is_judged_by_the_oneof(grants):
    doc = package(grants)
    doc["grants"][0]["awardDate"] = "2013-06-10T25:00:00Z"  # matches neither branch
    doc["grants"][1]["dateModified"] = "yesterday"
    errors = threesixty.validate(doc, schema_dir())
    assert any(e.startswith("grants/0/awardDate") for e in errors)
    assert any(e.startswith("grants/1/dateModified") for e in errors)


def test_a_grant_without_a_required_field_breaks_the_schema(grants):
    doc = package(grants)
    del doc["grants"][0]["recipientOrganization"]
    assert threesixty.validate(doc, schema_dir())


def test_summary_rows_are_not_exported_as_grants(grants):
    assert "360G-oversight-q1" not in {g["id"] for g in package(grants)["grants"]}


def test_the_recipient_id_comes_from_the_charity_number(grants):
    g1 = next(g for g in package(grants)["grants"] if g["id"].endswith("g-1"))
    assert g1["recipientOrganization"][0]["id"] == "GB-CHC-1234567"
    assert g1["classifications"][0]["code"] == "1"
    assert g1["conditions"] == "Report quarterly"


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_a_recipient_written_as_a_formula_opens_as_text_in_every_csv(grants):
    flat = read_csv(threesixty.flat_csv(package(grants)))
    names = {r["Recipient Org:Name"] for r in flat}
    assert names == {'\'=HYPERLINK("http://x")', "'@Street Pastors"}
    register = read_csv(exports.as_csv("grants", audience=Audience.STAFF))
    assert '\'=HYPERLINK("http://x")' in {r["recipient_name"] for r in register}
    assert not any(v.startswith(("=", "+", "@")) for r in flat + register for v in r.values())


def test_the_export_command_writes_360giving_json_and_flat_csv(grants, tmp_path):
    out = tmp_path / "grants.json"
    call_command(
        "registers",
        "export",
        "grants",
        "--format",
        "360giving",
        "--audience",
        "staff",
        "--out",
        str(out),
    )
    doc = json.loads(out.read_text())
    assert threesixty.validate(doc, schema_dir()) == []
    flat = tmp_path / "grants.csv"
    call_command(
        "registers",
        "export",
        "grants",
        "--format",
        "csv",
        "--audience",
        "staff",
        "--out",
        str(flat),
    )
    rows = read_csv(flat.read_text())
    assert rows[0]["Identifier"] == "360G-oversight-g-2" and rows[0]["Amount Awarded"] == "2500.5"


def test_360giving_is_refused_for_other_registers(grants):
    with pytest.raises(CommandError, match="grants only"):
        call_command(
            "registers", "export", "decisions", "--format", "360giving", "--audience", "staff"
        )


def test_a_register_export_reimports_unchanged(grants, tmp_path):
    text = exports.as_csv("grants", audience=Audience.STAFF)
    rows = read_csv(text)
    assert {r["id"] for r in rows} == {"g-1", "g-2", "q1"}
    q1 = next(r for r in rows if r["id"] == "q1")
    assert q1["summary_count"] == "40" and q1["url"] == "/registers/grants/q1/"
    path = tmp_path / "grants-register.csv"
    path.write_text(text)
    outcome = import_register("grants", read_register("grants", path), by="test")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 3)
    assert Grant.objects.get(identifier="g-1").recipient_name == '=HYPERLINK("http://x")'


def test_decisions_export_as_json_with_documented_columns(small_plan, write):
    path = write(
        "d.csv",
        "id,reference,title,made_on,value,exempt_part,exempt_reason\n"
        "d1,PCC/D/2023/30,Land,2023-10-19,1200000,Valuation,Commercially sensitive\n",
    )
    import_register("decisions", read_register("decisions", path), by="test")
    data = exports.as_json("decisions", audience=Audience.STAFF)
    assert data["columns"] == exports.fields("decisions")
    (item,) = data["items"]
    assert item["reference"] == "PCC/D/2023/30" and item["value"] == 1200000
    assert item["withheld"] is True and item["made_on"] == "2023-10-19"


def test_the_linear_validation_agrees_with_validating_the_whole_package(grants):
    whole = threesixty.validator(schema_dir())
    good = package(grants)
    assert threesixty.validate(good, schema_dir()) == [] and whole.is_valid(good)
    for breaks in (
        lambda doc: doc["grants"][1].pop("title"),
        lambda doc: doc["grants"][1].update(awardDate="30/06/2013"),
        lambda doc: doc["grants"].append(dict(doc["grants"][0])),  # uniqueItems
        lambda doc: doc.update(version="one"),
    ):
        doc = package(grants)
        breaks(doc)
        assert threesixty.validate(doc, schema_dir()) and not whole.is_valid(doc)


def test_register_csv_exports_grants_in_the_importers_columns(grants, tmp_path):
    out = tmp_path / "grants.csv"
    call_command(
        "registers",
        "export",
        "grants",
        "--format",
        "register-csv",
        "--audience",
        "staff",
        "--out",
        str(out),
    )
    assert out.read_text().splitlines()[0].startswith("id,programme,title,purpose,recipient_name")
    outcome = import_register("grants", read_register("grants", out), by="test")
    assert (outcome.created, outcome.updated) == (0, 0)
