"""The RAG engine: which colour a measure's figure earns against its target, and why.

Plain functions over plain values (Decimal for figures), no Django. The rules, in the words of
seed 002 §5 (restated for a Panel member in METHODOLOGY.md):

- Green: at or better than the expected position (the period's target, by the measure's polarity).
- Amber: worse than the target but within the measure's tolerance ("marginally below").
- Red: worse than the target by more than the tolerance.
- No status: a baseline year, a monitor-only measure without a comparator, or missing data.

A monitor-only measure with a comparator is rated against the comparator as if it were the target.
Milestones: on track or complete are green, at risk amber, off track red, not started no status.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .periods import Period, PeriodKind, parse_period


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def word(self) -> str:
        return self.value.capitalize()


class Polarity(StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better
    NEUTRAL = "neutral"  # neither: judged by distance from the target


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE = "rate"
    RATIO = "ratio"
    CURRENCY = "currency"
    DAYS = "days"
    MILESTONE = "milestone"


class TargetKind(StrEnum):
    VALUE = "value"
    CHANGE = "change"
    MAINTAIN = "maintain"
    TRAJECTORY = "trajectory"
    MILESTONE = "milestone"
    MONITOR = "monitor"
    BASELINE = "baseline"


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class Basis(StrEnum):
    """What span a figure covers: the period alone or the financial year to the period's end."""

    PERIOD = "period"
    YEAR_TO_DATE = "ytd"


MILESTONE_RAG = {
    MilestoneStatus.ON_TRACK: Rag.GREEN,
    MilestoneStatus.COMPLETE: Rag.GREEN,
    MilestoneStatus.AT_RISK: Rag.AMBER,
    MilestoneStatus.OFF_TRACK: Rag.RED,
    MilestoneStatus.NOT_STARTED: None,
}


@dataclass(frozen=True)
class Tolerance:
    """How far worse than target still counts as amber: a percentage of the target, or points."""

    amount: Decimal
    relative: bool  # True: percent of the target; False: absolute (percentage points for percents)

    def band(self, target: Decimal) -> Decimal:
        return abs(target) * self.amount / 100 if self.relative else self.amount

    def __str__(self) -> str:
        return f"{self.amount.normalize():f}{'%' if self.relative else 'pp'}"


_TOLERANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|pp)\s*$")


def parse_tolerance(text: str) -> Tolerance:
    """Read "5%" (relative to the target) or "2pp" (absolute points)."""
    m = _TOLERANCE.match(str(text))
    if not m:
        raise ValueError(f'tolerance "{text}" must be a percentage like "5%" or points like "2pp"')
    return Tolerance(Decimal(m[1]), m[2] == "%")


def default_tolerance(unit: Unit) -> Tolerance:
    """5 percentage points for percentages; 5% of the target for everything else."""
    if unit is Unit.PERCENT:
        return Tolerance(Decimal(5), relative=False)
    return Tolerance(Decimal(5), relative=True)


@dataclass(frozen=True)
class Target:
    """A measure's overall target in one of the forms of seed 002's Appendix B."""

    kind: TargetKind
    value: Decimal | None = None  # value
    percent: Decimal | None = None  # change: -2 means "less 2%"
    baseline_period: str | None = None  # change, maintain, trajectory
    baseline_value: Decimal | None = None
    goal: Decimal | None = None  # trajectory
    by: date | None = None  # trajectory
    due: date | None = None  # milestone
    text: str = ""

    @property
    def rated(self) -> bool:
        """Whether figures against this target get a status at all."""
        return self.kind is not TargetKind.BASELINE

    def describe(self) -> str:
        """The wording to print when the plan gave none."""
        if self.text:
            return self.text
        k = self.kind
        if k is TargetKind.VALUE:
            return _num(self.value)
        if k is TargetKind.CHANGE and self.percent is not None:
            word = "less" if self.percent < 0 else "plus"
            return f"{word} {_num(abs(self.percent))}% of {self.baseline_period} outturn"
        if k is TargetKind.MAINTAIN:
            return f"to be maintained at {self.baseline_period} level"
        if k is TargetKind.TRAJECTORY:
            return f"{_num(self.goal)} by {self.by:%B %Y}" if self.by else _num(self.goal)
        if k is TargetKind.MILESTONE:
            return f"by {self.due:%B %Y}" if self.due else "milestone"
        if k is TargetKind.MONITOR:
            return "Monitor outcome"
        return "Baseline year"


def _num(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():,f}"


BaselineLookup = Callable[[Period, Basis], Decimal | None]
"""Finds a stored figure of the same measure and area for a period and basis, or None."""


@dataclass(frozen=True)
class Expected:
    """The period's target and how it was found."""

    value: Decimal | None
    how: str


def expected_value(
    target: Target,
    period: Period,
    basis: Basis = Basis.PERIOD,
    lookup: BaselineLookup | None = None,
    additive: bool = True,
) -> Expected:
    """The period's target derived from the overall target (no explicit period target given).

    Change and maintain compare like with like. For counts and money (`additive`), a year-to-date
    figure is compared with the same part of the baseline year and a quarter with the same quarter;
    that figure comes from the stored data when it is there, otherwise the baseline year's value is
    taken pro rata by months, and `how` says so. Percentages, rates, ratios and days are levels,
    not sums: they are compared with the baseline period's level itself.
    A trajectory is the straight line from the baseline value at the end of the baseline period
    to the goal on its date, read at the period's end.
    """
    k = target.kind
    if k is TargetKind.VALUE:
        return Expected(target.value, "the target value")
    if k in (TargetKind.CHANGE, TargetKind.MAINTAIN):
        base = _baseline_for(target, period, basis, lookup, additive)
        if base.value is None:
            return base
        if k is TargetKind.MAINTAIN:
            return base
        factor = 1 + (target.percent or Decimal(0)) / 100
        return Expected(
            base.value * factor,
            f"{base.how} {'less' if factor < 1 else 'plus'} "
            f"{_num(abs(target.percent or Decimal(0)))}%",
        )
    if k is TargetKind.TRAJECTORY:
        return _trajectory(target, period, lookup)
    return Expected(None, "no numeric target")


def _baseline_period(target: Target) -> Period | None:
    return parse_period(target.baseline_period) if target.baseline_period else None


def _baseline_for(
    target: Target, period: Period, basis: Basis, lookup: BaselineLookup | None, additive: bool
) -> Expected:
    base_period = _baseline_period(target)
    if base_period is None:
        return Expected(None, "no baseline period")
    whole = target.baseline_value
    if whole is None and lookup:
        whole = lookup(base_period, Basis.PERIOD)
    if not additive or base_period.kind is not PeriodKind.YEAR or period.kind is PeriodKind.YEAR:
        how = f"{base_period.code} figure"
        return Expected(whole, how if whole is not None else f"no figure for {base_period.code}")
    # A part-year figure against a baseline year: the same part of that year.
    years_back = base_period.year - period.year
    same_part = period.shift_years(years_back)
    if lookup:
        found = lookup(same_part, basis)
        if found is not None:
            words = "year to date" if basis is Basis.YEAR_TO_DATE else "figure"
            return Expected(found, f"{same_part.code} {words}")
    if whole is None:
        return Expected(None, f"no figure for {base_period.code}")
    months = period.months_into_year if basis is Basis.YEAR_TO_DATE else len(period.months())
    return Expected(
        whole * months / 12, f"{base_period.code} figure pro rata for {months} of 12 months"
    )


def _trajectory(target: Target, period: Period, lookup: BaselineLookup | None) -> Expected:
    base_period = _baseline_period(target)
    if base_period is None or target.goal is None or target.by is None:
        return Expected(None, "trajectory needs a baseline, a goal and a date")
    start = target.baseline_value
    if start is None and lookup:
        start = lookup(base_period, Basis.PERIOD)
    if start is None:
        return Expected(None, f"no figure for {base_period.code}")
    begin, end, at = base_period.end, target.by, period.end
    if at <= begin:
        return Expected(start, f"{base_period.code} level (trajectory not yet begun)")
    if at >= end:
        return Expected(target.goal, f"the goal of {_num(target.goal)} (due {end:%d %B %Y})")
    share = Decimal((at - begin).days) / Decimal((end - begin).days)
    value = start + (target.goal - start) * share
    return Expected(
        value,
        f"straight line from {_num(start)} at {begin:%d %B %Y} to {_num(target.goal)} "
        f"by {end:%d %B %Y}",
    )


@dataclass(frozen=True)
class Assessment:
    """The engine's verdict on one figure: its status, the target used and the reason in words."""

    rag: Rag | None
    target: Decimal | None
    target_source: str
    reason: str


def compare(actual: Decimal, target: Decimal, polarity: Polarity, tolerance: Tolerance) -> Rag:
    """Green at or better than target; amber worse but within tolerance; red beyond it.

    A neutral measure has no better side: within the tolerance either way is green, within twice
    the tolerance amber, further red.
    """
    band = tolerance.band(target)
    if polarity is Polarity.NEUTRAL:
        gap = abs(actual - target)
        return Rag.GREEN if gap <= band else Rag.AMBER if gap <= 2 * band else Rag.RED
    shortfall = target - actual if polarity is Polarity.UP else actual - target
    if shortfall <= 0:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= band else Rag.RED


def assess(
    *,
    target: Target,
    unit: Unit,
    polarity: Polarity,
    tolerance: Tolerance | None,
    period: Period,
    actual: Decimal | None = None,
    milestone_status: MilestoneStatus | None = None,
    period_target: Decimal | None = None,
    comparator: Decimal | None = None,
    comparator_label: str = "",
    basis: Basis = Basis.PERIOD,
    lookup: BaselineLookup | None = None,
    significantly_worse: bool | None = None,
) -> Assessment:
    """Rate one figure. An explicit `period_target` wins over the one derived from `target`.

    `significantly_worse` is given only for measures rated by significance: then a figure worse
    than target is red when the shortfall is statistically significant and green when it is not.
    """
    if target.kind is TargetKind.BASELINE:
        return Assessment(None, period_target, "", "baseline year: figures are recorded, not rated")
    if target.kind is TargetKind.MILESTONE or unit is Unit.MILESTONE:
        if milestone_status is None:
            return Assessment(None, None, "", "data not available")
        rag = MILESTONE_RAG[milestone_status]
        return Assessment(rag, None, "", f"milestone {milestone_status.words}")
    if actual is None:
        return Assessment(None, period_target, "", "data not available")

    tolerance = tolerance or default_tolerance(unit)
    if period_target is not None:
        expected, source = period_target, "period target as entered"
    elif target.kind is TargetKind.MONITOR:
        if comparator is None:
            return Assessment(None, None, "", "monitor only: no comparator to rate against")
        expected, source = comparator, f"comparator ({comparator_label or 'as entered'})"
    else:
        additive = unit in (Unit.COUNT, Unit.CURRENCY)
        found = expected_value(target, period, basis, lookup, additive)
        if found.value is None:
            return Assessment(None, None, found.how, f"no target for this period ({found.how})")
        expected, source = found.value, found.how

    rag = compare(actual, expected, polarity, tolerance)
    reason = _reason(rag, actual, expected, polarity, tolerance)
    if significantly_worse is not None and rag is not Rag.GREEN:
        rag = Rag.RED if significantly_worse else Rag.GREEN
        reason += (
            "; the shortfall is statistically significant"
            if significantly_worse
            else "; the shortfall is not statistically significant, so rated green"
        )
    return Assessment(rag, expected, source, reason)


def _reason(
    rag: Rag, actual: Decimal, target: Decimal, polarity: Polarity, tolerance: Tolerance
) -> str:
    a, t = _num(actual), _num(_round(target))
    if polarity is Polarity.NEUTRAL:
        return f"{a} is {'within' if rag is Rag.GREEN else 'outside'} {tolerance} of the target {t}"
    better = "above" if polarity is Polarity.UP else "below"
    worse = "below" if polarity is Polarity.UP else "above"
    if rag is Rag.GREEN:
        return f"{a} is at or {better} the target {t}"
    if rag is Rag.AMBER:
        return f"{a} is {worse} the target {t}, within the tolerance of {tolerance}"
    return f"{a} is {worse} the target {t} by more than the tolerance of {tolerance}"


def _round(value: Decimal) -> Decimal:
    """Derived targets carry many digits; two decimal places are enough to print a reason."""
    return value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value
