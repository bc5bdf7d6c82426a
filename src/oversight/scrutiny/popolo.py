"""Export of people, organisations (bodies and the bodies people come from), memberships and
meetings as Popolo JSON (https://www.popoloproject.com/specs/): `persons`, `organizations`,
`memberships` and `events`, each object valid against the Popolo schemas of the same name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from .models import Body, Meeting, MeetingStatus, Membership, Organisation, Person

# Popolo's event status words for ours.
EVENT_STATUS = {
    MeetingStatus.SCHEDULED: "confirmed",
    MeetingStatus.HELD: "passed",
    MeetingStatus.CANCELLED: "cancelled",
}


def _when(m: Meeting, t) -> str:
    if m.date_provisional:
        return f"{m.date:%Y-%m}"
    if t is None:
        return m.date.isoformat()
    local = timezone.make_aware(datetime.combine(m.date, t))
    return local.isoformat()  # "2019-09-10T11:00:00+01:00": Europe/London with its offset


def person_id(p: Person) -> str:
    return f"person/{p.slug}"


def organisation_id(o: Organisation) -> str:
    return f"organization/{o.pk}"


def body_id(b: Body) -> str:
    return f"body/{b.slug}"


def export(bodies: list[Body] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The Popolo document for the given bodies (default all): their members, meetings and the
    people who attended them."""
    bodies = list(bodies if bodies is not None else Body.objects.select_related("organisation"))
    meetings = list(
        Meeting.objects.filter(body__in=bodies)
        .select_related("body")
        .prefetch_related("attendance__person")
    )
    memberships = list(
        Membership.objects.filter(body__in=bodies).select_related("person", "representing", "body")
    )
    people: dict[int, Person] = {m.person.pk: m.person for m in memberships}
    for mt in meetings:
        for a in mt.attendance.all():
            people.setdefault(a.person.pk, a.person)
    orgs: dict[int, Organisation] = {}
    for p in Person.objects.filter(pk__in=people).select_related("organisation"):
        people[p.pk] = p
        if p.organisation:
            orgs[p.organisation.pk] = p.organisation
    for m in memberships:
        if m.representing:
            orgs[m.representing.pk] = m.representing
    for b in bodies:
        if b.organisation:
            orgs[b.organisation.pk] = b.organisation

    persons = []
    for p in sorted(people.values(), key=lambda x: x.slug):
        rec: dict[str, Any] = {"id": person_id(p), "name": p.name}
        if p.honorific:
            rec["honorific_prefix"] = p.honorific
        if p.formal_name and p.formal_name != p.name:
            rec["other_names"] = [{"name": p.formal_name, "note": "as listed in minutes"}]
        if p.title:
            rec["summary"] = p.title
        persons.append(rec)
    organizations = [
        {"id": organisation_id(o), "name": o.name, "classification": o.classification or None}
        for o in sorted(orgs.values(), key=lambda x: x.name)
    ]
    for b in bodies:
        rec = {"id": body_id(b), "name": b.name, "classification": b.get_kind_display()}
        if b.organisation:
            rec["parent_id"] = organisation_id(b.organisation)
        if b.moderngov_id:
            rec["identifiers"] = [{"scheme": "moderngov-committee", "identifier": b.moderngov_id}]
        organizations.append(rec)
    membership_records = []
    for m in memberships:
        rec = {
            "id": f"membership/{m.pk}",
            "person_id": person_id(m.person),
            "organization_id": body_id(m.body),
            "role": m.get_role_display(),
            "label": f"{m.get_role_display()}, {m.body.name}",
        }
        if m.representing:
            rec["on_behalf_of_id"] = organisation_id(m.representing)
        if m.starts:
            rec["start_date"] = m.starts.isoformat()
        if m.ends:
            rec["end_date"] = m.ends.isoformat()
        membership_records.append(rec)
    for p in people.values():
        if p.organisation:
            membership_records.append(
                {
                    "id": f"membership/person-{p.slug}",
                    "person_id": person_id(p),
                    "organization_id": organisation_id(p.organisation),
                    "role": p.title or None,
                }
            )
    events = []
    for mt in meetings:
        rec = {
            "id": f"event/{mt.pk}",
            "name": f"{mt.body.name}" + (f": {mt.title}" if mt.title else ""),
            "classification": mt.get_kind_display(),
            "start_date": _when(mt, mt.starts_at),
            "status": EVENT_STATUS[MeetingStatus(mt.status)],
            "organization_id": body_id(mt.body),
            "attendees": [
                {"id": person_id(a.person), "name": a.person.name}
                for a in mt.attendance.all()
                if a.kind in ("present", "substitute", "attending", "officer")
            ],
        }
        if mt.ends_at and not mt.date_provisional:
            rec["end_date"] = _when(mt, mt.ends_at)
        if mt.venue:
            rec["location"] = mt.venue
        events.append(rec)
    return {
        "persons": persons,
        "organizations": organizations,
        "memberships": membership_records,
        "events": events,
    }
