# ruff: noqa: F811  (pytest fixtures imported from people.py)
"""What the API fuzz test found, each kept as a named example so it stays fixed whatever the
search does."""

from __future__ import annotations

from people import cast, site  # noqa: F401

PLAN = "/api/v1/plans/west-mercia-2013"


def test_the_document_lets_the_public_read_without_a_token_where_the_route_does(client, db):
    document = client.get("/api/v1/openapi.json").json()
    reads = [
        op
        for item in document["paths"].values()
        for op in item.values()
        if op["x-access"].startswith("public") and "security" in op
    ]
    assert reads and all({} in op["security"] for op in reads)
    write = document["paths"]["/api/v1/plans/{slug}/observations"]["post"]
    assert {} not in write["security"]


def test_a_body_of_the_wrong_shape_is_refused_with_its_problems_by_field(client, site):
    response = client.post(
        f"{PLAN}/observations",
        {"measure": "2.2", "value": [51.5]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens['editor']}",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "2 problems; nothing was saved"
    problems = {p["field"]: p["reason"] for p in response.json()["problems"]}
    assert problems["period"] == "Field required"
    assert problems["value"].startswith("Input should be a valid string; ")


def test_a_query_value_of_the_wrong_type_is_refused_with_its_problem(client, db):
    response = client.get("/api/v1/registers/contracts/expiring?within_days=soon")
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["within_days"]


def test_a_nul_character_in_an_address_is_refused_before_any_lookup(client, site):
    # PostgreSQL cannot compare text with NUL: each of these was a server error there.
    for url in [
        "/api/v1/plans/%00",
        f"{PLAN}/measures/2.1/observations?area=%00",
        "/api/v1/scrutiny/actions?owner=x%00",
        "/plans/%00/",
        "/?%00=1",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "A NUL character (%00) is not allowed" in response.content.decode(), url


def test_a_nul_character_in_a_submitted_field_is_refused_by_field(client, site):
    from oversight.plans.models import Observation

    response = client.post(
        f"{PLAN}/observations",
        {"measure": "2.2", "period": "2013/14 Q2", "value": "51.5", "comment": "late\x00"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {site.tokens['editor']}",
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "comment", "reason": "a NUL character (\\u0000) cannot be stored"}
    ]
    assert not Observation.objects.filter(measure__code="2.2", period__code="2013/14 Q2").exists()


def test_a_period_before_the_year_1000_is_answered_not_a_server_error(client, site):
    response = client.get(f"{PLAN}/periods/0999-00-q1/measures")
    assert response.status_code == 200
    assert {row["period"] for row in response.json()} == {"0999/00 Q1"}
