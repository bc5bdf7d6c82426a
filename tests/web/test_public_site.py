"""The public site shows published figures only, with .json and .csv twins of every page."""

from __future__ import annotations

import csv
import html
import io
import json
import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.lib.audience import Audience
from oversight.plans import actions
from oversight.plans.models import Measure, Observation

from conftest import DRAFT_VALUE

PLAN = "west-mercia-2013"


def all_public_urls(site) -> list[str]:
    m = site.measure.pk
    base = f"/plans/{PLAN}"
    pages = [
        f"{base}",
        f"{base}/performance",
        f"{base}/performance/2013-14-q1",
        f"{base}/performance/2013-14-q2",
        f"{base}/reports",
        f"/measures/{m}",
    ]
    urls = ["/", "/api/", f"{base}/reports/2013-14-q1.html"]
    for p in pages:
        urls += [p + "/", p + ".json", p + ".csv"]
    urls += [f"/measures/{m}/?area=herefordshire"]
    return urls


def test_a_draft_figure_is_never_visible_to_the_public(client, site):
    # Besides the submitted draft for Q2, an approved but unpublished late figure in the
    # published period Q1 must stay hidden too.
    late = Measure.objects.get(plan=site.plan, code="2.2")
    actions.record_observation(
        late, "2013/14 Q1", by="test", value=87.65, area=site.plan.areas.get(code="shropshire")
    )
    # Not a value such as 12.5, which a timestamp may hold (":12.502").
    shown = [f"{DRAFT_VALUE}", f"{DRAFT_VALUE:,}", "87.65"]
    for url in all_public_urls(site):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        for text in shown:
            assert text not in body, f"{text} shown at {url}"
    api = [
        f"/api/v1/plans/{PLAN}/periods",
        f"/api/v1/plans/{PLAN}/periods/2013-14-q2/measures",
        f"/api/v1/plans/{PLAN}/periods/2013-14-q1/measures?area=shropshire",
        f"/api/v1/plans/{PLAN}/measures/2.1/observations",
        f"/api/v1/plans/{PLAN}/measures/2.2/observations",
    ]
    for url in api:
        body = client.get(url).content.decode()
        for text in shown:
            assert text not in body, f"{text} shown at {url}"
    assert "2013/14 Q2" not in client.get(api[0]).content.decode()


def test_the_draft_shows_once_approved_and_published(client, site):
    actions.approve_figure(site.draft, by=site.cast["editor"])
    actions.publish_period(site.plan, "2013/14 Q2", by=site.cast["editor"])
    body = client.get(f"/plans/{PLAN}/performance/2013-14-q2/").content.decode()
    assert f"{DRAFT_VALUE:,}" in body


def test_every_page_has_json_and_csv_twins_with_the_same_figures(client, site):
    page = client.get(f"/plans/{PLAN}/performance/2013-14-q1/").content.decode()
    data = json.loads(client.get(f"/plans/{PLAN}/performance/2013-14-q1.json").content)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/plans/{PLAN}/performance/2013-14-q1.csv").content.decode())
        )
    )
    assert data["version"] == 1 and data["period"] == "2013/14 Q1"
    assert len(data["items"]) == len(rows) == Measure.objects.filter(plan=site.plan).count()
    violent = next(r for r in data["items"] if r["measure"] == "2.1")
    assert violent["actual"] == 1517 and violent["rag"] == "green"
    assert "1,517" in page
    assert next(r for r in rows if r["measure"] == "2.1")["actual"] == "1517"
    assert 'href="/plans/west-mercia-2013/performance/2013-14-q1.json"' in page


def test_the_rag_overview_says_each_status_in_words(client, site):
    page = client.get(f"/plans/{PLAN}/performance/2013-14-q1/").content.decode()
    assert 'govuk-tag--green">Green</strong>' in page
    assert 'govuk-tag--grey">No status</strong>' in page


def test_the_rag_overview_drills_down_to_an_area_and_to_the_measure(client, site):
    page = client.get(f"/plans/{PLAN}/performance/2013-14-q1/?area=herefordshire").content.decode()
    assert "<strong>Herefordshire</strong>" in page
    assert f'href="/measures/{site.measure.pk}/?area=herefordshire"' in page


def test_an_unpublished_period_has_no_public_overview_or_report(client, site):
    assert client.get(f"/plans/{PLAN}/performance/2013-14-q2/").status_code == 404
    assert client.get(f"/plans/{PLAN}/reports/2013-14-q2.pdf").status_code == 404


def test_the_measure_page_has_chart_figures_and_a_correction_with_its_date(client, site_history):
    site = site_history
    obs = Observation.objects.get(
        measure=site.measure, period__code="2013/14 Q1", area__is_force_area=True
    )
    actions.record_observation(
        site.measure,
        "2013/14 Q1",
        by=site.cast["editor"],
        value=1520,
        correction_reason="two crimes recorded late",
        basis=obs.basis,
    )
    page = client.get(f"/measures/{site.measure.pk}/").content.decode()
    assert f'src="/measures/{site.measure.pk}/chart.svg"' in page
    assert "Statistical process control" in page and 'alt="' in page
    assert "1,520" in page
    assert "two crimes recorded late" in page and "previously 1517" in page
    assert "Corrected" in page
    svg = client.get(f"/measures/{site.measure.pk}/chart.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_the_report_archive_offers_html_pdf_and_word(client, site):
    data = json.loads(client.get(f"/plans/{PLAN}/reports.json").content)
    assert [r["period"] for r in data["items"]] == ["2013/14 Q1"]
    docx = client.get(f"/plans/{PLAN}/reports/2013-14-q1.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    html = client.get(f"/plans/{PLAN}/reports/2013-14-q1.html").content.decode()
    assert "Appendix B" in html and str(DRAFT_VALUE) not in html


def test_the_home_page_and_the_report_give_one_headline_count(client, site):
    def words(url: str) -> str:
        page = client.get(url).content.decode()
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())

    sentence = (
        "To the end of June 2013 the headline measures are on target by the rules (8 of 9), "
        "except for reduction in the number of people killed or seriously injured, which is just "
        "off target but not significantly worse than target. 1 published status differs from the "
        "rules: reduction in the number of people killed or seriously injured is published as "
        "Green, where the rules give Amber (reason: as published)."
    )
    home = words("/")
    assert sentence in home
    assert sentence in words(f"/plans/{PLAN}/reports/2013-14-q1.html")
    # The headline table shows the published colours, and says which one the office set.
    assert home.count("Green") == 9 + 1
    assert "Published status, set by the office: as published. The rules give Amber:" in home


def _queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_measures(client, site, settings):
    # Counted without the page cache: what a page costs when it is built.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    urls = [f"/plans/{PLAN}/performance/2013-14-q1/", f"/measures/{site.measure.pk}/", "/"]
    before = {url: _queries(client, url) for url in urls}
    for i in range(30):
        m = Measure.objects.create(
            plan=site.plan,
            objective=site.objective,
            code=f"extra-{i}",
            name=f"Extra {i}",
            unit="count",
            polarity="down",
            target_kind="monitor",
            headline=True,
        )
        actions.record_observation(m, "2013/14 Q1", by="test", value=i, state="published")
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    assert max(before.values()) <= 60, before


def test_a_cached_public_page_changes_as_soon_as_a_figure_is_published(client, site):
    url = f"/plans/{PLAN}/performance/2013-14-q1/"
    first = client.get(url).content
    assert client.get(url).content == first  # served from the cache
    m = Measure.objects.get(plan=site.plan, code="2.2")
    actions.record_observation(
        m,
        "2013/14 Q1",
        by=site.cast["editor"],
        value=55.5,
        correction_reason="revised",
        basis="ytd",
    )
    assert "55.5%" in client.get(url).content.decode()


def test_the_measure_page_shows_the_offices_commentary_for_the_latest_period(client, site):
    actions.save_commentary(
        site.measure, "2013/14 Q1", text="Down on last year across all four areas.", by="test"
    )
    # Written after the period was published: the public reads it once it is published too.
    page = client.get(f"/measures/{site.measure.pk}/").content.decode()
    assert "Down on last year across all four areas." not in page
    actions.publish_narrative(site.plan, "2013/14 Q1", by="test")
    page = client.get(f"/measures/{site.measure.pk}/").content.decode()
    assert "Commentary, 2013/14 Q1" in page and "Down on last year across all four areas." in page


def test_the_staff_dashboard_summarises_status_and_variation(client, site_history):
    client.force_login(site_history.cast["editor"])
    page = client.get("/staff/").content.decode()
    assert "This period: 2013/14 Q2" in page
    assert "Count of measures by status" in page
    assert "Variation (statistical process control" in page and "common cause variation" in page


def test_not_found_and_forbidden_pages_are_the_sites_own(client, site):
    missing = client.get("/measures/999999/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    client.force_login(site.cast["provider"])
    forbidden = client.get("/staff/")
    assert forbidden.status_code == 403 and "You cannot see this page" in forbidden.content.decode()


def test_the_page_cache_keeps_only_the_query_parameters_a_page_reads(client, site):
    from django.core.cache import cache

    cache.clear()
    url = f"/measures/{site.measure.pk}/"
    calls = []
    from oversight.web import views as public

    original = public._measure_figures

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    public._measure_figures = counting
    try:
        first = client.get(url).content
        built = len(calls)
        for n in range(5):
            assert client.get(url, {"bust": n}).content == first
        assert len(calls) == built  # ?bust=N was served from the cache, not built again
        client.get(url, {"area": "herefordshire"})
        assert len(calls) > built  # a parameter the page reads is a different page
    finally:
        public._measure_figures = original


def test_the_public_report_shows_a_change_to_a_measure_at_once(client, site):
    report = f"/plans/{site.plan.slug}/reports/2013-14-q1.html"
    assert "Renamed violent crime measure" not in client.get(report).content.decode()
    m = site.measure
    actions.save_measure(m.objective, m, by="test", name="Renamed violent crime measure")
    assert "Renamed violent crime measure" in client.get(report).content.decode()


def test_the_measure_chart_says_when_its_series_is_synthetic_in_the_reports_words(
    client, site_history
):
    from oversight.plans.report import chart_blocks
    from oversight.plans.statistics import measure_statistics

    site = site_history
    page = client.get(f"/measures/{site.measure.pk}/").content.decode()
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S)[1]
    stats = next(
        st
        for st in measure_statistics(
            site.plan, "2013/14 Q1", [site.plan.force_area], audience=Audience.PUBLIC
        )
        if st.measure == site.measure
    )
    report_caption = chart_blocks(stats)[0].caption
    note = "Synthetic demo series, not real figures (see the README)."
    assert note in report_caption and note in caption
    assert client.get(f"/measures/{site.measure.pk}.json").json()["chart_series_synthetic"]
    # A measure whose figures are real carries no such words.
    Observation.objects.filter(measure=site.measure).update(source="Force crime system")
    cache.clear()  # the update bypassed the actions that move the public cache on
    page = client.get(f"/measures/{site.measure.pk}/").content.decode()
    assert "Statistical process control" in page and "Synthetic" not in page


def test_an_overridden_status_shows_the_published_status_and_the_rules_with_their_reasons(
    client, site
):
    obs = Observation.objects.get(
        measure=site.measure, period__code="2013/14 Q1", area__is_force_area=True
    )
    Observation.objects.filter(pk=obs.pk).update(
        rag_override="green", rag_reason="Seasonal peak agreed with the Panel"
    )
    from oversight.plans.assessment import statuses

    rules = next(
        s
        for s in statuses(site.plan, "2013/14 Q1", [site.plan.force_area], audience=Audience.PUBLIC)
        if s.measure == site.measure
    )
    assert rules.rag_computed is not None and rules.assessment.reason
    words = html.unescape(
        re.sub(
            r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(f"/measures/{site.measure.pk}/").text)
        )
    )
    expected = (
        "Published status, set by the office: Seasonal peak agreed with the Panel. The rules "
        f"give {rules.rag_computed.word.capitalize()} : {rules.assessment.reason}."
    )
    assert expected in words
    period = html.unescape(
        re.sub(
            r"\s+",
            " ",
            re.sub(r"<[^>]+>", " ", client.get(f"/plans/{PLAN}/performance/2013-14-q1/").text),
        )
    )
    assert expected in period
    row = next(
        r
        for r in client.get(f"/measures/{site.measure.pk}.json").json()["items"]
        if r["period"] == "2013/14 Q1" and r["basis"] == obs.basis
    )
    assert (row["rag"], row["rag_reason"]) == ("green", "Seasonal peak agreed with the Panel")
    assert (row["rag_computed"], row["rag_computed_reason"]) == (
        rules.rag_computed.value,
        rules.assessment.reason,
    )
    overview = client.get(f"/plans/{PLAN}/performance/2013-14-q1.json").json()["items"]
    mine = next(
        r
        for r in overview
        if r["measure"] == site.measure.code and r["area"] == site.plan.force_area.code
    )
    assert (mine["rag"], mine["rag_computed"], mine["rag_computed_reason"]) == (
        "green",
        rules.rag_computed.value,
        rules.assessment.reason,
    )
