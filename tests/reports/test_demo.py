"""The demo against seed 002: every Appendix B row in the PDF with its status, and the export's
targets, actuals and computed statuses equal to the seed's figures rated by the rules."""

import json
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

# (code, seed target, seed actual, status by the rules, status as published) for every Appendix B
# row of seed 002 that has a number target; transcribed independently of the demo's CSV.
SEED_002_NUMBER_ROWS = [
    ("1.1", 71.2, 69.1, "amber", "amber"),
    ("1.2", 95, 95.9, "green", "green"),
    ("1.3", 75, 74.2, "amber", "amber"),
    ("1.4", 276, 343, "green", "green"),
    ("1.5", 28, 28, "green", "green"),
    ("2.1", 1639, 1517, "green", "green"),
    ("2.2", 53, 54.9, "green", "green"),
    ("4.1", 14155, 13800, "green", "green"),
    ("4.2", 22.5, 21.5, "green", "green"),
    ("5.1", 15138, 15015, "green", "green"),
    ("5.2", 688, 519, "green", "green"),
    ("5.3", 23, 26, "green", "green"),
    ("5.4", 9.59, 10.03, "amber", "amber"),
    ("5.7", 0.87, 0.88, "amber", "green"),  # published green: "no significant change"
    ("5.8", 30.3, 33.5, "amber", "amber"),
    ("5.9", 662, 539, "green", "green"),
    ("7.1", 32, 34.3, "green", "green"),
    ("7.4", 2784, 2724, "green", "green"),
    ("8.1", 85, 86.5, "green", "green"),
    ("8.2", 89.8, 89.7, "amber", "amber"),
    ("9.2", 98, 100, "amber", "green"),  # killed or seriously injured: published green
]


@pytest.fixture
def demo(db, tmp_path):
    call_command("demo", "--out", str(tmp_path))
    return tmp_path


def export(period="2013/14 Q1"):
    from io import StringIO

    out = StringIO()
    call_command(
        "export_measures",
        "--plan",
        "west-mercia-2013",
        "--period",
        period,
        "--format",
        "json",
        "--audience",
        "public",
        stdout=out,
    )
    return [r for r in json.loads(out.getvalue()) if r["area"] == "force"]


def test_the_export_gives_the_seeds_targets_actuals_and_the_rules_statuses(demo):
    records = {r["measure"]: r for r in export()}
    assert len(records) == 49  # every row of seed 002's Appendix B
    for code, target, actual, computed, published in SEED_002_NUMBER_ROWS:
        r = records[code]
        assert (r["target"], r["actual"], r["rag_computed"], r["rag"]) == (
            target,
            actual,
            computed,
            published,
        ), code


def test_where_the_published_status_differs_the_override_says_as_published(demo):
    r = {r["measure"]: r for r in export()}["9.2"]
    assert (r["rag"], r["rag_computed"], r["rag_reason"]) == ("green", "amber", "as published")


def test_the_demo_writes_three_formats_and_the_pdf_carries_every_appendix_b_row(demo):
    import yaml

    from oversight.plans.demo import DATA

    for ext in ("html", "pdf", "docx"):
        assert (demo / f"police-and-crime-plan-report-2013-14-q1.{ext}").stat().st_size > 10_000
    reader = PdfReader(demo / "police-and-crime-plan-report-2013-14-q1.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    text = re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a line broken after a hyphen ("mis- use")
    appendix_b = text[text.index("Appendix B – success measures") :]
    plan = yaml.safe_load((DATA / "west-mercia-2013.yaml").read_text())
    names = [m["name"] for o in plan["objectives"] for m in o["measures"]]
    assert len(names) == 49
    for name in names:
        assert " ".join(name.split()) in appendix_b, name
    # Statuses are words, not only colours: each published status, and the rules' status beside it
    # wherever an override differs, appears in the table as a word.
    records = export()
    for word in ("Green", "Amber", "Red"):
        published = sum(r["rag"] == word.lower() for r in records)
        beside = sum(
            r["rag"] != r["rag_computed"] and r["rag_computed"] == word.lower() for r in records
        )
        assert len(re.findall(rf"\b{word}\b", appendix_b)) == published + beside, word
    assert "Page 1 of" in text


def test_the_headline_summary_is_written_from_the_data(demo):
    html = (demo / "police-and-crime-plan-report-2013-14-q1.html").read_text()
    assert (
        "To the end of June 2013 the headline measures are on target (8 of 9), except for reduction "
        "in the number of people killed or seriously injured, which is just off target but not "
        "significantly worse than target."
    ) in " ".join(html.split())


def test_running_the_demo_twice_is_safe(demo, tmp_path):
    call_command("demo", "--out", str(tmp_path / "again"))
    assert len(export()) == 49


def test_the_demo_imports_the_police_uk_sample_when_it_is_at_hand(demo):
    from conftest import shared_path

    shared_path("police_uk", "street_geoinformation_in_society")
    from oversight.opendata.models import ImportedFile

    assert ImportedFile.objects.filter(force="west-mercia", kind="street").count() == 5
