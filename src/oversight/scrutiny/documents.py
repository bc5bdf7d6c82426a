"""Scrutiny documents, each composed once as a lib.document.Document and rendered by
oversight.reports.render to HTML, DOCX or PDF: the minutes of a meeting (seed 001's layout), the
action log for the next meeting ("matters arising"), the HMICFRS tracker summary; and the quarterly
report's Part 3 sections and the Panel questions shown beside each measure."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from oversight.core.clock import today as _today
from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.lib.periods import Period, parse_period

from .models import (
    Action,
    ActionStatus,
    AdHocRequest,
    AdHocStatus,
    AttendanceKind,
    Body,
    BodyKind,
    FindingStatus,
    InspectionReport,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from .models.actions import OUTSTANDING


def _names(words: list[str]) -> str:
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


# ------------------------------------------------------------------------------------ minutes


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
    for a in meeting.actions.select_related("due_meeting").order_by("ref"):
        if a.resolution_id:
            actions_by_resolution.setdefault(a.resolution_id, []).append(a)
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
                for a in actions_by_resolution.get(r.pk, []):
                    line.append(
                        d.Text(f" [Action {a.ref}: {a.owner}; due {a.due_label}]", italic=True)
                    )
                rows.append(line)
            section.add(d.BulletList(rows))
    planned = list(meeting.planned_items.filter(agenda_item__isnull=True))
    if planned:
        doc.add(d.Section("Work programme: items planned for this meeting")).add(
            d.BulletList([[w.title] + ([f" – {w.notes}"] if w.notes else []) for w in planned])
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
    return doc


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


# --------------------------------------------------------------------------------- action log


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
        + f"as at {_day(today)}",
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
        if a.meeting_id:
            origin = a.meeting.short_date + (f", minute {a.minute}" if a.minute else "")
        updates: list[d.Inline] = []
        for u in a.updates.all():
            updates.append(f"{u.on:%-d %b %Y}: {u.text} ")
        if a.answer:
            updates.append(d.Text(f"Answer: {a.answer}", italic=True))
        if a.reported_at_id:
            updates.append(f" Reported to the meeting of {_day(a.reported_at.date)}.")
        rows.append(
            d.Row(
                [
                    d.Cell.of(a.ref),
                    d.Cell.of(origin),
                    d.Cell(
                        [a.description] + ([f" (measure {a.measure.code})"] if a.measure_id else [])
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
        )
    )
    return doc


# -------------------------------------------------------------------------------- HMICFRS


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
    status = d.Status.RED if late else (d.Status.GREEN if r.response_published else d.Status.AMBER)
    return d.Cell([d.Text(state[:1].upper() + state[1:], bold=late)], status=status)


def reports_table(reports: list[InspectionReport], today: date, caption: str) -> d.Table:
    rows = []
    for r in reports:
        rows.append(
            d.Row(
                [
                    d.Cell([d.Text(r.title, href=r.url or None)]),
                    d.Cell.of(r.get_kind_display()),
                    d.Cell.of(_day(r.published)),
                    d.Cell.of("Yes" if r.force_inspected else "No"),
                    d.Cell.of(_day(r.response_due)),
                    d.Cell.of(_day(r.response_published) or "—"),
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
        date_line=f"As at {_day(today)}",
    )
    late = [r for r in reports if r.is_late(today)]
    overview = doc.add(d.Section("Summary"))
    overview.add(
        d.Paragraph.of(
            f"{len(reports)} report{'s' if len(reports) != 1 else ''} tracked; "
            f"{len(late)} with a response published late or overdue. The PCC must publish comments "
            "on each report within 56 days counting the day of publication (Police Act 1996, s.55)."
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


# -------------------------------------------------------------------- the quarterly report


def _adhoc_start(r: AdHocRequest) -> date | None:
    if r.sent:
        return r.sent
    return parse_period(r.sent_in).start if r.sent_in else None


def part3_sections(plan, period_code: str, *, audience: Audience) -> list[d.Section]:
    """Part 3 of the quarterly report: A&A meetings held in the period and their outcomes, ad-hoc
    requests, HMICFRS reports and responses due or made, and Panel actions answered. A section
    appears only when the record has something for the period. Scrutiny records are public once
    recorded, so every audience reads the same."""
    period = parse_period(period_code)
    today = _today()
    out: list[d.Section] = []
    aa = _aa_section(period)
    if aa:
        out.append(aa)
    requests = [
        r
        for r in AdHocRequest.objects.select_related("body")
        if (start := _adhoc_start(r)) is not None
        and start <= period.end
        and not (r.status == AdHocStatus.CLOSED and r.closed_on and r.closed_on < period.start)
    ]
    if requests:
        s = d.Section("Ad-hoc assurance and accountability requests")
        s.add(
            d.Paragraph.of(
                "Ad-hoc A&A requests are sent to the Chief Constable in writing, outside the formal "
                "meetings; the Chief Constable responds in writing."
            )
        )
        items = []
        for r in requests:
            line: list[d.Inline] = [
                d.Text(r.subject, bold=True),
                f" – {r.get_status_display().lower()}",
            ]
            if r.sent:
                line.append(f", sent {_day(r.sent)}")
            elif r.sent_in:
                line.append(f", sent in {parse_period(r.sent_in).label}")
            if r.outcome:
                line.append(f". {r.outcome}")
            if r.follow_up:
                line.append(f" Follow-up: {r.follow_up}")
            items.append(line)
        s.add(d.BulletList(items))
        out.append(s)
    reports = [
        r
        for r in InspectionReport.objects.prefetch_related("findings")
        if period.start <= r.published <= period.end
        or period.start <= r.response_due <= period.end
        or (r.response_published and period.start <= r.response_published <= period.end)
    ]
    if reports:
        s = d.Section("HMICFRS inspection reports")
        s.add(
            reports_table(
                reports,
                today,
                f"HMICFRS reports published, or with a response due or made, in {period.label}",
            )
        )
        for r in reports:
            recs = [f.status for f in r.findings.all() if f.kind == "recommendation"]
            if recs:
                s.add(d.Paragraph.of(f"{r.title}: {figures_sentence(finding_figures(recs))}"))
        out.append(s)
    answered = list(
        Action.objects.filter(
            body__kind=BodyKind.PANEL,
            answered_on__gte=period.start,
            answered_on__lte=period.end,
        ).with_related()
    )
    if answered:
        s = d.Section("Panel actions answered")
        s.add(
            d.BulletList(
                [
                    [d.Text(f"{a.ref} ", bold=True), a.description, f" – {a.answer}"]
                    + (
                        [f" (reported to the meeting of {_day(a.reported_at.date)})"]
                        if a.reported_at_id
                        else []
                    )
                    for a in answered
                ]
            )
        )
        out.append(s)
    return out


def _aa_section(period: Period) -> d.Section | None:
    meetings = list(
        Meeting.objects.filter(body__kind=BodyKind.ACCOUNTABILITY, status=MeetingStatus.HELD)
        .between(period.start, period.end)
        .select_related("body")
    )
    outcomes = list(
        Action.objects.filter(body__kind=BodyKind.ACCOUNTABILITY).filter(
            raised_on__gte=period.start, raised_on__lte=period.end
        )
    )
    if not meetings and not outcomes:
        return None
    s = d.Section("Assurance and accountability meetings")
    if meetings:
        n = len(meetings)
        s.add(
            d.Paragraph.of(
                f"{n} formal meeting{'s' if n != 1 else ''} took place in {period.label}:"
            )
        )
        s.add(
            d.BulletList(
                [
                    [
                        f"{m.date:%-d %B %Y}: {m.get_kind_display()}"
                        + (f" – {m.title}" if m.title else "")
                    ]
                    for m in meetings
                ]
            )
        )
        for m in meetings:
            if m.summary:
                s.add(d.Markdown(m.summary))
    if outcomes:
        s.add(d.Paragraph([d.Text("Key outcomes:", bold=True)]))
        s.add(
            d.BulletList(
                [
                    [a.description, f" ({a.owner}; {a.get_status_display().lower()})"]
                    for a in outcomes
                ]
            )
        )
    nxt = (
        Meeting.objects.filter(body__kind=BodyKind.ACCOUNTABILITY, date__gt=period.end)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date")
        .first()
    )
    if nxt:
        s.add(
            d.Paragraph.of(
                f"The next formal meeting is due to take place on {nxt.date:%-d %B %Y}"
                + (
                    f" ({nxt.get_kind_display().lower()})"
                    if nxt.kind != MeetingKind.ORDINARY
                    else ""
                )
                + "."
            )
        )
    return s


def actions_for_measures(plan, period_code: str, *, audience: Audience) -> dict[int, list[str]]:
    """Panel questions pinned to the plan's measures, for the report of `period_code`: every
    question not closed before the period began, raised on or before today. Public records, so
    every audience reads the same."""
    period = parse_period(period_code)
    today = _today()
    out: dict[int, list[str]] = {}
    qs = (
        Action.objects.filter(measure__plan=plan)
        .select_related("due_meeting")
        .order_by("raised_on", "ref")
    )
    for a in qs:
        if a.raised_on and a.raised_on > today:
            continue
        if a.status == ActionStatus.CLOSED and a.answered_on and a.answered_on < period.start:
            continue
        words = f"{a.description} ({a.owner}; {a.get_status_display().lower()}"
        if a.answer:
            words += f"; answer: {a.answer}"
        elif a.due_on:
            words += f"; due {a.due_label}"
        out.setdefault(a.measure_id, []).append(words + ")")
    return out
