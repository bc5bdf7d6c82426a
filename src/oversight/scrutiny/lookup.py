"""Finding a meeting or body from what a user types: a number, a key "body/YYYY-MM-DD" or a date."""

from __future__ import annotations

import calendar
from datetime import date

from .models import Body, Meeting


def find_meeting(text: str) -> Meeting:
    """The meeting named by `text`; LookupError with a readable message when none or several."""
    text = str(text).strip()
    qs = Meeting.objects.select_related("body")
    if text.isdigit():
        found = qs.filter(pk=int(text)).first()
        if found:
            return found
        raise LookupError(f"no meeting number {text}")
    body_slug, _, day_text = text.rpartition("/")
    try:
        if len(day_text) == 7:  # a provisional meeting, known by its month
            y, m = int(day_text[:4]), int(day_text[5:])
            day = date(y, m, calendar.monthrange(y, m)[1])
        else:
            day = date.fromisoformat(day_text)
    except ValueError:
        raise LookupError(
            f'"{text}" is not a meeting: give its number, BODY/YYYY-MM-DD or YYYY-MM-DD'
        ) from None
    matches = list(qs.filter(date=day, **({"body__slug": body_slug} if body_slug else {})))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise LookupError(
            f"no meeting on {day:%-d %B %Y}" + (f" of {body_slug}" if body_slug else "")
        )
    raise LookupError(
        f"{len(matches)} meetings on {day:%-d %B %Y}: name one as "
        + " or ".join(m.key for m in matches)
    )


def find_body(slug: str) -> Body:
    found = Body.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Body.objects.values_list("slug", flat=True)) or "none yet"
        raise LookupError(f'no body "{slug}" (bodies: {known})')
    return found
