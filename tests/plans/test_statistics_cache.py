"""Statistics and charts are computed once per version of the figures they show, and again as soon
as a figure changes (through an action, or even behind the actions' back)."""

from __future__ import annotations

from oversight.lib.audience import Audience
from oversight.lib.periods import quarter
from oversight.plans import actions
from oversight.plans import statistics as stats
from oversight.plans.models import Observation

STAFF = Audience.STAFF


def _counting(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = stats._measure_statistics

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(stats, "_measure_statistics", counted)
    return calls


def _figures(plan, n: int = 6) -> str:
    m = plan.measures.get(code="1.1")
    codes = [quarter(2013 + i // 4, i % 4 + 1).code for i in range(n)]
    for i, code in enumerate(codes):
        actions.record_observation(m, code, by="test", value=5000 + 40 * i)
    return codes[-1]


def test_statistics_are_computed_once_until_a_figure_changes(small_plan, monkeypatch):
    last = _figures(small_plan)
    calls = _counting(monkeypatch)
    first = stats.measure_statistics(small_plan, last, audience=STAFF)
    again = stats.measure_statistics(small_plan, last, audience=STAFF)
    assert len(calls) == 1
    assert [s.values for s in again] == [s.values for s in first]

    m = small_plan.measures.get(code="1.1")
    actions.record_observation(m, last, by="test", value=9999)
    changed = stats.measure_statistics(small_plan, last, audience=STAFF)
    assert len(calls) == 2
    assert next(s for s in changed if s.measure == m).values[-1] == 9999


def test_a_figure_changed_outside_the_actions_is_seen_too(small_plan, monkeypatch):
    last = _figures(small_plan)
    calls = _counting(monkeypatch)
    stats.measure_statistics(small_plan, last, audience=STAFF)
    obs = Observation.objects.get(measure__code="1.1", period__code=last)
    obs.value = 1234
    obs.save()
    found = stats.measure_statistics(small_plan, last, audience=STAFF)
    assert len(calls) == 2
    assert next(s for s in found if s.measure.code == "1.1").values[-1] == 1234


def test_each_audience_has_its_own_statistics(small_plan, monkeypatch):
    last = _figures(small_plan)
    calls = _counting(monkeypatch)
    staff = stats.measure_statistics(small_plan, last, audience=STAFF)
    public = stats.measure_statistics(small_plan, last, audience=Audience.PUBLIC)
    assert len(calls) == 2
    assert any(s.values for s in staff) and not any(s.values for s in public)  # none published


def test_a_chart_is_drawn_once_per_series(client, site, monkeypatch):
    import oversight.web.views as views

    drawn: list[int] = []
    real = views.spc_chart

    def counted(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "spc_chart", counted)
    client.force_login(site.cast["editor"])  # signed in: no page cache, the view runs each time
    url = f"/measures/{site.measure.pk}/chart.svg"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert len(drawn) == 1
