"""Records for the command line, the pages' .json/.csv twins and the API: one plain dict per
action, HMICFRS report or meeting, computed once here."""

from __future__ import annotations

from datetime import date
from typing import Any

from .documents import finding_figures
from .models import Action, AdHocRequest, InspectionReport, Meeting

ACTION_FIELDS = [
    "id",
    "ref",
    "body",
    "meeting",
    "minute",
    "description",
    "owner",
    "due",
    "due_label",
    "due_meeting",
    "status",
    "overdue",
    "measure",
    "answer",
    "reported_at",
    "updates",
]

REPORT_FIELDS = [
    "id",
    "title",
    "kind",
    "published",
    "force_inspected",
    "response_required",
    "response_due",
    "response_published",
    "late",
    "days_late",
    "response_state",
    "findings",
    "recommendations",
]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def action_record(a: Action, today: date) -> dict[str, Any]:
    return {
        "id": a.pk,
        "ref": a.ref,
        "body": a.body.slug,
        "meeting": a.meeting.key if a.meeting is not None else None,
        "minute": a.minute,
        "description": a.description,
        "owner": a.owner,
        "due": _iso(a.due_on),
        "due_label": a.due_label,
        "due_meeting": a.due_meeting.key if a.due_meeting is not None else None,
        "status": a.status,
        "overdue": a.is_overdue(today),
        "measure": f"{a.measure.plan.slug}:{a.measure.code}" if a.measure is not None else None,
        "answer": a.answer or None,
        "reported_at": a.reported_at.key if a.reported_at is not None else None,
        "updates": [
            {"on": u.on.isoformat(), "text": u.text, "status": u.status, "by": u.by}
            for u in a.updates.all()
        ],
    }


def action_csv_record(rec: dict[str, Any]) -> dict[str, Any]:
    """Updates flattened to "date: text" for a spreadsheet."""
    return rec | {"updates": [f"{u['on']}: {u['text']}" for u in rec["updates"]]}


def report_record(r: InspectionReport, today: date) -> dict[str, Any]:
    findings = list(r.findings.all())
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    recs = [f.status for f in findings if f.kind == "recommendation"]
    return {
        "id": r.slug,
        "title": r.title,
        "kind": r.kind,
        "published": _iso(r.published),
        "force_inspected": r.force_inspected,
        "response_required": r.response_required,
        "response_due": _iso(r.response_due),
        "response_published": _iso(r.response_published),
        "late": r.is_late(today),
        "days_late": r.days_late(today),
        "response_state": r.response_state(today),
        "findings": counts,
        "recommendations": finding_figures(recs) if recs else None,
    }


def meeting_record(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "key": m.key,
        "body": m.body.slug,
        "date": m.date.isoformat(),
        "date_provisional": m.date_provisional,
        "time": m.starts_at.strftime("%H:%M") if m.starts_at else None,
        "ends": m.ends_at.strftime("%H:%M") if m.ends_at else None,
        "venue": m.venue,
        "kind": m.kind,
        "status": m.status,
        "title": m.title,
    }


def confirmation_record(m: Meeting) -> dict[str, Any] | None:
    """Where the meeting's minutes were agreed as a correct record; None while they await it."""
    item = m.minutes_confirmed_by
    if item is None:
        return None
    return {"meeting": item.meeting.key, "minute": item.minute, "item": item.title}


ADHOC_FIELDS = [
    "body",
    "subject",
    "sent",
    "sent_in",
    "due",
    "status",
    "response",
    "responded_on",
    "outcome",
    "follow_up",
    "closed_on",
]


def adhoc_record(r: AdHocRequest) -> dict[str, Any]:
    return {
        "body": r.body.slug,
        "subject": r.subject,
        "sent": _iso(r.sent),
        "sent_in": r.sent_in or None,
        "due": _iso(r.due),
        "status": r.status,
        "response": r.response or None,
        "responded_on": _iso(r.responded_on),
        "outcome": r.outcome or None,
        "follow_up": r.follow_up or None,
        "closed_on": _iso(r.closed_on),
    }
