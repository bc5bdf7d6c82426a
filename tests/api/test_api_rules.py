"""A figure sent through the API follows the web form's rules: a data provider writes only into a
period the office has opened, for the force area, a status for a milestone and a value for a
number, with a comment when off target; an editor keeps the office's wider rights, but no one
writes a period after the plan ends."""

from __future__ import annotations

import pytest

from oversight.accounts.roles import Role
from oversight.plans.models import Observation

BASE = "/api/v1/plans/west-mercia-2013"


def post(client, site, role, **body):
    return client.post(
        f"{BASE}/observations",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens[role]}",
    )


def stored(code, period):
    return list(
        Observation.objects.filter(measure__code=code, period__code=period).values_list(
            "area__code", "value", "status", "state"
        )
    )


def problems(response):
    return [(p["field"], p["reason"]) for p in response.json()["problems"]]


def test_a_provider_cannot_submit_for_a_period_the_office_has_not_opened(client, site):
    response = post(client, site, Role.PROVIDER, measure="2.2", period="2013/14 Q3", value="55")
    assert response.status_code == 409
    assert problems(response) == [
        ("period", "2013/14 Q3 is not open for figures: the office opens a period first")
    ]
    assert stored("2.2", "2013/14 Q3") == []


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.EDITOR])
def test_no_one_submits_for_a_period_after_the_plan_ends(client, site, role):
    response = post(client, site, role, measure="2.2", period="2099/00 Q1", value="55")
    assert response.status_code == 422
    assert problems(response) == [
        (
            "period",
            "2099/00 Q1 begins after the plan ends (the plan runs 1 April 2013 to 31 March 2017)",
        )
    ]
    assert stored("2.2", "2099/00 Q1") == []


@pytest.mark.parametrize("period", ["9999/00", "0000-01"])
def test_a_period_the_calendar_cannot_hold_is_refused_not_a_server_error(client, site, period):
    response = post(client, site, Role.EDITOR, measure="2.2", period=period, value="55")
    assert response.status_code == 422
    assert problems(response) == [("period", f'"{period}" is not a period the calendar can hold')]


def test_an_editor_may_enter_a_figure_for_a_period_before_the_plan(client, site):
    response = post(
        client, site, Role.EDITOR, measure="2.1", period="2012/13", value="6900", basis="period"
    )
    assert response.status_code == 201, response.content
    assert stored("2.1", "2012/13") == [("force", 6900, "", "approved")]


def test_an_editor_may_enter_a_figure_without_an_open_collection_and_for_an_area(client, site):
    response = post(
        client,
        site,
        Role.EDITOR,
        measure="2.2",
        period="2013/14 Q3",
        area="herefordshire",
        value="55",
    )
    assert response.status_code == 201, response.content
    assert stored("2.2", "2013/14 Q3") == [("herefordshire", 55, "", "approved")]


def test_a_provider_enters_force_area_figures_only_as_on_the_form(client, site):
    response = post(
        client,
        site,
        Role.PROVIDER,
        measure="2.2",
        period="2013/14 Q2",
        area="herefordshire",
        value="55",
    )
    assert response.status_code == 422
    assert problems(response) == [
        ("area", "data providers enter force-area figures; area figures come from the office")
    ]
    assert stored("2.2", "2013/14 Q2") == []


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.EDITOR])
def test_a_milestone_takes_a_status_and_a_number_measure_a_value(client, site, role):
    milestone = post(client, site, role, measure="2.3", period="2013/14 Q2", value="3")
    assert milestone.status_code == 422
    assert problems(milestone) == [("value", "2.3 is a milestone: give its status, not a value")]
    number = post(client, site, role, measure="2.2", period="2013/14 Q2", status="on_track")
    assert number.status_code == 422
    assert problems(number) == [("status", "2.2 is measured by a number: give its value")]
    assert stored("2.3", "2013/14 Q2") == [] and stored("2.2", "2013/14 Q2") == []


def test_a_providers_off_target_figure_needs_a_comment_as_on_the_form(client, site):
    body = {"measure": "2.2", "period": "2013/14 Q2", "value": "40"}  # red against 53%
    response = post(client, site, Role.PROVIDER, **body)
    assert response.status_code == 422
    assert problems(response) == [("comment", "2.2 is off target: say why in a comment")]
    assert stored("2.2", "2013/14 Q2") == []
    explained = post(client, site, Role.PROVIDER, **body, comment="Two large cases still open")
    assert explained.status_code == 201
    assert stored("2.2", "2013/14 Q2") == [("force", 40, "", "submitted")]


def test_an_off_target_milestone_needs_a_comment_from_a_provider(client, site):
    body = {"measure": "2.3", "period": "2013/14 Q2", "status": "off_track"}
    assert problems(post(client, site, Role.PROVIDER, **body)) == [
        ("comment", "2.3 is off target: say why in a comment")
    ]
    assert post(client, site, Role.PROVIDER, **body, comment="Delayed").status_code == 201


@pytest.mark.parametrize(
    "numerator, denominator, problem",
    [
        ("60", "50", ("numerator", "numerator 60 is more than denominator 50")),
        ("1", "0", ("denominator", "must be more than 0")),
        ("-1", "50", ("numerator", "cannot be negative")),
    ],
)
def test_a_numerator_and_denominator_follow_the_importers_rules(
    client, site, numerator, denominator, problem
):
    response = post(
        client,
        site,
        Role.EDITOR,
        measure="2.2",
        period="2013/14 Q2",
        value="55",
        numerator=numerator,
        denominator=denominator,
    )
    assert response.status_code == 422
    assert problem in problems(response)
    assert stored("2.2", "2013/14 Q2") == []


def test_an_approved_figure_is_not_changed_by_its_provider(client, site):
    from oversight.plans import actions

    actions.approve_figure(site.draft, by=site.cast[Role.EDITOR])
    response = post(
        client, site, Role.PROVIDER, measure="2.1", period="2013/14 Q2", value="1", basis="ytd"
    )
    assert response.status_code == 409
    site.draft.refresh_from_db()
    assert site.draft.state == "approved"


def test_the_office_cannot_open_a_collection_for_a_period_outside_the_plan(client, site):
    from oversight.plans.models import Collection

    client.force_login(site.cast[Role.EDITOR])
    url = f"/staff/plans/{site.plan.slug}/collections/"
    page = client.post(url, {"period": "2099/00 Q1"}).content.decode()
    assert (
        "2099/00 Q1 begins after the plan ends (the plan runs 1 April 2013 to 31 March 2017)"
        in page
    )
    assert not Collection.objects.filter(period__code="2099/00 Q1").exists()
    assert client.post(url, {"period": "2013/14 Q3"}).status_code == 302
    assert Collection.objects.filter(period__code="2013/14 Q3").exists()


def test_an_editor_sends_comparators_a_rank_a_data_span_and_a_survey(client, site):
    response = post(
        client,
        site,
        Role.EDITOR,
        measure="2.2",
        period="w/e 7 July 2013",
        value="69.1",
        comparators=[
            {"name": "region", "label": "West Midlands region average", "value": "70.2"},
            {"name": "national", "value": 71},
        ],
        rank=29,
        rank_of=43,
        rank_label="forces in England and Wales",
        data_span="2013-04..2013-06",
        sample_size=2000,
        responses=1200,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["period"] == "2013-W27" and body["period_label"] == "week ending 7 July 2013"
    assert body["comparators"] == [
        {"name": "region", "label": "West Midlands region average", "value": 70.2},
        {"name": "national", "label": "England and Wales", "value": 71},
    ]
    assert (body["rank"], body["rank_of"], body["sample_size"], body["responses"]) == (
        29,
        43,
        2000,
        1200,
    )
    assert body["latest_data"] == "April – June 2013" and body["stale"] is False


def test_bad_comparators_ranks_spans_and_surveys_are_refused_through_the_api(client, site):
    response = post(
        client,
        site,
        Role.EDITOR,
        measure="2.2",
        period="2013/14 Q2",
        value="55",
        comparators=[{"name": "odd_one", "value": "1"}],
        rank=44,
        rank_of=43,
        data_span="2013-09..2013-04",
        sample_size=100,
        responses=101,
    )
    assert response.status_code == 422
    found = problems(response)
    assert ("comparators", "comparator:odd_one needs a label saying what it is") in found
    assert ("rank", "rank 44 is more than its base rank_of 43") in found
    assert any(f == "data_span" and "a span must end after it starts" in r for f, r in found)
    assert ("responses", "101 responses is more than the sample of 100") in found
    assert stored("2.2", "2013/14 Q2") == []
