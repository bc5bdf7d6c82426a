"""The delivery plan's and the risk register's arithmetic: plain Python, no Django.

Progress roll-up (METHODOLOGY.md §11, "Delivery plan progress"): an objective's, an aim's or the
plan's progress is the mean of its activities' progress weighted by each activity's weight. A
complete activity counts as 100 whatever percentage was typed; an activity with a recorded percent
complete counts that; an activity not started with no percentage recorded counts 0 (its status
says none of it is done); any other activity with no percentage recorded (on track, at risk, off
track) is left out of the mean, never counted as 0, and the words say how many were left out. Activities of weight 0
are left out too. With no activity to count there is no progress to show (None). The plan's
progress is taken over all its activities, not as a mean of the objectives' means.

Risk score (METHODOLOGY.md, "Risk scores"): likelihood (1–5) × impact (1–5), before and after the
controls, banded Low (1–4), Medium (5–9), High (10–16) and Very high (20–25).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

COMPLETE = "complete"
NOT_STARTED = "not_started"
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Part:
    """One activity as the roll-up reads it."""

    weight: Decimal
    percent: int | None  # 0–100, as recorded; None when no percentage is recorded
    status: str  # "complete" counts as 100; "not_started" with no percentage as 0

    @property
    def progress(self) -> int | None:
        """100 when complete, else the recorded percent, else 0 when not started; None when the
        status says work has begun but no percentage is recorded."""
        if self.status == COMPLETE:
            return 100
        if self.percent is None and self.status == NOT_STARTED:
            return 0
        return self.percent


@dataclass(frozen=True)
class Rollup:
    """A roll-up and what it was taken over."""

    progress: Decimal | None  # the weighted mean, one decimal place; None with nothing to count
    counted: int  # weighted activities in the mean
    not_recorded: int  # weighted activities left out: begun, not complete, no percentage recorded

    @property
    def words(self) -> str:
        return progress_words(self)


def roll_up(parts: Iterable[Part]) -> Rollup:
    """The weighted mean of the parts' progress, to one decimal place (half up), with how many
    parts it counts and how many it leaves out for want of a recorded percentage."""
    total = Decimal(0)
    weighted = Decimal(0)
    counted = not_recorded = 0
    for p in parts:
        if p.weight < 0:
            raise ValueError(f"a weight cannot be negative ({p.weight})")
        if p.percent is not None and not 0 <= p.percent <= 100:
            raise ValueError(f"{p.percent} is not a percentage between 0 and 100")
        if p.weight == 0:
            continue
        progress = p.progress
        if progress is None:
            not_recorded += 1
            continue
        counted += 1
        total += p.weight
        weighted += p.weight * progress
    mean = (weighted / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP) if total else None
    return Rollup(mean, counted, not_recorded)


def rolled_up(parts: Iterable[Part]) -> Decimal | None:
    """The roll-up's figure alone (`roll_up`): None when no part counts."""
    return roll_up(parts).progress


def _activities(n: int) -> str:
    return f"{n} activit{'y' if n == 1 else 'ies'}"


def progress_words(rollup: Rollup) -> str:
    """The roll-up as a page and a report print it, saying how many activities were left out for
    want of a recorded percentage."""
    n = rollup.not_recorded
    if rollup.progress is None:
        if n:
            return f"No progress to show ({_activities(n)}, none with a percentage recorded)"
        return "No progress to show (no weighted activities)"
    words = f"{rollup.progress.normalize():f}% complete"
    if n:
        words += (
            f" (over {rollup.counted} of {_activities(rollup.counted + n)}; "
            f"{n} {'has' if n == 1 else 'have'} no percentage recorded)"
        )
    return words


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"

    @property
    def words(self) -> str:
        return self.value.capitalize()


SCALE = range(1, 6)  # likelihood and impact are each scored 1 (lowest) to 5 (highest)


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood × impact, each 1–5: a score from 1 to 25."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if value not in SCALE:
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value}")
    return likelihood * impact


def risk_band(score: int) -> Band:
    """The band of a score: 1–4 Low, 5–9 Medium, 10–16 High, 20–25 Very high."""
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score is from 1 to 25, not {score}")
    if score <= 4:
        return Band.LOW
    if score <= 9:
        return Band.MEDIUM
    if score <= 16:
        return Band.HIGH
    return Band.VERY_HIGH
