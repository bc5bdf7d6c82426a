"""Reading and checking a scrutiny YAML file: organisations, people, bodies and memberships,
meetings with attendance, declarations, numbered minutes, resolutions and agreed actions, the work
programme, ad-hoc A&A requests and HMICFRS reports with their findings.

`read_scrutiny(path)` checks everything (types, dates, vocabularies, every reference to a person,
body, meeting or measure) and raises ImportRefused listing every problem with the file, the key
path and the reason; it writes nothing. `actions.import_scrutiny` writes a checked spec.
The format is documented in the README (Scrutiny: meetings, minutes, actions and HMICFRS) with a
full example.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from oversight.core.columns import column_problem
from oversight.lib.checks import Checker
from oversight.lib.links import web_address_problem
from oversight.lib.periods import PeriodError, parse_period
from oversight.lib.problems import Problems
from oversight.lib.yamlfile import load_yaml

from .models import (
    ActionKind,
    ActionStatus,
    AdHocStatus,
    AgendaItem,
    Body,
    BodyKind,
    FindingKind,
    FindingStatus,
    InterestKind,
    InterestState,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    Person,
    ReportKind,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")

# The attendance groups of a meeting in the file, and the kind each records.
ATTENDANCE_GROUPS = {
    "present": "present",
    "substitutes": "substitute",
    "apologies": "apologies",
    "absent": "absent",
    "also_attended": "attending",
    "officers": "officer",
}


STATE_KEYS = ("status", "answer", "answered_on", "reported_at")


def _values(choices) -> list[str]:
    return [c.value for c in choices]


@dataclass
class ScrutinySpec:
    file: str
    organisations: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    work_programme: list[dict] = field(default_factory=list)
    adhoc_requests: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    interests: list[dict] = field(default_factory=list)

    def counts(self) -> str:
        n_actions = len(self.actions) + sum(
            1 for m in self.meetings for i in m["items"] for r in i["agreed"] if r["action"]
        )
        return (
            f"{len(self.bodies)} bodies, {len(self.people)} people, {len(self.meetings)} meetings, "
            f"{n_actions} actions, {len(self.adhoc_requests)} ad-hoc requests, "
            f"{len(self.reports)} HMICFRS reports"
            + (f", {len(self.interests)} registered interests" if self.interests else "")
        )


class _Reader:
    def __init__(self, name: str):
        self.p = Problems(name)
        self.c = Checker(self.p)
        self.people: set[str] = set(Person.objects.values_list("slug", flat=True))
        self.bodies: set[str] = set(Body.objects.values_list("slug", flat=True))
        # (body, YYYY-MM-DD) of every meeting in the database or the file.
        self.meetings: set[tuple[str, date]] = {
            (b, d) for b, d in Meeting.objects.values_list("body__slug", "date")
        }
        self.reports: set[str] = set()
        self.later: list[tuple[str, str, Any]] = []  # references checked once all is read

    # ---------------------------------------------------------------- small readers

    def known(self, raw: Any, path: str, keys: str) -> dict:
        """A mapping whose keys are all known: a misspelt key is a problem, not silently ignored.
        (YAML reads a bare `on:` or `yes:` key as true/false; use `date:` for an update's day.)"""
        d = self.c.mapping(raw, path)
        allowed = keys.split()
        for key in d:
            if str(key) not in allowed:
                self.p.add(f"{path}.{key}", None, f"is not a known key here ({', '.join(allowed)})")
        return d

    def slug(self, d: dict, key: str, path: str, required: bool = True) -> str:
        v = self.c.text(d, key, path, required=required)
        if v and not SLUG.match(v):
            self.p.add(
                f"{path}.{key}", None, f'"{v}" must be lower-case letters, digits and hyphens'
            )
        return v

    def link(self, d: dict, key: str, path: str) -> str:
        """An optional web address (http or https only)."""
        v = self.c.text(d, key, path, False)
        if v and (why := web_address_problem(v)):
            self.p.add(f"{path}.{key}", None, why)
            return ""
        return v

    def time(self, d: dict, key: str, path: str) -> time | None:
        if d.get(key) in (None, ""):
            return None
        v = d[key]
        if isinstance(v, int) and not isinstance(v, bool):  # YAML reads 11:00 as 660 minutes
            return time(v // 60, v % 60) if 0 <= v < 24 * 60 else None
        m = TIME.match(str(v).strip())
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            self.p.add(f"{path}.{key}", None, f'"{v}" is not a time (use HH:MM, e.g. "11:00")')
            return None
        return time(int(m[1]), int(m[2]))

    def meeting_day(self, d: dict, key: str, path: str, required: bool = False) -> date | None:
        """A meeting's date: YYYY-MM-DD, or YYYY-MM for a meeting whose day is not yet known."""
        if d.get(key) in (None, ""):
            if required:
                self.p.add(f"{path}.{key}", None, "is missing")
            return None
        v = d[key]
        if isinstance(v, date):
            return v
        text = str(v).strip()
        if m := MONTH.match(text):
            y, mo = int(m[1]), int(m[2])
            if 1 <= mo <= 12:
                return date(y, mo, calendar.monthrange(y, mo)[1])
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.p.add(f"{path}.{key}", None, f'"{v}" is not a date (use YYYY-MM-DD, or YYYY-MM)')
            return None

    def choice(self, d: dict, key: str, path: str, choices, default: str | None = None) -> str:
        return self.c.choice(d, key, path, _values(choices), default=default)

    def body_ref(self, d: dict, path: str) -> str:
        """The body a record belongs to, checked once the whole file is read."""
        body = self.c.text(d, "body", path)
        if body:
            self.later.append(("body", f"{path}.body", body))
        return body

    def period(self, d: dict, key: str, path: str) -> str:
        """A period code ("2019/20 Q1"), normalised; empty when not given."""
        text = self.c.text(d, key, path, False)
        if not text:
            return ""
        try:
            return parse_period(text).code
        except PeriodError as exc:
            self.p.add(f"{path}.{key}", None, str(exc))
            return text

    def person(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.p.add(path, None, "must name a person by id")
            return ""
        self.later.append(("person", path, value.strip()))
        return value.strip()

    # ---------------------------------------------------------------- sections

    def organisations(self, root: dict) -> list[dict]:
        out, seen = [], set()
        for i, raw in enumerate(self.c.items(root, "organisations", "top level", required=False)):
            path = f"organisations[{i}]"
            if isinstance(raw, str):
                raw = {"name": raw}
            o = self.known(raw, path, "name classification")
            name = self.c.text(o, "name", path)
            if name in seen:
                self.p.add(f"{path}.name", None, f'"{name}" appears twice')
            seen.add(name)
            out.append(
                {"name": name, "classification": self.c.text(o, "classification", path, False)}
            )
        return out

    def people_section(self, root: dict) -> list[dict]:
        out: list[dict] = []
        for i, raw in enumerate(self.c.items(root, "people", "top level", required=False)):
            path = f"people[{i}]"
            d = self.known(raw, path, "id name formal_name honorific title organisation email user")
            pid = self.slug(d, "id", path)
            if pid and any(p["id"] == pid for p in out):
                self.p.add(f"{path}.id", None, f'person "{pid}" appears twice')
            self.people.add(pid)
            person = {
                "id": pid,
                "name": self.c.text(d, "name", path),
                "formal_name": self.c.text(d, "formal_name", path, False),
                "honorific": self.c.text(d, "honorific", path, False),
                "title": self.c.text(d, "title", path, False),
                "organisation": self.c.text(d, "organisation", path, False),
            }
            if "email" in d:  # absent: an email recorded since is kept
                person["email"] = self.email(d, "email", path)
            if "user" in d:  # the person's user name here: their My items lists their actions
                person["user"] = self.c.text(d, "user", path, False)
                if person["user"]:
                    self.later.append(("user", f"{path}.user", person["user"]))
            out.append(person)
        return out

    def email(self, d: dict, key: str, path: str) -> str:
        text = self.c.text(d, key, path, False)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                self.p.add(f"{path}.{key}", None, f'"{text[:100]}" is not an email address')
        return text

    def bodies_section(self, root: dict) -> list[dict]:
        out: list[dict] = []
        for i, raw in enumerate(self.c.items(root, "bodies", "top level", required=False)):
            path = f"bodies[{i}]"
            d = self.known(
                raw, path, "id name kind organisation venue moderngov_id members support_officer"
            )
            bid = self.slug(d, "id", path)
            if bid and any(b["id"] == bid for b in out):
                self.p.add(f"{path}.id", None, f'body "{bid}" appears twice')
            self.bodies.add(bid)
            members = []
            for j, mraw in enumerate(self.c.items(d, "members", path, required=False)):
                mpath = f"{path}.members[{j}]"
                m = self.known(mraw, mpath, "person role representing from to substitute_for")
                role = self.choice(m, "role", mpath, MemberRole)
                sub_for = m.get("substitute_for")
                if role == MemberRole.SUBSTITUTE and not sub_for:
                    self.p.add(
                        f"{mpath}.substitute_for", None, "a named substitute must say for whom"
                    )
                starts = self.c.day(m, "from", mpath, required=False)
                ends = self.c.day(m, "to", mpath, required=False)
                if starts and ends and ends < starts:
                    self.p.add(f"{mpath}.to", None, "must not be before from")
                members.append(
                    {
                        "person": self.person(m.get("person"), f"{mpath}.person"),
                        "role": role,
                        "representing": self.c.text(m, "representing", mpath, False),
                        "starts": starts,
                        "ends": ends,
                        "substitute_for": self.person(sub_for, f"{mpath}.substitute_for")
                        if sub_for
                        else "",
                    }
                )
            out.append(
                {
                    "id": bid,
                    "name": self.c.text(d, "name", path),
                    "kind": self.choice(d, "kind", path, BodyKind),
                    "organisation": self.c.text(d, "organisation", path, False),
                    "venue": self.c.text(d, "venue", path, False),
                    "moderngov_id": self.c.text(d, "moderngov_id", path, False),
                    "support_officer": self.person(d["support_officer"], f"{path}.support_officer")
                    if d.get("support_officer")
                    else "",
                    "members": members,
                }
            )
        return out

    def meetings_section(self, root: dict) -> list[dict]:
        out = []
        raws = self.c.items(root, "meetings", "top level", required=False)
        # First pass: every meeting's key, so actions may be due at a meeting later in the file.
        for i, raw in enumerate(raws):
            if isinstance(raw, dict):
                body = str(raw.get("body") or "")
                day = self._meeting_date(raw, f"meetings[{i}]", quiet=True)
                if body and day:
                    self.meetings.add((body, day))
        minutes_seen: dict[tuple[str, int], str] = {}
        keys_seen: set[tuple[str, date]] = set()
        for i, raw in enumerate(raws):
            path = f"meetings[{i}]"
            d = self.known(
                raw,
                path,
                "body date month time ends venue kind status title public_questions_received summary moderngov_id attendance declarations public_questions items",
            )
            body = self.body_ref(d, path)
            day = self._meeting_date(d, path)
            provisional = "month" in d and "date" not in d
            if body and day:
                if (body, day) in keys_seen:
                    self.p.add(path, None, f"the meeting of {body} on {day} appears twice")
                keys_seen.add((body, day))
            status = self.choice(d, "status", path, MeetingStatus, default=MeetingStatus.SCHEDULED)
            meeting: dict[str, Any] = {
                "body": body,
                "date": day,
                "provisional": provisional,
                "starts_at": self.time(d, "time", path),
                "ends_at": self.time(d, "ends", path),
                "venue": self.c.text(d, "venue", path, False),
                "kind": self.choice(d, "kind", path, MeetingKind, default=MeetingKind.ORDINARY),
                "status": status,
                "title": self.c.text(d, "title", path, False),
                "public_questions_received": self._count(
                    d, "public_questions_received", path, (Meeting, "public_questions_received")
                ),
                "summary": self.c.text(d, "summary", path, False),
                "moderngov_id": self.c.text(d, "moderngov_id", path, False),
                "attendance": self._attendance(d, path),
                "declarations": [],
                "public_questions": [],
                "items": [],
            }
            items = self.c.items(d, "items", path, required=False)
            for j, iraw in enumerate(items):
                item = self._item(iraw, f"{path}.items[{j}]", body, day, j)
                if item["minute"] is not None and body:
                    where = minutes_seen.get((body, item["minute"]))
                    if where:
                        self.p.add(
                            f"{path}.items[{j}].minute",
                            None,
                            f"minute {item['minute']} of {body} is already used at {where}",
                        )
                    minutes_seen[(body, item["minute"])] = f"{path}.items[{j}]"
                meeting["items"].append(item)
            minute_numbers = {it["minute"] for it in meeting["items"]}
            for j, draw in enumerate(self.c.items(d, "declarations", path, required=False)):
                dpath = f"{path}.declarations[{j}]"
                dd = self.known(draw, dpath, "person nature minute")
                minute = self._count(dd, "minute", dpath, (AgendaItem, "minute"))
                if minute is not None and minute not in minute_numbers:
                    self.p.add(
                        f"{dpath}.minute", None, f"no item with minute {minute} at this meeting"
                    )
                meeting["declarations"].append(
                    {
                        "person": self.person(dd.get("person"), f"{dpath}.person"),
                        "nature": self.c.text(dd, "nature", dpath),
                        "minute": minute,
                    }
                )
            for j, qraw in enumerate(self.c.items(d, "public_questions", path, required=False)):
                qpath = f"{path}.public_questions[{j}]"
                q = self.known(qraw, qpath, "asked_by question answer")
                meeting["public_questions"].append(
                    {
                        "asked_by": self.c.text(q, "asked_by", qpath, False),
                        "question": self.c.text(q, "question", qpath),
                        "answer": self.c.text(q, "answer", qpath, False),
                    }
                )
            out.append(meeting)
        return out

    def _meeting_date(self, d: dict, path: str, quiet: bool = False) -> date | None:
        if quiet:
            saved = (list(self.p.items), self.p.more)
            day = self.meeting_day(d, "date", path) or self.meeting_day(d, "month", path)
            self.p.items[:], self.p.more = saved
            return day
        if "date" in d and "month" in d:
            self.p.add(path, None, "give either date or month, not both")
        if "date" not in d and "month" not in d:
            self.p.add(f"{path}.date", None, "is missing")
            return None
        return self.meeting_day(d, "date" if "date" in d else "month", path)

    def _count(self, d: dict, key: str, path: str, column: tuple[type, str]) -> int | None:
        """A whole number that fits `column` (model, field)."""
        v = d.get(key)
        if v in (None, ""):
            return None
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            self.p.add(f"{path}.{key}", None, f"must be a whole number, not {v!r}")
            return None
        if why := column_problem(*column, v):
            self.p.add(f"{path}.{key}", None, why)
            return None
        return v

    def _attendance(self, d: dict, path: str) -> list[dict]:
        out: list[dict] = []
        a = self.c.mapping(d.get("attendance", {}), f"{path}.attendance")
        for key in a:
            if key not in ATTENDANCE_GROUPS:
                self.p.add(
                    f"{path}.attendance.{key}",
                    None,
                    f'"{key}" is not one of: {", ".join(ATTENDANCE_GROUPS)}',
                )
        seen: set[str] = set()
        for group, kind in ATTENDANCE_GROUPS.items():
            for j, raw in enumerate(self.c.items(a, group, f"{path}.attendance", required=False)):
                apath = f"{path}.attendance.{group}[{j}]"
                entry = (
                    {"person": raw}
                    if isinstance(raw, str)
                    else self.known(raw, apath, "person role capacity for")
                )
                pid = self.person(entry.get("person"), f"{apath}.person")
                if pid in seen:
                    self.p.add(
                        apath, None, f'"{pid}" is listed twice in this meeting\'s attendance'
                    )
                seen.add(pid)
                sub_for = entry.get("for")
                if kind == "substitute" and not sub_for:
                    self.p.add(f"{apath}.for", None, "a substitute must say for whom")
                out.append(
                    {
                        "person": pid,
                        "kind": kind,
                        "role": self.c.text(entry, "role", apath, False),
                        "capacity": self.c.text(entry, "capacity", apath, False),
                        "substitute_for": self.person(sub_for, f"{apath}.for") if sub_for else "",
                        "order": j,
                    }
                )
        return out

    def _item(self, raw: Any, path: str, body: str, day: date | None, order: int) -> dict:
        d = self.known(
            raw,
            path,
            "minute order title minutes agreed_intro considers agreed work_programme confirms_minutes_of",
        )
        confirms = self.meeting_ref(
            d.get("confirms_minutes_of"), f"{path}.confirms_minutes_of", body
        )
        if confirms and day and confirms >= day:
            self.p.add(
                f"{path}.confirms_minutes_of",
                None,
                f"minutes are confirmed at a later meeting: {confirms} is not before {day}",
            )
        minute = self._count(d, "minute", path, (AgendaItem, "minute"))
        considers = self.known(
            d.get("considers", {}), f"{path}.considers", "period report document url"
        )
        if considers.get("report"):
            self.later.append(("report", f"{path}.considers.report", str(considers["report"])))
        period = self.period(considers, "period", f"{path}.considers")
        agreed = []
        for k, rraw in enumerate(self.c.items(d, "agreed", path, required=False)):
            rpath = f"{path}.agreed[{k}]"
            r = {"text": rraw} if isinstance(rraw, str) else self.known(rraw, rpath, "text action")
            text = self.c.text(r, "text", rpath)
            action = None
            if "action" in r:
                a = self.known(
                    r.get("action") or {},
                    f"{rpath}.action",
                    "ref kind description owner owner_person raised raised_by due due_meeting status answer answered_on reported_at updates measure",
                )
                a.setdefault("description", text)
                a.setdefault("ref", f"{minute}.{k + 1}" if minute is not None else "")
                action = self.action(a, f"{rpath}.action", body=body, meeting_day=day)
                action["minute"] = minute
                action["resolution_order"] = k
            agreed.append({"text": text, "action": action})
        work = []
        for k, wraw in enumerate(self.c.items(d, "work_programme", path, required=False)):
            work.append(self.work_item(wraw, f"{path}.work_programme[{k}]", body))
        return {
            "order": order,
            "minute": minute,
            "title": self.c.text(d, "title", path),
            "minutes": self.c.text(d, "minutes", path, False),
            "agreed_intro": self.c.text(d, "agreed_intro", path, False, "It was agreed that:"),
            "considers_period": period,
            "considers_report": str(considers.get("report") or ""),
            "considers_document": self.c.text(considers, "document", f"{path}.considers", False),
            "considers_url": self.link(considers, "url", f"{path}.considers"),
            "agreed": agreed,
            "work_programme": work,
            "confirms_minutes_of": confirms,
        }

    def meeting_ref(self, value: Any, path: str, body: str) -> date | None:
        if value in (None, ""):
            return None
        day = self.meeting_day({"v": value}, "v", path)
        if day and body and (body, day) not in self.meetings:
            self.p.add(path, None, f"{body} has no meeting on {value} in this file or the database")
        return day

    def action(self, d: dict, path: str, *, body: str, meeting_day: date | None = None) -> dict:
        status = self.choice(d, "status", path, ActionStatus, default=ActionStatus.OPEN)
        reported_at = self.meeting_ref(d.get("reported_at"), f"{path}.reported_at", body)
        if status == ActionStatus.CLOSED and not reported_at:
            self.p.add(
                f"{path}.reported_at",
                None,
                "an action is closed only when its answer has been reported to a meeting: "
                "give the meeting's date",
            )
        if status in (ActionStatus.ANSWERED, ActionStatus.CLOSED) and not d.get("answer"):
            self.p.add(
                f"{path}.answer",
                None,
                f"an action is {ActionStatus(status).label.lower()} only with its answer",
            )
        due_date = self.c.day(d, "due", path, required=False)
        due_meeting = self.meeting_ref(d.get("due_meeting"), f"{path}.due_meeting", body)
        if due_date and due_meeting:
            self.p.add(path, None, "give either due (a date) or due_meeting, not both")
        measure = None
        if d.get("measure") is not None:
            m = self.known(d["measure"], f"{path}.measure", "plan code")
            measure = (
                self.c.text(m, "plan", f"{path}.measure"),
                self.c.text(m, "code", f"{path}.measure"),
            )
            self.later.append(("measure", f"{path}.measure", measure))
        updates = []
        for k, uraw in enumerate(self.c.items(d, "updates", path, required=False)):
            upath = f"{path}.updates[{k}]"
            u = self.known(uraw, upath, "date text status by")
            updates.append(
                {
                    "on": self.c.day(u, "date", upath),
                    "text": self.c.text(u, "text", upath),
                    "status": self.choice(u, "status", upath, ActionStatus, default=status),
                    "by": self.c.text(u, "by", upath, False),
                }
            )
        ref = self.c.text(d, "ref", path)
        raised = self.c.day(d, "raised", path, required=False) or meeting_day
        return {
            "body": body,
            "ref": ref,
            "kind": self.choice(d, "kind", path, ActionKind, default=ActionKind.AGREED),
            "meeting": meeting_day,
            "minute": None,
            "resolution_order": None,
            "measure": measure,
            "description": self.c.text(d, "description", path),
            "owner": self.c.text(d, "owner", path),
            # A person's id; absent, the person matched or chosen since is kept.
            "owner_person": self.person(d["owner_person"], f"{path}.owner_person")
            if d.get("owner_person")
            else None,
            "raised_on": raised,
            "raised_by": self.c.text(d, "raised_by", path, False),
            "due_date": due_date,
            "due_meeting": due_meeting,
            "status": status,
            "answer": self.c.text(d, "answer", path, False),
            "answered_on": self.c.day(d, "answered_on", path, required=False),
            "reported_at": reported_at,
            "updates": updates,
            # State the file sets; state not in the file is kept from the database on re-import.
            "explicit": [k for k in STATE_KEYS if k in d],
        }

    def work_item(self, raw: Any, path: str, body: str) -> dict:
        d = self.known(raw, path, "body title planned_for meeting notes")
        planned = self.c.text(d, "planned_for", path, False)
        if planned and not MONTH.match(planned):
            self.p.add(f"{path}.planned_for", None, f'"{planned}" is not a month (use YYYY-MM)')
        return {
            "body": body,
            "title": self.c.text(d, "title", path),
            "planned_for": planned,
            "meeting": self.meeting_ref(d.get("meeting"), f"{path}.meeting", body),
            "notes": self.c.text(d, "notes", path, False),
        }

    def top_actions(self, root: dict) -> list[dict]:
        out = []
        for i, raw in enumerate(self.c.items(root, "actions", "top level", required=False)):
            path = f"actions[{i}]"
            d = self.known(
                raw,
                path,
                "ref kind description owner owner_person raised raised_by due due_meeting status answer answered_on reported_at updates measure body meeting",
            )
            body = self.body_ref(d, path)
            meeting = self.meeting_ref(d.get("meeting"), f"{path}.meeting", body)
            a = self.action(d, path, body=body, meeting_day=meeting)
            out.append(a)
        return out

    def top_work(self, root: dict) -> list[dict]:
        out = []
        for i, raw in enumerate(self.c.items(root, "work_programme", "top level", required=False)):
            d = raw if isinstance(raw, dict) else {}
            body = str(d.get("body") or "")
            if not body:
                self.p.add(f"work_programme[{i}].body", None, "is missing")
            out.append(self.work_item(raw, f"work_programme[{i}]", body))
        return out

    def adhoc(self, root: dict) -> list[dict]:
        out = []
        for i, raw in enumerate(self.c.items(root, "adhoc_requests", "top level", required=False)):
            path = f"adhoc_requests[{i}]"
            d = self.known(
                raw,
                path,
                "body subject sent sent_in due response responded_on outcome follow_up status closed_on",
            )
            body = self.body_ref(d, path)
            sent_in = self.period(d, "sent_in", path)
            sent = self.c.day(d, "sent", path, required=False)
            if not sent and not sent_in:
                self.p.add(f"{path}.sent", None, "give the date sent, or sent_in (the period)")
            out.append(
                {
                    "body": body,
                    "subject": self.c.text(d, "subject", path),
                    "sent": sent,
                    "sent_in": sent_in,
                    "due": self.c.day(d, "due", path, required=False),
                    "response": self.c.text(d, "response", path, False),
                    "responded_on": self.c.day(d, "responded_on", path, required=False),
                    "outcome": self.c.text(d, "outcome", path, False),
                    "follow_up": self.c.text(d, "follow_up", path, False),
                    "status": self.choice(d, "status", path, AdHocStatus, default=AdHocStatus.SENT),
                    "closed_on": self.c.day(d, "closed_on", path, required=False),
                }
            )
        return out

    def interests(self, root: dict) -> list[dict]:
        """The standing register of members' interests: one entry per interest."""
        out = []
        seen: dict[tuple, str] = {}
        for i, raw in enumerate(self.c.items(root, "interests", "top level", required=False)):
            path = f"interests[{i}]"
            d = self.known(
                raw,
                path,
                "body person kind description registered_on last_reviewed_on review_due ended_on state",
            )
            body = self.body_ref(d, path)
            person = self.person(d.get("person"), f"{path}.person")
            registered = self.c.day(d, "registered_on", path)
            reviewed = self.c.day(d, "last_reviewed_on", path, required=False)
            if registered and reviewed and reviewed < registered:
                self.p.add(
                    f"{path}.last_reviewed_on", None, "is before the interest was registered"
                )
            entry = {
                "body": body,
                "person": person,
                "kind": self.choice(d, "kind", path, InterestKind),
                "description": self.c.text(d, "description", path),
                "registered_on": registered,
                "last_reviewed_on": reviewed,
                "review_due": self.c.day(d, "review_due", path, required=False),
                "ended_on": self.c.day(d, "ended_on", path, required=False),
                "state": self.choice(d, "state", path, InterestState, default=InterestState.DRAFT),
            }
            key = (body, person, entry["kind"], entry["description"])
            if key in seen:
                self.p.add(path, None, f"the same interest is also at {seen[key]}")
            seen[key] = path
            out.append(entry)
        return out

    def hmicfrs(self, root: dict) -> list[dict]:
        out = []
        for i, raw in enumerate(self.c.items(root, "hmicfrs", "top level", required=False)):
            path = f"hmicfrs[{i}]"
            d = self.known(
                raw,
                path,
                "id title kind published force_inspected url response_published response_url summary findings",
            )
            rid = self.slug(d, "id", path)
            if rid in self.reports:
                self.p.add(f"{path}.id", None, f'report "{rid}" appears twice')
            self.reports.add(rid)
            published = self.c.day(d, "published", path)
            response = self.c.day(d, "response_published", path, required=False)
            if published and response and response < published:
                self.p.add(f"{path}.response_published", None, "is before the report was published")
            findings, refs = [], set()
            for j, fraw in enumerate(self.c.items(d, "findings", path, required=False)):
                fpath = f"{path}.findings[{j}]"
                f = self.known(fraw, fpath, "ref kind text status evidence updates")
                ref = self.c.text(f, "ref", fpath)
                if ref in refs:
                    self.p.add(f"{fpath}.ref", None, f'"{ref}" appears twice in this report')
                refs.add(ref)
                status = self.choice(f, "status", fpath, FindingStatus, default=FindingStatus.OPEN)
                updates = []
                for k, uraw in enumerate(self.c.items(f, "updates", fpath, required=False)):
                    upath = f"{fpath}.updates[{k}]"
                    u = self.known(uraw, upath, "date text status by")
                    updates.append(
                        {
                            "on": self.c.day(u, "date", upath),
                            "text": self.c.text(u, "text", upath),
                            "status": self.choice(
                                u, "status", upath, FindingStatus, default=status
                            ),
                            "by": self.c.text(u, "by", upath, False),
                        }
                    )
                findings.append(
                    {
                        "ref": ref,
                        "kind": self.choice(f, "kind", fpath, FindingKind),
                        "text": self.c.text(f, "text", fpath),
                        "status": status,
                        "evidence": self.c.text(f, "evidence", fpath, False),
                        "order": j,
                        "updates": updates,
                    }
                )
            out.append(
                {
                    "id": rid,
                    "title": self.c.text(d, "title", path),
                    "kind": self.choice(d, "kind", path, ReportKind),
                    "published": published,
                    "force_inspected": self.c.boolean(d, "force_inspected", path),
                    "url": self.link(d, "url", path),
                    "response_published": response,
                    "response_url": self.link(d, "response_url", path),
                    "summary": self.c.text(d, "summary", path, False),
                    "findings": findings,
                }
            )
        return out

    def check_references(self) -> None:
        from oversight.plans.models import Measure

        db_reports = None
        for kind, path, value in self.later:
            if kind == "person" and value not in self.people:
                self.p.add(path, None, f'no person "{value}" in this file or the database')
            elif kind == "user" and not (get_user_model().objects.filter(username=value).exists()):
                self.p.add(path, None, f'no user "{value}" (make one with oversight createuser)')
            elif kind == "body" and value not in self.bodies:
                self.p.add(path, None, f'no body "{value}" in this file or the database')
            elif kind == "report" and value not in self.reports:
                if db_reports is None:
                    from .models import InspectionReport

                    db_reports = set(InspectionReport.objects.values_list("slug", flat=True))
                if value not in db_reports:
                    self.p.add(
                        path, None, f'no HMICFRS report "{value}" in this file or the database'
                    )
            elif kind == "measure" and all(value):
                plan, code = value
                if not Measure.objects.filter(plan__slug=plan, code=code).exists():
                    self.p.add(path, None, f'plan "{plan}" has no measure "{code}"')


KNOWN_KEYS = {
    "organisations",
    "people",
    "bodies",
    "meetings",
    "actions",
    "work_programme",
    "adhoc_requests",
    "hmicfrs",
    "interests",
}


def read_scrutiny(path: Path | str) -> ScrutinySpec:
    """Check a scrutiny YAML file; raise ImportRefused with every problem, or return the spec."""
    name = Path(path).name
    data = load_yaml(path, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    r = _Reader(name)
    root = r.c.mapping(data, "top level")
    for key in root:
        if key not in KNOWN_KEYS:
            r.p.add(
                str(key),
                None,
                f"is not a section of a scrutiny file ({', '.join(sorted(KNOWN_KEYS))})",
            )
    spec = ScrutinySpec(file=name)
    spec.organisations = r.organisations(root)
    spec.people = r.people_section(root)
    spec.bodies = r.bodies_section(root)
    spec.meetings = r.meetings_section(root)
    spec.actions = r.top_actions(root)
    spec.work_programme = r.top_work(root)
    spec.adhoc_requests = r.adhoc(root)
    spec.reports = r.hmicfrs(root)
    spec.interests = r.interests(root)
    r.check_references()
    refs: dict[tuple[str, str], str] = {}
    every_action = [
        (f"meetings[{i}].items[{j}].agreed[{k}].action", res["action"])
        for i, m in enumerate(spec.meetings)
        for j, it in enumerate(m["items"])
        for k, res in enumerate(it["agreed"])
        if res["action"]
    ] + [(f"actions[{i}]", a) for i, a in enumerate(spec.actions)]
    for where, a in every_action:
        key = (a["body"], a["ref"])
        if a["ref"] and key in refs:
            r.p.add(
                f"{where}.ref", None, f'action "{a["ref"]}" of {a["body"]} is also at {refs[key]}'
            )
        refs[key] = where
    r.p.raise_if_any()
    return spec
