import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.plans.models import Narrative

GOOD = """---
period: 2013/14 Q1
---
# Purpose
Why this report exists.

# Objective 1
Progress on crime.

# Activity: Grants
61 grants.

# Recommendations
Members are invited to consider the report.
"""


def run(path):
    call_command("import", "narrative", str(path), "--plan", "test-plan")


def test_a_narrative_imports_each_section(small_plan, write):
    run(write("n.md", GOOD))
    assert sorted(Narrative.objects.values_list("section", flat=True)) == [
        "activity",
        "objective",
        "purpose",
        "recommendations",
    ]
    assert Narrative.objects.get(section="objective").objective.code == "1"


def test_reimporting_a_narrative_changes_nothing_and_an_edit_updates_it(small_plan, write, capsys):
    run(write("n.md", GOOD))
    run(write("n.md", GOOD))
    assert "0 new, 0 changed, 4 unchanged" in capsys.readouterr().out
    run(write("n.md", GOOD.replace("Progress on crime.", "Crime fell.")))
    assert Narrative.objects.get(section="objective").body == "Crime fell."


@pytest.mark.parametrize(
    "text, reason",
    [
        (GOOD.replace("period: 2013/14 Q1", "period: Q1"), "line 2, column period"),
        (GOOD.replace("# Objective 1", "# Objective 7"), 'unknown objective "7"'),
        (GOOD.replace("# Purpose", "# Preamble"), 'unknown heading "# Preamble"'),
        (GOOD.replace("---\nperiod", "period", 1), "must start with front matter"),
        (GOOD.replace("Why this report exists.", ""), 'section "purpose" has no text'),
        ("", "the file is empty"),
    ],
)
def test_a_bad_narrative_is_refused_with_its_line_and_nothing_is_written(
    small_plan, write, text, reason
):
    with pytest.raises(CommandError, match=reason):
        run(write("n.md", text))
    assert Narrative.objects.count() == 0
