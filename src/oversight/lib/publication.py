"""Publication deadlines for the registers: plain date arithmetic, no Django.

A duty (from the office's rules file) gives the days allowed after a clock starts – the date of a
decision, an award or a contract's start, or the end of that date's month for the Specified
Information Order's "monthly" duties. An item is on time when published on or before the due day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum


class Standing(StrEnum):
    ON_TIME = "on time"
    LATE = "published late"
    MISSING = "no publication recorded, overdue"
    PENDING = "not yet due"
    UNKNOWN = "cannot be judged"
    # Published in the register, but the day its notice went out was never entered: the item is
    # not missing, and whether it was on time cannot be told, so it is not flagged as overdue.
    NOT_RECORDED = "publication date not recorded"

    @property
    def flagged(self) -> bool:
        return self in (Standing.LATE, Standing.MISSING)


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def due_date(start: date, days: int, clock_from: str = "date") -> date:
    """The last day to publish: `days` after the clock starts (the date itself, or the end of its
    month when `clock_from` is "month_end")."""
    return (month_end(start) if clock_from == "month_end" else start) + timedelta(days=days)


def standing(
    due: date | None, published: date | None, today: date, *, listed: bool = False
) -> Standing:
    """On time, late, overdue with no publication, not yet due, or unknown (no due date).

    `listed` says the item is published in the register itself: without a publication day it is
    then "publication date not recorded", never "overdue" (it was published; when is unknown)."""
    if due is None:
        return Standing.UNKNOWN
    if published is not None:
        return Standing.ON_TIME if published <= due else Standing.LATE
    if listed:
        return Standing.NOT_RECORDED
    return Standing.MISSING if today > due else Standing.PENDING


def days_late(due: date | None, published: date | None, today: date) -> int | None:
    """Days past the due day – to the publication, or to today when not published; None when
    on time, not yet due or without a due date."""
    if due is None:
        return None
    late = ((published or today) - due).days
    return late if late > 0 else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
