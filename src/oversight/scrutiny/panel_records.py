"""The Panel's own records, as its pages and their twins show them: each member's attendance over
a span, the forward work programme across meetings, and the standing register of members'
interests beside the declarations made at meetings.

Every function names its audience. Held meetings (their attendance, declarations and the work
programme set at them) are public record, as the meeting pages are; register of interests entries
are drafts until the office publishes them, and only staff read drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from oversight.lib.audience import Audience

from .models import (
    AttendanceKind,
    Body,
    Declaration,
    Interest,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    WorkProgrammeItem,
)

# What counts for a member's attendance; "also attended" and officers are not members.
COUNTED = (
    AttendanceKind.PRESENT,
    AttendanceKind.SUBSTITUTE,
    AttendanceKind.APOLOGIES,
    AttendanceKind.ABSENT,
)
ATTENDANCE_FIELDS = [
    "person",
    "name",
    "meetings",
    *COUNTED,
    "not_recorded",
    "per_meeting",
]
WORK_FIELDS = ["title", "planned_for", "meeting", "meeting_date", "state", "source_minute", "notes"]
INTEREST_FIELDS = [
    "id",
    "person",
    "name",
    "kind",
    "kind_label",
    "description",
    "registered_on",
    "last_reviewed_on",
    "review_due",
    "review_overdue",
    "ended_on",
    "state",
]
DECLARATION_FIELDS = ["person", "name", "meeting", "meeting_date", "minute", "nature"]


def _check(audience: Audience) -> None:
    if not isinstance(audience, Audience):
        raise TypeError(f"an audience is needed, not {audience!r}")


# ---------------------------------------------------------------- attendance


@dataclass
class MemberAttendance:
    person: Person
    counts: dict[str, int]
    # One (meeting, kind) per meeting in the span; kind "" where no attendance was recorded.
    meetings: list[tuple[Meeting, str]] = field(default_factory=list)

    @property
    def not_recorded(self) -> int:
        return sum(1 for _, kind in self.meetings if not kind)

    def record(self) -> dict[str, Any]:
        return {
            "person": self.person.slug,
            "name": self.person.name,
            "meetings": len(self.meetings),
            **{str(k): self.counts[k] for k in COUNTED},
            "not_recorded": self.not_recorded,
            "per_meeting": "; ".join(
                f"{m.key}: {kind or 'not recorded'}" for m, kind in self.meetings
            ),
        }


def held_meetings(body: Body, start: date | None, end: date | None, *, audience: Audience):
    _check(audience)
    meetings = Meeting.objects.filter(body=body, status=MeetingStatus.HELD)
    if start:
        meetings = meetings.filter(date__gte=start)
    if end:
        meetings = meetings.filter(date__lte=end)
    return meetings.order_by("date")


def attendance(
    body: Body, start: date | None, end: date | None, *, audience: Audience
) -> tuple[list[Meeting], list[MemberAttendance]]:
    """The held meetings from `start` to `end` (either open) and, for each member of the body in
    that span and anyone who attended as a member, the count of each kind and the kind at each."""
    meetings = list(held_meetings(body, start, end, audience=audience))
    kinds: dict[tuple[int, int], str] = {}
    people: dict[int, Person] = {}
    for m in meetings:
        for a in m.attendance.filter(kind__in=COUNTED).select_related("person"):
            kinds[(a.person_id, m.pk)] = a.kind
            people[a.person_id] = a.person
    memberships = Membership.objects.filter(body=body).select_related("person")
    for ms in memberships:
        overlaps = (not end or not ms.starts or ms.starts <= end) and (
            not start or not ms.ends or ms.ends >= start
        )
        if overlaps:
            people.setdefault(ms.person_id, ms.person)
    rows = []
    for person in sorted(people.values(), key=lambda p: p.name):
        row = MemberAttendance(person, dict.fromkeys(COUNTED, 0))
        for m in meetings:
            kind = kinds.get((person.pk, m.pk), "")
            if kind:
                row.counts[kind] += 1
            row.meetings.append((m, kind))
        rows.append(row)
    return meetings, rows


# ---------------------------------------------------------------- work programme


def work_state(w: WorkProgrammeItem) -> str:
    if w.agenda_item_id:
        return "considered" if w.meeting and w.meeting.status == MeetingStatus.HELD else "on agenda"
    if w.meeting and w.meeting.status == MeetingStatus.CANCELLED:
        return "meeting cancelled"
    return "planned"


def work_programme(body: Body, *, audience: Audience) -> list[dict[str, Any]]:
    """The body's forward work programme across its meetings, soonest first."""
    _check(audience)
    items = WorkProgrammeItem.objects.filter(body=body).select_related("meeting", "source")
    out = []
    for w in items:
        out.append(
            {
                "title": w.title,
                "planned_for": w.planned_for or (f"{w.meeting.date:%Y-%m}" if w.meeting else ""),
                "meeting": w.meeting.key if w.meeting else None,
                "meeting_date": w.meeting.date if w.meeting else None,
                "meeting_id": w.meeting.pk if w.meeting else None,
                "meeting_label": w.meeting.short_date if w.meeting else "",
                "state": work_state(w),
                "source_minute": w.source.minute if w.source else None,
                "notes": w.notes,
            }
        )
    out.sort(key=lambda r: (r["planned_for"] or "9999", r["title"]))
    return out


# ---------------------------------------------------------------- interests


def interests(body: Body, day: date, *, audience: Audience) -> list[dict[str, Any]]:
    """The register of members' interests: current entries first, then ended ones (kept)."""
    found = Interest.objects.for_audience(audience).filter(body=body).select_related("person")
    out = []
    for i in found:
        out.append(
            {
                "id": i.pk,
                "person": i.person.slug,
                "name": i.person.name,
                "kind": i.kind,
                "kind_label": i.get_kind_display(),
                "description": i.description,
                "registered_on": i.registered_on,
                "last_reviewed_on": i.last_reviewed_on,
                "review_due": i.review_due,
                "review_overdue": i.ended_on is None and i.review_due < day,
                "ended_on": i.ended_on,
                "state": i.state,
            }
        )
    out.sort(key=lambda r: (r["ended_on"] is not None, r["name"], r["kind"]))
    return out


def declarations(body: Body, *, audience: Audience) -> list[dict[str, Any]]:
    """Declarations of interest made at the body's held meetings, newest meeting first."""
    _check(audience)
    found = (
        Declaration.objects.filter(meeting__body=body, meeting__status=MeetingStatus.HELD)
        .select_related("person", "meeting", "meeting__body", "item")
        .order_by("-meeting__date", "order")
    )
    return [
        {
            "person": x.person.slug,
            "name": x.person.name,
            "meeting": x.meeting.key,
            "meeting_date": x.meeting.date,
            "meeting_id": x.meeting.pk,
            "minute": x.item.minute if x.item else None,
            "nature": x.nature,
        }
        for x in found
    ]
