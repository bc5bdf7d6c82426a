"""XmR charts and the Making Data Count rules, by hand-calculated cases and properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.lib.spc import xmr

# alternating 10/12 around 11: mean 11, every moving range 2, limits 11 ± 5.32
CALM = [10.0, 12.0] * 10


def baseline_then(*points: float, polarity: str = "up", **kw):
    """Limits frozen on CALM, then the given points judged against them."""
    return xmr([*CALM, *points], freeze=len(CALM), polarity=polarity, **kw)


def test_the_limits_are_the_mean_plus_or_minus_266_mean_moving_ranges():
    r = xmr(CALM)
    assert r.means[0] == 11
    assert r.segments[0].mean_moving_range == 2
    assert (r.lowers[0], r.uppers[0]) == pytest.approx((11 - 5.32, 11 + 5.32))


def test_a_run_of_seven_above_the_mean_is_a_shift():
    r = baseline_then(*[12.0] * 7)
    # the last CALM point (12) is above the mean too, so the run is eight long
    assert r.rules["shift"] == list(range(19, 27))
    assert r.point_types[-1] == "special_cause_improvement"


def test_a_run_of_six_above_the_mean_is_not_a_shift():
    r = baseline_then(10.0, *[12.0] * 6)
    assert r.rules["shift"] == []
    assert set(r.point_types) == {"common_cause"}


def test_a_point_exactly_on_the_mean_breaks_a_run():
    r = baseline_then(10.0, 12.0, 12.0, 12.0, 11.0, 12.0, 12.0, 12.0)
    assert r.rules["shift"] == []


def test_a_run_of_seven_below_the_mean_is_concern_when_higher_is_better():
    r = baseline_then(*[10.5] * 7)
    assert r.rules["shift"] == list(range(20, 27))
    assert r.point_types[-1] == "special_cause_concern"


@pytest.mark.parametrize(
    "tail, fires",
    [
        ([9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0], True),  # seven rising points
        ([9.5, 10.0, 10.5, 11.0, 11.5, 12.0], False),  # six rising points after a fall
        ([9.0, 9.5, 10.0, 10.0, 10.5, 11.0, 11.5], False),  # a tie breaks the trend
    ],
)
def test_seven_points_each_higher_than_the_last_are_a_trend_and_a_tie_breaks_it(tail, fires):
    # the CALM series ends on 12, so the first tail point is a fall
    r = baseline_then(*tail)
    assert bool(r.rules["trend"]) is fires


def test_a_falling_trend_is_concern_when_higher_is_better():
    r = baseline_then(13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0)
    assert r.rules["trend"] == list(range(20, 27))  # 12 → 13 is a rise, so the fall starts at 13
    assert r.point_types[-1] == "special_cause_concern"


def test_a_point_exactly_on_a_limit_is_inside_it():
    upper = xmr(CALM).uppers[0]
    r = baseline_then(upper)
    assert r.rules["outside_limits"] == []
    r = baseline_then(upper + 1e-9)
    assert r.rules["outside_limits"] == [20]
    assert r.variation == "special_cause_improvement"


def test_a_point_below_the_lower_limit_is_concern_when_higher_is_better_and_improvement_when_lower_is():
    assert baseline_then(5.0).variation == "special_cause_concern"
    assert baseline_then(5.0, polarity="down").variation == "special_cause_improvement"
    assert baseline_then(5.0, polarity="neutral").variation == "special_cause_neither"


def test_two_of_three_beyond_two_thirds_of_the_way_to_a_limit_on_one_side_is_special_cause():
    near = xmr(CALM).segments[0].near_upper
    r = baseline_then(near + 0.1, 11.5, near + 0.1)
    assert r.rules["two_of_three"] == [20, 22]  # the point between them is not flagged
    assert r.point_types[20:] == [
        "special_cause_improvement",
        "common_cause",
        "special_cause_improvement",
    ]


def test_two_points_exactly_on_the_two_thirds_line_are_not_two_of_three():
    near = xmr(CALM).segments[0].near_upper
    r = baseline_then(near, 11.5, near)
    assert r.rules["two_of_three"] == []


def test_an_excluded_point_is_left_out_of_the_limits_but_still_judged():
    r = xmr([*CALM, 30.0], exclude=[20])
    assert r.means[0] == 11
    assert r.rules["outside_limits"] == [20]


def test_a_recalculation_starts_a_new_baseline_with_its_own_limits():
    r = xmr([*CALM, *[v + 10 for v in CALM]], recalculate_at=[20])
    assert [s.mean for s in r.segments] == [11, 21]
    assert r.means[19:21] == [11, 21]
    assert r.rules["shift"] == []  # the step up is absorbed by the new baseline


def test_a_large_moving_range_is_screened_out_of_the_limits():
    values = [*CALM[:10], 40.0, *CALM[11:]]
    screened = xmr(values)
    unscreened = xmr(values, screen_outliers=False)
    assert screened.segments[0].screened_moving_ranges == [10, 11]
    assert screened.uppers[0] < unscreened.uppers[0]


def test_limits_on_fewer_than_twelve_points_carry_a_warning_and_no_icons():
    r = xmr(CALM[:11], target=11)
    assert r.warnings == [
        "The limits for points 1 to 11 rest on 11 points; fewer than 12 make them unreliable."
    ]
    assert (r.variation, r.assurance) == (None, None)
    assert xmr(CALM[:12]).warnings == []


def test_a_single_point_has_a_mean_but_no_limits():
    r = xmr([5.0])
    assert (r.means, r.lowers, r.uppers, r.point_types) == ([5.0], [None], [None], ["common_cause"])


@pytest.mark.parametrize(
    "target, polarity, icon",
    [
        (20, "up", "consistently_fails"),
        (20, "down", "consistently_passes"),
        (2, "up", "consistently_passes"),
        (11, "up", "hit_and_miss"),
        (11, "neutral", None),
        (None, "up", None),
    ],
)
def test_the_assurance_icon_reads_the_target_against_the_limits(target, polarity, icon):
    assert xmr(CALM, target=target, polarity=polarity).assurance == icon


def test_a_target_exactly_on_a_limit_is_hit_and_miss():
    upper = xmr(CALM).uppers[0]
    assert xmr(CALM, target=upper).assurance == "hit_and_miss"


series = st.lists(
    st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).map(lambda v: round(v, 2)),
    min_size=12,
    max_size=40,
)


@given(series)
def test_the_limits_are_symmetric_about_the_mean(values):
    r = xmr(values)
    assert r.uppers[0] - r.means[0] == pytest.approx(r.means[0] - r.lowers[0], abs=1e-6)


@settings(max_examples=60)
@given(series, st.integers(min_value=-1000, max_value=1000))
def test_the_rules_do_not_change_when_a_constant_is_added(values, shift):
    # whole-number values keep the arithmetic exact, so no point moves across a line by rounding
    ints = [round(v) for v in values]
    a, b = xmr(ints), xmr([v + shift for v in ints])
    assert a.rules == b.rules
    assert a.point_types == b.point_types


@given(series)
def test_flipping_polarity_swaps_improvement_and_concern(values):
    up, down = xmr(values, polarity="up"), xmr(values, polarity="down")
    swap = {
        "special_cause_improvement": "special_cause_concern",
        "special_cause_concern": "special_cause_improvement",
    }
    assert [swap.get(t, t) for t in up.point_types] == down.point_types
    assert swap.get(up.variation, up.variation) == down.variation  # type: ignore[arg-type]


@given(series, st.sampled_from([0.5, 2.0, 4.0, 10.0]))
def test_scaling_the_values_scales_the_limits(values, k):
    a, b = xmr(values), xmr([v * k for v in values])
    assert b.uppers[0] == pytest.approx(a.uppers[0] * k, rel=1e-9, abs=1e-6)
    assert b.lowers[0] == pytest.approx(a.lowers[0] * k, rel=1e-9, abs=1e-6)
