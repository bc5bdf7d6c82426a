"""The delivery plan's and the risk register's arithmetic: plain Python, no Django.

Progress roll-up (METHODOLOGY.md §11, "Delivery plan progress"): an objective's, an aim's or the
plan's progress is the mean of its activities' percent complete weighted by each activity's
weight; a complete activity counts as 100 whatever percentage was typed; activities of weight 0
are left out; with no weighted activity there is no progress to show (None). The plan's progress
is taken over all its activities, not as a mean of the objectives' means.

Risk score (METHODOLOGY.md, "Risk scores"): likelihood (1–5) × impact (1–5), before and after the
controls, banded Low (1–4), Medium (5–9), High (10–16) and Very high (20–25).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

COMPLETE = "complete"
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Part:
    """One activity as the roll-up reads it."""

    weight: Decimal
    percent: int  # 0–100, as recorded
    status: str  # "complete" counts as 100

    @property
    def progress(self) -> int:
        return 100 if self.status == COMPLETE else self.percent


def rolled_up(parts: Iterable[Part]) -> Decimal | None:
    """The weighted mean of the parts' progress, to one decimal place (half up); None when no part
    has a weight above 0."""
    total = Decimal(0)
    weighted = Decimal(0)
    for p in parts:
        if p.weight < 0:
            raise ValueError(f"a weight cannot be negative ({p.weight})")
        if not 0 <= p.percent <= 100:
            raise ValueError(f"{p.percent} is not a percentage between 0 and 100")
        if p.weight == 0:
            continue
        total += p.weight
        weighted += p.weight * p.progress
    if total == 0:
        return None
    return (weighted / total).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def progress_words(progress: Decimal | None) -> str:
    """The roll-up as a page and a report print it."""
    if progress is None:
        return "No progress to show (no weighted activities)"
    return f"{progress.normalize():f}% complete"


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
