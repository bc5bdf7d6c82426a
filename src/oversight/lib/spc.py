"""XmR (individuals) charts and their special-cause rules, as NHS England's "Making Data Count".

The method is the one NHSRplotthedots implements (NHS-R Community, MIT; R/ptd_spc_standard.R,
R/ptd_calculate_point_type.R, R/ptd_calculate_assurance_type.R), restated here over plain lists:

- centre line = mean of the points used for limits; moving range = |x[i] - x[i-1]|;
  process limits = mean ± 2.66 × mean moving range; "near" limits = mean ± (2/3 × 2.66) × MR-bar.
- moving ranges ≥ 3.267 × MR-bar are screened out and MR-bar recomputed (on by default).
- rules, within each segment (a recalculation starts a new one):
  outside limits — strictly above the upper or below the lower limit (a point on a limit is inside);
  shift — 7 or more consecutive points on one side of the mean (a point exactly on it breaks the run);
  trend — 7 or more consecutive points each strictly higher (or lower) than the one before
  (a tie breaks the trend);
  two of three — 2 of 3 consecutive points beyond the near limit (strictly), all 3 on one side,
  and not outside the limits; only the points beyond the near limit are flagged.
- a flagged point's direction comes from the first rule in that order (outside, trend, two of
  three, shift); with polarity it is improvement, concern, or "neither" when polarity is neutral.

Exclusions (points kept out of the limits but still judged) follow qicharts2 (Anhøj, GPL-3;
read, not copied): moving ranges are taken over the included points in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .rag import Polarity

if TYPE_CHECKING:
    import numpy as np  # imported inside the functions that use it, so importing this is cheap

LIMIT_FACTOR = 2.66  # 3 / d2 with d2 = 1.128, rounded as Making Data Count does
MR_SCREEN_FACTOR = 3.267  # D4 for n = 2: upper limit of the moving-range chart
WARNING_THRESHOLD = 12  # NHSRplotthedots warns when a baseline has fewer points than this
MIN_POINTS_FOR_ICONS = 12  # below this the icons are withheld (None), not guessed


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"
    SHIFT = "shift"


class PointType(StrEnum):
    COMMON_CAUSE = "common_cause"
    SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    SPECIAL_CAUSE_NEITHER = "special_cause_neither"


class Assurance(StrEnum):
    CONSISTENTLY_PASSES = "consistently_passes"
    CONSISTENTLY_FAILS = "consistently_fails"
    HIT_AND_MISS = "hit_and_miss"


@dataclass(frozen=True)
class Segment:
    """One baseline: points [start, end) share a mean and limits."""

    start: int
    end: int
    mean: float
    mean_moving_range: float | None  # None when fewer than two points are used
    lower: float | None
    upper: float | None
    near_lower: float | None
    near_upper: float | None
    points_used: list[int]  # indices behind the mean and limits
    screened_moving_ranges: list[
        int
    ]  # index i: the range x[i] - x[previous used point] was dropped


@dataclass(frozen=True)
class XmrResult:
    """An XmR chart: per-point lists (same length as values) and what fired where."""

    values: list[float]
    polarity: Polarity
    target: float | None
    means: list[float]
    lowers: list[float | None]
    uppers: list[float | None]
    moving_ranges: list[float | None]  # |x[i] - x[i-1]| within a segment, for plotting
    excluded: list[bool]
    segments: list[Segment]
    flags: list[list[str]]  # per point: every rule (Rule value) it is part of
    rules: dict[str, list[int]]  # Rule value -> indices of points that are part of it
    directions: list[int]  # +1 high, -1 low, 0 common cause (from the first rule in order)
    point_types: list[str]  # PointType values
    variation: str | None  # PointType of the latest point; None with too few points
    assurance: str | None  # Assurance against the target; None without one
    warnings: list[str]

    @property
    def special_cause_points(self) -> list[int]:
        return [i for i, d in enumerate(self.directions) if d != 0]


def xmr(
    values: Sequence[float],
    *,
    polarity: Polarity | str = Polarity.UP,
    target: float | None = None,
    recalculate_at: Iterable[int] = (),
    exclude: Iterable[int] = (),
    freeze: int | None = None,
    screen_outliers: bool = True,
    shift_length: int = 7,
    trend_length: int = 7,
    limit_factor: float = LIMIT_FACTOR,
    min_points: int = MIN_POINTS_FOR_ICONS,
) -> XmrResult:
    """An XmR chart of `values` (oldest first) judged by the Making Data Count rules.

    recalculate_at: indices where a new baseline starts. exclude: indices left out of the mean and
    limits (still plotted and judged). freeze: limits of the first segment from its first N points
    only. limit_factor: 2.66 (Making Data Count); 3/1.128 reproduces qicharts2. Icons are None
    when the latest segment's limits rest on fewer than `min_points` points.
    Method: NHS England "Making Data Count" via NHSRplotthedots ptd_spc_standard/point_type.
    """
    import numpy as np

    polarity = Polarity(polarity)
    y = np.asarray(values, dtype=float)
    n = len(y)
    if n == 0:
        raise ValueError("an XmR chart needs at least one value")
    if not np.all(np.isfinite(y)):
        raise ValueError("values must be finite numbers (leave gaps out before charting)")
    starts = sorted({0, *(i for i in recalculate_at if 0 < i < n)})
    bounds = list(zip(starts, [*starts[1:], n], strict=True))
    excluded = np.zeros(n, dtype=bool)
    for i in exclude:
        if 0 <= i < n:
            excluded[i] = True

    means = np.empty(n)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    near_lo = np.full(n, np.nan)
    near_hi = np.full(n, np.nan)
    mrs: list[float | None] = [None] * n
    segments: list[Segment] = []
    warnings: list[str] = []
    for k, (s, e) in enumerate(bounds):
        seg = _baseline(
            y, s, e, excluded, freeze if k == 0 else None, screen_outliers, limit_factor
        )
        segments.append(seg)
        means[s:e] = seg.mean
        if seg.mean_moving_range is not None:
            lo[s:e], hi[s:e] = seg.lower, seg.upper
            near_lo[s:e], near_hi[s:e] = seg.near_lower, seg.near_upper
        for i in range(s + 1, e):
            mrs[i] = float(abs(y[i] - y[i - 1]))
        used = len(seg.points_used)
        if used < WARNING_THRESHOLD:
            warnings.append(
                f"The limits for points {s + 1} to {e} rest on {used} "
                f"point{'s' if used != 1 else ''}; fewer than {WARNING_THRESHOLD} "
                "make them unreliable."
            )

    flag_arrays = {rule: np.zeros(n, dtype=bool) for rule in Rule}
    directions = np.zeros(n, dtype=int)
    for s, e in bounds:
        fired, direction = judge(
            y[s:e],
            means[s:e],
            lo[s:e],
            hi[s:e],
            near_lo[s:e],
            near_hi[s:e],
            shift_length=shift_length,
            trend_length=trend_length,
        )
        for rule, mask in fired.items():
            flag_arrays[rule][s:e] = mask
        directions[s:e] = direction

    types = {d: point_type(d, polarity) for d in (-1, 0, 1)}
    point_types = [types[d] for d in directions.tolist()]
    last = segments[-1]
    enough = len(last.points_used) >= min_points and last.mean_moving_range is not None
    return XmrResult(
        values=[float(v) for v in y],
        polarity=polarity,
        target=None if target is None else float(target),
        means=means.tolist(),
        lowers=_nones(lo),
        uppers=_nones(hi),
        moving_ranges=mrs,
        excluded=excluded.tolist(),
        segments=segments,
        flags=_flags(flag_arrays, n),
        rules={r.value: np.flatnonzero(flag_arrays[r]).tolist() for r in Rule},
        directions=directions.tolist(),
        point_types=point_types,
        variation=point_types[-1] if enough else None,
        assurance=assurance(last.lower, last.upper, target, polarity) if enough else None,
        warnings=warnings,
    )


def _baseline(
    y: np.ndarray,
    s: int,
    e: int,
    excluded: np.ndarray,
    freeze: int | None,
    screen_outliers: bool,
    limit_factor: float,
) -> Segment:
    import numpy as np

    stop = e if freeze is None else min(e, s + freeze)
    used = [i for i in range(s, stop) if not excluded[i]]
    if not used:
        raise ValueError(f"no points left for the limits of points {s + 1} to {e}")
    base = y[used]
    mean = float(base.mean())
    mr = np.abs(np.diff(base))
    screened: list[int] = []
    if len(mr) == 0:
        return Segment(s, e, mean, None, None, None, None, None, used, [])
    amr = float(mr.mean())
    if screen_outliers and amr > 0:
        # keep mr < 3.267 × MR-bar, as NHSRplotthedots; amr > 0 keeps a flat series' zero limits
        keep = mr < MR_SCREEN_FACTOR * amr
        screened = [used[j + 1] for j in np.flatnonzero(~keep)]
        amr = float(mr[keep].mean())
    near = 2 * (limit_factor / 3)
    return Segment(
        start=s,
        end=e,
        mean=mean,
        mean_moving_range=amr,
        lower=mean - limit_factor * amr,
        upper=mean + limit_factor * amr,
        near_lower=mean - near * amr,
        near_upper=mean + near * amr,
        points_used=used,
        screened_moving_ranges=screened,
    )


def judge(
    y: np.ndarray,
    mean: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    near_lower: np.ndarray,
    near_upper: np.ndarray,
    *,
    shift_length: int = 7,
    trend_length: int = 7,
) -> tuple[dict[Rule, np.ndarray], np.ndarray]:
    """Apply the four rules to one segment; (rule -> mask of points part of it, direction ±1/0).

    NaN limits (too few points) fire neither the limit rule nor two-of-three.
    """
    import numpy as np

    with np.errstate(invalid="ignore"):
        outside = (y > upper) | (y < lower)
        rtm = np.sign(y - mean).astype(int)
        close = ~outside & ((y < near_lower) | (y > near_upper))
    shift = _in_long_run(rtm, shift_length)
    steps = np.sign(np.diff(y)).astype(int)
    step_run = _in_long_run(steps, trend_length - 1)
    trend = np.zeros(len(y), dtype=bool)
    trend[1:] |= step_run
    trend[:-1] |= step_run
    two = _two_of_three(close, rtm)

    # a trend point's direction: the step to its right when the next point is in a trend too
    right = np.append(steps, 0)
    left = np.insert(steps, 0, 0)
    next_in_trend = np.append(trend[1:], False)
    trend_dir = np.where(next_in_trend & trend, right, left)
    side = np.where(rtm > 0, 1, -1)
    direction = np.select(
        [outside, trend, two, shift],
        [np.where(rtm == 1, 1, -1), np.where(trend_dir == 1, 1, -1), side, side],
        default=0,
    )
    fired = {
        Rule.OUTSIDE_LIMITS: outside,
        Rule.TREND: trend,
        Rule.TWO_OF_THREE: two,
        Rule.SHIFT: shift,
    }
    return fired, direction


def _in_long_run(codes: np.ndarray, min_length: int) -> np.ndarray:
    """True where codes[i] != 0 and its run of equal codes is at least min_length long."""
    import numpy as np

    n = len(codes)
    if n == 0 or min_length < 1:
        return np.zeros(n, dtype=bool)
    change = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [n])))
    long = np.repeat(lengths >= min_length, lengths)
    return long & (codes != 0)


def _two_of_three(close: np.ndarray, rtm: np.ndarray) -> np.ndarray:
    import numpy as np

    n = len(close)
    if n < 3:
        return np.zeros(n, dtype=bool)
    c = close.astype(int)
    window = (c[:-2] + c[1:-1] + c[2:] >= 2) & (np.abs(rtm[:-2] + rtm[1:-1] + rtm[2:]) == 3)
    hit = np.zeros(n, dtype=bool)
    for offset in range(3):
        hit[offset : offset + n - 2] |= window
    return hit & close


def point_type(direction: int, polarity: Polarity | str) -> str:
    """Direction of a special cause (+1 high, -1 low, 0 none) read through the polarity."""
    if direction == 0:
        return PointType.COMMON_CAUSE.value
    polarity = Polarity(polarity)
    if polarity is Polarity.NEUTRAL:
        return PointType.SPECIAL_CAUSE_NEITHER.value
    better = direction == (1 if polarity is Polarity.UP else -1)
    return (
        PointType.SPECIAL_CAUSE_IMPROVEMENT if better else PointType.SPECIAL_CAUSE_CONCERN
    ).value


def assurance(
    lower: float | None, upper: float | None, target: float | None, polarity: Polarity | str
) -> str | None:
    """Whether the process will meet the target: ptd_calculate_assurance_type, strictly.

    Target above the upper limit: a higher-is-better process consistently fails (lower-is-better
    consistently passes); below the lower limit the reverse; otherwise hit and miss. None without
    a target, limits, or with neutral polarity.
    """
    polarity = Polarity(polarity)
    if target is None or lower is None or upper is None or polarity is Polarity.NEUTRAL:
        return None
    up = polarity is Polarity.UP
    if target > upper:
        return (Assurance.CONSISTENTLY_FAILS if up else Assurance.CONSISTENTLY_PASSES).value
    if target < lower:
        return (Assurance.CONSISTENTLY_PASSES if up else Assurance.CONSISTENTLY_FAILS).value
    return Assurance.HIT_AND_MISS.value


def _flags(flag_arrays: dict[Rule, np.ndarray], n: int) -> list[list[str]]:
    import numpy as np

    flags: list[list[str]] = [[] for _ in range(n)]
    for rule, mask in flag_arrays.items():
        for i in np.flatnonzero(mask).tolist():
            flags[i].append(rule.value)
    return flags


def _nones(a: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in a.tolist()]  # NaN is the one value not equal to itself
