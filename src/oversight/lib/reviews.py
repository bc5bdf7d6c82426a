"""When a register entry is next due for review: plain date arithmetic, no Django.

A member notifies an interest when it arises (the Localism Act 2011, s.30, gives 28 days for a
disclosable pecuniary interest); the office also reviews each entry on a cycle of its choosing.
The default cycle is a year: an entry registered or last reviewed on a day is due again on the same
day a year later.
"""

from __future__ import annotations

from datetime import date


def a_year_after(day: date) -> date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
