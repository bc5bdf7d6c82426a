"""Is a change real or noise? Intervals and tests for proportions, counts and surveys.

Plain functions over integers and floats; each returns a small frozen dataclass that says which
method it used, the estimate, its interval and (for tests) the p-value and whether it is
significant at the chosen level. `significant` is None when the data cannot answer (no cases).
Each function is remembered for its arguments (functools.lru_cache; the answers are immutable),
so a series whose figures have not changed is tested once per process, not on every page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

# NumPy and SciPy are imported inside the functions that use them: loading SciPy takes most of a
# second, which every `oversight` command and every server start would otherwise wait for.

ALPHA = 0.05
MIN_EXPECTED = 5  # Cochran's rule: below this expected count the z-test gives way to Fisher's
MIN_SAMPLE = 100  # surveys smaller than this get a sample warning
MIN_RESPONSE_RATE = 0.2  # and so do surveys with fewer than 1 in 5 responding


@dataclass(frozen=True)
class Interval:
    estimate: float
    lower: float
    upper: float
    confidence: float
    method: str


@dataclass(frozen=True)
class Comparison:
    """A test of a difference: the estimate (difference, ratio…) and its interval."""

    method: str
    estimate: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    significant: bool | None
    alpha: float = ALPHA


@dataclass(frozen=True)
class CountChange:
    """Two counts compared: the ratio, the percentage change and the conditional binomial test."""

    current: int
    previous: int
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    percent_change: float | None
    percent_lower: float | None
    percent_upper: float | None
    p_value: float | None
    significant: bool | None
    method: str = "conditional binomial test (exact)"
    alpha: float = ALPHA


@dataclass(frozen=True)
class MarginOfError:
    proportion: float
    margin: float  # half-width, as a proportion (0.031 = ±3.1 percentage points)
    lower: float
    upper: float
    sample_size: int
    sample_warning: str | None
    method: str = "normal approximation, 95%"


def _z(confidence: float) -> float:
    """The normal quantile for a two-sided interval: scipy.stats.norm.ppf's own function
    (`ndtri`), from scipy.special, which loads in a fraction of scipy.stats's time."""
    from scipy.special import ndtri

    return float(ndtri(1 - (1 - confidence) / 2))


def wilson_interval(numerator: int, denominator: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval: (p̂ + z²/2n ± z√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).

    Source: Wilson (1927), JASA 22:209; as statsmodels proportion_confint(method="wilson").
    """
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError("need 0 <= numerator <= denominator and denominator > 0")
    z = _z(confidence)
    n, p = denominator, numerator / denominator
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # exact 0 and 1 at the edges, where rounding would leave 1e-17 either side
    lower = 0.0 if numerator == 0 else max(0.0, centre - half)
    upper = 1.0 if numerator == denominator else min(1.0, centre + half)
    return Interval(p, lower, upper, confidence, "Wilson score")


@lru_cache(maxsize=8192)
def compare_proportions(
    numerator: int,
    denominator: int,
    other_numerator: int,
    other_denominator: int,
    *,
    alpha: float = ALPHA,
) -> Comparison:
    """This period's proportion against another period's: difference p₁ − p₂, test and interval.

    z = (p₁ − p₂)/√(p̄(1−p̄)(1/n₁ + 1/n₂)) with pooled p̄ (two-sided); when any expected cell is below
    5 (Cochran), Fisher's exact test instead. Interval: Newcombe's hybrid score (method 10).
    Source: Newcombe (1998), Stat Med 17:873; Agresti, Categorical Data Analysis §3.5.
    """
    x1, n1, x2, n2 = numerator, denominator, other_numerator, other_denominator
    if n1 <= 0 or n2 <= 0:
        return Comparison("no test: a denominator is zero", None, None, None, None, None, alpha)
    p1, p2 = x1 / n1, x2 / n2
    w1, w2 = wilson_interval(x1, n1, 1 - alpha), wilson_interval(x2, n2, 1 - alpha)
    d = p1 - p2
    lower = d - math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2)
    upper = d + math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2)
    pooled = (x1 + x2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        return Comparison("no test: no variation", d, lower, upper, None, None, alpha)
    expected = min(n * q for n in (n1, n2) for q in (pooled, 1 - pooled))
    if expected < MIN_EXPECTED:
        from scipy.stats import fisher_exact  # only here: loading scipy.stats takes a second

        _, p_value = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])
        method = "Fisher's exact test"
    else:
        from scipy.special import ndtr

        z = d / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        p_value = 2 * float(ndtr(-abs(z)))  # norm.sf(|z|), by the function it calls
        method = "two-proportion z-test (pooled)"
    p_value = float(p_value)
    return Comparison(method, d, lower, upper, p_value, p_value < alpha, alpha)


@lru_cache(maxsize=8192)
def proportion_against_target(
    numerator: int, denominator: int, target: float, *, alpha: float = ALPHA
) -> Comparison:
    """This period's proportion against a fixed target proportion (0..1): exact binomial test.

    P-value: two-sided exact test of X ~ Bin(n, target); interval: Wilson for p̂ (estimate p̂ − target).
    Source: scipy.stats.binomtest; Clopper & Pearson (1934) for the exact test's basis.
    """
    if denominator <= 0:
        return Comparison("no test: the denominator is zero", None, None, None, None, None, alpha)
    if not 0 <= target <= 1:
        raise ValueError("target is a proportion between 0 and 1")
    from scipy.stats import binomtest

    w = wilson_interval(numerator, denominator, 1 - alpha)
    p_value = float(binomtest(numerator, denominator, target).pvalue)
    return Comparison(
        "exact binomial test against the target",
        w.estimate - target,
        w.lower - target,
        w.upper - target,
        p_value,
        p_value < alpha,
        alpha,
    )


def survey_margin_of_error(
    proportion: float | None,
    sample_size: int,
    *,
    population: int | None = None,
    response_rate: float | None = None,
    min_sample: int = MIN_SAMPLE,
    min_response_rate: float = MIN_RESPONSE_RATE,
) -> MarginOfError:
    """95% margin of error of a survey proportion: 1.96 √(p(1−p)/n) × √((N−n)/(N−1)) if N given.

    p = 0.5 (the widest) when the proportion is not known. sample_warning names a sample below
    min_sample or a response rate below min_response_rate: the margin then understates the doubt.
    Source: Cochran, Sampling Techniques (3rd ed.) §3.4 (finite population correction).
    """
    if sample_size <= 0:
        raise ValueError("sample_size must be above zero")
    p = 0.5 if proportion is None else proportion
    margin = 1.96 * math.sqrt(p * (1 - p) / sample_size)
    if population is not None and population > 1:
        margin *= math.sqrt(max(population - sample_size, 0) / (population - 1))
    problems = []
    if sample_size < min_sample:
        problems.append(f"only {sample_size:,} responses (fewer than {min_sample:,})")
    if response_rate is not None and response_rate < min_response_rate:
        problems.append(
            f"a response rate of {response_rate:.0%} (below {min_response_rate:.0%}), "
            "so those who answered may not speak for those who did not"
        )
    warning = ("Small sample: " + "; ".join(problems) + ".") if problems else None
    return MarginOfError(
        p, margin, max(0.0, p - margin), min(1.0, p + margin), sample_size, warning
    )


@dataclass(frozen=True)
class SurveyJudgement:
    """What a survey result can bear: its response rate, its 95% margin of error, whether the
    sample is too small to judge, and whether a change or a gap to target is larger than the
    margin (in percentage points throughout)."""

    sample_size: int
    responses: int
    response_rate: float
    margin_points: float  # ± percentage points at 95%
    too_small: bool
    too_small_reason: str
    warning: str | None  # the margin's own sample warning (e.g. a low response rate)
    change_points: float | None = None
    change: Comparison | None = None  # two-proportion test against the other survey
    gap_points: float | None = None  # result minus target
    gap_beyond_margin: bool | None = None


def judge_survey(
    percent: float,
    sample_size: int,
    responses: int,
    *,
    max_margin_points: float,
    min_responses: int,
    previous: tuple[float, int] | None = None,
    target_percent: float | None = None,
) -> SurveyJudgement:
    """A survey percentage (0-100) from `responses` answers out of `sample_size` asked: its margin
    of error at 95% (survey_margin_of_error, on the responses), "too small to judge" when the
    margin is above `max_margin_points` or fewer than `min_responses` answered; against an earlier
    survey (its percentage and responses) the two-proportion test on the responses; against a
    target whether the gap is beyond the margin."""
    if sample_size <= 0 or responses <= 0 or responses > sample_size:
        raise ValueError("need 0 < responses <= sample_size")
    rate = responses / sample_size
    moe = survey_margin_of_error(
        percent / 100, responses, response_rate=rate, min_sample=min_responses
    )
    margin = moe.margin * 100
    reasons = []
    if responses < min_responses:
        reasons.append(f"only {responses:,} responses (the minimum is {min_responses:,})")
    if margin > max_margin_points:
        reasons.append(
            f"a margin of error of ±{margin:.1f} points (more than ±{max_margin_points:g})"
        )
    change_points = change = None
    if previous is not None:
        prev_percent, prev_responses = previous
        change_points = percent - prev_percent
        if prev_responses > 0:
            change = compare_proportions(
                round(percent / 100 * responses),
                responses,
                round(prev_percent / 100 * prev_responses),
                prev_responses,
            )
    gap = beyond = None
    if target_percent is not None:
        gap = percent - target_percent
        beyond = abs(gap) > margin
    return SurveyJudgement(
        sample_size,
        responses,
        rate,
        margin,
        bool(reasons),
        "; ".join(reasons),
        moe.sample_warning,
        change_points,
        change,
        gap,
        beyond,
    )


@lru_cache(maxsize=8192)
def poisson_interval(count: int, confidence: float = 0.95) -> Interval:
    """Exact (Garwood) interval for a Poisson count: [χ²(α/2; 2k)/2, χ²(1−α/2; 2k+2)/2].

    Source: Garwood (1936), Biometrika 28:437; lower bound 0 when the count is 0.
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    # χ²(q; 2k)/2 is the q-quantile of a Gamma(k) variable: scipy.special's inverse regularised
    # incomplete gamma function, which chi2.ppf calls itself (loading scipy.stats costs a second)
    from scipy.special import gammaincinv

    a = 1 - confidence
    lower = 0.0 if count == 0 else float(gammaincinv(count, a / 2))
    upper = float(gammaincinv(count + 1, 1 - a / 2))
    return Interval(float(count), lower, upper, confidence, "exact Poisson (Garwood)")


@lru_cache(maxsize=8192)
def count_against_target(count: int, expected: float, *, alpha: float = ALPHA) -> Comparison:
    """A count against a target level treated as a Poisson mean: exact two-sided test.

    p = min(1, 2·min(P(X ≤ k), P(X ≥ k))) for X ~ Poisson(expected); estimate k − expected, with
    the exact (Garwood) interval for the count, shifted by the expected value.
    Source: Armitage, Berry & Matthews, Statistical Methods in Medical Research §5.3.
    """
    if count < 0:
        raise ValueError("a count cannot be negative")
    if expected <= 0:
        return Comparison(
            "no test: the target is not above zero", None, None, None, None, None, alpha
        )
    # P(X ≤ k) and P(X ≥ k) = P(X > k − 1): scipy.special's Poisson distribution functions, which
    # scipy.stats.poisson's cdf and sf call themselves
    from scipy.special import pdtr, pdtrc

    p_value = min(1.0, 2 * min(float(pdtr(count, expected)), float(pdtrc(count - 1, expected))))
    ci = poisson_interval(count, 1 - alpha)
    return Comparison(
        "exact Poisson test against the target",
        count - expected,
        ci.lower - expected,
        ci.upper - expected,
        p_value,
        p_value < alpha,
        alpha,
    )


def _binomial_pmf():
    """The binomial probability function scipy.stats.binom.pmf calls (Boost's, in scipy.special):
    taken from scipy.special, which loads in a fraction of the second scipy.stats takes, and from
    scipy.stats where a SciPy release no longer has it there. tests/lib/test_significance.py
    checks that the two agree."""
    try:
        from scipy.special._ufuncs import _binom_pmf
    except ImportError:  # pragma: no cover - a SciPy that moved it
        from scipy.stats import binom

        return binom.pmf
    return _binom_pmf


@lru_cache(maxsize=8192)
def binomial_two_sided(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test p-value: the probability of every outcome no likelier than k.

    The same rule as scipy.stats.binomtest (outcomes with pmf ≤ pmf(k)·(1 + 10⁻⁷)), summed over
    one vectorised pmf instead of scipy's search, which is many times faster for repeated use.
    """
    if n == 0:
        return 1.0
    import numpy as np

    # Outcomes more than 40 standard deviations from the mean have a pmf below e^-800, which is 0
    # in floating point: they add nothing to the sum, so only the band around the mean (and k)
    # is computed — a few thousand outcomes for a count of 20,000 instead of all of them.
    spread = 40 * math.sqrt(n * p * (1 - p)) + 1
    lo = max(0, min(k, math.floor(n * p - spread)))
    hi = min(n, max(k, math.ceil(n * p + spread)))
    pmf = _binomial_pmf()(np.arange(lo, hi + 1), n, p)
    d = pmf[k - lo]
    return float(min(1.0, pmf[pmf <= d * (1 + 1e-7)].sum()))


@lru_cache(maxsize=8192)
def compare_counts(
    current: int,
    previous: int,
    *,
    exposure_ratio: float = 1.0,
    alpha: float = ALPHA,
) -> CountChange:
    """Change between two Poisson counts, by the test conditional on their total.

    Given k = current + previous, current ~ Bin(k, π) with π = r/(1+r) under no change, r being
    current exposure ÷ previous exposure (1 for equal periods). Ratio = (current/previous)/r; its
    interval maps the exact (Clopper–Pearson) interval for π through π/(1−π)/r.
    Source: Przyborowski & Wilenski (1940); scipy.stats.binomtest.
    """
    if current < 0 or previous < 0:
        raise ValueError("counts cannot be negative")
    total = current + previous
    if total == 0:
        return CountChange(current, previous, None, None, None, None, None, None, None, None)
    p_value = binomial_two_sided(current, total, exposure_ratio / (1 + exposure_ratio))
    from scipy.special import betaincinv

    # Clopper–Pearson by the beta quantiles: what binomtest().proportion_ci("exact") returns,
    # ten times faster than its root search
    low = 0.0 if current == 0 else float(betaincinv(current, previous + 1, alpha / 2))
    high = 1.0 if previous == 0 else float(betaincinv(current + 1, previous, 1 - alpha / 2))

    def ratio(pi: float) -> float | None:
        return None if pi >= 1 else pi / (1 - pi) / exposure_ratio

    r, lo, hi = ratio(current / total), ratio(low), ratio(high)
    return CountChange(
        current=current,
        previous=previous,
        ratio=r,
        ratio_lower=lo,
        ratio_upper=hi,
        percent_change=None if r is None else (r - 1) * 100,
        percent_lower=None if lo is None else (lo - 1) * 100,
        percent_upper=None if hi is None else (hi - 1) * 100,
        p_value=p_value,
        significant=p_value < alpha,
        alpha=alpha,
    )


def percentage_change(current: int, previous: int, *, alpha: float = ALPHA) -> Interval | None:
    """Percentage change from previous to current with its interval (from compare_counts).

    None when the previous count is zero (no percentage change exists).
    """
    c = compare_counts(current, previous, alpha=alpha)
    if c.percent_change is None or c.percent_lower is None:
        return None
    upper = math.inf if c.percent_upper is None else c.percent_upper
    return Interval(c.percent_change, c.percent_lower, upper, 1 - alpha, c.method)
