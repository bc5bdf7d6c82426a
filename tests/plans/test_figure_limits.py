"""A figure beyond what its database column holds (NUMERIC(20, 6): 14 digits before the point,
6 after) is refused with the limit in the message on every path in: the observations import,
the plan YAML, the provider's form, the editor's correction and the API. Stored, such a figure
could not be read back and took every page that shows it down with a 500."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.accounts.roles import Role
from oversight.plans.models import Measure, Observation, Plan

from conftest import HEADER, SMALL_PLAN

RANGE = "this column holds figures from -99,999,999,999,999.999999 to 99,999,999,999,999.999999"
BASE = "/api/v1/plans/west-mercia-2013"


def figures():
    return sorted(
        Observation.objects.values_list("measure__code", "period__code", "value", "target")
    )


@pytest.mark.parametrize(
    "row, column, reason",
    [
        ("1.1,2013/14 Q1,,1e30,,,,,,,,,,", "value", f'"1E+30" is out of range: {RANGE}'),
        (
            "1.1,2013/14 Q1,,100000000000000,,,,,,,,,,",
            "value",
            f'"100000000000000" is out of range: {RANGE}',
        ),
        ("1.1,2013/14 Q1,,10,1e30,,,,,,,,,", "target", f'"1E+30" is out of range: {RANGE}'),
        ("1.1,2013/14 Q1,,10,,,-1e15,,,,,,,", "comparator", f'"-1E+15" is out of range: {RANGE}'),
        ("1.2,2013/14 Q1,,50,,,,,1,1e20,,,,", "denominator", f'"1E+20" is out of range: {RANGE}'),
        (
            "1.1,2013/14 Q1,,10,1.0000001,,,,,,,,,",
            "target",
            '"1.0000001" has more than 6 decimal places',
        ),
        ("1.1,2013/14 Q1,,NaN,,,,,,,,,,", "value", '"NaN" is not a number'),
        ("1.1,2013/14 Q1,,10,-Infinity,,,,,,,,,", "target", '"-Infinity" is not a number'),
    ],
)
def test_the_import_refuses_a_figure_beyond_its_column_with_the_limit(
    small_plan, write, row, column, reason
):
    with pytest.raises(CommandError) as err:
        call_command(
            "import",
            "observations",
            str(write("q1.csv", HEADER + row + "\n")),
            "--plan",
            "test-plan",
        )
    assert f"q1.csv, row 2, column {column}: {reason}" in str(err.value)
    assert figures() == []


def test_the_import_refuses_a_source_longer_than_its_column_on_every_database(small_plan, write):
    # SQLite keeps an over-long text whole; PostgreSQL refuses the write: the import says so first
    source = "s" * 301
    with pytest.raises(CommandError) as err:
        call_command(
            "import",
            "observations",
            str(
                write(
                    "q1.csv",
                    HEADER.rstrip() + ",source\n1.1,2013/14 Q1,,10,,,,,,,,,,," + source + "\n",
                )
            ),
            "--plan",
            "test-plan",
        )
    assert "q1.csv, row 2, column source: the source is 301 characters; the limit is 300" in str(
        err.value
    )
    assert figures() == []


@pytest.mark.parametrize(
    "good, bad, key",
    [
        ("value: 50}", "value: 1.0e+30}", "objectives[0].measures[1].target.value"),
        ("value: 50}", "value: 100000000000000}", "objectives[0].measures[1].target.value"),
        ("value: 50}", "value: .nan}", "objectives[0].measures[1].target.value"),
        ("value: 50}", "value: -.inf}", "objectives[0].measures[1].target.value"),
        ("value: 50}", "value: 50.0000001}", "objectives[0].measures[1].target.value"),
        ("percent: -2", "percent: -1e20", "objectives[0].measures[0].target.percent"),
        ("value: 6000}", "value: 6e20}", "objectives[0].measures[0].target.baseline.value"),
    ],
)
def test_a_plan_number_beyond_its_column_is_refused_with_the_limit(db, write, good, bad, key):
    assert good in SMALL_PLAN
    with pytest.raises(CommandError) as err:
        call_command("import", "plan", str(write("plan.yaml", SMALL_PLAN.replace(good, bad, 1))))
    message = str(err.value)
    assert f"plan.yaml, {key}: " in message
    assert "out of range" in message or "decimal places" in message or "not a number" in message
    assert Plan.objects.count() == 0


def test_a_trajectory_goal_beyond_its_column_is_refused(db, write):
    text = SMALL_PLAN.replace(
        "target: {kind: value, value: 50}",
        'target: {kind: trajectory, goal: 1e16, by: 2015-03-31, baseline: {period: "2012/13", value: 40}}',
    )
    with pytest.raises(CommandError, match=rf"target.goal: \"1E\+16\" is out of range: {RANGE}"):
        call_command("import", "plan", str(write("plan.yaml", text)))
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("sample, reason", [("2.5", "whole number"), ("1e12", "too large")])
def test_a_minimum_sample_must_be_a_whole_number_its_column_holds(db, write, sample, reason):
    text = SMALL_PLAN.replace(
        "unit: percent, polarity: up,", f"unit: percent, polarity: up, minimum_sample: {sample},"
    )
    with pytest.raises(CommandError, match=rf"measures\[1\].minimum_sample: .*{reason}"):
        call_command("import", "plan", str(write("plan.yaml", text)))
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("typed", ["100000000000000", "1e30", "NaN", "Infinity", "1517.0000001"])
def test_the_providers_form_refuses_a_figure_beyond_the_column_and_the_page_still_loads(
    client, site, typed
):
    client.force_login(site.cast[Role.PROVIDER])
    url = f"/provide/{site.collection.pk}/"
    m22 = Measure.objects.get(plan=site.plan, code="2.2")
    page = client.post(url, {f"m{m22.pk}-value": typed, f"m{m22.pk}-comment": "x"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "out of range" in text or "is not a number" in text or "decimal places" in text
    assert not Observation.objects.filter(measure=m22, period__code="2013/14 Q2").exists()
    assert client.get(url).status_code == 200


def test_the_editors_correction_refuses_a_figure_beyond_the_column(client, site):
    obs = Observation.objects.get(
        measure=site.measure, period__code="2013/14 Q1", area__is_force_area=True
    )
    before = obs.value
    client.force_login(site.cast[Role.EDITOR])
    page = client.post(
        f"/staff/observations/{obs.pk}/",
        {"correct": "1", "correct-value": "100000000000000", "correct-reason": "typo"},
    ).content.decode()
    assert "out of range" in page and "99,999,999,999,999.999999" in page
    obs.refresh_from_db()
    assert obs.value == before and obs.correction_reason == ""


@pytest.mark.parametrize(
    "field, sent, reason",
    [
        ("value", 1e30, f'"1E+30" is out of range: {RANGE}'),
        ("value", "100000000000000", f'"100000000000000" is out of range: {RANGE}'),
        ("value", "51.1234567", '"51.1234567" has more than 6 decimal places'),
        ("value", float("nan"), '"nan" is not a number'),
        ("value", "Infinity", '"Infinity" is not a number'),
        ("numerator", "1e30", f'"1E+30" is out of range: {RANGE}'),
        ("denominator", 1e-9, '"0.000000001" has more than 6 decimal places'),
    ],
)
def test_the_api_refuses_a_figure_beyond_the_column_with_the_limit(
    client, site, field, sent, reason
):
    body = {"measure": "2.2", "period": "2013/14 Q2", "value": "51", field: sent}
    response = client.post(
        f"{BASE}/observations",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens[Role.EDITOR]}",
    )
    assert response.status_code == 422, response.content
    assert {"field": field, "reason": reason} in response.json()["problems"]
    assert not Observation.objects.filter(measure__code="2.2", period__code="2013/14 Q2").exists()
    assert client.get(f"{BASE}/measures/2.2/observations").status_code == 200


def test_the_limit_is_read_from_the_column_so_a_change_of_column_changes_the_check(monkeypatch):
    from decimal import Decimal

    from oversight.plans.importers import value_problem

    monkeypatch.setattr(Observation._meta.get_field("value"), "max_digits", 10)
    assert value_problem(Measure(unit="count"), Decimal("10000")) == (
        '"10000" is out of range: this column holds figures from -9,999.999999 to 9,999.999999'
    )
    assert value_problem(Measure(unit="count"), Decimal("9999")) is None
