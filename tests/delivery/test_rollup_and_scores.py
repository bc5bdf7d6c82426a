"""The delivery plan's roll-up and the risk scores (oversight.lib.delivery): tables of cases and
properties that hold for any activities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.lib.delivery import (
    Band,
    Part,
    Rollup,
    progress_words,
    risk_band,
    risk_score,
    roll_up,
    rolled_up,
)

STATUSES = ["not_started", "on_track", "at_risk", "off_track", "complete"]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], None),
        ([Part(Decimal(1), 40, "on_track")], Decimal("40.0")),
        ([Part(Decimal(1), 40, "on_track"), Part(Decimal(1), 60, "at_risk")], Decimal("50.0")),
        # weighted: 3 × 20 + 1 × 100 over 4
        ([Part(Decimal(3), 20, "on_track"), Part(Decimal(1), 100, "on_track")], Decimal("40.0")),
        # complete counts as 100 whatever was typed
        ([Part(Decimal(1), 30, "complete"), Part(Decimal(1), 0, "not_started")], Decimal("50.0")),
        # weight 0 is left out
        ([Part(Decimal(0), 0, "off_track"), Part(Decimal(2), 70, "on_track")], Decimal("70.0")),
        ([Part(Decimal(0), 50, "on_track")], None),
        # one decimal place, half up: (1 × 10 + 2 × 0) / 3 = 3.33…
        ([Part(Decimal(1), 10, "on_track"), Part(Decimal(2), 0, "on_track")], Decimal("3.3")),
        ([Part(Decimal(1), 1, "on_track"), Part(Decimal(3), 0, "on_track")], Decimal("0.3")),
        # no percentage recorded: left out of the mean, never counted as 0
        ([Part(Decimal(1), None, "on_track"), Part(Decimal(1), 40, "on_track")], Decimal("40.0")),
        # not started with no percentage: 0, as its status says
        (
            [Part(Decimal(1), None, "not_started"), Part(Decimal(1), 0, "complete")],
            Decimal("50.0"),
        ),
        ([Part(Decimal(1), 20, "not_started")], Decimal("20.0")),  # a recorded percent stands
        ([Part(Decimal(1), None, "on_track")], None),
        # a complete activity needs no percentage: it counts as 100
        ([Part(Decimal(1), None, "complete"), Part(Decimal(1), 50, "at_risk")], Decimal("75.0")),
    ],
)
def test_the_roll_up_is_the_weighted_mean_with_complete_as_100(parts, expected):
    assert rolled_up(parts) == expected


parts = st.lists(
    st.builds(
        Part,
        st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100),
        st.none() | st.integers(min_value=0, max_value=100),
        st.sampled_from(STATUSES),
    ),
    max_size=12,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts)
def test_the_roll_up_lies_between_the_least_and_most_progress_of_the_weighted_activities(ps):
    counted = [p.progress for p in ps if p.weight > 0 and p.progress is not None]
    result = rolled_up(ps)
    if not counted:
        assert result is None
    else:
        assert result is not None
        assert min(counted) - Decimal("0.05") <= result <= max(counted) + Decimal("0.05")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts, st.integers(min_value=1, max_value=9))
def test_scaling_every_weight_leaves_the_roll_up_unchanged(ps, k):
    scaled = [Part(p.weight * k, p.percent, p.status) for p in ps]
    assert rolled_up(scaled) == rolled_up(ps)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts)
def test_completing_every_activity_rolls_up_to_100(ps):
    done = [Part(p.weight, p.percent, "complete") for p in ps]
    assert rolled_up(done) in (None, Decimal("100.0"))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts)
def test_the_roll_up_counts_every_weighted_activity_once_in_or_out(ps):
    r = roll_up(ps)
    weighted = [p for p in ps if p.weight > 0]
    assert r.counted + r.not_recorded == len(weighted)
    assert r.not_recorded == sum(
        1 for p in weighted if p.percent is None and p.status not in ("complete", "not_started")
    )
    # the unrecorded ones change nothing: the mean is the mean over the recorded ones alone
    assert r.progress == rolled_up([p for p in ps if p.progress is not None])


def test_a_negative_weight_or_a_percentage_over_100_is_refused():
    with pytest.raises(ValueError, match="negative"):
        rolled_up([Part(Decimal(-1), 10, "on_track")])
    with pytest.raises(ValueError, match="between 0 and 100"):
        rolled_up([Part(Decimal(1), 101, "on_track")])


def test_progress_is_said_in_words():
    assert progress_words(Rollup(Decimal("42.5"), 3, 0)) == "42.5% complete"
    assert progress_words(Rollup(Decimal("40.0"), 1, 0)) == "40% complete"
    assert progress_words(Rollup(Decimal("100.0"), 1, 0)) == "100% complete"
    assert progress_words(Rollup(None, 0, 0)) == "No progress to show (no weighted activities)"


def test_the_words_say_how_many_activities_have_no_percentage_recorded():
    assert (
        progress_words(Rollup(Decimal("53.3"), 9, 6))
        == "53.3% complete (over 9 of 15 activities; 6 have no percentage recorded)"
    )
    assert (
        progress_words(Rollup(Decimal("40.0"), 1, 1))
        == "40% complete (over 1 of 2 activities; 1 has no percentage recorded)"
    )
    assert (
        progress_words(Rollup(None, 0, 3))
        == "No progress to show (3 activities, none with a percentage recorded)"
    )
    assert (
        progress_words(Rollup(None, 0, 1))
        == "No progress to show (1 activity, none with a percentage recorded)"
    )
    parts = [Part(Decimal(1), None, "on_track"), Part(Decimal(1), 20, "off_track")]
    assert (
        roll_up(parts).words
        == "20% complete (over 1 of 2 activities; 1 has no percentage recorded)"
    )


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "band"),
    [
        (1, 1, 1, Band.LOW),
        (2, 2, 4, Band.LOW),
        (1, 5, 5, Band.MEDIUM),
        (3, 3, 9, Band.MEDIUM),
        (2, 5, 10, Band.HIGH),
        (4, 4, 16, Band.HIGH),
        (4, 5, 20, Band.VERY_HIGH),
        (5, 5, 25, Band.VERY_HIGH),
    ],
)
def test_a_risk_is_scored_likelihood_times_impact_and_banded(likelihood, impact, score, band):
    assert risk_score(likelihood, impact) == score
    assert risk_band(score) is band


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 1), (3, 0), (3, 6)])
def test_a_score_outside_1_to_5_is_refused(likelihood, impact):
    with pytest.raises(ValueError, match="from 1 to 5"):
        risk_score(likelihood, impact)
