"""Draft commentary: one to three plain sentences from a measure's numbers, for an editor to check.

"3,063 business crimes were recorded in the quarter, 6% fewer than the previous quarter (3,245)
but above the quarterly average (2,668); neither change is statistically significant."

The sentences only restate the figures and the significance results passed in; they never guess
a cause. The editor keeps or rewrites them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from . import numbers
from .rag import Polarity

UNITS = ("count", "percent", "rate", "ratio", "currency", "days")
_ADJECTIVE = {"month": "monthly", "quarter": "quarterly", "year": "annual", "week": "weekly"}


class Judged(Protocol):
    """Any significance result (TestResult, CountChange): commentary reads only this."""

    @property
    def significant(self) -> bool | None: ...


@dataclass(frozen=True)
class MeasureFigures:
    """What the commentary is drawn from. Values are in the measure's unit (percent as 0–100)."""

    name: str  # "Business crime"
    unit: str  # one of UNITS
    polarity: Polarity | str
    value: float
    period_noun: str = "period"  # "month", "quarter", "year"
    period_label: str | None = None  # span_words(…): "the quarter (October–December 2021)"
    noun: str | None = None  # plural for counts: "business crimes" → "… were recorded"
    previous: float | None = None
    last_year: float | None = None
    average: float | None = None
    target: float | None = None
    previous_test: Judged | None = None  # e.g. significance.compare_counts(...)
    last_year_test: Judged | None = None
    average_test: Judged | None = None  # e.g. whether the latest point is a special cause


def month_span(start: date, end: date) -> str:
    """The months a span covers, in words: "June 2013", "April–June 2013",
    "November 2012–January 2013"."""
    last = f"{calendar.month_name[end.month]} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return last
    first = calendar.month_name[start.month]
    if start.year != end.year:
        first += f" {start.year}"
    return f"{first}–{last}"


_SPAN_NOUNS = {
    "year to date": "the year to date",
    "quarter": "the quarter",
    "year": "the year",
    "half": "the half-year",
    "half_year": "the half-year",
    "week": "the week",
}


def span_words(kind: str, start: date, end: date) -> str:
    """What a figure covers, named honestly for a sentence "… in {span_words}":

    - a year-to-date figure: "the year to date (April–June 2013)", never "the year to June 2013";
    - a quarter: "the quarter (April–June 2013)"; a year: "the year (April 2013–March 2014)";
    - a month: "June 2013"; a rolling twelve months: "the twelve months to June 2013";
    - any other span: "the period (May–October 2023)".
    `kind` is a period kind ("month", "quarter", "year", …) or "year to date"."""
    if kind == "month":
        return month_span(start, end)
    if kind.startswith("rolling"):
        return f"the twelve months to {calendar.month_name[end.month]} {end.year}"
    return f"{_SPAN_NOUNS.get(kind, 'the period')} ({month_span(start, end)})"


def draft_commentary(f: MeasureFigures) -> str:
    """One to three sentences: the figure and its comparisons; significance; the target."""
    when = f.period_label or f"the {f.period_noun}"
    if f.unit == "count" and f.noun:
        opening = f"{numbers.format_derived(f.value, 'count')} {f.noun} were recorded in {when}"
    else:
        opening = f"{f.name} was {numbers.format_derived(f.value, f.unit)} in {when}"

    changes: list[tuple[str, int]] = []  # (phrase, direction of the value against it)
    for other, label in (
        (f.previous, f"the previous {f.period_noun}"),
        (f.last_year, f"the same {f.period_noun} last year"),
    ):
        if other is not None:
            changes.append(_change(f.value, other, f.unit, label, counts=bool(f.noun)))
    if f.average is not None:
        adjective = _ADJECTIVE.get(f.period_noun, f"{f.period_noun}ly")
        changes.append(_against(f.value, f.average, f.unit, f"the {adjective} average"))

    first = opening
    for i, (phrase, direction) in enumerate(changes):
        if 0 < i == len(changes) - 1:
            first += (" but " if direction * changes[i - 1][1] < 0 else " and ") + phrase
        else:
            first += f", {phrase}"
    clause = _significance_clause(f)
    sentences = [first + (f"; {clause}" if clause else "") + "."]
    if f.target is not None:
        sentences.append(_target_sentence(f))
    return " ".join(sentences)


def _change(value: float, other: float, unit: str, label: str, *, counts: bool) -> tuple[str, int]:
    shown = numbers.format_derived(other, unit)
    if value == other:
        return f"the same as {label}", 0
    up = value > other
    if unit == "percent":
        points = numbers.format_value(abs(value - other), "ratio", places=1)
        return f"{'up' if up else 'down'} {points} percentage points on {label} ({shown})", (
            1 if up else -1
        )
    if other == 0:
        return f"{'up' if up else 'down'} from none in {label}", 1 if up else -1
    pct = abs(value - other) / abs(other) * 100
    size = f"{pct:.0f}%" if pct >= 1 else "less than 1%"
    if counts:
        word = "more" if up else "fewer"
    else:
        word = "higher" if up else "lower"
    return f"{size} {word} than {label} ({shown})", 1 if up else -1


def _against(value: float, other: float, unit: str, label: str) -> tuple[str, int]:
    shown = numbers.format_derived(other, unit)
    if numbers.format_derived(value, unit) == shown:
        return f"in line with {label} ({shown})", 0
    return (f"above {label} ({shown})", 1) if value > other else (f"below {label} ({shown})", -1)


def _significance_clause(f: MeasureFigures) -> str:
    adjective = _ADJECTIVE.get(f.period_noun, f"{f.period_noun}ly")
    tests = [
        (t, label)
        for t, label in (
            (f.previous_test, f"the previous {f.period_noun}"),
            (f.last_year_test, f"the same {f.period_noun} last year"),
            (f.average_test, f"the {adjective} average"),
        )
        if t is not None and t.significant is not None
    ]
    real = [label for t, label in tests if t.significant]
    if not tests:
        return ""
    if len(tests) == 1:
        verb = "is" if real else "is not"
        return f"the difference from {tests[0][1]} {verb} statistically significant"
    if not real:
        if len(tests) == 2:
            return "neither change is statistically significant"
        return "none of the changes is statistically significant"
    if len(real) == len(tests):
        return (
            "both" if len(tests) == 2 else "all three"
        ) + " changes are statistically significant"
    return f"only the difference from {' and '.join(real)} is statistically significant"


def _target_sentence(f: MeasureFigures) -> str:
    if f.target is None:
        raise ValueError(f"{f.name} has no target to write a sentence about")
    target = numbers.format_derived(f.target, f.unit)
    polarity = Polarity(f.polarity)
    if polarity is Polarity.NEUTRAL:
        return f"The target is {target}."
    meets = f.value >= f.target if polarity is Polarity.UP else f.value <= f.target
    if meets:
        return f"This meets the target of {target}."
    gap = abs(f.value - f.target)
    if f.unit == "percent":
        by = f"{numbers.format_value(gap, 'ratio', places=1)} percentage points"
    else:
        by = numbers.format_derived(gap, f.unit)
    return f"This misses the target of {target} by {by}."
