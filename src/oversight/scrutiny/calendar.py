"""The statutory calendar, computed from the records and the law: the precept timetable, confirmation
hearings, the PCC's annual report and the Panel's public meeting on it, HMICFRS s.55 responses,
and the Panel's own meetings and work programme. Each entry says what is due, who must act, its
source in law and what the office has done about it (done / due / overdue / not applicable).

The calendar is for staff and the Panel only: it shows the office's working state (a precept not
yet notified, a response not yet published), so a public reader gets nothing (`Audience.PUBLIC`
→ no entries), and the pages that show it let in the Panel and staff alone.

`statutory_due_items(today)` is this app's provider for `OVERSIGHT_DUE_PROVIDERS` (see
oversight/lib/due.py): the statutory entries (not meetings or the work programme, which are
not duties to remind anyone of), as `DueItem`s of kind "statutory", each with a stable key and a
chain of recipients: the people responsible (the StatutoryContact records for the PCC's office or
the Panel) for the first reminder and the nudge before the date, then the site's administrators
once it has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from oversight.accounts.roles import Role
from oversight.lib import statutory as law
from oversight.lib.audience import Audience
from oversight.lib.due import DueItem, Recipient
from oversight.lib.periods import PeriodKind, financial_year, period_containing

from .models import (
    AnnualReport,
    Body,
    BodyKind,
    InspectionReport,
    Meeting,
    MeetingStatus,
    PreceptCycle,
    ProposedAppointment,
    StatutoryContact,
    WorkProgrammeItem,
)

KIND = "statutory"  # the due-item kind whose reminder steps apply


class Category:
    PRECEPT = "Precept"
    APPOINTMENT = "Confirmation hearing"
    ANNUAL_REPORT = "Annual report"
    HMICFRS = "HMICFRS s.55 response"
    MEETING = "Panel meeting"
    WORK_PROGRAMME = "Work programme"


STATUTORY = (Category.PRECEPT, Category.APPOINTMENT, Category.ANNUAL_REPORT, Category.HMICFRS)


@dataclass(frozen=True)
class Entry:
    key: str
    category: str
    title: str
    due: date
    holder: law.Holder
    state: law.State
    words: str  # what the office has done about it
    source: str = ""
    source_url: str = ""
    checked: law.Checked | None = None
    url: str = ""  # where it is dealt with
    done_on: date | None = None
    month_only: bool = False  # the date is known only to the month
    # The day a missing step can no longer be taken (a precept's financial year has begun): after
    # it the entry stays on the calendar as it stands but is neither reminded nor on the dashboard.
    closes: date | None = None

    @property
    def statutory(self) -> bool:
        return self.category in STATUTORY

    def open_on(self, today: date) -> bool:
        return self.closes is None or today < self.closes

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days if self.state is law.State.OVERDUE else 0

    @property
    def due_label(self) -> str:
        return f"{self.due:%B %Y}" if self.month_only else f"{self.due:%-d %B %Y}"


@dataclass
class _Who:
    """Whom each holder's reminders go to, read once per call."""

    contacts: dict[str, tuple[Recipient, ...]] = field(default_factory=dict)
    admins: tuple[Recipient, ...] = ()

    def chain(self, holder: law.Holder) -> tuple[tuple[Recipient, ...], ...]:
        """Step 0 and step 1 (the first reminder and the nudge shortly before the date, by the
        statutory policy) tell the people responsible; step 2 (once the date has passed) the
        administrators. With no one responsible named, the administrators take every step."""
        first = self.contacts.get(holder.value) or self.admins
        return (first, first, self.admins if self.admins else first)


def _who() -> _Who:
    out = _Who()
    for c in StatutoryContact.objects.select_related("user").order_by("holder", "name", "pk"):
        r = Recipient(name=c.display_name, email=c.address, user_id=c.user_id)
        out.contacts[c.holder] = (*out.contacts.get(c.holder, ()), r)
    users = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN), is_active=True)
        .distinct()
        .order_by("username")
    )
    out.admins = tuple(
        Recipient(name=u.get_full_name() or u.get_username(), email=u.email, user_id=u.pk)
        for u in users
    )
    return out


def _on(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _done_words(done_on: date, due: date) -> str:
    late = (done_on - due).days
    if late > 0:
        return f"done on {_on(done_on)}, {late} day{'s' if late != 1 else ''} after the deadline"
    return f"done on {_on(done_on)}"


def _pending_words(record_exists: bool, state: law.State, due: date, today: date) -> str:
    if state is law.State.OVERDUE:
        late = (today - due).days
        return f"overdue by {late} day{'s' if late != 1 else ''}: " + (
            "not recorded as done" if record_exists else "no record yet"
        )
    return "not done yet" if record_exists else "no record yet"


# ---------------------------------------------------------------- the precept


def _precept_entries(years: Iterable[int], today: date) -> list[Entry]:
    years = list(years)
    cycles = {c.year: c for c in PreceptCycle.objects.filter(year__in=years)}
    out = []
    for year in years:
        cycle = cycles.get(year)
        edit = (
            reverse("scrutiny:statutory-record", args=["precept", cycle.pk])
            if cycle
            else reverse("scrutiny:statutory-record-new", args=["precept"]) + f"?year={year}"
        )
        for step in law.precept_timetable(year):
            done_on = cycle.done_on(step.step) if cycle else None
            applies, words = True, ""
            if step.after_veto:
                if cycle is None or not cycle.decision:
                    applies = False
                    words = (
                        "applies only if the Panel vetoes the proposed precept; no veto recorded"
                    )
                elif not cycle.vetoed:
                    applies = False
                    words = f"the Panel did not veto ({cycle.get_decision_display().lower()})"
                elif law.veto_lapsed(cycle.panel_report_on, year):
                    applies = False
                    words = (
                        "the veto was reported after 8 February, so the PCC may issue the "
                        "proposed precept (SI 2012/2271 reg. 4(2))"
                    )
            state = law.state_of(step.due, done_on, today, applies=applies)
            if state is law.State.DONE and done_on is not None:
                words = _done_words(done_on, step.due)
                if step.step is law.PreceptStep.PANEL_REPORT and cycle is not None:
                    words += f": {cycle.get_decision_display().lower()}"
                    if cycle.vote_words():
                        words += f" ({cycle.vote_words()})"
                if step.step is law.PreceptStep.PROPOSED and cycle and cycle.proposed_band_d:
                    words += f" (Band D £{cycle.proposed_band_d:,})"
                if step.step is law.PreceptStep.REVISED and cycle and cycle.revised_band_d:
                    words += f" (Band D £{cycle.revised_band_d:,})"
            elif applies:
                words = _pending_words(cycle is not None, state, step.due, today)
            out.append(
                Entry(
                    key=f"precept:{year}:{step.step}",
                    category=Category.PRECEPT,
                    title=step.title,
                    due=step.due,
                    holder=step.holder,
                    state=state,
                    words=words,
                    source=step.source.citation,
                    source_url=step.source.url,
                    checked=step.source.checked,
                    url=edit,
                    done_on=done_on,
                    closes=date(year, 4, 1),
                )
            )
    return out


# ---------------------------------------------------------------- confirmation hearings


def _appointment_entries(start: date, end: date, today: date) -> list[Entry]:
    out = []
    # Notified up to three weeks before the span: its report may fall due inside it.
    since = start - timedelta(days=7 * law.CONFIRMATION_WEEKS)
    for a in ProposedAppointment.objects.filter(notified_on__gte=since, notified_on__lte=end):
        due = a.report_due
        if not start <= due <= end:
            continue
        post = law.Post(a.post)
        source = law.confirmation_source(post)
        state = law.state_of(due, a.report_on, today)
        if state is law.State.DONE and a.report_on:
            words = f"{_done_words(a.report_on, due)}: {a.get_outcome_display().lower()}"
        else:
            words = _pending_words(True, state, due, today)
            if a.hearing_on:
                words += f"; hearing held on {_on(a.hearing_on)}"
        out.append(
            Entry(
                key=f"confirmation:{a.pk}:report",
                category=Category.APPOINTMENT,
                title=f"The Panel reports on the proposed {post.words}, {a.candidate} "
                f"(notified {_on(a.notified_on)})",
                due=due,
                holder=law.Holder.PANEL,
                state=state,
                words=words,
                source=source.citation,
                source_url=source.url,
                checked=source.checked,
                url=reverse("scrutiny:statutory-record", args=["appointment", a.pk]),
                done_on=a.report_on,
            )
        )
    return out


# ---------------------------------------------------------------- the annual report


def _annual_report_entries(
    years: Iterable[int], start: date, end: date, today: date
) -> list[Entry]:
    years = list(years)
    records = {
        r.year: r for r in AnnualReport.objects.filter(year__in=years).select_related("meeting")
    }
    out = []
    for year in years:
        label = law.precept_label(year)
        rec = records.get(year)
        edit = (
            reverse("scrutiny:statutory-record", args=["annual-report", rec.pk])
            if rec
            else reverse("scrutiny:statutory-record-new", args=["annual-report"]) + f"?year={year}"
        )
        expected = law.annual_report_expected(year)
        closes = date(year + 2, 4, 1)  # the next year's report is then due in its place
        no_date = (
            "no date in law (as soon as practicable); panels receive it by September in practice"
        )
        sent = rec.sent_on if rec else None
        state = law.state_of(expected, sent, today)
        if start <= expected <= end:
            out.append(
                Entry(
                    key=f"annual-report:{year}:sent",
                    category=Category.ANNUAL_REPORT,
                    title=f"The PCC sends the annual report for {label} to the Panel",
                    due=expected,
                    holder=law.Holder.PCC,
                    state=state,
                    words=(
                        f"sent on {_on(sent)}"
                        if sent
                        else f"{_pending_words(rec is not None, state, expected, today)}; {no_date}"
                    ),
                    source=law.ANNUAL_REPORT_SOURCE.citation,
                    source_url=law.ANNUAL_REPORT_SOURCE.url,
                    checked=law.ANNUAL_REPORT_SOURCE.checked,
                    url=edit,
                    done_on=sent,
                    closes=closes,
                )
            )
        meeting = rec.meeting if rec else None
        when = meeting.date if meeting else expected
        if not start <= when <= end:
            continue
        held = meeting is not None and meeting.status == MeetingStatus.HELD
        state = law.state_of(when, meeting.date if held and meeting else None, today)
        if held and meeting:
            words = f"held on {_on(meeting.date)}"
        elif meeting:
            words = f"meeting set for {meeting.date_label}" + (
                "; not recorded as held" if state is law.State.OVERDUE else ""
            )
        else:
            words = f"{_pending_words(False, state, when, today)}: no meeting recorded; {no_date}"
        out.append(
            Entry(
                key=f"annual-report:{year}:meeting",
                category=Category.ANNUAL_REPORT,
                title=f"The Panel's public meeting on the PCC's annual report for {label}",
                due=when,
                holder=law.Holder.PANEL,
                state=state,
                words=words,
                source=law.ANNUAL_MEETING_SOURCE.citation,
                source_url=law.ANNUAL_MEETING_SOURCE.url,
                checked=law.ANNUAL_MEETING_SOURCE.checked,
                url=edit,
                done_on=meeting.date if held and meeting else None,
                month_only=bool(meeting and meeting.date_provisional),
                closes=closes,
            )
        )
    return out


# ---------------------------------------------------------------- HMICFRS


def _hmicfrs_entries(start: date, end: date, today: date) -> list[Entry]:
    out = []
    # Published up to 55 days before the span: its response may fall due inside it.
    since = start - timedelta(days=60)
    for r in InspectionReport.objects.filter(
        published__gte=since, published__lte=end, force_inspected=True
    ):
        due = r.response_due
        if not start <= due <= end:
            continue
        state = law.state_of(due, r.response_published, today)
        out.append(
            Entry(
                key=f"hmicfrs:{r.slug}:s55",
                category=Category.HMICFRS,
                title=f"The PCC publishes comments on the HMICFRS report “{r.title}” "
                f"(published {_on(r.published)})",
                due=due,
                holder=law.Holder.PCC,
                state=state,
                words=r.response_state(today),
                source=law.S55_SOURCE.citation,
                source_url=law.S55_SOURCE.url,
                checked=law.S55_SOURCE.checked,
                url=reverse("scrutiny:report_response", args=[r.slug]),
                done_on=r.response_published,
            )
        )
    return out


# ---------------------------------------------------------------- the Panel's own cycle


def _month_after(day: date) -> date:
    """The first day of the next month: a date known only to its month has passed from then."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _meeting_entries(start: date, end: date, today: date) -> list[Entry]:
    out = []
    panels = Body.objects.filter(kind=BodyKind.PANEL)
    for m in Meeting.objects.filter(body__in=panels).between(start, end).select_related("body"):
        if m.status == MeetingStatus.CANCELLED:
            state, words = law.State.NOT_APPLICABLE, "cancelled"
        elif m.status == MeetingStatus.HELD:
            state, words = law.State.DONE, "held"
        else:
            passed = today >= _month_after(m.date) if m.date_provisional else today > m.date
            state = law.State.OVERDUE if passed else law.State.DUE
            words = "date passed; not recorded as held" if passed else "scheduled"
        out.append(
            Entry(
                key=f"meeting:{m.pk}",
                category=Category.MEETING,
                title=f"{m.body.name}" + (f": {m.title}" if m.title else ""),
                due=m.date,
                holder=law.Holder.PANEL,
                state=state,
                words=words,
                url=reverse("scrutiny:meeting", args=[m.pk]),
                done_on=m.date if m.status == MeetingStatus.HELD else None,
                month_only=m.date_provisional,
            )
        )
    return out


def _work_programme_entries(start: date, end: date, today: date) -> list[Entry]:
    out = []
    items = WorkProgrammeItem.objects.filter(body__kind=BodyKind.PANEL).select_related(
        "body", "meeting"
    )
    for w in items:
        if w.meeting is not None:
            when, month_only = w.meeting.date, w.meeting.date_provisional
        elif w.planned_for:
            try:
                when, month_only = date.fromisoformat(f"{w.planned_for}-01"), True
            except ValueError:
                continue  # not a month: it has no place on a calendar
        else:
            continue
        if not start <= when <= end:
            continue
        passed = today >= _month_after(when) if month_only else today > when
        if w.agenda_item_id:
            state, words = law.State.DONE, "on the agenda"
        elif passed:
            state, words = law.State.OVERDUE, "its meeting has passed; not on an agenda"
        else:
            state, words = law.State.DUE, "planned"
        out.append(
            Entry(
                key=f"work-programme:{w.pk}",
                category=Category.WORK_PROGRAMME,
                title=f"{w.title} ({w.body.name})",
                due=when,
                holder=law.Holder.PANEL,
                state=state,
                words=words,
                url=reverse("scrutiny:meeting", args=[w.meeting_id]) if w.meeting_id else "",
                month_only=month_only,
            )
        )
    return out


# ---------------------------------------------------------------- the calendar and the provider


def calendar_entries(start: date, end: date, today: date, *, audience: Audience) -> list[Entry]:
    """Every calendar entry due from `start` to `end` (inclusive), by date: what the law sets and
    what the records say. The public gets none (see the module's note)."""
    if audience is Audience.PUBLIC:
        return []
    years = range(start.year, end.year + 1)  # each precept's dates fall in Feb-Mar of its year
    fys = range(
        period_containing(start, PeriodKind.YEAR).year - 1,
        period_containing(end, PeriodKind.YEAR).year + 1,
    )
    entries = [
        *(e for e in _precept_entries(years, today) if start <= e.due <= end),
        *_appointment_entries(start, end, today),
        *_annual_report_entries(fys, start, end, today),
        *_hmicfrs_entries(start, end, today),
        *_meeting_entries(start, end, today),
        *_work_programme_entries(start, end, today),
    ]
    entries.sort(key=lambda e: (e.due, e.category, e.key))
    return entries


def financial_year_entries(year: int, today: date, *, audience: Audience) -> list[Entry]:
    """The calendar of the financial year starting in April of `year`."""
    fy = financial_year(year)
    return calendar_entries(fy.start, fy.end, today, audience=audience)


PROVIDER_REACH = timedelta(days=366)  # a year either side of today


def statutory_due_items(today: date) -> list[DueItem]:
    """The provider: every statutory entry within a year of `today` that applies and is still open
    (done ones included, marked done), as DueItems of kind "statutory" with their chain of recipients."""
    who = _who()
    entries = calendar_entries(
        today - PROVIDER_REACH, today + PROVIDER_REACH, today, audience=Audience.STAFF
    )
    return [
        DueItem(
            key=e.key,
            kind=KIND,
            title=e.title,
            due=e.due,
            url=e.url,
            source=e.source,
            source_url=e.source_url,
            done=e.state is law.State.DONE,
            state=e.words,
            chain=who.chain(e.holder),
        )
        for e in entries
        if e.statutory and e.state is not law.State.NOT_APPLICABLE and e.open_on(today)
    ]


def overdue_statutory(today: date) -> list[Entry]:
    """Statutory entries past their deadline with nothing recorded, oldest first (the dashboard)."""
    entries = calendar_entries(today - PROVIDER_REACH, today, today, audience=Audience.STAFF)
    return [e for e in entries if e.statutory and e.state is law.State.OVERDUE and e.open_on(today)]
