"""Each body's meetings, and the statutory calendar, as an iCalendar feed (RFC 5545) a member subscribes to once. Times are
Europe/London with the zone's rules included (VTIMEZONE), so a calendar shows 11.00 am for an
11.00 am meeting on either side of the clock change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from .models import Body, MeetingStatus

if TYPE_CHECKING:
    from .calendar import Entry

PRODID = "-//Oversight//Scrutiny meetings//EN"


def body_calendar(body: Body, *, base_url: str = "") -> bytes:
    """The body's meetings with a known day; a meeting known only by its month is left out."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event  # imported here: it loads 80 modules at every start

    zone = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", body.name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for m in body.meetings.filter(date_provisional=False).order_by("date"):
        e = Event()
        e.add("uid", f"meeting-{m.pk}@oversight")
        e.add("summary", f"{body.name}" + (f": {m.title}" if m.title else ""))
        if m.starts_at:
            start = datetime.combine(m.date, m.starts_at, tzinfo=zone)
            e.add("dtstart", start)
            if m.ends_at:
                e.add("dtend", datetime.combine(m.date, m.ends_at, tzinfo=zone))
        else:
            e.add("dtstart", m.date)  # a whole-day entry when the time is not known
            e.add("dtend", m.date + timedelta(days=1))
        e.add("dtstamp", datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")))  # stable across requests
        if m.venue:
            e.add("location", m.venue)
        e.add("status", "CANCELLED" if m.status == MeetingStatus.CANCELLED else "CONFIRMED")
        e.add("description", f"{m.get_kind_display()} ({m.get_status_display().lower()})")
        if base_url:
            e.add("url", f"{base_url.rstrip('/')}/scrutiny/meetings/{m.pk}/")
        cal.add_component(e)
    cal.add_missing_timezones()
    return cal.to_ical()


STATUTORY_PRODID = "-//Oversight//Statutory calendar//EN"


def statutory_calendar(entries: Iterable[Entry], *, base_url: str = "") -> bytes:
    """The statutory calendar's entries as whole-day events: each names what is due, who must act,
    its state and its source in law (with the link), so a subscribed calendar carries the same
    facts as the page. An entry known only to its month is left out, as for meetings."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event  # imported here: it loads 80 modules at every start

    cal = Calendar()
    cal.add("prodid", STATUTORY_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Statutory calendar")
    seen: set[str] = set()
    for entry in entries:
        if entry.month_only or entry.key in seen:
            continue
        seen.add(entry.key)
        e = Event()
        e.add("uid", f"{entry.key}@oversight")
        e.add("summary", f"{entry.title} [{entry.state}]")
        e.add("dtstart", entry.due)
        e.add("dtend", entry.due + timedelta(days=1))
        e.add("dtstamp", datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")))  # stable across requests
        lines = [
            f"{entry.category}. Who: {entry.holder.words}.",
            f"State: {entry.state} – {entry.words}.",
        ]
        if entry.source:
            lines.append(f"Source: {entry.source} ({entry.source_url})")
            if entry.checked is not None and entry.checked.name != "LAW":
                lines.append(f"Note: {entry.checked}.")
        e.add("description", "\n".join(lines))
        e.add("categories", [entry.category])
        if base_url and entry.url:
            e.add("url", f"{base_url.rstrip('/')}{entry.url}")
        cal.add_component(e)
    return cal.to_ical()
