"""The plan importers hold every field to its type and length, refuse YAML anchors and footnotes
split at a comma, flag periods after the plan and numbers for milestones, and list every row's
problems whatever the other rows hold."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.lib.problems import ImportRefused
from oversight.plans.demo import DATA
from oversight.plans.importers import read_narrative, read_observations, read_plan
from oversight.plans.models import Observation, Plan

from conftest import HEADER, SHARED, SMALL_PLAN

LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def problems_of(call) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        call()
    return err.value.lines()


@pytest.mark.django_db
def test_a_billion_laughs_plan_is_refused_by_the_command_and_nothing_is_imported(write):
    text = LAUGHS + SMALL_PLAN.replace("title: Test Police and Crime Plan", "title: *i")
    with pytest.raises(CommandError) as err:
        call_command("import", "plan", str(write("plan.yaml", text)))
    assert "plan.yaml, line 1: an anchor (&a): Oversight refuses YAML anchors" in str(err.value)
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_anchors_are_refused_in_narrative_front_matter(small_plan, write):
    path = write("q1.md", "---\nx: &p 2013/14 Q1\nperiod: *p\n---\n# Purpose\nText.\n")
    assert problems_of(lambda: read_narrative(path, small_plan))[0].startswith(
        "q1.md, line 2: an anchor (&p)"
    )


@pytest.mark.django_db
def test_anchors_are_refused_in_scrutiny_files_and_publication_rules(write):
    from oversight.registers.tracker import read_rules
    from oversight.scrutiny.importers import read_scrutiny

    scrutiny = write("s.yaml", "people:\n  - &p {id: ann, name: Ann}\n  - *p\n")
    assert problems_of(lambda: read_scrutiny(scrutiny))[0].startswith(
        "s.yaml, line 2: an anchor (&p)"
    )
    rules = write("rules.yaml", "duties:\n  - &d {code: a}\n  - *d\n")
    assert problems_of(lambda: read_rules(rules))[0].startswith("rules.yaml, line 2: an anchor")


@pytest.mark.django_db
def test_plan_level_fields_are_type_checked_and_every_problem_is_listed(write):
    text = SMALL_PLAN.replace("title: Test Police and Crime Plan", "title: {a: 1}").replace(
        "force: Testshire", "force: [North, South]"
    )
    assert problems_of(lambda: read_plan(write("plan.yaml", text))) == [
        "plan.yaml, plan.title: must be text, not a mapping",
        "plan.yaml, plan.force: must be text, not a list",
    ]


@pytest.mark.django_db
def test_an_empty_title_and_a_title_longer_than_its_column_are_refused(write):
    empty = SMALL_PLAN.replace("title: Test Police and Crime Plan", 'title: ""')
    assert problems_of(lambda: read_plan(write("plan.yaml", empty))) == [
        "plan.yaml, plan.title: is empty"
    ]
    long = SMALL_PLAN.replace("title: Test Police and Crime Plan", "title: " + "x" * 301)
    assert problems_of(lambda: read_plan(write("plan.yaml", long))) == [
        "plan.yaml, plan.title: is 301 characters; the limit is 300"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "footnotes",
    ["[Measured per 100, 000 youth population]", "[Measured per 100,000 youth population]"],
)
def test_a_footnote_split_at_the_comma_of_a_number_is_refused_with_quote_this_footnote(
    write, footnotes
):
    text = SMALL_PLAN.replace("headline: true,", f"headline: true, footnotes: {footnotes},")
    lines = problems_of(lambda: read_plan(write("plan.yaml", text)))
    assert len(lines) == 1
    assert lines[0].startswith(
        'plan.yaml, objectives[0].measures[0].footnotes[1]: "Measured per 100" and '
    )
    assert "quote this footnote" in lines[0]


@pytest.mark.django_db
def test_a_quoted_footnote_with_a_comma_is_one_note(write):
    text = SMALL_PLAN.replace(
        "headline: true,", 'headline: true, footnotes: ["Measured per 100,000 youth population"],'
    )
    measure = read_plan(write("plan.yaml", text)).objectives[0].measures[0]
    assert measure.footnotes == ["Measured per 100,000 youth population"]


def _paper_footnotes() -> dict[str, str]:
    """Seed 002's numbered footnotes, by their superscript number."""
    seed = next((SHARED / "seeds").glob("002_*.txt"), None)
    if seed is None:
        pytest.skip("../shared/seeds is absent")
    notes = {}
    for line in seed.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+) (.+)$", line):
            notes[m[1]] = m[2].strip()
    return notes


@pytest.mark.django_db
def test_each_demo_footnote_is_one_note_exactly_as_the_paper_prints_it():
    spec = read_plan(DATA / "west-mercia-2013.yaml")
    ours = {n for o in spec.objectives for m in o.measures for n in m.footnotes}
    paper = _paper_footnotes()
    assert ours == set(paper.values())
    assert all(len(m.footnotes) == 1 for o in spec.objectives for m in o.measures if m.footnotes)
    assert "per 100,000 youth pop." in paper["⁶"]


@pytest.mark.django_db
def test_a_period_after_the_plan_is_refused_naming_the_plan_s_span(small_plan, write):
    rows = "1.1,2099/00 Q1,,70,,,,,,,,,,\n1.1,2011/12,,6100,,,,,,,,,,\n"
    assert problems_of(lambda: read_observations(write("o.csv", HEADER + rows), small_plan)) == [
        "o.csv, row 2, column period: 2099/00 Q1 begins after the plan ends "
        "(the plan runs 1 April 2013 to 31 March 2017)"
    ]


@pytest.mark.django_db
def test_history_before_the_plan_is_accepted(small_plan, write):
    rows = "1.1,2011/12,,6100,,,,,,,,,,\n1.1,2012-03,,500,,,,,,,,,,\n"
    assert len(read_observations(write("o.csv", HEADER + rows), small_plan)) == 2


@pytest.mark.django_db
def test_a_number_given_for_a_milestone_is_refused(small_plan, write):
    path = write("o.csv", HEADER + "2.1,2013/14 Q1,,3,,,,,,,on_track,,,\n")
    assert problems_of(lambda: read_observations(path, small_plan)) == [
        "o.csv, row 2, column value: 2.1 is a milestone: give its status, not a number"
    ]


@pytest.mark.django_db
def test_every_row_s_problems_are_listed_whatever_the_other_rows_hold(small_plan, write):
    rows = (
        "1.1,2013/14 Q1,,70,,,,,,,,,,,extra\n"  # a cell too many
        "1.2,2013/14 Q1,,101,,,,,,,,,,\n"  # a percentage over 100
        "2.1,2099/00 Q1,,3,,,,,,,,,,\n"  # after the plan, and a number for a milestone
        "9.9,2013/14 Q1,,5,,,,,,,,,,\n"  # no such measure
    )
    before = Observation.objects.count()
    with pytest.raises(CommandError) as err:
        call_command(
            "import", "observations", str(write("o.csv", HEADER + rows)), "--plan", "test-plan"
        )
    assert str(err.value).splitlines() == [
        "5 problems found; nothing was imported:",
        "  - o.csv, row 2: 15 cells but the header has 14",
        "  - o.csv, row 3, column value: 101 is not a percentage between 0 and 100",
        "  - o.csv, row 4, column period: 2099/00 Q1 begins after the plan ends "
        "(the plan runs 1 April 2013 to 31 March 2017)",
        "  - o.csv, row 4, column value: 2.1 is a milestone: give its status, not a number",
        '  - o.csv, row 5, column measure: unknown measure code "9.9" in plan test-plan',
    ]
    assert Observation.objects.count() == before


@pytest.mark.django_db
def test_a_file_of_many_bad_rows_lists_200_problems_and_counts_the_rest(small_plan, write):
    rows = "".join(f"x{i},2013/14 Q1,,5,,,,,,,,,,\n" for i in range(5000))
    with pytest.raises(CommandError) as err:
        call_command(
            "import", "observations", str(write("o.csv", HEADER + rows)), "--plan", "test-plan"
        )
    lines = str(err.value).splitlines()
    assert lines[0] == "5,000 problems found; nothing was imported:"
    assert len(lines) == 202
    assert lines[-1] == "  - … and 4,800 more problems (5,000 in all)"


@pytest.mark.django_db
def test_an_observations_file_over_the_limit_is_refused_by_the_command(small_plan, write, settings):
    settings.OVERSIGHT_MAX_IMPORT_BYTES = 1024
    path = write("o.csv", HEADER + "1.1,2013/14 Q1,,70,,,,,,,,,,\n" * 100)
    with pytest.raises(
        CommandError,
        match=r"o.csv: the file is 3 KB; the limit is 1 KB \(OVERSIGHT_MAX_IMPORT_BYTES\)",
    ):
        call_command("import", "observations", str(path), "--plan", "test-plan")
