"""The main journeys in a real headless Chromium: a data provider enters a quarter's figures, one
of them refused; the editor approves and publishes; a member of the public drills from the RAG
overview into a measure and downloads the PDF; a Panel member pins a question to a measure."""

from __future__ import annotations

import pytest

from oversight.accounts.roles import Role
from oversight.plans.models import Observation

from conftest import PASSWORD

PLAN = "west-mercia-2013"
pytestmark = pytest.mark.browser


def sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_provider_enters_figures_with_one_refused_then_editor_approves_and_publishes(
    live_server, site, page
):
    base = live_server.url
    sign_in(page, base, site.cast[Role.PROVIDER])
    page.get_by_role("link", name="My measures").first.click()
    page.get_by_role("link", name="My measures for 2013/14 Q2").click()
    assert page.get_by_role("heading", name="My measures for 2013/14 Q2").is_visible()
    page.get_by_label("Figure for 2.1").fill("3,050")
    page.get_by_label("Comment on 2.1").fill("Year to date, from the crime system")
    page.get_by_label("Figure for 2.2").fill("120")  # not a percentage: refused at the field
    page.get_by_label("Status of 2.3").select_option("on_track")
    page.get_by_role("button", name="Submit figures for review").click()
    summary = page.locator(".govuk-error-summary")
    assert "2.2: 120 is not a percentage between 0 and 100" in summary.inner_text()
    assert "120 is not a percentage" in page.locator(f"#id_m{_id('2.2')}-value-error").inner_text()
    assert not Observation.objects.filter(measure__code="2.2", period__code="2013/14 Q2").exists()
    page.get_by_label("Figure for 2.2").fill("52.5")  # amber against 53%: needs a comment
    page.get_by_role("button", name="Submit figures for review").click()
    assert (
        "2.2 is off target: say why in a comment"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.get_by_label("Comment on 2.2").fill("Two cases awaiting a charging decision")
    page.get_by_role("button", name="Submit figures for review").click()
    assert (
        "3 figure(s) submitted for review"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    states = set(
        Observation.objects.filter(
            period__code="2013/14 Q2", measure__code__in=["2.1", "2.2", "2.3"]
        ).values_list("state", flat=True)
    )
    assert states == {"submitted"}
    sign_out(page)

    sign_in(page, base, site.cast[Role.EDITOR])
    page.get_by_role("link", name="Staff dashboard").click()
    page.get_by_role("link", name="2013/14 Q2", exact=True).click()
    page.get_by_role("button", name="Approve all submitted figures").click()
    assert (
        "3 submitted figure(s) approved" in page.locator(".govuk-notification-banner").inner_text()
    )
    page.get_by_role("button", name="Publish approved figures").click()
    assert "2013/14 Q2 published" in page.locator(".govuk-notification-banner").inner_text()
    sign_out(page)

    page.goto(f"{base}/plans/{PLAN}/performance/2013-14-q2/")
    row = page.locator("tr", has_text="2.2 Increase in the proportion")
    assert "52.5%" in row.inner_text()


def _id(code: str) -> int:
    from oversight.plans.models import Measure

    return Measure.objects.get(plan__slug=PLAN, code=code).pk


def test_the_public_drills_from_the_rag_overview_into_a_measure_and_downloads_the_pdf(
    live_server, site_history, page
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="All measures for 2013/14 Q1").click()
    assert page.get_by_role("heading", name="RAG overview, 2013/14 Q1").is_visible()
    page.get_by_role("link", name="Herefordshire").first.click()
    assert (
        "Herefordshire" in page.locator("nav[aria-label='Areas and filters'] strong").inner_text()
    )
    page.locator("nav[aria-label='Areas and filters']").get_by_role(
        "link", name="West Mercia"
    ).click()
    page.get_by_role(
        "link", name="2.1 Reduction in the volume of violent crime with injury"
    ).click()
    assert page.get_by_role(
        "heading", name="Reduction in the volume of violent crime with injury"
    ).is_visible()
    assert page.locator("img.site-chart").get_attribute("alt").startswith("")
    page.wait_for_function("() => document.querySelector('img.site-chart').complete")
    assert page.locator("img.site-chart").evaluate("img => img.naturalWidth") > 0
    assert "1,517" in page.locator("table").inner_text()
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report for 2013/14 Q1 (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_panel_member_pins_a_question_to_a_measure(live_server, site, page):
    pytest.importorskip("oversight.scrutiny.views")
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("scrutiny:pin_question", args=[site.measure.pk])
    except NoReverseMatch:
        pytest.skip("the scrutiny module offers no pin_question page yet")
    from oversight.scrutiny.models import Body, BodyKind

    Body.objects.create(slug="pcp", name="West Mercia Police and Crime Panel", kind=BodyKind.PANEL)
    sign_in(page, live_server.url, site.cast[Role.PANEL])
    page.goto(f"{live_server.url}/measures/{site.measure.pk}/")
    page.get_by_role("link", name="Pin a question to this measure").click()
    page.get_by_label("Your question").fill("Why did violent crime with injury fall in June?")
    page.get_by_role("button", name="Pin question").click()
    page.wait_for_url(f"**/measures/{site.measure.pk}/")
    assert "pinned to measure 2.1" in page.locator(".govuk-notification-banner").inner_text()
