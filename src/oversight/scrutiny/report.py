"""Part 3 of the quarterly report from the scrutiny record: A&A meetings held in the period and their outcomes, ad-hoc requests, HMICFRS reports and responses, Panel actions answered; and the Panel questions pinned to measures, shown beside them in Appendix B."""

from __future__ import annotations

from datetime import date

from oversight.core.clock import today as _today
from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.lib.periods import Period, parse_period
from oversight.lib.publication import add_months
from oversight.scrutiny.documents import (
    day_words,
    figures_sentence,
    finding_figures,
    reports_table,
)
from oversight.scrutiny.models import (
    Action,
    ActionStatus,
    AdHocRequest,
    AdHocStatus,
    BodyKind,
    InspectionReport,
    Meeting,
    MeetingKind,
    MeetingStatus,
)


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
                line.append(f", sent {day_words(r.sent)}")
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
        for report in reports:
            recs = [f.status for f in report.findings.all() if f.kind == "recommendation"]
            if recs:
                s.add(d.Paragraph.of(f"{report.title}: {figures_sentence(finding_figures(recs))}"))
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
                        [f" (reported to the meeting of {day_words(a.reported_at.date)})"]
                        if a.reported_at_id
                        else []
                    )
                    for a in answered
                ]
            )
        )
        out.append(s)
    return out


def inspections_section(period_code: str, *, months: int = 12) -> d.Section | None:
    """The HMICFRS reports in which the force was inspected, published in the `months` to the
    period's end, oldest first: each with its publication day and the record's summary, as a
    quarter's paper recalls them ahead of a revisit (seed 004 §11-12). None when there are none."""
    period = parse_period(period_code)
    since = add_months(period.end, -months)
    reports = list(
        InspectionReport.objects.filter(
            force_inspected=True, published__gt=since, published__lte=period.end
        ).order_by("published", "title")
    )
    if not reports:
        return None
    s = d.Section("HMICFRS inspections")
    for r in reports:
        s.add(
            d.Paragraph(
                [
                    d.Text(r.title, bold=True, href=r.url or None),
                    f": published {day_words(r.published)}.",
                ]
            )
        )
        if r.summary:
            s.add(d.Markdown(r.summary))
    return s


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
        if a.measure_id is None or (a.raised_on and a.raised_on > today):  # all have a measure
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
