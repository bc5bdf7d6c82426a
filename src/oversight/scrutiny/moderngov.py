"""Import of committees, meetings and attendance from a council's ModernGov web service
(Civica mgWebService.asmx) XML, as saved from its GetCommittees, GetMeetings and GetMeeting calls.

Element names follow ../shared/data/moderngov/moderngov_xml_schema_notes.json:
  GetCommittees  committees/committee: committeeid, committeetitle, committeedeleted,
                 committeeexpired, committeecategory
  GetMeetings    getmeetings/committee/meeting (or meetings/meeting): meetingid, committeeid,
                 committeetitle, meetingdate (dd/mm/yyyy or yyyy-mm-dd), meetingtime (HH:MM),
                 meetingstatus
  GetMeeting     meeting with agendaitem and attendee children
The notes give no child names for agendaitem and attendee; this reader takes the names the
service uses for its other records (…id, …title, fullusername) and says so in its messages:
  agendaitem     agendaitemid, agendaitemtitle (or title), minutenumber (or agendaitemminutenumber)
  attendee       memberid, fullusername (or name), attendancestatus (Present, Apologies, Absent,
                 Substitute), role
Deleted or expired committees are skipped. Meeting descriptions (which some councils fill with raw
HTML) are not read. Every problem is listed with the file, the element and the reason; nothing is
written on any problem.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.text import slugify

from oversight.audit.history import batched_versions, versioned
from oversight.audit.log import record
from oversight.core.clock import today
from oversight.core.records import upsert
from oversight.lib.inputs import check_file
from oversight.lib.problems import ImportRefused, Outcome, Problem, Problems

from .models import (
    Attendance,
    AttendanceKind,
    Body,
    BodyKind,
    Meeting,
    MeetingStatus,
    Person,
)

ATTENDANCE = {
    "present": AttendanceKind.PRESENT,
    "attended": AttendanceKind.PRESENT,
    "apologies": AttendanceKind.APOLOGIES,
    "apologies received": AttendanceKind.APOLOGIES,
    "absent": AttendanceKind.ABSENT,
    "substitute": AttendanceKind.SUBSTITUTE,
    "present as substitute": AttendanceKind.SUBSTITUTE,
    "in attendance": AttendanceKind.ATTENDING,
    "also present": AttendanceKind.ATTENDING,
}


@dataclass
class Committee:
    moderngov_id: str
    title: str
    current: bool
    category: str


@dataclass
class MGMeeting:
    moderngov_id: str
    committee_id: str
    committee_title: str
    day: date
    starts_at: time | None
    status: str
    attendees: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)


@dataclass
class ModernGovSpec:
    file: str
    committees: list[Committee] = field(default_factory=list)
    meetings: list[MGMeeting] = field(default_factory=list)


def _text(el: ET.Element, *names: str) -> str:
    for name in names:
        child = el.find(name)
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
    return ""


def _day(text: str) -> date | None:
    text = text.strip().split(" ")[0]
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _time(text: str) -> time | None:
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        return None
    return time(int(m[1]), int(m[2]))


def read_moderngov(path: Path | str) -> ModernGovSpec:
    """Check a saved ModernGov XML response; raise ImportRefused with every problem."""
    path = Path(path)
    check_file(path, settings.OVERSIGHT_MAX_IMPORT_BYTES)
    try:
        root = defused.fromstring(path.read_bytes())
    except DefusedXmlException:
        raise ImportRefused(
            [
                Problem(
                    path.name, None, None, "the file contains XML entities, which Oversight refuses"
                )
            ]
        ) from None
    except ET.ParseError as exc:
        raise ImportRefused(
            [Problem(path.name, f"line {exc.position[0]}", None, f"not valid XML: {exc}")]
        ) from None
    p = Problems(path.name)
    spec = ModernGovSpec(path.name)
    tag = root.tag.lower()
    if tag == "committees":
        for i, c in enumerate(root.findall("committee")):
            where = f"committee[{i + 1}]"
            cid, title = _text(c, "committeeid"), _text(c, "committeetitle")
            if not cid:
                p.add(where, "committeeid", "is missing")
            if not title:
                p.add(where, "committeetitle", "is missing")
            flags = {}
            for flag in ("committeedeleted", "committeeexpired"):
                value = _text(c, flag) or "False"
                if value.lower() not in ("true", "false"):
                    p.add(where, flag, f'"{value}" is not True or False')
                flags[flag] = value.lower() == "true"
            spec.committees.append(
                Committee(
                    cid,
                    title,
                    not flags["committeedeleted"] and not flags["committeeexpired"],
                    _text(c, "committeecategory"),
                )
            )
    elif tag in ("getmeetings", "meetings", "meeting"):
        if tag == "meeting":
            elements = [(root, "meeting", "")]
        else:
            # GetMeetings nests meetings under their committee; the alternative shape lists them flat.
            parent = {m: c for c in root.iter("committee") for m in c.findall("meeting")}
            elements = [
                (m, f"meeting[{i + 1}]", _text(parent[m], "committeeid") if m in parent else "")
                for i, m in enumerate(root.iter("meeting"))
            ]
        for el, where, committee in elements:
            spec.meetings.append(_meeting(el, where, p, committee))
    else:
        p.add(
            None,
            None,
            f"the root element <{root.tag}> is not a GetCommittees, GetMeetings or GetMeeting response",
        )
    if not spec.committees and not spec.meetings and not p:
        p.add(None, None, "the response lists no committees or meetings")
    p.raise_if_any()
    return spec


def _meeting(el: ET.Element, where: str, p: Problems, committee: str) -> MGMeeting:
    mid = _text(el, "meetingid")
    if not mid:
        p.add(where, "meetingid", "is missing")
    cid = _text(el, "committeeid") or committee
    if not cid:
        p.add(where, "committeeid", "is missing (and the meeting is not inside a committee)")
    date_text = _text(el, "meetingdate")
    day = _day(date_text) if date_text else None
    if day is None:
        p.add(
            where,
            "meetingdate",
            f'"{date_text}" is not a date (dd/mm/yyyy)' if date_text else "is missing",
        )
    time_text = _text(el, "meetingtime")
    starts = _time(time_text) if time_text else None
    if time_text and starts is None:
        p.add(where, "meetingtime", f'"{time_text}" is not a time (HH:MM)')
    m = MGMeeting(
        mid, cid, _text(el, "committeetitle"), day or date.min, starts, _text(el, "meetingstatus")
    )
    for i, a in enumerate(el.iter("attendee")):
        awhere = f"{where}.attendee[{i + 1}]"
        name = _text(a, "fullusername", "name")
        if not name:
            p.add(awhere, "fullusername", "is missing (the attendee's name)")
        status = _text(a, "attendancestatus", "attendance") or "Present"
        kind = ATTENDANCE.get(status.lower())
        if kind is None:
            p.add(
                awhere,
                "attendancestatus",
                f'"{status}" is not one of: {", ".join(sorted(ATTENDANCE))}',
            )
        m.attendees.append(
            {
                "id": _text(a, "memberid", "attendeeid"),
                "name": name,
                "kind": kind,
                "role": _text(a, "role"),
            }
        )
    for i, it in enumerate(el.iter("agendaitem")):
        iwhere = f"{where}.agendaitem[{i + 1}]"
        title = _text(it, "agendaitemtitle", "title")
        if not title:
            p.add(iwhere, "agendaitemtitle", "is missing")
        minute = _text(it, "minutenumber", "agendaitemminutenumber")
        if minute and not minute.rstrip(".").isdigit():
            p.add(iwhere, "minutenumber", f'"{minute}" is not a whole number')
        m.items.append(
            {
                "title": title,
                "minute": int(minute.rstrip(".")) if minute.rstrip(".").isdigit() else None,
            }
        )
    return m


@versioned
def import_moderngov(spec: ModernGovSpec, *, by: Any, kind: str = BodyKind.PANEL) -> Outcome:
    """Write committees as bodies, and meetings with their attendance and agenda items. A meeting
    names its committee by ModernGov id; the committee must be imported first (or in the file).
    Each record's new version is kept, written together at the end."""
    with batched_versions(reason=f"import of {spec.file}"):
        return _import_moderngov(spec, by=by, kind=kind)


def _import_moderngov(spec: ModernGovSpec, *, by: Any, kind: str) -> Outcome:
    from .models import AgendaItem

    out = Outcome()
    problems = Problems(spec.file)
    for c in spec.committees:
        if not c.current:
            continue
        body = Body.objects.filter(moderngov_id=c.moderngov_id).first()
        if body is None:
            slug = slugify(c.title)[:90] or f"committee-{c.moderngov_id}"
            if Body.objects.filter(slug=slug).exists():
                slug = f"{slug}-{c.moderngov_id}"
            Body.objects.create(slug=slug, name=c.title, kind=kind, moderngov_id=c.moderngov_id)
            out.created += 1
        elif body.name != c.title:
            body.name = c.title
            body.save(update_fields=["name"])
            out.updated += 1
        else:
            out.unchanged += 1
    bodies = {b.moderngov_id: b for b in Body.objects.exclude(moderngov_id="")}
    for i, m in enumerate(spec.meetings):
        body = bodies.get(m.committee_id)
        if body is None:
            problems.add(
                f"meeting[{i + 1}]",
                "committeeid",
                f'no body has ModernGov committee id "{m.committee_id}": import GetCommittees first',
            )
    problems.raise_if_any()  # the transaction rolls back anything written above
    for m in spec.meetings:
        body = bodies[m.committee_id]
        status = (
            MeetingStatus.CANCELLED
            if "cancel" in m.status.lower()
            else MeetingStatus.HELD
            if m.day < today()
            else MeetingStatus.SCHEDULED
        )
        meeting = (
            Meeting.objects.filter(body=body, moderngov_id=m.moderngov_id).first()
            or Meeting.objects.filter(body=body, date=m.day).first()
        )
        values = {
            "date": m.day,
            "starts_at": m.starts_at,
            "status": status,
            "moderngov_id": m.moderngov_id,
        }
        if meeting is None:
            meeting = Meeting.objects.create(body=body, venue=body.default_venue, **values)
            out.created += 1
        else:
            changed = [k for k, v in values.items() if getattr(meeting, k) != v]
            for k in changed:
                setattr(meeting, k, values[k])
            if changed:
                meeting.save(update_fields=changed)
                out.updated += 1
            else:
                out.unchanged += 1
        for order, a in enumerate(m.attendees):
            slug = f"mg-{a['id']}" if a["id"] else slugify(a["name"])[:90]
            name = a["name"]
            honorific = "Councillor" if re.match(r"(?i)^(councillor|cllr)\b", name) else ""
            if honorific:
                name = re.sub(r"(?i)^(councillor|cllr)\.?\s+", "", name)
            person = upsert(Person, out, {"slug": slug}, {"name": name, "honorific": honorific})
            upsert(
                Attendance,
                out,
                {"meeting": meeting, "person": person},
                {"kind": a["kind"], "role": a["role"], "order": order},
            )
        for order, it in enumerate(m.items):
            upsert(
                AgendaItem,
                out,
                {"meeting": meeting, "order": order},
                {"title": it["title"], "minute": it["minute"]},
            )
    record(
        "import_moderngov",
        by=by,
        summary=f"{spec.file}: {len(spec.committees)} committees, {len(spec.meetings)} meetings; {out}",
    )
    return out
