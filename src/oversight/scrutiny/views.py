"""Scrutiny pages. Public: meetings, a meeting with its minutes and actions, the action list, the
HMICFRS tracker (each with .json and .csv twins), calendar feeds and the Popolo export. Staff
update actions; Panel members pin questions to measures. Every change goes through actions.py."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from oversight.accounts.access import public, require
from oversight.accounts.roles import Role, audience_of
from oversight.audit.history import Conflict, version_of
from oversight.core.clock import today
from oversight.core.render import FORMATS as DOCUMENT_FORMATS
from oversight.core.render import render as render_document
from oversight.core.twins import respond
from oversight.lib.audience import Audience
from oversight.lib.markdown import to_html
from oversight.lib.problems import ImportRefused, Refused
from oversight.scrutiny.models.agreed_actions import OUTSTANDING

from . import panel_records, popolo
from .actions import (
    KEEP,
    import_scrutiny,
    publish_interests,
    record_response,
    review_interest,
    update_action,
    update_finding,
)
from .actions import pin_question as pin_question_action
from .documents import action_state, minutes_document, sort_for_log
from .exports import (
    ACTION_FIELDS,
    ADHOC_FIELDS,
    REPORT_FIELDS,
    action_csv_record,
    action_record,
    adhoc_record,
    confirmation_record,
    meeting_record,
    report_record,
)
from .forms import (
    ActionUpdateForm,
    FindingUpdateForm,
    ImportForm,
    PinQuestionForm,
    ResponseForm,
    SpanForm,
)
from .ical import body_calendar
from .importers import read_scrutiny
from .models import (
    Action,
    ActionStatus,
    AdHocRequest,
    Body,
    Finding,
    InspectionReport,
    Interest,
    InterestState,
    Meeting,
    MeetingStatus,
)

MEETING_FIELDS = [
    "id",
    "key",
    "body",
    "date",
    "date_provisional",
    "time",
    "ends",
    "venue",
    "kind",
    "status",
    "title",
]
ITEM_FIELDS = ["minute", "title", "considers", "agreed", "actions"]


@public
def meetings(request, fmt: str = "html"):
    bodies = list(Body.objects.prefetch_related("meetings"))
    records = [meeting_record(m) for b in bodies for m in b.meetings.all()]
    return respond(
        request,
        fmt,
        "scrutiny/meetings.html",
        {"bodies": bodies},
        records=records,
        fields=MEETING_FIELDS,
        filename="meetings",
    )


@public
def meeting_detail(request, meeting_id: int, fmt: str = "html"):
    meeting = get_object_or_404(
        Meeting.objects.select_related("body", "minutes_confirmed_by__meeting"), pk=meeting_id
    )
    day = today()
    items = []
    records = []
    actions = list(meeting.actions.with_related())
    for item in meeting.items.prefetch_related("resolutions"):
        item_actions = [a for a in actions if a.item_id == item.pk]
        agreed = [r.text for r in item.resolutions.all()]
        items.append(
            {
                "item": item,
                "minutes_html": mark_safe(to_html(item.minutes)) if item.minutes else "",  # noqa: S308 - sanitised by to_html
                "agreed": agreed,
                "actions": [(a, *action_state(a, day)) for a in item_actions],
            }
        )
        records.append(
            {
                "minute": item.minute,
                "title": item.title,
                "considers": item.considers_document or item.considers_period or None,
                "agreed": agreed,
                "actions": [a.ref for a in item_actions],
            }
        )
    attendance = list(meeting.attendance.select_related("person", "substitute_for"))
    # The actions whose answers are due at this meeting (agreed at earlier ones).
    due_here = sort_for_log(list(meeting.actions_due.with_related()), day)
    held = meeting.status == MeetingStatus.HELD
    return respond(
        request,
        fmt,
        "scrutiny/meeting.html",
        {
            "meeting": meeting,
            "held": held,
            "items": items,
            "actions_due": [(a, *action_state(a, day)) for a in due_here],
            "attendance": attendance,
            "declarations": meeting.declarations.select_related("person", "item"),
            "public_questions": meeting.public_questions.all(),
            "planned": meeting.planned_items.all(),
            "summary_html": mark_safe(to_html(meeting.summary)) if meeting.summary else "",  # noqa: S308
            "formats": DOCUMENT_FORMATS,
        },
        records=records,
        fields=ITEM_FIELDS,
        filename=f"meeting-{meeting.key.replace('/', '-')}",
        meta={
            "meeting": meeting_record(meeting),
            "minutes_confirmed": confirmation_record(meeting),
            "actions": [action_record(a, day) for a in actions],
            "actions_due": [action_record(a, day) for a in due_here],
        },
    )


CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@public
def minutes_file(request, meeting_id: int, fmt: str):
    if fmt not in DOCUMENT_FORMATS:
        raise Http404(f"minutes come as {', '.join(DOCUMENT_FORMATS)}")
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_id)
    if meeting.status != MeetingStatus.HELD:
        raise Http404("a meeting has minutes only once it has been held")
    response = HttpResponse(
        render_document(minutes_document(meeting), fmt), content_type=CONTENT_TYPES[fmt]
    )
    if fmt != "html":
        name = f"minutes-{meeting.key.replace('/', '-')}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public
def action_list(request, fmt: str = "html"):
    day = today()
    qs = Action.objects.with_related().select_related("measure__plan")
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(status__in=OUTSTANDING)
    owner = request.GET.get("owner", "").strip()
    if owner:
        qs = qs.filter(owner__icontains=owner)
    actions = sort_for_log(list(qs), day)
    if state == "overdue":
        actions = [a for a in actions if a.is_overdue(day)]
    records = [action_record(a, day) for a in actions]
    return respond(
        request,
        fmt,
        "scrutiny/actions.html",
        {
            "rows": [(a, *action_state(a, day)) for a in actions],
            "today": day,
            "state": state,
            "owner": owner,
            "can_update": request.user.is_authenticated and _has(request.user, Role.EDITOR),
        },
        records=[action_csv_record(r) for r in records] if fmt == "csv" else records,
        fields=ACTION_FIELDS,
        filename="actions",
        meta={"as_of": day.isoformat()},
    )


def _has(user, *roles) -> bool:
    from oversight.accounts.access import has_role

    return has_role(user, *roles)


@public
def hmicfrs(request, fmt: str = "html"):
    day = today()
    reports = list(InspectionReport.objects.prefetch_related("findings"))
    records = [report_record(r, day) for r in reports]
    if fmt == "csv":
        records = [
            r
            | {
                "findings": json.dumps(r["findings"], sort_keys=True),
                "recommendations": json.dumps(r["recommendations"]),
            }
            for r in records
        ]
    return respond(
        request,
        fmt,
        "scrutiny/hmicfrs.html",
        {"rows": list(zip(reports, records, strict=True)), "today": day},
        records=records,
        fields=REPORT_FIELDS,
        filename="hmicfrs",
        meta={"as_of": day.isoformat()},
    )


@public
def calendar_feed(request, body: str):
    found = get_object_or_404(Body, slug=body)
    response = HttpResponse(
        body_calendar(found, base_url=request.build_absolute_uri("/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{found.slug}.ics"'
    return response


@public
def popolo_export(request):
    return HttpResponse(
        json.dumps(popolo.export(), ensure_ascii=False, indent=1), content_type="application/json"
    )


@require(Role.EDITOR)
def action_update(request, action_id: int):
    action = get_object_or_404(
        Action.objects.select_related("body", "meeting", "item"), pk=action_id
    )
    form = ActionUpdateForm(request.POST or None, action=action, version=version_of(action))
    if request.method == "POST" and form.is_valid():
        try:
            update_action(
                action,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
                reported_at=form.cleaned_data["reported_at"],
                owner_person=form.cleaned_data["owner_person"]
                if "owner_person" in request.POST
                else KEEP,
                by=request.user,
                expected_version=form.expected_version(),
            )
        except Conflict as exc:
            form.conflict(exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Action {action.ref} updated.")
            return redirect("scrutiny:actions")
    return render(
        request,
        "scrutiny/action_update.html",
        {"action": action, "form": form, "updates": action.updates.all(), "statuses": ActionStatus},
    )


@require(Role.PANEL, Role.EDITOR)
def pin_question(request, measure_id: int):
    from oversight.plans.models import Measure

    measure = get_object_or_404(Measure.objects.select_related("plan", "objective"), pk=measure_id)
    offered = PinQuestionForm(request.POST or None)
    panels = cast(forms.ModelChoiceField, offered.fields["body"]).queryset
    form = offered if panels is not None and panels.exists() else None  # none without a Panel
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            action = pin_question_action(
                measure,
                question=form.cleaned_data["question"],
                body=form.cleaned_data["body"],
                owner=form.cleaned_data["owner"],
                owner_person=form.cleaned_data["owner_person"],
                by=request.user,
            )
        except Refused as exc:
            form.add_error("question", str(exc))
        else:
            messages.success(
                request,
                f"Question {action.ref} pinned to measure {measure.code}; it will appear beside the "
                "measure in the next performance report.",
            )
            try:
                return redirect(reverse("web:measure", args=[measure.pk]))
            except NoReverseMatch:
                return redirect("scrutiny:actions")
    questions = measure.questions.select_related("body").order_by("-raised_on")
    return render(
        request,
        "scrutiny/pin_question.html",
        {"measure": measure, "form": form, "questions": questions},
    )


FINDING_FIELDS = ["ref", "kind", "text", "status", "evidence", "updates"]


@public
def hmicfrs_report(request, report: str, fmt: str = "html"):
    found = get_object_or_404(InspectionReport, slug=report)
    day = today()
    findings = list(found.findings.prefetch_related("updates"))
    records: list[dict[str, Any]] = [
        {
            "ref": f.ref,
            "kind": f.kind,
            "text": f.text,
            "status": f.status,
            "evidence": f.evidence,
            "updates": [
                {"on": u.on.isoformat(), "text": u.text, "status": u.status, "by": u.by}
                for u in f.updates.all()
            ],
        }
        for f in findings
    ]
    if fmt == "csv":
        records = [
            r | {"updates": [f"{u['on']}: {u['text']}" for u in r["updates"]]} for r in records
        ]
    return respond(
        request,
        fmt,
        "scrutiny/hmicfrs_report.html",
        {
            "report": found,
            "record": report_record(found, day),
            "findings": findings,
            "can_update": request.user.is_authenticated and _has(request.user, Role.EDITOR),
        },
        records=records,
        fields=FINDING_FIELDS,
        filename=f"hmicfrs-{found.slug}",
        meta={"report": report_record(found, day)},
    )


@require(Role.EDITOR)
def report_response(request, report: str):
    found = get_object_or_404(InspectionReport, slug=report)
    form = ResponseForm(request.POST or None, version=version_of(found))
    if request.method == "POST" and form.is_valid():
        try:
            record_response(
                found,
                published=form.cleaned_data["published"],
                url=form.cleaned_data["url"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except Conflict as exc:
            form.conflict(exc)
        except Refused as exc:
            form.add_error("published", str(exc))
        else:
            messages.success(request, f"Response to {found.title} recorded.")
            return redirect("scrutiny:hmicfrs-report", found.slug)
    return render(
        request,
        "scrutiny/form.html",
        {
            "form": form,
            "caption": found.title,
            "heading": "Record the PCC's response",
            "intro": f"Published {found.published:%-d %B %Y}; the response is due by "
            f"{found.response_due:%-d %B %Y} (56 days counting the day of publication).",
            "button": "Save response",
        },
    )


@require(Role.EDITOR)
def finding_update(request, finding_id: int):
    finding = get_object_or_404(Finding.objects.select_related("report"), pk=finding_id)
    form = FindingUpdateForm(
        request.POST or None, initial={"status": finding.status}, version=version_of(finding)
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_finding(
                finding,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                by=request.user,
                expected_version=form.expected_version(),
            )
        except Conflict as exc:
            form.conflict(exc)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{finding.ref} updated.")
            return redirect("scrutiny:hmicfrs-report", finding.report.slug)
    return render(
        request,
        "scrutiny/form.html",
        {
            "form": form,
            "caption": finding.report.title,
            "heading": f"Update {finding.get_kind_display().lower()} {finding.ref}",
            "intro": finding.text,
            "button": "Save update",
        },
    )


@public
def adhoc_requests(request, fmt: str = "html"):
    found = list(
        AdHocRequest.objects.select_related("body").order_by("-sent", "-sent_in", "subject")
    )
    records = [adhoc_record(r) for r in found]
    return respond(
        request,
        fmt,
        "scrutiny/adhoc.html",
        {"requests": found},
        records=records,
        fields=ADHOC_FIELDS,
        filename="adhoc-requests",
    )


@require(Role.EDITOR)
def import_file(request: HttpRequest) -> HttpResponse:
    """Staff upload a scrutiny file (bodies, people, meetings, minutes, actions, HMICFRS reports);
    every problem is listed with its key and nothing is written if there is any."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    total = 0
    if request.method == "POST" and form.is_valid():
        path = form.save_upload()
        try:
            spec = read_scrutiny(path)
            outcome = import_scrutiny(spec, by=request.user)
        except ImportRefused as exc:
            problems, total = exc.lines(), exc.total
        else:
            messages.success(
                request, f"Scrutiny records from {path.name}: {spec.counts()} ({outcome})."
            )
            return redirect("scrutiny:import")
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
    return render(
        request,
        "scrutiny/import.html",
        {"form": form, "problems": problems, "problem_total": total},
    )


# ---------------------------------------------------------------- the Panel's own records


def _body_of(slug: str) -> Body:
    return get_object_or_404(Body.objects.select_related("organisation"), slug=slug)


@public
def body_page(request, body: str, fmt: str = "html"):
    """A body's page: its members, meetings, and links to its attendance, register of interests
    and work programme; anyone may subscribe to its meetings and papers here."""
    found = _body_of(body)
    members = list(found.memberships.select_related("person", "representing"))
    meetings = list(found.meetings.all())
    return respond(
        request,
        fmt,
        "scrutiny/body.html",
        {"body": found, "members": members, "meetings": meetings},
        records=[
            {
                "person": m.person.slug,
                "name": m.person.name,
                "role": m.role,
                "representing": m.representing.name if m.representing else None,
                "starts": m.starts,
                "ends": m.ends,
            }
            for m in members
        ],
        fields=["person", "name", "role", "representing", "starts", "ends"],
        filename=f"{found.slug}-members",
        meta={"body": {"id": found.slug, "name": found.name, "kind": found.kind}},
    )


@public
def attendance_page(request, body: str, fmt: str = "html"):
    """Each member's attendance at the body's held meetings over a span (?start=&end=)."""
    found = _body_of(body)
    form = SpanForm(request.GET or None)
    if request.GET and not form.is_valid():
        problems = [f"{name}: {e}" for name, errs in form.errors.items() for e in errs]
        if fmt != "html":
            return HttpResponse(
                "\n".join(problems) + "\n", status=400, content_type="text/plain; charset=utf-8"
            )
        response = render(
            request, "scrutiny/attendance.html", {"body": found, "form": form, "rows": None}
        )
        response.status_code = 400
        return response
    span = form.cleaned_data if request.GET else {}
    start, end = span.get("start"), span.get("end")
    meetings, rows = panel_records.attendance(found, start, end, audience=audience_of(request.user))
    query = request.GET.urlencode()
    response = respond(
        request,
        fmt,
        "scrutiny/attendance.html",
        {"body": found, "form": form, "rows": rows, "meetings": meetings, "query": query},
        records=[r.record() for r in rows],
        fields=panel_records.ATTENDANCE_FIELDS,
        filename=f"{found.slug}-attendance",
        meta={
            "body": found.slug,
            "from": start,
            "to": end,
            "meetings": [{"key": m.key, "date": m.date} for m in meetings],
        },
    )
    return response


@public
def interests_page(request, body: str, fmt: str = "html"):
    """The standing register of members' interests, beside the declarations made at meetings."""
    found = _body_of(body)
    audience = audience_of(request.user)
    day = today()
    entries = panel_records.interests(found, day, audience=audience)
    declared = panel_records.declarations(found, audience=audience)
    return respond(
        request,
        fmt,
        "scrutiny/interests.html",
        {
            "body": found,
            "entries": entries,
            "declarations": declared,
            "staff": audience is Audience.STAFF,
            "drafts": sum(1 for e in entries if e["state"] == InterestState.DRAFT),
        },
        records=entries,
        fields=panel_records.INTEREST_FIELDS,
        filename=f"{found.slug}-interests",
        meta={"body": found.slug, "as_of": day, "declarations": declared},
    )


@public
def work_programme_page(request, body: str, fmt: str = "html"):
    """The body's forward work programme across its meetings."""
    found = _body_of(body)
    rows = panel_records.work_programme(found, audience=audience_of(request.user))
    return respond(
        request,
        fmt,
        "scrutiny/work_programme.html",
        {"body": found, "rows": rows},
        records=[{k: r[k] for k in panel_records.WORK_FIELDS} for r in rows],
        fields=panel_records.WORK_FIELDS,
        filename=f"{found.slug}-work-programme",
        meta={"body": found.slug},
    )


@require(Role.EDITOR)
@require_POST
def interests_publish(request, body: str):
    """Publish the body's draft register of interests entries."""
    found = _body_of(body)
    count = publish_interests(found, by=request.user)
    messages.success(request, f"{count} register entr{'ies' if count != 1 else 'y'} published.")
    return redirect("scrutiny:interests", found.slug)


@require(Role.EDITOR)
@require_POST
def interest_reviewed(request, interest_id: int):
    """Record that a member's entry was reviewed today: its next review falls due a year on."""
    entry = get_object_or_404(Interest.objects.select_related("body", "person"), pk=interest_id)
    try:
        review_interest(entry, on=today(), by=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{entry} reviewed; next review due {entry.review_due:%-d %B %Y}."
        )
    return redirect("scrutiny:interests", entry.body.slug)
