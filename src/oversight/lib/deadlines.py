"""Statutory deadlines and "today": plain date arithmetic, no Django.

The Police Act 1996 s.55(5A) (inserted by the Policing and Crime Act 2017 s.37): the local policing
body's comments on an HMICFRS report "must be published before the end of the period of 56 days
beginning with the day on which the report is published". The day of publication is day 1, so the
last day on which the comments may be published is the publication date plus 55 days.
"""

from __future__ import annotations

from datetime import date, timedelta

S55_DAYS = 56


def s55_response_due(published: date) -> date:
    """The last day the PCC's comments on a report published on `published` may be published."""
    return published + timedelta(days=S55_DAYS - 1)


def s55_days_late(published: date, response: date | None, today: date) -> int:
    """Days past the s.55 deadline: of the response if made, else of today (0 when not late)."""
    due = s55_response_due(published)
    return max(0, ((response or today) - due).days)


def parse_today(text: str | None, fallback: date) -> date:
    """A configured "today" (YYYY-MM-DD), or `fallback` when none is set; ValueError when unreadable."""
    text = (text or "").strip()
    if not text:
        return fallback
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"{text}" is not a date: use YYYY-MM-DD') from None
