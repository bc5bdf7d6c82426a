"""Strategic aims: an optional level above the objectives, given in plan YAML either with the
objectives under each aim or by `aim:` on an objective; refused with the key and reason when
wrong; carried through `oversight export plan`."""

import pytest

from oversight.lib.problems import ImportRefused
from oversight.plans.actions import import_plan
from oversight.plans.exports import plan_yaml
from oversight.plans.importers import read_plan
from oversight.plans.models import Objective

HEAD = """\
plan: {slug: aims-plan, title: Aims plan, force: Testshire, starts: 2013-04-01, ends: 2017-03-31}
"""
NESTED = (
    HEAD
    + """\
aims:
  - code: A
    title: Reduce crime and disorder
    objectives:
      - {code: "1", title: Reduce crime}
      - {code: "2", title: Reduce antisocial behaviour}
  - code: B
    title: Protect the vulnerable
objectives:
  - {code: "3", title: Support victims, aim: B}
  - {code: "4", title: Not under an aim}
"""
)


@pytest.mark.django_db
def test_aims_hold_the_objectives_listed_under_them_or_naming_them(write):
    plan, _ = import_plan(read_plan(write("plan.yaml", NESTED)), by="test")
    assert [(a.code, a.title) for a in plan.aims.all()] == [
        ("A", "Reduce crime and disorder"),
        ("B", "Protect the vulnerable"),
    ]
    got = [(o.code, o.aim.code if o.aim else None) for o in plan.objectives.all()]
    assert got == [("1", "A"), ("2", "A"), ("3", "B"), ("4", None)]
    assert plan.aims.get(code="A").history.count() == 1


@pytest.mark.django_db
def test_a_plan_exported_with_aims_imports_back_the_same(write):
    plan, _ = import_plan(read_plan(write("plan.yaml", NESTED)), by="test")
    exported = plan_yaml(plan)
    assert "aim: B" in exported
    again, outcome = import_plan(read_plan(write("again.yaml", exported)), by="test")
    assert again == plan and (outcome.created, outcome.updated) == (0, 0)


@pytest.mark.django_db
def test_an_unknown_or_contradicting_aim_is_refused_and_nothing_written(write):
    text = NESTED.replace("aim: B}", "aim: Z}").replace(
        '{code: "2", title: Reduce antisocial behaviour}',
        '{code: "2", title: Reduce antisocial behaviour, aim: B}',
    )
    with pytest.raises(ImportRefused) as refused:
        read_plan(write("plan.yaml", text))
    assert [str(p) for p in refused.value.problems] == [
        'plan.yaml, aims[0].objectives[1].aim: is "B" but it is listed under aim "A"',
        'plan.yaml, objectives[0].aim: unknown aim "Z" (aims: A, B)',
    ]
    assert Objective.objects.count() == 0
