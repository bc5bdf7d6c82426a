"""Scrutiny documents, each composed once as a lib.document.Document and rendered by
oversight.core.render to HTML, DOCX or PDF: the minutes of a meeting (seed 001's layout), the
action log for the next meeting ("matters arising") and the HMICFRS tracker summary. The quarterly
report's sections are in report.py."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from oversight.core.clock import today as _today
from oversight.lib import document as d
from oversight.lib.periods import parse_period
from oversight.scrutiny.models import (
    Action,
    ActionStatus,
    AttendanceKind,
    Body,
    FindingStatus,
    InspectionReport,
    Meeting,
    MeetingStatus,
)
from oversight.scrutiny.models.agreed_actions import OUTSTANDING


def _names(words: list[str]) -> str:
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def day_words(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def minutes_document(meeting: Meeting) -> d.Document:
    """The minutes in the layout of seed 001: present, also attended, apologies, declarations,
    numbered items with "It was agreed that", the actions each resolution created, and the
    chairman's signature line."""
    body = meeting.body
    when = meeting.date_label + (f", {meeting.time_label}" if meeting.time_label else "")
    doc = d.Document(
        title=body.name,
        subtitle=when,
        organisation=body.organisation.name if body.organisation else "",
        date_line="Minutes" if meeting.status == MeetingStatus.HELD else "Agenda (not yet held)",
    )
    if meeting.title:
        doc.subtitle = f"{meeting.get_kind_display()}: {meeting.title} – {when}"
    attendance = list(meeting.attendance.select_related("person", "substitute_for"))
    by_kind: dict[str, list] = {}
    for a in attendance:
        by_kind.setdefault(a.kind, []).append(a)
    head = doc.add(d.Section("Attendance"))
    present = [
        a.person.listed_name + (f" ({a.role})" if a.role else "")
        for a in by_kind.get(AttendanceKind.PRESENT, [])
    ] + [
        f"{a.person.listed_name} (substitute for {a.substitute_for.listed_name})"
        if a.substitute_for
        else a.person.listed_name
        for a in by_kind.get(AttendanceKind.SUBSTITUTE, [])
    ]
    head.add(d.Paragraph([d.Text("Present: ", bold=True), _names(present) or "not recorded"]))
    also = by_kind.get(AttendanceKind.ATTENDING, [])
    if also:
        head.add(d.Paragraph([d.Text("Also attended:", bold=True)]))
        head.add(d.BulletList([[_attendee(a)] for a in also]))
    officers = by_kind.get(AttendanceKind.OFFICER, [])
    if officers:
        head.add(d.Paragraph.of(_names([_attendee(a, brackets=True) for a in officers])))
    apologies = by_kind.get(AttendanceKind.APOLOGIES, [])
    if apologies:
        people = [a.person for a in apologies]
        councillors = all(p.honorific.lower() in ("councillor", "cllr") for p in people)
        head.add(
            d.Paragraph(
                [
                    d.Text("Apologies: ", bold=True),
                    ("Councillors " if councillors and len(people) > 1 else "")
                    + _names([p.name for p in people]),
                ]
            )
        )
    absent = by_kind.get(AttendanceKind.ABSENT, [])
    if absent:
        head.add(
            d.Paragraph([d.Text("Absent: ", bold=True), _names([a.person.name for a in absent])])
        )
    declarations = list(meeting.declarations.select_related("person", "item"))
    if declarations:
        head.add(d.Paragraph([d.Text("Declarations of interest:", bold=True)]))
        head.add(
            d.BulletList(
                [
                    [
                        f"{x.person.name}: {x.nature}"
                        + (f" (minute {x.item.minute})" if x.item and x.item.minute else "")
                    ]
                    for x in declarations
                ]
            )
        )
    else:
        head.add(d.Paragraph([d.Text("Declarations of interest: ", bold=True), "none."]))
    if meeting.public_questions_received is not None:
        head.add(d.Paragraph.of(f"Public questions received: {meeting.public_questions_received}."))
    if meeting.summary:
        head.add(d.Markdown(meeting.summary))

    actions_by_resolution: dict[int, list[Action]] = {}
    for action in meeting.actions.select_related("due_meeting").order_by("ref"):
        if action.resolution_id:
            actions_by_resolution.setdefault(action.resolution_id, []).append(action)
    for item in meeting.items.prefetch_related("resolutions").select_related("considers_report"):
        section = doc.add(d.Section(item.title, number=str(item.minute or "")))
        considered = _considers(item)
        if considered:
            section.add(
                d.Paragraph([d.Text(f"Considered: {considered}", italic=True)], style="small")
            )
        if item.minutes:
            section.add(d.Markdown(item.minutes))
        resolutions = list(item.resolutions.all())
        if resolutions:
            if item.agreed_intro:
                section.add(d.Paragraph([d.Text(item.agreed_intro, bold=True)]))
            rows: list[list[d.Inline]] = []
            for r in resolutions:
                line: list[d.Inline] = [r.text]
                for action in actions_by_resolution.get(r.pk, []):
                    line.append(
                        d.Text(
                            f" [Action {action.ref}: {action.owner}; due {action.due_label}]",
                            italic=True,
                        )
                    )
                rows.append(line)
            section.add(d.BulletList(rows))
    planned = list(meeting.planned_items.filter(agenda_item__isnull=True))
    if planned:
        doc.add(d.Section("Work programme: items planned for this meeting")).add(
            d.BulletList([[w.title, *([f" – {w.notes}"] if w.notes else [])] for w in planned])
        )
    questions = list(meeting.public_questions.all())
    if questions:
        section = doc.add(d.Section("Public questions"))
        for q in questions:
            section.add(
                d.Paragraph(
                    [
                        d.Text(
                            "Question" + (f" from {q.asked_by}" if q.asked_by else "") + ": ",
                            bold=True,
                        ),
                        q.question,
                    ]
                )
            )
            if q.answer:
                section.add(d.Paragraph([d.Text("Answer: ", bold=True), q.answer]))
    close = doc.add(d.Section("Close"))
    if meeting.ends_at:
        from .models.meetings import _clock

        close.add(d.Paragraph.of(f"The meeting ended at {_clock(meeting.ends_at)}"))
    close.add(d.Paragraph.of("Signed: ……………………………………  Date: ………………", style="signature"))
    close.add(d.Paragraph.of("Chairman"))
    if meeting.status == MeetingStatus.HELD:  # where the minutes were agreed as a correct record
        close.add(d.Paragraph([d.Text(confirmation_words(meeting) + ".", italic=True)]))
    return doc


def confirmation_words(meeting: Meeting) -> str:
    """Whether the minutes have been agreed as a correct record, and where."""
    return meeting.confirmation_label or "Not yet confirmed as a correct record"


def _attendee(a, brackets: bool = False) -> str:
    capacity = a.capacity or a.person.title
    if not capacity:
        return a.person.name
    return f"{a.person.name} ({capacity})" if brackets else f"{a.person.name}, {capacity}"


def _considers(item) -> str:
    parts = []
    if item.considers_document:
        parts.append(item.considers_document)
    if item.considers_period and not item.considers_document:
        parts.append(f"the performance report for {parse_period(item.considers_period).label}")
    if item.considers_report_id:
        parts.append(f"HMICFRS: {item.considers_report.title}")
    return "; ".join(parts)


def action_state(action: Action, today: date) -> tuple[str, d.Status | None]:
    """The words and colour of an action's state on a given day."""
    if action.is_overdue(today):
        return "Overdue", d.Status.RED
    if action.status in OUTSTANDING:
        return action.get_status_display(), d.Status.AMBER
    return action.get_status_display(), d.Status.GREEN


def sort_for_log(actions: list[Action], today: date) -> list[Action]:
    """Overdue first, then open and in progress, then answered, then closed; by due date within."""
    rank = {
        ActionStatus.OPEN: 1,
        ActionStatus.IN_PROGRESS: 1,
        ActionStatus.ANSWERED: 2,
        ActionStatus.CLOSED: 3,
    }

    def key(a: Action):
        return (
            0 if a.is_overdue(today) else rank[ActionStatus(a.status)],
            a.due_on or date.max,
            a.ref,
        )

    return sorted(actions, key=key)


def action_log_document(
    body: Body, *, as_of: date | None = None, include_closed: bool = True
) -> d.Document:
    """The action log ("matters arising") for the body's next meeting after `as_of`."""
    today = as_of or _today()
    actions = list(Action.objects.filter(body=body).with_related())
    if not include_closed:
        actions = [a for a in actions if a.status != ActionStatus.CLOSED]
    actions = sort_for_log(actions, today)
    upcoming = (
        body.meetings.filter(date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date")
        .first()
    )
    doc = d.Document(
        title="Action log – matters arising",
        subtitle=body.name,
        organisation=body.organisation.name if body.organisation else "",
        date_line=(f"For the meeting of {upcoming.date_label}; " if upcoming else "")
        + f"as at {day_words(today)}",
    )
    counts = Counter(action_state(a, today)[0] for a in actions)
    summary = doc.add(d.Section("Summary"))
    summary.add(
        d.Paragraph.of(
            f"{len(actions)} action{'s' if len(actions) != 1 else ''}: "
            + ", ".join(
                f"{counts.get(w, 0)} {w.lower()}"
                for w in ("Overdue", "Open", "In progress", "Answered", "Closed")
            )
            + ". An action is overdue when no answer has been recorded by its due date or meeting; "
            "it is closed only when the answer has been reported to a meeting."
        )
    )
    rows = []
    for a in actions:
        words, status = action_state(a, today)
        origin = ""
        if a.meeting is not None:
            origin = a.meeting.short_date + (f", minute {a.minute}" if a.minute else "")
        updates: list[d.Inline] = []
        for u in a.updates.all():
            updates.append(f"{u.on:%-d %b %Y}: {u.text} ")
        if a.answer:
            updates.append(d.Text(f"Answer: {a.answer}", italic=True))
        if a.reported_at is not None:
            updates.append(f" Reported to the meeting of {day_words(a.reported_at.date)}.")
        rows.append(
            d.Row(
                [
                    d.Cell.of(a.ref),
                    d.Cell.of(origin),
                    d.Cell(
                        [a.description, *([f" (measure {a.measure.code})"] if a.measure else [])]
                    ),
                    d.Cell.of(a.owner),
                    d.Cell.of(a.due_label),
                    d.Cell([d.Text(words, bold=True)], status=status),
                    d.Cell(updates),
                ],
                highlight=status is d.Status.RED,
            )
        )
    doc.add(d.Section("Actions")).add(
        d.Table(
            caption=f"Actions of the {body.name}, overdue first",
            header=["Ref", "Agreed", "Action", "Owner", "Due", "Status", "Updates"],
            rows=rows,
            widths=[0.8, 1.4, 4, 1.4, 1.6, 1.2, 3],
            summary="One row per action: where it was agreed, what it asks, who owns it, when it is "
            "due, its status in words and its dated updates.",
            # Printed in three columns: a log of hundreds of actions in seven took WeasyPrint
            # about twice as long (it lays out each cell and line, however short).
            print_columns=[
                d.PrintColumn("Ref and action", (0, 2, 6), 5.6, (" ", "\n")),
                d.PrintColumn("Owner, due, agreed", (3, 4, 1), 3.6, (", due ", "; agreed ")),
                d.PrintColumn("Status", (5,), 1.0),
            ],
        )
    )
    return doc


def _percent(n: int, total: int) -> int:
    return int((Decimal(100 * n) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def finding_figures(statuses: list[str]) -> dict:
    """Counts and whole-number percentages of recommendations by status, in seed 003's terms
    ("17% signed off, 75% partially or fully compliant, 2 outstanding")."""
    c = Counter(statuses)
    total = len(statuses)
    compliant = c[FindingStatus.PARTIALLY_COMPLIANT] + c[FindingStatus.COMPLIANT]
    return {
        "total": total,
        "signed_off": c[FindingStatus.SIGNED_OFF],
        "compliant": compliant,
        "partially_compliant": c[FindingStatus.PARTIALLY_COMPLIANT],
        "compliant_awaiting_audit": c[FindingStatus.COMPLIANT],
        "outstanding": c[FindingStatus.OPEN],
        "signed_off_percent": _percent(c[FindingStatus.SIGNED_OFF], total) if total else None,
        "compliant_percent": _percent(compliant, total) if total else None,
        "outstanding_percent": _percent(c[FindingStatus.OPEN], total) if total else None,
    }


def figures_sentence(f: dict) -> str:
    if not f["total"]:
        return "No recommendations are tracked."
    return (
        f"Of {f['total']} recommendation{'s' if f['total'] != 1 else ''}, {f['signed_off_percent']}% "
        f"{'have' if f['signed_off'] != 1 else 'has'} been signed off by HMICFRS, "
        f"{f['compliant_percent']}% are partially or fully compliant (awaiting the results of audit), "
        f"and {f['outstanding']} {'are' if f['outstanding'] != 1 else 'is'} still outstanding."
    )


def _response_cell(r: InspectionReport, today: date) -> d.Cell:
    state = r.response_state(today)
    late = r.is_late(today)
    if late:
        status: d.Status | None = d.Status.RED
    elif r.response_published:
        status = d.Status.GREEN
    else:
        status = d.Status.AMBER if r.response_required else None
    return d.Cell([d.Text(state[:1].upper() + state[1:], bold=late)], status=status)


def reports_table(reports: list[InspectionReport], today: date, caption: str) -> d.Table:
    rows = []
    for r in reports:
        rows.append(
            d.Row(
                [
                    d.Cell([d.Text(r.title, href=r.url or None)]),
                    d.Cell.of(r.get_kind_display()),
                    d.Cell.of(day_words(r.published)),
                    d.Cell.of("Yes" if r.force_inspected else "No"),
                    d.Cell.of(day_words(r.response_due) if r.response_required else "None due"),
                    d.Cell.of(day_words(r.response_published) or "—"),
                    _response_cell(r, today),
                ]
            )
        )
    return d.Table(
        caption=caption,
        header=[
            "Report",
            "Type",
            "Published",
            "Force inspected",
            "Response due (s.55)",
            "Response published",
            "Response",
        ],
        rows=rows,
        widths=[4, 1.3, 1.5, 1, 1.6, 1.6, 1.8],
        summary="One row per HMICFRS report: its type, publication date, whether the force was "
        "inspected, the PCC's s.55 response deadline (56 days counting the day of publication), "
        "when the response was published and whether it was late.",
    )


def hmicfrs_document(*, as_of: date | None = None) -> d.Document:
    today = as_of or _today()
    reports = list(InspectionReport.objects.prefetch_related("findings__updates"))
    doc = d.Document(
        title="HMICFRS inspection reports and recommendations",
        subtitle="Tracker summary",
        date_line=f"As at {day_words(today)}",
    )
    late = [r for r in reports if r.is_late(today)]
    overview = doc.add(d.Section("Summary"))
    overview.add(
        d.Paragraph.of(
            f"{len(reports)} report{'s' if len(reports) != 1 else ''} tracked; "
            f"{len(late)} with a response published late or overdue. The PCC must publish comments "
            "on each report on the force within 56 days counting the day of publication (Police "
            "Act 1996, s.55); national reports in which the force was not inspected are tracked "
            "with no response counted as due."
        )
    )
    all_statuses = [
        f.status for r in reports for f in r.findings.all() if f.kind == "recommendation"
    ]
    if all_statuses:
        overview.add(
            d.Paragraph.of(
                "All tracked recommendations: " + figures_sentence(finding_figures(all_statuses))
            )
        )
    doc.add(d.Section("Reports and the PCC's responses")).add(
        reports_table(reports, today, "HMICFRS reports and the PCC's s.55 responses")
    )
    for r in reports:
        findings = list(r.findings.all())
        if not findings:
            continue
        s = doc.add(d.Section(r.title))
        recs = [f.status for f in findings if f.kind == "recommendation"]
        if recs:
            s.add(d.Paragraph.of(figures_sentence(finding_figures(recs))))
        rows = []
        for f in findings:
            latest = list(f.updates.all())[-1:] if f.updates.exists() else []
            update = f"{latest[0].on:%-d %b %Y}: {latest[0].text}" if latest else f.evidence
            colour = {
                FindingStatus.SIGNED_OFF: d.Status.GREEN,
                FindingStatus.COMPLIANT: d.Status.GREEN,
                FindingStatus.PARTIALLY_COMPLIANT: d.Status.AMBER,
                FindingStatus.OPEN: d.Status.RED,
            }[FindingStatus(f.status)]
            rows.append(
                d.Row(
                    [
                        d.Cell.of(f.ref),
                        d.Cell.of(f.get_kind_display()),
                        d.Cell.of(f.text),
                        d.Cell([d.Text(f.get_status_display(), bold=True)], status=colour),
                        d.Cell.of(update),
                    ]
                )
            )
        s.add(
            d.Table(
                caption=f"Findings: {r.title}",
                header=["Ref", "Kind", "Finding", "Status", "Evidence / latest update"],
                rows=rows,
                widths=[0.8, 1.6, 5, 1.6, 3],
                summary="One row per cause of concern, recommendation or area for improvement, with "
                "its status in words and the latest evidence.",
            )
        )
    return doc
