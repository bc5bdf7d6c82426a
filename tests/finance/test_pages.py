"""The public pages, their .json and .csv twins, the chart and the API show published finance,
engagement and commissioning figures only; staff import, publish and edit on their pages, with
every problem listed and a stale edit refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.accounts.actions import create_user
from oversight.accounts.roles import Role
from oversight.finance.models import BudgetSet, Forecast

FIN = "/finance/test-plan/2023-24-q2"


@pytest.fixture
def editor(db):
    return create_user("ed", role=Role.EDITOR, password="a-long-test-password-123", by="test")


def test_the_public_page_and_its_twins_give_the_papers_figures(client, seed003):
    page = client.get(f"{FIN}/").content.decode()
    assert "£273m" in page and "£277m" in page
    assert (
        "A projected underspend of £1.337m: an improvement of £3.716m from the Q1 forecast" in page
    )
    assert "Green" in page  # the status in words beside its colour
    assert "RIBA Stage 3 by December 2023" in page
    data = client.get(f"{FIN}.json").json()
    assert {"measure": "movement", "value": -3716000}.items() <= next(
        i for i in data["items"] if i["measure"] == "movement"
    ).items()
    csv = client.get(f"{FIN}.csv").content.decode()
    assert "an improvement of £3.716m from the Q1 forecast" in csv
    chart = client.get(f"{FIN}/chart.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert "underspend £1.337m (Green)" in chart.content.decode()


def test_engagement_and_commissioning_pages_show_the_papers_figures(client, seed003):
    page = client.get("/engagement/test-plan/2023-24-q2/").content.decode()
    assert "May to October 2023" in page and "more than 8,800" in page and "1,166" in page
    page = client.get("/commissioning/test-plan/2023-24-q2/").content.decode()
    assert "379" in page and "43%" in page and "not yet reported of 14 initiatives" in page


def test_a_draft_is_seen_by_staff_and_not_by_the_public_nor_the_api(client, seed003, editor):
    BudgetSet.objects.update(state="draft")
    assert "£273m" not in client.get(f"{FIN}/").content.decode()
    assert client.get(f"{FIN}.json").json()["items"] == []
    assert client.get("/api/v1/finance/test-plan/2023-24-q2").json()["items"] == []
    client.force_login(editor)
    assert "£273m" in client.get(f"{FIN}/").content.decode()


def test_the_api_gives_the_public_records(client, seed003):
    data = client.get("/api/v1/engagement/test-plan/2023-24-q2").json()
    assert any(i["code"] == "press-releases" and i["value"] == 185 for i in data["items"])
    assert client.get("/api/v1/finance/test-plan/not-a-period").status_code == 422


def test_a_bad_upload_lists_every_problem_and_writes_nothing(client, seed003, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    bad = SimpleUploadedFile(
        "lines.csv", b"financial_year,line,name,budget\n2023/24,pay,Pay,1.001\n2099/00,x,X,1\n"
    )
    page = client.post(
        "/finance/staff/", {"table": "lines", "plan": "test-plan", "file": bad}
    ).content.decode()
    assert "2 problems found; nothing was imported" in page
    assert "lines.csv, row 2, column budget" in page
    assert "lines.csv, row 3, column financial_year" in page
    good = SimpleUploadedFile(
        "lines.csv", b"financial_year,line,name,budget\n2023/24,pay,Pay,1.01\n"
    )
    page = client.post(
        "/finance/staff/", {"table": "lines", "plan": "test-plan", "file": good}
    ).content.decode()
    assert "Imported: 1 new" in page


def test_a_stale_forecast_edit_is_refused_and_the_earlier_version_kept(client, seed003, editor):
    from oversight.audit.history import version_of

    client.force_login(editor)
    forecast = Forecast.objects.get(quarter=2, line=None)
    started = version_of(forecast)
    url = f"/finance/staff/forecasts/{forecast.pk}/"
    ok = client.post(url, {"variance": "-£1.4m", "note": "revised", "version": started})
    assert ok.status_code == 302
    forecast.refresh_from_db()
    assert forecast.variance == Decimal("-1400000.00")
    stale = client.post(url, {"variance": "-£1.5m", "note": "other", "version": started})
    assert stale.status_code == 200 and "Your entries are below" in stale.content.decode()
    forecast.refresh_from_db()
    assert forecast.variance == Decimal("-1400000.00")
    assert forecast.history.count() >= 2
    refused = client.post(url, {"variance": "1.001", "note": "", "version": version_of(forecast)})
    assert "more than 2 decimal places" in refused.content.decode()


def test_a_count_and_a_kpi_edit_keep_versions_and_refuse_a_stale_save(client, seed003, editor):
    from oversight.audit.history import version_of
    from oversight.commissioning.models import ServiceKpi
    from oversight.engagement.models import Count

    client.force_login(editor)
    count = Count.objects.get(kind__code="press-releases")
    url = f"/engagement/staff/counts/{count.pk}/"
    started = version_of(count)
    assert (
        client.post(url, {"value": 186, "qualifier": "exact", "version": started}).status_code
        == 302
    )
    stale = client.post(url, {"value": 187, "qualifier": "exact", "version": started})
    assert "Your entries are below" in stale.content.decode()
    count.refresh_from_db()
    assert count.value == 186 and count.history.count() >= 2

    kpi = ServiceKpi.objects.get(contract__identifier="wm-drive-dapp")
    url = f"/commissioning/staff/kpis/{kpi.pk}/"
    data = {"people_supported": 43, "referrals": 10, "referred_by_police": 11, "outcomes": 12}
    refused = client.post(url, {**data, "version": version_of(kpi)})
    assert "more were referred by the police than were referred in all" in refused.content.decode()
    ok = client.post(url, {**data, "referred_by_police": 4, "version": version_of(kpi)})
    assert ok.status_code == 302
    kpi.refresh_from_db()
    assert kpi.police_share == Decimal("40.0")


def test_a_change_to_a_published_record_waits_for_publishing_before_the_public_sees_it(
    client, seed003, editor
):
    from oversight.engagement.actions import update_count
    from oversight.engagement.models import Count
    from oversight.finance.actions import publish_forecasts, update_forecast

    forecast = Forecast.objects.get(quarter=2, line=None)
    update_forecast(forecast, variance=Decimal("-1400000"), note="revised", by=editor)
    for view in (f"{FIN}/", f"{FIN}.csv", "/api/v1/finance/test-plan/2023-24-q2"):
        text = client.get(view).content.decode()
        assert "1.4m" not in text and "1400000" not in text, view
    publish_forecasts(forecast.budget_set, 2, by=editor)
    assert "£1.4m" in client.get(f"{FIN}/").content.decode()

    count = Count.objects.get(kind__code="press-releases")
    update_count(count, value=186, qualifier=count.qualifier, note="", by=editor)
    page = client.get("/engagement/test-plan/2023-24-q2/").content.decode()
    assert "186" not in page and "185" not in page  # the span is a draft again, all of it


def test_money_typed_past_the_columns_limit_is_refused_on_the_form(db):
    from django import forms

    from oversight.core.sheetforms import MoneyField

    assert MoneyField().clean("-£1.337m") == Decimal("-1337000.00")
    with pytest.raises(forms.ValidationError, match="out of range"):
        MoneyField().clean("£5000bn")  # was passed to the database: a 500 on PostgreSQL
