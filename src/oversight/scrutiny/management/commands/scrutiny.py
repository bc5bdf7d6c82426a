"""`oversight scrutiny …`: bodies, meetings, minutes, agreed actions and HMICFRS reports."""

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
from django.core.management.base import CommandError

from oversight.core.clock import today
from oversight.core.commands import Group, command, out_option
from oversight.core.render import Format, write
from oversight.lib.tables import to_csv
from oversight.scrutiny.actions import import_scrutiny
from oversight.scrutiny.documents import action_log_document, minutes_document, sort_for_log
from oversight.scrutiny.exports import (
    ACTION_FIELDS,
    action_csv_record,
    action_record,
    meeting_record,
    report_record,
)
from oversight.scrutiny.ical import body_calendar
from oversight.scrutiny.importers import read_scrutiny
from oversight.scrutiny.listings import actions_table, reports_text
from oversight.scrutiny.lookup import find_body, find_meeting
from oversight.scrutiny.models import Action, BodyKind, InspectionReport, Meeting
from oversight.scrutiny.models.agreed_actions import OUTSTANDING
from oversight.scrutiny.moderngov import import_moderngov, read_moderngov
from oversight.scrutiny.popolo import export as popolo_export

Body = Annotated[str, typer.Option(help="the body's id, e.g. west-mercia-pcp")]
Document = Annotated[Format, typer.Option()]
AsOf = Annotated[str | None, typer.Option(help="today's date, YYYY-MM-DD")]


def _day(as_of: str | None) -> date:
    try:
        return date.fromisoformat(as_of) if as_of else today()
    except ValueError:
        raise CommandError(f'--as-of "{as_of}" is not a date: use YYYY-MM-DD') from None


def _body(body: str):
    try:
        return find_body(body)
    except LookupError as exc:
        raise CommandError(str(exc)) from None


class Command(Group):
    help = (
        "Scrutiny: bodies, meetings, minutes, agreed actions and HMICFRS reports.\n\n"
        "Import bodies and meetings, list actions and meetings, write minutes, action logs and "
        "calendars, track HMICFRS reports."
    )

    @command(name="import")
    def import_(
        self, file: Annotated[Path, typer.Argument(metavar="FILE", help="the scrutiny YAML file")]
    ):
        """Import bodies, people, meetings, actions and HMICFRS reports from a scrutiny YAML file.

        The file may hold bodies, people, memberships, meetings (attendance, declarations,
        numbered minutes, resolutions), agreed actions, the work programme, ad-hoc A&A requests
        and HMICFRS reports. Checks everything first; nothing is written on any problem.
        """
        spec = read_scrutiny(file)
        outcome = import_scrutiny(spec, by=self.actor)
        self.stdout.write(f"Imported {file.name}: {spec.counts()} ({outcome}).")

    @command()
    def moderngov(
        self,
        files: Annotated[
            list[Path], typer.Argument(metavar="FILE...", help="XML files, committees first")
        ],
        kind: Annotated[
            BodyKind, typer.Option(help="kind of body for new committees")
        ] = BodyKind.PANEL,
    ):
        """Import committees, meetings, agenda items and attendance from ModernGov XML.

        Takes saved ModernGov web service responses (GetCommittees, GetMeetings or GetMeeting).
        Import the committees first; deleted or expired committees are skipped. Nothing is
        written on any problem.
        """
        for f in files:
            spec = read_moderngov(f)
            outcome = import_moderngov(spec, by=self.actor, kind=kind)
            self.stdout.write(
                f"{f.name}: {len(spec.committees)} committees, {len(spec.meetings)} meetings ({outcome})."
            )

    @command()
    def actions(
        self,
        open: Annotated[
            bool, typer.Option("--open", help="only actions with no answer yet")
        ] = False,
        overdue: Annotated[bool, typer.Option("--overdue", help="only overdue actions")] = False,
        owner: Annotated[
            str | None, typer.Option(help="only actions whose owner contains this (any case)")
        ] = None,
        body: Annotated[str | None, typer.Option(help="only this body's actions (its id)")] = None,
        as_of: Annotated[
            str | None, typer.Option(help="today's date for overdue flags, YYYY-MM-DD")
        ] = None,
        format: Annotated[Literal["table", "json", "csv"], typer.Option()] = "table",
        out: Annotated[
            Path | None, out_option("write to this file instead of standard output")
        ] = None,
    ):
        """List agreed actions, overdue first.

        One record per action with id, ref, body, meeting, minute, description, owner, due,
        status, overdue and updates. --open keeps actions with no answer yet; --overdue those
        whose due date or meeting has passed without an answer; --as-of sets today (default
        OVERSIGHT_TODAY or the real date).
        """
        day = _day(as_of)
        qs = Action.objects.with_related().select_related("measure__plan")
        if body:
            qs = qs.filter(body=_body(body))
        if owner:
            qs = qs.filter(owner__icontains=owner.strip())
        if open:
            qs = qs.filter(status__in=OUTSTANDING)
        actions = sort_for_log(list(qs), day)
        if overdue:
            actions = [a for a in actions if a.is_overdue(day)]
        records = [action_record(a, day) for a in actions]
        if format == "json":
            text = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
        elif format == "csv":
            text = to_csv([action_csv_record(r) for r in records], ACTION_FIELDS)
        else:
            text = actions_table(records, day)
        if out:
            out.write_text(text, encoding="utf-8", newline="")  # `open` is the --open flag here
            self.stdout.write(f"{len(records)} actions written to {out}.")
        else:
            self.stdout.write(text, ending="")

    @command()
    def actionlog(
        self,
        body: Body,
        out: Annotated[Path, out_option()],
        as_of: AsOf = None,
        open: Annotated[bool, typer.Option("--open", help="leave out closed actions")] = False,
        format: Document = "pdf",
    ):
        """Write a body's action log for its next meeting as HTML, DOCX or PDF.

        Matters arising: overdue first, with updates.
        """
        found = _body(body)
        day = _day(as_of) if as_of else None
        doc = action_log_document(found, as_of=day, include_closed=not open)
        self.stdout.write(f"Action log of {found.name} written to {write(doc, format, Path(out))}.")

    @command()
    def calendar(self, body: Body, out: Annotated[Path, out_option("the .ics file to write")]):
        """Write a body's meetings as an iCalendar (.ics) file, in Europe/London time."""
        found = _body(body)
        Path(out).write_bytes(body_calendar(found))
        self.stdout.write(f"{found.meetings.count()} meetings of {found.name} written to {out}.")

    @command()
    def popolo(self, out: Annotated[Path, out_option("the .json file to write")]):
        """Write people, organisations, memberships and meetings as Popolo JSON.

        The document holds persons, organizations, memberships and events.
        """
        doc = popolo_export()
        Path(out).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(
            f"{len(doc['persons'])} people, {len(doc['organizations'])} organisations, "
            f"{len(doc['memberships'])} memberships and {len(doc['events'])} meetings written to {out}."
        )

    @command()
    def meetings(
        self,
        body: Annotated[str | None, typer.Option(help="only this body's meetings (its id)")] = None,
        format: Annotated[Literal["table", "json"], typer.Option()] = "table",
    ):
        """List meetings with the id and key that `oversight scrutiny minutes --meeting` takes.

        Columns: id, key, body, date, time, kind, status, title.
        """
        qs = Meeting.objects.select_related("body")
        if body:
            qs = qs.filter(body=_body(body))
        records = [meeting_record(m) for m in qs.order_by("body__name", "date")]
        if format == "json":
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
            return
        for r in records:
            self.stdout.write(
                f"{r['id']:>5}  {r['key']:<36} {r['time'] or '':<5}  {r['kind']:<11} "
                f"{r['status']:<9} {r['title']}".rstrip()
            )
        self.stdout.write(f"{len(records)} meetings.")

    @command()
    def minutes(
        self,
        meeting: Annotated[
            str, typer.Option(help='e.g. 12, "west-mercia-pcp/2019-09-10" or "2019-09-10"')
        ],
        out: Annotated[Path, out_option()],
        format: Document = "pdf",
    ):
        """Write the minutes of a meeting as HTML, DOCX or PDF.

        Present, also attended, apologies, declarations, numbered items, resolutions and the
        actions they created. --meeting takes the meeting's number, its key BODY/YYYY-MM-DD, or
        a date when one body met that day.
        """
        try:
            m = find_meeting(meeting)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        path = write(minutes_document(m), format, Path(out))
        self.stdout.write(f"Minutes of {m} written to {path}.")

    @command()
    def hmicfrs(
        self,
        format: Annotated[
            Literal["table", "json", "html", "docx", "pdf"],
            typer.Option(
                help="table or json to read here; html, docx or pdf writes the tracker summary "
                "to --out"
            ),
        ] = "table",
        out: Annotated[Path | None, out_option("the file for an html, docx or pdf summary")] = None,
        as_of: Annotated[
            str | None, typer.Option(help="today's date for late flags, YYYY-MM-DD")
        ] = None,
    ):
        """List HMICFRS reports and whether each s.55 response was late.

        Per report its title, published, response_due (s.55: 56 days counting the day of
        publication), response_published, late, and the findings' status counts with the
        recommendation figures (signed off, compliant, outstanding).
        """
        day = _day(as_of)
        if format in ("html", "docx", "pdf"):
            if not out:
                raise CommandError(f"--format {format} writes a document: give --out PATH")
            from oversight.scrutiny.documents import hmicfrs_document

            path = write(hmicfrs_document(as_of=day), format, Path(out))
            self.stdout.write(f"HMICFRS summary written to {path}.")
            return
        records = [
            report_record(r, day) for r in InspectionReport.objects.prefetch_related("findings")
        ]
        if format == "json":
            self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
            return
        self.stdout.write(reports_text(records, day), ending="")
