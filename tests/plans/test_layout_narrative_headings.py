"""The narrative headings of the seed 003 and seed 004 report layouts, and the plan's layout."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.core.layout_names import BUILT_IN
from oversight.lib.problems import ImportRefused
from oversight.plans.exports import narrative_markdown, plan_yaml
from oversight.plans.importers import read_plan
from oversight.plans.models import Narrative, Plan

from conftest import SMALL_PLAN

PAPER = """---
period: 2013/14 Q1
---
# Executive summary
The purpose of this report is to update the Panel.

# Recommendation
The Panel is invited to note the report.

# Delivery plan and assurance
The delivery plan has 88 activities.

## Assurance
Each is assessed monthly.

# Finance
Spending is on budget.

# Engagement
Three surgeries were held.

# Performance
Crime fell.

# Implications: risk
None beyond the risk register.

# Implications: financial
None.

# Implications: legal
None.

# Implications: equality
None.

# Supporting information
The delivery plan.

# Contact points
Chief Executive, 01905 000000.
"""


def run(path):
    call_command("import", "narrative", str(path), "--plan", "test-plan")


def test_the_paper_headings_import_with_four_implications_told_apart_by_key(small_plan, write):
    run(write("n.md", PAPER))
    rows = set(Narrative.objects.values_list("section", "key"))
    assert rows == {
        ("summary", ""),
        ("recommendation", ""),
        ("delivery", ""),
        ("finance", ""),
        ("engagement", ""),
        ("performance", ""),
        ("implications", "risk"),
        ("implications", "financial"),
        ("implications", "legal"),
        ("implications", "equality"),
        ("supporting", ""),
        ("contacts", ""),
    }
    # A sub-heading stays in its section's Markdown body.
    assert (
        "## Assurance\nEach is assessed monthly." in Narrative.objects.get(section="delivery").body
    )


def test_the_exported_narrative_imports_back_unchanged(small_plan, write, capsys):
    run(write("n.md", PAPER))
    again = narrative_markdown(small_plan, "2013/14 Q1")
    assert "# Implications: financial" in again
    run(write("again.md", again))
    assert "0 new, 0 changed, 12 unchanged" in capsys.readouterr().out


def test_an_implication_twice_is_refused(small_plan, write):
    with pytest.raises(CommandError, match="appears twice"):
        run(write("n.md", PAPER + "\n# Implications: risk\nAgain.\n"))


def test_the_plan_names_its_report_layout_and_a_plan_without_one_takes_seed_002(db, write):
    call_command("import", "plan", str(write("p.yaml", SMALL_PLAN)))
    assert Plan.objects.get().report_layout == "seed-002"
    text = SMALL_PLAN.replace(
        "  force: Testshire\n", "  force: Testshire\n  report_layout: seed-003\n"
    )
    call_command("import", "plan", str(write("p.yaml", text)))
    assert Plan.objects.get().report_layout == "seed-003"
    assert "report_layout: seed-003" in plan_yaml(Plan.objects.get())  # the export keeps it


def test_a_layout_name_that_is_not_a_name_is_refused(db, write):
    text = SMALL_PLAN.replace("  force: Testshire\n", "  force: Testshire\n  report_layout: ../x\n")
    with pytest.raises(CommandError, match="plan.report_layout"):
        call_command("import", "plan", str(write("p.yaml", text)))


def test_a_plan_naming_a_layout_that_does_not_exist_is_refused_listing_the_layouts(
    db, write, settings, tmp_path
):
    text = SMALL_PLAN.replace(
        "  force: Testshire\n", "  force: Testshire\n  report_layout: seed-099\n"
    )
    with pytest.raises(ImportRefused) as refused:
        read_plan(write("p.yaml", text))
    assert [str(p) for p in refused.value.problems] == [
        'p.yaml, plan.report_layout: there is no report layout "seed-099": the layouts are '
        "seed-002, seed-003, seed-004 (an office's own are read from OVERSIGHT_REPORT_LAYOUTS_DIR)"
    ]
    with pytest.raises(CommandError, match='no report layout "seed-099"'):
        call_command("import", "plan", str(write("p.yaml", text)))
    assert not Plan.objects.exists()
    # an office's own layout of that name is one the plan may name
    own = tmp_path / "own"
    own.mkdir()
    (own / "seed-099.yaml").write_text((BUILT_IN / "seed-003.yaml").read_text(encoding="utf-8"))
    settings.OVERSIGHT_REPORT_LAYOUTS_DIR = str(own)
    assert read_plan(write("p.yaml", text)).report_layout == "seed-099"


def test_staff_say_which_implication_a_narrative_is_in_the_editor(
    small_plan, write, client, editor
):
    run(write("n.md", PAPER))
    n = Narrative.objects.get(section="implications", key="legal")
    client.force_login(editor)
    data = {"section": "implications", "objective": "", "title": "", "order": 0, "save": "1"}
    page = client.post(f"/staff/narratives/{n.pk}/", {**data, "body": "Changed."})
    assert "Say which implication this is" in page.content.decode()
    client.post(f"/staff/narratives/{n.pk}/", {**data, "body": "Changed.", "implication": "legal"})
    n.refresh_from_db()
    assert (n.key, n.body) == ("legal", "Changed.")
