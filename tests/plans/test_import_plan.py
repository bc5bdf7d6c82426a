"""Plan YAML: a good file imports; every kind of bad file is refused whole with the key and reason."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.plans.models import Measure, Objective, Plan

from conftest import SMALL_PLAN


def import_plan_file(path):
    call_command("import", "plan", str(path))


@pytest.mark.django_db
def test_a_plan_imports_with_its_areas_objectives_and_measures(write):
    import_plan_file(write("plan.yaml", SMALL_PLAN))
    plan = Plan.objects.get(slug="test-plan")
    assert [a.code for a in plan.areas.all()] == ["force", "north"]
    assert plan.objectives.count() == 2
    m = Measure.objects.get(code="1.1")
    assert (m.unit, m.polarity, m.headline, m.target_kind) == ("count", "down", True, "change")
    assert m.target.describe() == "less 2% of 2012/13 outturn"


@pytest.mark.django_db
def test_importing_the_same_plan_twice_changes_nothing(write, capsys):
    path = write("plan.yaml", SMALL_PLAN)
    import_plan_file(path)
    import_plan_file(path)
    assert "0 new, 0 changed" in capsys.readouterr().out
    assert Measure.objects.count() == 3


BAD_PLANS = [
    ("plan.slug", "slug: test-plan", "slug: Test Plan!"),
    ("plan.starts", "starts: 2013-04-01", "starts: first of April"),
    (
        "objectives[0].measures[0].unit",
        "unit: count, polarity: down, headline: true",
        "unit: widgets, polarity: down, headline: true",
    ),
    (
        "objectives[0].measures[0].polarity",
        "polarity: down, headline: true",
        "polarity: sideways, headline: true",
    ),
    ("objectives[0].measures[0].headline", "headline: true", "headline: yes please"),
    (
        "objectives[0].measures[1].target.value",
        "kind: value, value: 50",
        "kind: value, value: fifty",
    ),
    (
        "objectives[0].measures[1].target.kind",
        "kind: value, value: 50",
        "kind: aspiration, value: 50",
    ),
    ("objectives[0].measures[0].target.baseline.period", 'period: "2012/13"', 'period: "2012/14"'),
    ("objectives[0].title", "title: Reduce crime", "titel: Reduce crime"),
    ("objectives[1].measures[0].code", 'code: "2.1"', 'code: "1.1"'),
]


@pytest.mark.django_db
@pytest.mark.parametrize("key, good, bad", BAD_PLANS)
def test_a_bad_plan_field_is_named_and_nothing_is_written(write, key, good, bad):
    assert good in SMALL_PLAN
    with pytest.raises(CommandError) as err:
        import_plan_file(write("plan.yaml", SMALL_PLAN.replace(good, bad, 1)))
    assert f"plan.yaml, {key}" in str(err.value)
    assert "nothing was imported" in str(err.value)
    assert Plan.objects.count() == 0 and Objective.objects.count() == 0


@pytest.mark.django_db
def test_a_yaml_field_of_the_wrong_type_is_refused(write):
    with pytest.raises(CommandError, match="objectives.*must be a list"):
        import_plan_file(
            write("plan.yaml", SMALL_PLAN.split("objectives:")[0] + "objectives: many\n")
        )
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_every_problem_in_a_plan_is_listed_at_once(write):
    text = SMALL_PLAN.replace("unit: count", "unit: widgets").replace(
        "kind: value, value: 50", "kind: value"
    )
    with pytest.raises(CommandError) as err:
        import_plan_file(write("plan.yaml", text))
    assert "2 problems found" in str(err.value)


@pytest.mark.django_db
@pytest.mark.parametrize("text, reason", [("", "empty"), ("plan: [unclosed", "not valid YAML")])
def test_an_empty_or_unreadable_plan_file_is_refused(write, text, reason):
    with pytest.raises(CommandError, match=reason):
        import_plan_file(write("plan.yaml", text))
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_plan_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="file not found"):
        import_plan_file(tmp_path / "nope.yaml")


def test_an_impossible_date_is_a_problem_not_a_crash(db, write):
    from oversight.lib.problems import ImportRefused
    from oversight.plans.importers import read_plan

    from conftest import SMALL_PLAN

    with pytest.raises(
        ImportRefused,
        match='plan.yaml, plan.starts: "2013-13-01" is not a date \\(month must be in 1..12',
    ):
        read_plan(write("plan.yaml", SMALL_PLAN.replace("2013-04-01", "2013-13-01")))
