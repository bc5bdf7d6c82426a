"""A period's statistics are worked out once per version of the plan's data and kept in the
database (core.Kept): every server and command reads the one result until a figure, a measure or
a commentary changes; each audience keeps its own; `migrate` empties them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command

from oversight.accounts.roles import Role
from oversight.core.models import Kept
from oversight.lib.audience import Audience
from oversight.plans import actions
from oversight.plans import statistics as stats

from conftest import DRAFT_VALUE

PERIOD = "2013/14 Q1"


@pytest.fixture
def counted(monkeypatch):
    """How many times the statistics were worked out."""
    calls: list[tuple] = []
    work = stats._measure_statistics

    def counting(*args, **kwargs):
        calls.append((args, kwargs))
        return work(*args, **kwargs)

    monkeypatch.setattr(stats, "_measure_statistics", counting)
    return calls


def value_of(found, code: str):
    status = next(st.status for st in found if st.measure.code == code)
    return status.observation.value if status.observation else None


def test_statistics_are_worked_out_once_and_read_back_by_another_process(site, counted):
    first = stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)
    again = stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)
    cache.clear()  # another process, or another server without a shared cache
    from_the_database = stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)

    assert len(counted) == 1
    assert [st.record() for st in again] == [st.record() for st in first]
    assert [st.record() for st in from_the_database] == [st.record() for st in first]


def test_a_changed_figure_is_worked_out_again_and_replaces_the_kept_result(site, counted):
    before = stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)
    rows = Kept.objects.count()
    measure = site.plan.measures.get(code="2.1")
    changed = value_of(before, "2.1") + Decimal(7)
    actions.record_observation(
        measure, PERIOD, by=site.cast[Role.EDITOR], value=changed, correction_reason="a test"
    )
    cache.clear()
    after = stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)

    assert len(counted) == 2
    assert value_of(after, "2.1") == changed
    assert Kept.objects.count() == rows  # one row for the plan, period and audience: replaced


def test_each_audience_keeps_its_own_result(site):
    staff = stats.measure_statistics(site.plan, "2013/14 Q2", audience=Audience.STAFF)
    public = stats.measure_statistics(site.plan, "2013/14 Q2", audience=Audience.PUBLIC)
    cache.clear()
    public_read_back = stats.measure_statistics(site.plan, "2013/14 Q2", audience=Audience.PUBLIC)

    assert value_of(staff, "2.1") == DRAFT_VALUE  # the submitted draft, for the office
    assert value_of(public, "2.1") is None
    assert value_of(public_read_back, "2.1") is None


def test_migrate_empties_the_kept_results(site):
    stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)
    assert Kept.objects.exists()
    call_command("migrate", interactive=False, verbosity=0)
    assert not Kept.objects.exists()


# ---------------------------------------------------------------- statuses


@pytest.fixture
def worked_out(monkeypatch):
    """How many times statuses were worked out (not read back)."""
    from oversight.plans import assessment

    calls: list[tuple] = []
    work = assessment._statuses_by_period

    def counting(*args, **kwargs):
        calls.append(args)
        return work(*args, **kwargs)

    monkeypatch.setattr(assessment, "_statuses_by_period", counting)
    return calls


def staff_value(site, code: str = "2.1"):
    from oversight.plans.assessment import statuses

    found = statuses(site.plan, PERIOD, [site.plan.force_area], audience=Audience.STAFF)
    status = next(s for s in found if s.measure.code == code)
    return status.observation.value


def test_statuses_are_read_back_and_a_recorded_figure_shows_at_once(site, worked_out):
    before = staff_value(site)
    cache.clear()
    assert staff_value(site) == before
    assert len(worked_out) == 1  # read back from the database the second time

    measure = site.plan.measures.get(code="2.1")
    actions.record_observation(
        measure, PERIOD, by=site.cast[Role.EDITOR], value=before + 3, correction_reason="a test"
    )
    assert staff_value(site) == before + 3
    assert len(worked_out) == 2


def test_a_figure_saved_outside_the_actions_shows_at_once(site):
    from oversight.plans.models import Observation

    before = staff_value(site)
    figure = Observation.objects.get(
        measure__plan=site.plan, measure__code="2.1", period__code=PERIOD, area__is_force_area=True
    )
    figure.value = before + 11  # no action, no audit entry: the figures' newest change moves
    figure.save()
    assert staff_value(site) == before + 11


def test_kept_statuses_are_worked_out_again_after_their_time(site, worked_out):
    from datetime import timedelta

    from django.utils import timezone

    from oversight.core.cache import KEPT_FOR

    staff_value(site)
    Kept.objects.update(made_at=timezone.now() - timedelta(seconds=KEPT_FOR + 1))
    cache.clear()
    staff_value(site)
    assert len(worked_out) == 2


def test_a_period_the_data_does_not_know_is_worked_out_and_not_kept(site, client):
    from oversight.plans.assessment import statuses

    before = Kept.objects.count()
    found = statuses(site.plan, "2031/32 Q3", [site.plan.force_area], audience=Audience.PUBLIC)
    assert found and all(s.observation is None for s in found)
    # nor through the API, which takes any well-formed period a caller names
    for code in ("2040-41-q1", "2041-42-q2", "2042-W07"):
        assert (
            client.get(f"/api/v1/plans/{site.plan.slug}/periods/{code}/measures").status_code == 200
        )
    assert Kept.objects.count() == before


def test_expired_results_are_deleted_as_new_ones_are_kept(site):
    from datetime import timedelta

    from django.utils import timezone

    from oversight.core.cache import KEPT_FOR

    stats.measure_statistics(site.plan, PERIOD, audience=Audience.STAFF)
    Kept.objects.update(made_at=timezone.now() - timedelta(seconds=KEPT_FOR + 1))
    cache.clear()
    stats.measure_statistics(site.plan, PERIOD, audience=Audience.PUBLIC)
    recent = timezone.now() - timedelta(seconds=60)
    assert Kept.objects.exists()
    assert not Kept.objects.filter(made_at__lt=recent).exists()


def test_a_change_of_the_survey_settings_is_a_new_version(site, settings, worked_out):
    staff_value(site)
    settings.OVERSIGHT_SURVEY_MIN_RESPONSES += 1  # as after a restart with another setting
    staff_value(site)
    assert len(worked_out) == 2
