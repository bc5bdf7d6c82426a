"""The API: every route answers as it declares, drafts stay private, figures go in through the
importer's rules, and the committed OpenAPI document matches the served one."""

from __future__ import annotations

import json
import re

from oversight.accounts.roles import Role
from oversight.plans.models import Observation

from conftest import DRAFT_VALUE

PLAN = "west-mercia-2013"
BASE = f"/api/v1/plans/{PLAN}"


def bearer(site, role) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {site.tokens[role]}"}


def test_the_committed_openapi_document_matches_the_served_one(client, db):
    from oversight.api.schema import COMMITTED, openapi_text

    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert json.loads(openapi_text()) == served.json()
    assert COMMITTED.read_text(encoding="utf-8") == openapi_text(), (
        "the API changed: run `oversight api schema` and commit docs/openapi.json"
    )


def test_every_api_route_declares_its_access_and_answers_the_public_accordingly(client, site):
    schema = client.get("/api/v1/openapi.json").json()
    known = {"slug": PLAN, "code": "2.1", "period": "2013-14-q1", "measure_id": site.measure.pk}
    failures = []
    for route, item in schema["paths"].items():
        for method, op in item.items():
            access = op.get("x-access")
            if access is None:
                failures.append(f"{method.upper()} {route}: no x-access in openapi_extra")
                continue
            real = all(name in known for name in re.findall(r"{(\w+)}", route)) and not any(
                p["in"] == "query" and p.get("required") for p in op.get("parameters", [])
            )
            url = re.sub(r"{(\w+)}", lambda m: str(known.get(m[1], "999999")), route)
            status = getattr(client, method)(url, content_type="application/json").status_code
            if access.startswith("public"):
                want = {200} if real and method == "get" else {200, 404, 405, 422}
            else:
                want = {401}
            if status not in want:
                failures.append(f"{method.upper()} {url} as the public: {status}, expected {want}")
    assert not failures, "\n".join(failures)


def test_a_bad_token_is_refused_even_on_public_routes(client, site):
    assert (
        client.get(f"{BASE}/periods", HTTP_AUTHORIZATION="Bearer ovs_nonsense").status_code == 401
    )


def test_drafts_are_visible_only_to_those_who_may_see_them(client, site):
    url = f"{BASE}/periods/2013-14-q2/measures"

    def actual(**headers):
        rows = client.get(url, **headers).json()
        return next(r for r in rows if r["measure"] == "2.1")["actual"]

    assert actual() is None
    assert actual(**bearer(site, Role.EDITOR)) == DRAFT_VALUE
    assert actual(**bearer(site, Role.PROVIDER)) == DRAFT_VALUE  # their own measure
    assert actual(**bearer(site, Role.PANEL)) is None  # not yet released
    from oversight.plans.actions import approve_figure, release_to_panel

    release_to_panel(site.collection, by=site.cast[Role.EDITOR])
    assert actual(**bearer(site, Role.PANEL)) is None  # released, but not yet reviewed
    approve_figure(site.draft, by=site.cast[Role.EDITOR])
    release_to_panel(site.collection, by=site.cast[Role.EDITOR])
    assert actual(**bearer(site, Role.PANEL)) == DRAFT_VALUE
    assert actual() is None  # the public still sees nothing


def test_a_provider_submits_a_figure_for_review_through_the_api(client, site):
    response = client.post(
        f"{BASE}/observations",
        {
            "measure": "2.2",
            "period": "2013/14 Q2",
            "value": "51.5",
            "comment": "from the force system",
        },
        content_type="application/json",
        **bearer(site, Role.PROVIDER),
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "submitted"
    obs = Observation.objects.get(measure__code="2.2", period__code="2013/14 Q2")
    assert obs.value == 51.5 and obs.recorded_by == site.cast[Role.PROVIDER]


def test_the_api_refuses_a_figure_by_the_importers_rules(client, site):
    response = client.post(
        f"{BASE}/observations",
        {"measure": "2.2", "period": "2013/14 Q2", "value": "120"},
        content_type="application/json",
        **bearer(site, Role.PROVIDER),
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "value", "reason": "120 is not a percentage between 0 and 100"}
    ]
    bad_period = client.post(
        f"{BASE}/observations",
        {"measure": "2.2", "period": "Q2 2013", "value": "50"},
        content_type="application/json",
        **bearer(site, Role.PROVIDER),
    )
    assert bad_period.status_code == 422 and bad_period.json()["problems"][0]["field"] == "period"
    assert not Observation.objects.filter(measure__code="2.2", period__code="2013/14 Q2").exists()


def test_a_provider_cannot_write_another_providers_measure_or_without_a_token(client, site):
    body = {"measure": "1.1", "period": "2013/14 Q2", "value": "70"}
    other = client.post(
        f"{BASE}/observations", body, content_type="application/json", **bearer(site, Role.PROVIDER)
    )
    assert other.status_code == 403
    assert (
        client.post(f"{BASE}/observations", body, content_type="application/json").status_code
        == 401
    )
    panel = client.post(
        f"{BASE}/observations", body, content_type="application/json", **bearer(site, Role.PANEL)
    )
    assert panel.status_code == 403


def test_a_published_figure_changes_through_the_api_only_as_a_correction(client, site):
    body = {"measure": "2.1", "period": "2013/14 Q1", "value": "1520", "basis": "ytd"}
    provider = client.post(
        f"{BASE}/observations", body, content_type="application/json", **bearer(site, Role.PROVIDER)
    )
    assert provider.status_code == 409
    editor = client.post(
        f"{BASE}/observations", body, content_type="application/json", **bearer(site, Role.EDITOR)
    )
    assert editor.status_code == 409 and "correction needs a reason" in editor.content.decode()
    fixed = client.post(
        f"{BASE}/observations",
        {**body, "correction_reason": "late-recorded crimes"},
        content_type="application/json",
        **bearer(site, Role.EDITOR),
    )
    assert fixed.status_code == 200
    assert (
        fixed.json()["state"] == "published"
        and fixed.json()["correction_reason"] == "late-recorded crimes"
    )


def test_a_revoked_token_stops_working(client, site):
    from oversight.accounts.actions import revoke_token
    from oversight.accounts.models import ApiToken

    token = ApiToken.objects.find(site.tokens[Role.EDITOR])
    revoke_token(token, by="test")
    assert client.get(f"{BASE}/periods", **bearer(site, Role.EDITOR)).status_code == 401


def test_the_api_root_is_an_index_of_its_sections_operations_and_documents(client, db):
    index = client.get("/api/v1/")
    assert index.status_code == 200
    data = index.json()
    assert (data["openapi"], data["docs"], data["about"]) == (
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/",
    )
    document = client.get(data["openapi"]).json()
    listed = {(op["method"], op["path"]) for s in data["sections"] for op in s["operations"]}
    assert listed == {
        (method.upper(), route) for route, item in document["paths"].items() for method in item
    }
    assert {s["name"] for s in data["sections"]} >= {"plans", "scrutiny", "registers", "opendata"}
    assert "fields are only added" in data["stability"]


def test_the_interactive_documentation_is_served_from_the_site_within_its_csp(client, db):
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    text = docs.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S)
    # Only the site's own script files run; the one inline element is JSON data, never executed.
    assert [a for a, _ in scripts if "src=" in a] == [
        ' src="/static/ninja/swagger-ui-bundle.js"',
        ' src="/static/ninja/swagger-ui-init.js"',
    ]
    assert [a for a, body in scripts if "src=" not in a] == [
        ' type="application/json" id="swagger-settings"'
    ]
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert "unsafe-inline" not in docs["Content-Security-Policy"].split("script-src")[1]
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert '<html lang="en-GB">' in text and 'href="/api/"' in text
    page = client.get("/api/").content.decode()
    assert 'href="/api/v1/docs"' in page and 'href="/api/v1/"' in page
