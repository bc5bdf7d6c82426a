"""Intervals and tests, against textbook values and scipy computed directly."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, chi2, fisher_exact, norm

from oversight.lib.significance import (
    compare_counts,
    compare_proportions,
    percentage_change,
    poisson_interval,
    proportion_against_target,
    survey_margin_of_error,
    wilson_interval,
)


def test_the_wilson_interval_for_81_of_263_is_about_26_to_37_percent():
    w = wilson_interval(81, 263)
    # by hand: centre (p + z²/2n)/(1 + z²/n), half-width z√(p(1−p)/n + z²/4n²)/(1 + z²/n)
    z, n, p = norm.ppf(0.975), 263, 81 / 263
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert (w.lower, w.upper) == pytest.approx((centre - half, centre + half))
    assert (round(w.lower, 4), round(w.upper, 4)) == (0.2553, 0.3662)
    assert w.method == "Wilson score"


@pytest.mark.parametrize("x, n", [(0, 10), (10, 10), (1, 1)])
def test_the_wilson_interval_stays_between_0_and_1_at_the_edges(x, n):
    w = wilson_interval(x, n)
    assert 0 <= w.lower <= w.estimate <= w.upper <= 1


@pytest.mark.parametrize(
    "count, lower, upper", [(10, 4.7954, 18.3904), (0, 0.0, 3.6889), (1, 0.0253, 5.5716)]
)
def test_the_exact_poisson_interval_matches_garwoods_table(count, lower, upper):
    i = poisson_interval(count)
    assert (round(i.lower, 4), round(i.upper, 4)) == (lower, upper)
    assert i.upper == pytest.approx(chi2.ppf(0.975, 2 * count + 2) / 2)


def test_two_counts_are_compared_by_scipys_binomial_test_conditional_on_their_total():
    c = compare_counts(3063, 3245)
    direct = binomtest(3063, 6308, 0.5)
    assert c.p_value == pytest.approx(direct.pvalue)
    ci = direct.proportion_ci(method="exact")
    assert c.ratio_lower == pytest.approx(ci.low / (1 - ci.low))
    assert c.ratio == pytest.approx(3063 / 3245)
    assert c.percent_change == pytest.approx((3063 / 3245 - 1) * 100)
    assert c.significant == bool(direct.pvalue < 0.05)


def test_a_small_change_in_small_counts_is_not_significant():
    c = compare_counts(12, 9)
    assert c.significant is False
    assert c.percent_lower < 0 < c.percent_upper


def test_two_zero_counts_cannot_be_compared():
    c = compare_counts(0, 0)
    assert (c.significant, c.p_value, c.ratio) == (None, None, None)


def test_an_exposure_ratio_changes_the_expected_split():
    # twice the exposure, twice the count: no change
    c = compare_counts(200, 100, exposure_ratio=2.0)
    assert c.ratio == pytest.approx(1.0)
    assert c.significant is False


def test_percentage_change_has_an_interval_and_none_when_the_previous_count_is_zero():
    change = percentage_change(110, 100)
    assert change.estimate == pytest.approx(10.0)
    assert change.lower < 10 < change.upper
    assert percentage_change(5, 0) is None


def test_large_samples_use_the_pooled_z_test():
    r = compare_proportions(81, 263, 60, 250)
    pooled = 141 / 513
    z = (81 / 263 - 60 / 250) / math.sqrt(pooled * (1 - pooled) * (1 / 263 + 1 / 250))
    assert r.method == "two-proportion z-test (pooled)"
    assert r.p_value == pytest.approx(2 * norm.sf(abs(z)))
    assert r.lower < r.estimate < r.upper


def test_small_counts_use_fishers_exact_test():
    r = compare_proportions(2, 20, 5, 22)
    assert r.method == "Fisher's exact test"
    assert r.p_value == pytest.approx(fisher_exact([[2, 18], [5, 17]])[1])
    assert r.significant is False


def test_a_zero_denominator_gives_no_test():
    assert compare_proportions(0, 0, 3, 10).significant is None


def test_a_proportion_is_tested_against_its_target_exactly():
    r = proportion_against_target(690, 1000, 0.712)
    assert r.p_value == pytest.approx(binomtest(690, 1000, 0.712).pvalue)
    assert r.estimate == pytest.approx(-0.022)
    assert r.significant is False


def test_the_survey_margin_of_error_at_95_percent_for_1000_responses_is_about_3_points():
    m = survey_margin_of_error(None, 1000)
    assert round(m.margin, 4) == 0.031
    assert m.sample_warning is None


def test_a_small_sample_or_low_response_rate_carries_a_warning():
    m = survey_margin_of_error(0.7, 80, response_rate=0.15)
    assert m.sample_warning.startswith("Small sample: only 80 responses")
    assert "response rate of 15%" in m.sample_warning


def test_the_finite_population_correction_narrows_the_margin():
    assert (
        survey_margin_of_error(0.5, 500, population=1000).margin
        < survey_margin_of_error(0.5, 500).margin
    )


def test_a_count_against_its_target_uses_the_exact_poisson_test():
    from scipy.stats import poisson

    from oversight.lib.significance import count_against_target

    # 130 against an expected 100: P(X >= 130 | 100) ≈ 0.0023, two-sided ≈ 0.0046
    r = count_against_target(130, 100)
    assert r.p_value == pytest.approx(2 * poisson.sf(129, 100))
    assert r.significant is True and r.estimate == 30
    # 105 against 100 is ordinary variation
    assert count_against_target(105, 100).significant is False
    # a zero target cannot be tested
    assert count_against_target(3, 0).significant is None


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3000), st.integers(0, 3000), st.sampled_from([0.5, 0.25, 0.8]))
def test_the_fast_two_sided_binomial_test_equals_scipys(current, previous, p):
    from scipy.stats import binomtest

    from oversight.lib.significance import binomial_two_sided

    n = current + previous
    if n == 0:
        return
    assert binomial_two_sided(current, n, p) == pytest.approx(
        binomtest(current, n, p).pvalue, rel=1e-9, abs=1e-12
    )


def test_a_survey_states_its_margin_and_whether_a_gap_to_target_is_beyond_it():
    from oversight.lib.significance import judge_survey

    # the confidence measure of seed 000's period: 69.1% against 71.2% (responses invented)
    j = judge_survey(69.1, 2000, 1200, max_margin_points=5, min_responses=100, target_percent=71.2)
    assert round(j.margin_points, 2) == round(1.96 * (0.691 * 0.309 / 1200) ** 0.5 * 100, 2)
    assert (j.response_rate, j.too_small, j.gap_beyond_margin) == (0.6, False, False)
    far = judge_survey(
        60.0, 2000, 1200, max_margin_points=5, min_responses=100, target_percent=71.2
    )
    assert far.gap_beyond_margin is True


def test_a_small_or_wide_survey_is_too_small_to_judge():
    from oversight.lib.significance import judge_survey

    few = judge_survey(55.0, 300, 69, max_margin_points=5, min_responses=100)
    assert few.too_small and "only 69 responses (the minimum is 100)" in few.too_small_reason
    wide = judge_survey(50.0, 1000, 150, max_margin_points=5, min_responses=100)
    assert wide.too_small and "more than ±5" in wide.too_small_reason
    # 15% responded: the margin's own warning names the rate, as those who answered may differ
    assert "a response rate of 15%" in (wide.warning or "")


def test_two_surveys_are_compared_on_their_responses():
    from oversight.lib.significance import compare_proportions, judge_survey

    j = judge_survey(
        69.1, 2000, 1200, max_margin_points=5, min_responses=100, previous=(71.0, 1150)
    )
    same = compare_proportions(829, 1200, 816, 1150)
    assert j.change is not None and j.change.p_value == pytest.approx(same.p_value)
    assert j.change.significant is False


def test_more_responses_than_asked_is_refused():
    from oversight.lib.significance import judge_survey

    with pytest.raises(ValueError):
        judge_survey(50.0, 100, 101, max_margin_points=5, min_responses=100)


@pytest.mark.parametrize(
    ("current", "previous", "p"),
    [(10_000, 9_700, 0.5), (12_000, 8_000, 0.5), (15_000, 5, 0.5), (0, 20_000, 0.25), (9, 9, 0.5)],
)
def test_the_two_sided_binomial_test_equals_scipys_for_large_counts(current, previous, p):
    # The test sums only the outcomes within 40 standard deviations of the mean (and k).
    from scipy.stats import binomtest

    from oversight.lib.significance import binomial_two_sided

    n = current + previous
    assert binomial_two_sided(current, n, p) == pytest.approx(
        binomtest(current, n, p).pvalue, rel=1e-9, abs=1e-300
    )


def test_the_statistics_use_scipy_stats_own_functions_without_loading_it():
    """Loading scipy.stats takes about a second; the exact tests call the same functions from
    scipy.special, so a command that tests a few figures starts quickly. Their results must be
    scipy.stats's to the last bit."""
    import numpy as np
    from scipy.stats import binom, chi2, norm, poisson

    from oversight.lib.significance import (
        _binomial_pmf,
        _z,
        compare_proportions,
        count_against_target,
        poisson_interval,
    )

    k = np.arange(0, 2001)
    assert np.array_equal(_binomial_pmf()(k, 2000, 0.37), binom.pmf(k, 2000, 0.37))
    assert _z(0.95) == norm.ppf(0.975)
    a = 1 - 0.95  # as the interval works it out (0.05000000000000004)
    for count in (0, 1, 7, 480, 12_345):
        interval = poisson_interval(count)
        assert interval.lower == (chi2.ppf(a / 2, 2 * count) / 2 if count else 0.0)
        assert interval.upper == chi2.ppf(1 - a / 2, 2 * count + 2) / 2
    c = count_against_target(17, 25.5)
    assert c.p_value == min(1.0, 2 * min(poisson.cdf(17, 25.5), poisson.sf(16, 25.5)))
    z = compare_proportions(829, 1200, 816, 1150)
    pooled = (829 + 816) / (1200 + 1150)
    d = 829 / 1200 - 816 / 1150
    statistic = d / math.sqrt(pooled * (1 - pooled) * (1 / 1200 + 1 / 1150))
    assert z.p_value == 2 * norm.sf(abs(statistic))


def test_a_count_test_does_not_load_scipy_stats():
    import subprocess
    import sys

    script = (
        "import sys; from oversight.lib.significance import (count_against_target, compare_counts, "
        "compare_proportions); "
        "count_against_target(17, 25.5); compare_counts(3063, 3245); "
        "compare_proportions(829, 1200, 816, 1150); "
        "print('scipy.stats' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "False", done.stderr
