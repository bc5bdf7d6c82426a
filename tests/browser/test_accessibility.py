"""axe-core in Chromium over every public page of the demo and the main staff pages."""

from __future__ import annotations

import pytest

from oversight.accounts.roles import Role

from conftest import PASSWORD, axe_violations

PLAN = "west-mercia-2013"
pytestmark = pytest.mark.browser


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def check(page, base: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        found += [f"{path}: {v}" for v in axe_violations(page)]
    return found


def test_every_public_page_of_the_demo_has_no_axe_violations(live_server, site_history, page):
    site = site_history
    from oversight.plans.models import Measure

    # One measure page with a chart and history, one with a milestone and no chart.
    headline = [site.measure.pk, Measure.objects.get(plan=site.plan, code="2.3").pk]
    paths = [
        "/",
        f"/plans/{PLAN}/",
        f"/plans/{PLAN}/performance/",
        f"/plans/{PLAN}/performance/2013-14-q1/",
        f"/plans/{PLAN}/performance/2013-14-q1/?area=herefordshire&headline=1",
        f"/plans/{PLAN}/reports/",
        f"/plans/{PLAN}/reports/2013-14-q1.html",
        "/api/",
        "/accounts/login/",
        *[f"/measures/{pk}/" for pk in headline],
    ]
    assert check(page, live_server.url, paths) == []


def test_the_main_staff_pages_have_no_axe_violations(live_server, site, page):
    from oversight.plans.actions import release_to_panel

    release_to_panel(site.collection, by=site.cast[Role.EDITOR])
    base = live_server.url
    sign_in(page, base, site.cast[Role.ADMIN])
    paths = [
        "/staff/",
        f"/staff/plans/{PLAN}/",
        f"/staff/measures/{site.measure.pk}/",
        f"/staff/objectives/{site.objective.pk}/",
        f"/staff/plans/{PLAN}/narrative/2013-14-q1/",
        f"/staff/narratives/{site.narrative.pk}/",
        f"/staff/plans/{PLAN}/report/?period=2013%2F14+Q1",
        f"/staff/plans/{PLAN}/collections/",
        f"/staff/plans/{PLAN}/upload/",
        "/staff/new-plan/",
        f"/staff/collections/{site.collection.pk}/",
        f"/staff/observations/{site.draft.pk}/",
        f"/provide/{site.collection.pk}/",
        "/panel/",
        f"/panel/{site.collection.pk}/",
        "/staff/audit/",
        "/account/tokens/",
    ]
    assert check(page, base, paths) == []


def test_the_police_uk_pages_have_no_axe_violations(live_server, db, page, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from conftest import shared_path

    settings.OPENDATA_DIR = tmp_path / "opendata"
    street = shared_path("police_uk", "street_geoinformation_in_society")
    call_command("opendata", "import", str(street), "--quiet", stdout=StringIO())
    compare = "/open-data/compare/?period=2018%2F19+Q3&crime_type=Burglary&force=west-mercia"
    paths = [
        "/open-data/",
        "/open-data/west-mercia/2019-01/",
        "/open-data/west-mercia/areas/?crime_type=Burglary",
        compare + "&group=region",
        compare + "&group=msg",  # the error summary: no most similar group supplied
    ]
    assert check(page, live_server.url, paths) == []
