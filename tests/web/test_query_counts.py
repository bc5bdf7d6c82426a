"""The queries a page costs are bounded: the RAG overview, the measure page and the report take as
many queries for a plan with 16 published quarters as for one with 8, and the overview as many for
12 measures as for 3. Counted without the page cache, as a page costs when it is built."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.lib.audience import Audience
from oversight.lib.periods import quarter
from oversight.plans import actions
from oversight.plans.models import Measure
from oversight.reports.compose import compose_report

FIRST_YEAR = 2013


def _quarters(n: int) -> list[str]:
    return [quarter(FIRST_YEAR + i // 4, i % 4 + 1).code for i in range(n)]


def _publish(plan, codes: list[str], measures=None) -> None:
    """A published figure of every non-milestone measure for each quarter, every quarter published."""
    measures = [m for m in measures or plan.measures.all() if not m.is_milestone]
    for i, code in enumerate(codes):
        for m in measures:
            value = 50 + i % 7 if m.unit == "percent" else 5000 + 37 * i
            actions.record_observation(m, code, by="test", value=value, state="approved")
        actions.publish_period(plan, code, by="test")


def _count(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def _costs(client, plan, last: str) -> dict[str, int]:
    measure = plan.measures.get(code="1.1")
    slug = last.replace("/", "-").replace(" ", "-").lower()
    urls = {
        "RAG overview": f"/plans/{plan.slug}/performance/{slug}/",
        "RAG overview JSON": f"/plans/{plan.slug}/performance/{slug}.json",
        "measure page": f"/measures/{measure.pk}/",
        "measure page JSON": f"/measures/{measure.pk}.json",
        "measure chart": f"/measures/{measure.pk}/chart.svg",
        "report HTML": f"/plans/{plan.slug}/reports/{slug}.html",
    }
    costs = {name: _count(client, url) for name, url in urls.items()}
    compose_report(plan, last, audience=Audience.PUBLIC)  # warm
    with CaptureQueriesContext(connection) as queries:
        compose_report(plan, last, audience=Audience.PUBLIC)
    costs["report composition"] = len(queries)
    return costs


@pytest.fixture
def no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def public_plan(small_plan):
    return actions.publish_plan(small_plan, by="test", current=True)


def test_the_pages_cost_as_many_queries_for_16_quarters_as_for_8(
    client, public_plan, no_page_cache
):
    plan = public_plan
    codes = _quarters(16)
    _publish(plan, codes[:8])
    eight = _costs(client, plan, codes[7])
    _publish(plan, codes[8:])
    sixteen = _costs(client, plan, codes[15])
    assert sixteen == eight
    assert max(eight.values()) <= 40, eight


def test_the_overview_and_report_cost_as_many_queries_for_12_measures_as_for_3(
    client, public_plan, no_page_cache
):
    plan = public_plan
    codes = _quarters(6)
    _publish(plan, codes)
    before = _costs(client, plan, codes[-1])
    objective = plan.objectives.get(code="1")
    extra = [
        Measure.objects.create(
            plan=plan,
            objective=objective,
            code=f"1.{10 + i}",
            name=f"Extra {i}",
            unit="count",
            polarity="down",
            target_kind="monitor",
            headline=i % 2 == 0,
        )
        for i in range(9)
    ]
    _publish(plan, codes, extra)
    after = _costs(client, plan, codes[-1])
    assert after == before
