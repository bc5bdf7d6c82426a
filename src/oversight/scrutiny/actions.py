"""Changes of state for scrutiny: each a verb with a keyword-only `by`, one transaction and one
audit entry. The YAML and ModernGov importers, the commands, the web forms and the API call these."""

from __future__ import annotations

from datetime import date
from typing import Any

from oversight.audit.history import batched_versions, check_version, versioned
from oversight.audit.log import actor_name, record
from oversight.core.clock import today
from oversight.core.records import upsert
from oversight.lib.problems import Outcome, Refused

from .importers import ScrutinySpec
from .models import (
    Action,
    ActionKind,
    ActionStatus,
    ActionUpdate,
    AdHocRequest,
    AgendaItem,
    Attendance,
    Body,
    Declaration,
    Finding,
    FindingStatus,
    FindingUpdate,
    InspectionReport,
    Meeting,
    Membership,
    Organisation,
    Person,
    PublicQuestion,
    Resolution,
    WorkProgrammeItem,
)


def _organisation(name: str, cache: dict[str, Organisation]) -> Organisation | None:
    if not name:
        return None
    if name not in cache:
        cache[name] = Organisation.objects.get_or_create(name=name)[0]
    return cache[name]


@versioned
def import_scrutiny(spec: ScrutinySpec, *, by: Any) -> Outcome:
    """Create or update everything in a checked ScrutinySpec. Safe to run twice: records are
    matched by their keys (person and body ids, a body's meeting date, a body's action ref, a
    report's id); an action's status and updates recorded since are kept unless the file says
    otherwise. Each record's new version is kept, written together at the end."""
    with batched_versions(reason=f"import of {spec.file}"):
        return _import_scrutiny(spec, by=by)


def _import_scrutiny(spec: ScrutinySpec, *, by: Any) -> Outcome:
    out = Outcome()
    orgs: dict[str, Organisation] = {o.name: o for o in Organisation.objects.all()}
    for o in spec.organisations:
        upsert(
            Organisation,
            out,
            {"name": o["name"]},
            {"classification": o["classification"]},
            existing=orgs,
            key=o["name"],
        )
    people: dict[str, Person] = {
        p.slug: p for p in Person.objects.filter(slug__in=[p["id"] for p in spec.people])
    }
    for p in spec.people:
        upsert(
            Person,
            out,
            {"slug": p["id"]},
            {
                "name": p["name"],
                "formal_name": p["formal_name"],
                "honorific": p["honorific"],
                "title": p["title"],
                "organisation": _organisation(p["organisation"], orgs),
            },
            existing=people,
            key=p["id"],
        )

    def person(slug: str) -> Person | None:
        if not slug:
            return None
        if slug not in people:
            people[slug] = Person.objects.get(slug=slug)
        return people[slug]

    bodies: dict[str, Body] = {}

    def body(slug: str) -> Body:
        if slug not in bodies:
            bodies[slug] = Body.objects.get(slug=slug)
        return bodies[slug]

    for b in spec.bodies:
        bodies[b["id"]] = obj = upsert(
            Body,
            out,
            {"slug": b["id"]},
            {
                "name": b["name"],
                "kind": b["kind"],
                "organisation": _organisation(b["organisation"], orgs),
                "default_venue": b["venue"],
                "moderngov_id": b["moderngov_id"],
            },
        )
        for m in b["members"]:
            upsert(
                Membership,
                out,
                {"body": obj, "person": person(m["person"]), "role": m["role"]},
                {
                    "representing": _organisation(m["representing"], orgs),
                    "starts": m["starts"],
                    "ends": m["ends"],
                    "substitute_for": person(m["substitute_for"]),
                },
            )

    meetings: dict[tuple[str, date], Meeting] = {
        (m.body.slug, m.date): m
        for m in Meeting.objects.filter(
            body__slug__in={m["body"] for m in spec.meetings} | set(bodies)
        ).select_related("body")
    }
    reports = {r.slug: r for r in InspectionReport.objects.all()}
    actions_by_body: dict[int, dict[str, Action]] = {}

    def existing_actions(b: Body) -> dict[str, Action]:
        if b.pk not in actions_by_body:
            actions_by_body[b.pk] = {a.ref: a for a in Action.objects.filter(body=b)}
        return actions_by_body[b.pk]

    def meeting(body_slug: str, day: date | None) -> Meeting | None:
        if day is None:
            return None
        key = (body_slug, day)
        if key not in meetings:
            meetings[key] = Meeting.objects.get(body__slug=body_slug, date=day)
        return meetings[key]

    # Meetings first (all of them), so an action may be due at any meeting in the file.
    for m in spec.meetings:
        upsert(
            Meeting,
            out,
            {"body": body(m["body"]), "date": m["date"]},
            {
                k: m[k]
                for k in (
                    "starts_at",
                    "ends_at",
                    "kind",
                    "status",
                    "title",
                    "public_questions_received",
                    "summary",
                    "moderngov_id",
                )
            }
            | {
                "date_provisional": m["provisional"],
                "venue": m["venue"] or body(m["body"]).default_venue,
            },
            existing=meetings,
            key=(m["body"], m["date"]),
        )
    for m in spec.meetings:
        mt = meeting(m["body"], m["date"])
        if mt is None:  # upserted just above
            raise LookupError(f"meeting {m['body']} {m['date']} was not saved")
        _sync_attendance(mt, m["attendance"], person, out)
        items = {}
        existing_items = {i.order: i for i in mt.items.all()}
        existing_resolutions = {
            (r.item_id, r.order): r for r in Resolution.objects.filter(item__meeting=mt)
        }
        for it in m["items"]:
            items[it["minute"]] = item = upsert(
                AgendaItem,
                out,
                {"meeting": mt, "order": it["order"]},
                {
                    "minute": it["minute"],
                    "title": it["title"],
                    "minutes": it["minutes"],
                    "agreed_intro": it["agreed_intro"],
                    "considers_period": it["considers_period"],
                    "considers_report": reports.get(it["considers_report"]),
                    "considers_document": it["considers_document"],
                    "considers_url": it["considers_url"],
                },
                existing=existing_items,
                key=it["order"],
            )
            for k, res in enumerate(it["agreed"]):
                resolution = upsert(
                    Resolution,
                    out,
                    {"item": item, "order": k},
                    {"text": res["text"]},
                    existing=existing_resolutions,
                    key=(item.pk, k),
                )
                if res["action"]:
                    _write_action(
                        res["action"],
                        out,
                        body,
                        meeting,
                        existing_actions,
                        item=item,
                        resolution=resolution,
                    )
            if any(i == item.pk and o >= len(it["agreed"]) for i, o in existing_resolutions):
                item.resolutions.filter(order__gte=len(it["agreed"])).delete()
            for w in it["work_programme"]:
                upsert(
                    WorkProgrammeItem,
                    out,
                    {"body": mt.body, "title": w["title"]},
                    {
                        "planned_for": w["planned_for"],
                        "meeting": meeting(mt.body.slug, w["meeting"]),
                        "source": item,
                        "notes": w["notes"],
                    },
                )
        if any(order >= len(m["items"]) for order in existing_items):
            mt.items.filter(order__gte=len(m["items"])).delete()
        _replace(
            mt.declarations,
            [
                {
                    "person": person(d["person"]),
                    "nature": d["nature"],
                    "item": items.get(d["minute"]) if d["minute"] is not None else None,
                    "order": i,
                }
                for i, d in enumerate(m["declarations"])
            ],
            Declaration,
            {"meeting": mt},
            out,
        )
        _replace(
            mt.public_questions,
            [dict(q, order=i) for i, q in enumerate(m["public_questions"])],
            PublicQuestion,
            {"meeting": mt},
            out,
        )
    for a in spec.actions:
        _write_action(a, out, body, meeting, existing_actions)
    for w in spec.work_programme:
        upsert(
            WorkProgrammeItem,
            out,
            {"body": body(w["body"]), "title": w["title"]},
            {
                "planned_for": w["planned_for"],
                "meeting": meeting(w["body"], w["meeting"]),
                "notes": w["notes"],
            },
        )
    for r in spec.adhoc_requests:
        upsert(
            AdHocRequest,
            out,
            {"body": body(r["body"]), "subject": r["subject"]},
            {k: v for k, v in r.items() if k not in ("body", "subject")},
        )
    for r in spec.reports:
        report = upsert(
            InspectionReport,
            out,
            {"slug": r["id"]},
            {k: r[k] for k in ("title", "kind", "published", "force_inspected", "url")}
            | {k: r[k] for k in ("response_published", "response_url", "summary")},
            existing=reports,
            key=r["id"],
        )
        findings = {f.ref: f for f in report.findings.all()}
        for f in r["findings"]:
            finding = upsert(
                Finding,
                out,
                {"report": report, "ref": f["ref"]},
                {k: f[k] for k in ("kind", "text", "status", "evidence", "order")},
                existing=findings,
                key=f["ref"],
            )
            for u in f["updates"]:
                FindingUpdate.objects.get_or_create(
                    finding=finding, on=u["on"], text=u["text"], defaults=u
                )
    # Items that consider a report later in the same file (saved one by one, so each change
    # keeps its version; an item already pointing at its report is left alone).
    for m in spec.meetings:
        for it in m["items"]:
            if it["considers_report"]:
                report = InspectionReport.objects.get(slug=it["considers_report"])
                for item in AgendaItem.objects.filter(
                    meeting=meeting(m["body"], m["date"]), order=it["order"]
                ).exclude(considers_report=report):
                    item.considers_report = report
                    item.save(update_fields=["considers_report"])
    record("import_scrutiny", by=by, summary=f"{spec.file}: {spec.counts()}; {out}")
    return out


def _sync_attendance(mt: Meeting, entries: list[dict], person, out: Outcome) -> None:
    keep = []
    existing = {a.person_id: a for a in mt.attendance.all()}
    for e in entries:
        p = person(e["person"])
        keep.append(p.pk)
        upsert(
            Attendance,
            out,
            {"meeting": mt, "person": p},
            {
                "kind": e["kind"],
                "role": e["role"],
                "capacity": e["capacity"],
                "substitute_for": person(e["substitute_for"]),
                "order": e["order"],
            },
            existing=existing,
            key=p.pk,
        )
    if set(existing) - set(keep):
        mt.attendance.exclude(person_id__in=keep).delete()


def _replace(manager, rows: list[dict], model, keys: dict, out: Outcome) -> None:
    """Replace a meeting's declarations or questions when they differ from the file."""
    fields = list(rows[0]) if rows else []
    current = [{f: getattr(obj, f) for f in fields} for obj in manager.all()]
    if current == rows:
        out.unchanged += len(rows)
        return
    manager.all().delete()
    for row in rows:
        model.objects.create(**keys, **row)
    out.updated += 1


def _write_action(
    a: dict, out: Outcome, body, meeting, existing_actions, item=None, resolution=None
) -> Action:
    from oversight.plans.models import Measure

    b = body(a["body"])
    measure = None
    if a["measure"]:
        plan, code = a["measure"]
        measure = Measure.objects.get(plan__slug=plan, code=code)
    if item is None and a.get("meeting") and a.get("minute") is not None:
        item = AgendaItem.objects.filter(
            meeting=meeting(a["body"], a["meeting"]), minute=a["minute"]
        ).first()
    values = {
        "kind": a["kind"],
        "meeting": meeting(a["body"], a["meeting"]),
        "item": item,
        "resolution": resolution,
        "measure": measure,
        "description": a["description"],
        "owner": a["owner"],
        "raised_on": a["raised_on"],
        "raised_by": a["raised_by"],
        "due_date": a["due_date"],
        "due_meeting": meeting(a["body"], a["due_meeting"]),
        "status": a["status"],
        "answer": a["answer"],
        "answered_on": a["answered_on"],
        "reported_at": meeting(a["body"], a["reported_at"]),
    }
    known = existing_actions(b)
    if a["ref"] in known:  # keep the status and answer recorded since, unless the file sets them
        for k in ("status", "answer", "answered_on", "reported_at"):
            if k not in a["explicit"]:
                values.pop(k)
    action = upsert(Action, out, {"body": b, "ref": a["ref"]}, values, existing=known, key=a["ref"])
    for u in a["updates"]:
        ActionUpdate.objects.get_or_create(action=action, on=u["on"], text=u["text"], defaults=u)
    return action


# ------------------------------------------------------------------ actions on actions


def _snapshot(action: Action) -> dict:
    return {
        "status": action.status,
        "owner": action.owner,
        "due": action.due_on.isoformat() if action.due_on else None,
        "answer": action.answer,
        "reported_at": action.reported_at.key if action.reported_at is not None else None,
    }


@versioned
def update_action(
    action: Action,
    *,
    text: str,
    status: str | None = None,
    answer: str = "",
    reported_at: Meeting | None = None,
    on: date | None = None,
    by: Any,
    expected_version: int | None = None,
) -> Action:
    """Log a dated update on an action, optionally moving its status. An action becomes answered
    only with its answer, and closed only once the answer has been reported to a meeting. With
    `expected_version` (the version the form started from), an update after someone else's
    change is refused (`oversight.audit.history.Conflict`, saying what changed)."""
    check_version(action, expected_version)
    status = status or action.status
    if status not in ActionStatus.values:
        raise Refused(f'"{status}" is not an action status ({", ".join(ActionStatus.values)})')
    if not text.strip():
        raise Refused("an update needs some text saying what has happened")
    answer = answer.strip() or action.answer
    if status in (ActionStatus.ANSWERED, ActionStatus.CLOSED) and not answer:
        raise Refused(f"an action is {ActionStatus(status).label.lower()} only with its answer")
    reported_at = reported_at or action.reported_at
    if status == ActionStatus.CLOSED:
        if reported_at is None:
            raise Refused(
                "an action is closed only when its answer has been reported to a meeting: "
                "say which meeting"
            )
        if reported_at.body_id != action.body_id:
            raise Refused(f"the answer must be reported to a meeting of {action.body}")
    before = _snapshot(action)
    on = on or today()
    action.status = status
    action.answer = answer
    if status in (ActionStatus.ANSWERED, ActionStatus.CLOSED) and not action.answered_on:
        action.answered_on = on
    if status == ActionStatus.CLOSED:
        action.reported_at = reported_at
    action.save()
    ActionUpdate.objects.create(
        action=action, on=on, text=text.strip(), status=status, by=actor_name(by)
    )
    record(
        "update_action",
        by=by,
        obj=action,
        summary=f"action {action.ref} of {action.body.slug}: {text.strip()}",
        before=before,
        after=_snapshot(action),
    )
    return action


@versioned
def pin_question(
    measure,
    *,
    question: str,
    body: Body,
    owner: str = "PCC",
    due_meeting: Meeting | None = None,
    by: Any,
) -> Action:
    """A Panel member pins a question to a success measure: it becomes an action of the Panel,
    owned by the PCC unless said otherwise, shown beside the measure in the next report."""
    question = question.strip()
    if not question:
        raise Refused("the question is empty")
    if due_meeting is None:
        due_meeting = (
            body.meetings.filter(date__gt=today())
            .exclude(status="cancelled")
            .order_by("date")
            .first()
        )
    n = Action.objects.filter(body=body, ref__startswith="Q").count() + 1
    while Action.objects.filter(body=body, ref=f"Q{n}").exists():
        n += 1
    action = Action.objects.create(
        body=body,
        ref=f"Q{n}",
        kind=ActionKind.QUESTION,
        measure=measure,
        description=question,
        owner=owner,
        raised_on=today(),
        raised_by=actor_name(by),
        due_meeting=due_meeting,
    )
    record(
        "pin_question",
        by=by,
        obj=action,
        summary=f"question {action.ref} pinned to measure {measure.code}: {question[:200]}",
        after=_snapshot(action),
    )
    return action


@versioned
def record_response(
    report: InspectionReport,
    *,
    published: date,
    url: str = "",
    by: Any,
    expected_version: int | None = None,
) -> InspectionReport:
    """Record the date the PCC published the s.55 comments on an HMICFRS report; with
    `expected_version`, refused (`Conflict`) after someone else's change."""
    check_version(report, expected_version)
    if published < report.published:
        raise Refused("the response cannot be published before the report")
    before = {
        "response_published": report.response_published and report.response_published.isoformat()
    }
    report.response_published = published
    if url:
        report.response_url = url
    report.save(update_fields=["response_published", "response_url"])
    record(
        "record_hmicfrs_response",
        by=by,
        obj=report,
        summary=f"{report.title}: response published {published:%-d %B %Y} "
        f"(due {report.response_due:%-d %B %Y})",
        before=before,
        after={"response_published": published.isoformat()},
    )
    return report


@versioned
def update_finding(
    finding: Finding,
    *,
    status: str,
    text: str,
    on: date | None = None,
    by: Any,
    expected_version: int | None = None,
) -> Finding:
    """Move a recommendation or area for improvement to a new status, with the evidence; with
    `expected_version`, refused (`Conflict`) after someone else's change."""
    check_version(finding, expected_version)
    if status not in FindingStatus.values:
        raise Refused(f'"{status}" is not a finding status ({", ".join(FindingStatus.values)})')
    if not text.strip():
        raise Refused("say what evidence supports the change")
    before = {"status": finding.status}
    finding.status = status
    finding.save(update_fields=["status"])
    FindingUpdate.objects.create(
        finding=finding, on=on or today(), text=text.strip(), status=status, by=actor_name(by)
    )
    record(
        "update_hmicfrs_finding",
        by=by,
        obj=finding,
        summary=f"{finding.report.slug} {finding.ref}: {status}",
        before=before,
        after={"status": status},
    )
    return finding


@versioned
def add_to_agenda(work_item: WorkProgrammeItem, meeting: Meeting, *, by: Any) -> AgendaItem:
    """A work programme item becomes an agenda item of the meeting now set for it."""
    if meeting.body_id != work_item.body_id:
        raise Refused(f"{meeting} is not a meeting of {work_item.body}")
    if work_item.agenda_item is not None:
        raise Refused(
            f'"{work_item.title}" is already on the agenda of {work_item.agenda_item.meeting}'
        )
    last = meeting.items.order_by("-order").first()
    item = AgendaItem.objects.create(
        meeting=meeting, order=(last.order + 1) if last else 0, title=work_item.title
    )
    work_item.meeting = meeting
    work_item.agenda_item = item
    work_item.save(update_fields=["meeting", "agenda_item"])
    record(
        "add_to_agenda",
        by=by,
        obj=item,
        summary=f'"{work_item.title}" added to the agenda of {meeting}',
    )
    return item


@versioned
def save_statutory_record(obj: Any, *, by: Any, expected_version: int | None = None) -> Any:
    """Save one of the statutory calendar's records (a precept cycle, a proposed appointment, an
    annual report, a statutory contact) after the record's own checks: a veto the vote does not
    carry, a revised precept without a veto, dates out of order. Every problem is named at once
    (Refused) and nothing is written; with `expected_version`, refused (Conflict) after someone
    else's change."""
    from django.core.exceptions import ValidationError

    check_version(obj, expected_version, model=type(obj))
    try:
        obj.full_clean()
    except ValidationError as exc:
        problems = [
            f"{'' if name == '__all__' else name.replace('_', ' ') + ': '}{text}"
            for name, texts in exc.message_dict.items()
            for text in texts
        ]
        raise Refused("; ".join(problems)) from None
    created = obj.pk is None
    obj.save()
    record(
        "save_statutory_record",
        by=by,
        obj=obj,
        summary=f"{obj}: {'recorded' if created else 'updated'}",
    )
    return obj
