"""Charts for counts and rates (p, u and c charts) and Anhøj's runs analysis.

The formulas are Montgomery's (Introduction to Statistical Quality Control, 7.1–7.19) as qicharts2
applies them (Anhøj, R/helper.functions.R, read not copied):

- p chart (proportions): centre p̄ = Σ numerators / Σ denominators; limits p̄ ± 3 √(p̄(1−p̄)/nᵢ),
  cut to 0..1.
- u chart (rate per unit): ū = Σ counts / Σ exposure; limits ū ± 3 √(ū/nᵢ), cut at 0; `multiply`
  scales values and limits (e.g. per 1,000 population).
- c chart (counts): c̄ = mean count; limits c̄ ± 3 √c̄, cut at 0.
- runs analysis (Anhøj 2014): useful points are those not on the centre line; a signal is a
  longest run above round(log2 n) + 3 (Schilling 2012) or fewer crossings than the 5th percentile
  of Binomial(n − 1, ½) (Chen 2010).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

# (baseline mask, segment slice) -> (centre line, half-widths of the limits for that slice)
Limits = Callable[[np.ndarray, slice], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class RunsAnalysis:
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    signal: bool


@dataclass(frozen=True)
class AttributeChart:
    """A p, u or c chart: per-point lists, one runs analysis per segment."""

    kind: str  # "p", "u" or "c"
    values: list[float]
    centres: list[float]
    lowers: list[float]
    uppers: list[float]
    excluded: list[bool]
    segment_starts: list[int]
    runs: list[RunsAnalysis]  # one per segment
    outside_limits: list[int]  # indices strictly beyond a limit
    warnings: list[str]


def runs_analysis(values: Sequence[float], centre: float | Sequence[float]) -> RunsAnalysis:
    """Anhøj's runs analysis of values about a centre line (qicharts2 runs.analysis).

    longest_run_max = round(log2(n)) + 3; n_crossings_min = qbinom(0.05, n − 1, 0.5).
    """
    y = np.asarray(values, dtype=float)
    signs = np.sign(y - np.asarray(centre, dtype=float))
    signs = signs[(signs != 0) & ~np.isnan(signs)]
    n = len(signs)
    if n == 0:
        return RunsAnalysis(0, None, None, None, None, False)
    breaks = np.flatnonzero(np.diff(signs)) + 1
    lengths = np.diff(np.concatenate(([0], breaks, [n])))
    longest = int(lengths.max())
    crossings = len(lengths) - 1
    longest_max, crossings_min = runs_limits(n)
    return RunsAnalysis(
        n_useful=n,
        longest_run=longest,
        longest_run_max=longest_max,
        n_crossings=crossings,
        n_crossings_min=crossings_min,
        signal=longest > longest_max or crossings < crossings_min,
    )


def runs_limits(n_useful: int) -> tuple[int, int]:
    """(longest run allowed, fewest crossings expected) for n useful points."""
    longest_max = round(math.log2(n_useful)) + 3  # log2 of an integer never ends in exactly .5
    crossings_min = int(binom.ppf(0.05, max(n_useful - 1, 0), 0.5))
    return longest_max, crossings_min


def p_chart(
    numerators: Sequence[float],
    denominators: Sequence[float],
    *,
    exclude: Iterable[int] = (),
    freeze: int | None = None,
    recalculate_at: Iterable[int] = (),
) -> AttributeChart:
    """p chart of numerators/denominators (Montgomery 7.1–7.8; qicharts2 qic.p)."""
    x, n = _arrays(numerators, denominators)

    def limits(base: np.ndarray, seg: slice) -> tuple[float, np.ndarray]:
        p = float(x[base].sum() / n[base].sum())
        return p, 3 * np.sqrt(p * (1 - p) / n[seg])

    return _chart("p", x / n, limits, exclude, freeze, recalculate_at, upper_cap=1.0)


def u_chart(
    counts: Sequence[float],
    exposures: Sequence[float],
    *,
    multiply: float = 1.0,
    exclude: Iterable[int] = (),
    freeze: int | None = None,
    recalculate_at: Iterable[int] = (),
) -> AttributeChart:
    """u chart of counts per unit of exposure, × multiply (Montgomery 7.19; qicharts2 qic.u)."""
    x, n = _arrays(counts, exposures)

    def limits(base: np.ndarray, seg: slice) -> tuple[float, np.ndarray]:
        u = float(x[base].sum() / n[base].sum())
        return u, 3 * np.sqrt(u / n[seg])

    return _chart("u", x / n, limits, exclude, freeze, recalculate_at, multiply=multiply)


def c_chart(
    counts: Sequence[float],
    *,
    exclude: Iterable[int] = (),
    freeze: int | None = None,
    recalculate_at: Iterable[int] = (),
) -> AttributeChart:
    """c chart of counts in equal areas of opportunity (Montgomery 7.17; qicharts2 qic.c)."""
    x = np.asarray(counts, dtype=float)

    def limits(base: np.ndarray, seg: slice) -> tuple[float, np.ndarray]:
        c = float(x[base].mean())
        return c, np.full(seg.stop - seg.start, 3 * math.sqrt(c))

    return _chart("c", x, limits, exclude, freeze, recalculate_at)


def _arrays(a: Sequence[float], b: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x, n = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(x) != len(n):
        raise ValueError("numerators and denominators must be the same length")
    if np.any(n <= 0):
        raise ValueError("every denominator must be above zero")
    return x, n


def _chart(
    kind: str,
    y: np.ndarray,
    limits: Limits,
    exclude: Iterable[int],
    freeze: int | None,
    recalculate_at: Iterable[int],
    *,
    upper_cap: float | None = None,
    multiply: float = 1.0,
) -> AttributeChart:
    size = len(y)
    if size == 0:
        raise ValueError(f"a {kind} chart needs at least one value")
    excluded = np.zeros(size, dtype=bool)
    excluded[[i for i in exclude if 0 <= i < size]] = True
    starts = sorted({0, *(i for i in recalculate_at if 0 < i < size)})
    centre, lower, upper = np.empty(size), np.empty(size), np.empty(size)
    runs: list[RunsAnalysis] = []
    warnings: list[str] = []
    for k, (s, e) in enumerate(zip(starts, [*starts[1:], size], strict=True)):
        base = np.zeros(size, dtype=bool)
        # freeze fixes the first segment's limits; a recalculation starts a fresh baseline
        base[s : e if k or freeze is None else min(e, s + freeze)] = True
        base &= ~excluded
        if not base.any():
            raise ValueError(f"no points left for the limits of points {s + 1} to {e}")
        seg = slice(s, e)
        cl, half = limits(base, seg)
        centre[seg] = cl
        lower[seg] = np.maximum(cl - half, 0.0)
        upper[seg] = cl + half if upper_cap is None else np.minimum(cl + half, upper_cap)
        keep = ~excluded[seg]
        runs.append(runs_analysis(y[seg][keep].tolist(), cl))
        if base.sum() < 12:
            warnings.append(
                f"The limits for points {s + 1} to {e} rest on {int(base.sum())} points; "
                "fewer than 12 make them unreliable."
            )
    y, centre, lower, upper = (a * multiply for a in (y, centre, lower, upper))
    return AttributeChart(
        kind=kind,
        values=y.tolist(),
        centres=centre.tolist(),
        lowers=lower.tolist(),
        uppers=upper.tolist(),
        excluded=excluded.tolist(),
        segment_starts=starts,
        runs=runs,
        outside_limits=np.flatnonzero((y > upper) | (y < lower)).tolist(),
        warnings=warnings,
    )
