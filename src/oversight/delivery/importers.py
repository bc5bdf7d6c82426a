"""Reading and checking delivery-plan and risk-register files (CSV or XLSX) for one plan.

As for every import: the file's size is checked before it is read (OVERSIGHT_MAX_IMPORT_BYTES), an
XLSX with XML entities is refused, every row is checked, and ImportRefused lists every problem
(file, row, column, reason; the first 200 in full) before anything is written. The writers are in
`actions.py`. The columns are documented in the README ("Delivery plan and risks").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from oversight.core.columns import column_problem
from oversight.lib.problems import Problems
from oversight.lib.tables import read_table, unguard_cell
from oversight.plans.models import Plan

from .models import Activity, Milestone, Risk, Status

# ---------------------------------------------------------------- shared cell readers

STATUS_WORDS = {s.value: s.value for s in Status} | {s.label.lower(): s.value for s in Status}
LIST_SEPARATOR = ";"


def _limit(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined]


def _text(model: type, name: str, raw: str) -> str:
    """A text cell: an export's formula guard comes off; too long for its column is refused."""
    text = unguard_cell(raw)
    limit = _limit(model, name)
    if limit and len(text) > limit:
        raise ValueError(f"is {len(text)} characters; the limit is {limit}")
    return text


def _status(raw: str) -> str:
    found = STATUS_WORDS.get(raw.strip().lower().replace("-", " ").replace("_", " "))
    found = found or STATUS_WORDS.get(raw.strip().lower())
    if found is None:
        raise ValueError(f'"{raw}" is not a status: use {", ".join(s.label for s in Status)}')
    return found


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f'"{raw}" is not a date (use YYYY-MM-DD)') from None


def _whole(raw: str, low: int, high: int) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValueError(f'"{raw}" is not a whole number from {low} to {high}')
    return int(text)


def _weight(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError(f'"{raw}" is not a number') from None
    if not value.is_finite() or value < 0:
        raise ValueError(f'"{raw}" must be a number of 0 or more')
    if why := column_problem(Activity, "weight", value):
        raise ValueError(why)
    return value


def _email(raw: str) -> str:
    try:
        validate_email(raw.strip())
    except ValidationError:
        raise ValueError(f'"{raw}" is not an email address') from None
    return raw.strip()


@dataclass(frozen=True)
class OwnerSpec:
    user: Any  # a user of the site, or None
    name: str
    email: str


def _owners() -> dict[str, Any]:
    """Users by user name and by email, lower-cased, to recognise an owner."""
    found: dict[str, Any] = {}
    for u in get_user_model().objects.filter(is_active=True):
        found[u.get_username().lower()] = u
        if u.email:
            found.setdefault(u.email.lower(), u)
    return found


def _owner(raw: dict[str, str], users: dict[str, Any], add) -> OwnerSpec | None:
    """The owner columns: `owner` names a user (user name or email) or a person; `owner_email` is
    the person's email where they have no account. None when the file has no owner columns."""
    if "owner" not in raw and "owner_email" not in raw:
        return None
    name = raw.get("owner", "").strip()
    email = raw.get("owner_email", "").strip()
    if email:
        try:
            email = _email(email)
        except ValueError as exc:
            add("owner_email", str(exc))
            email = ""
    user = users.get(name.lower()) if name else None
    if user is None and email and not name:
        user = users.get(email.lower())
    if user is not None:
        return OwnerSpec(user, "", "")
    if len(name) > _limit(Activity, "owner_name"):
        add("owner", f"is {len(name)} characters; the limit is {_limit(Activity, 'owner_name')}")
    return OwnerSpec(None, name, email)


def _header(header: list[str], known: list[str], required: list[str], problems: Problems) -> None:
    for h in header:
        if h not in known:
            problems.add(
                1, h or "(blank)", f'unknown column "{h}": the columns are {", ".join(known)}'
            )
    for c in required:
        if c not in header:
            problems.add(1, c, f'the header needs a "{c}" column')
    if len(set(header)) != len(header):
        problems.add(1, None, "a column name appears twice in the header")
    problems.raise_if_any()


# ---------------------------------------------------------------- the delivery plan

ACTIVITY_COLUMNS = [
    "activity",
    "objective",
    "title",
    "description",
    "owner",
    "owner_email",
    "weight",
    "status",
    "percent_complete",
]
MILESTONE_COLUMNS = ["milestone", "due", "completed_on", "milestone_status"]
DELIVERY_COLUMNS = ACTIVITY_COLUMNS + MILESTONE_COLUMNS


@dataclass
class MilestoneRow:
    row: int
    title: str
    due: date
    completed_on: date | None
    status: str


@dataclass
class ActivityRow:
    row: int  # the first row naming the activity
    code: str
    values: dict[str, Any]  # only the activity columns the file gives
    owner: OwnerSpec | None
    milestones: list[MilestoneRow] = field(default_factory=list)


def read_delivery(path: Path | str, plan: Plan) -> list[ActivityRow]:
    """A delivery plan file for `plan`: one row per activity, or per milestone of an activity.

    The first row naming an activity (its `activity` code) gives its objective and title; a later
    row for the same activity may leave those columns blank or repeat them unchanged. A row with a
    `milestone` title adds that milestone (with its `due` date) to the activity.

    A `percent_complete` cell left empty on every row of an activity means no percentage is
    recorded (None: left out of the roll-up, never 0); a file without that column leaves the
    recorded percentages as they are."""
    name = Path(path).name
    problems = Problems(name)
    header, rows = read_table(path, problems, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    _header(header, DELIVERY_COLUMNS, ["activity"], problems)
    objectives = {o.code: o for o in plan.objectives.all()}
    users = _owners() if {"owner", "owner_email"} & set(header) else {}
    found: dict[str, ActivityRow] = {}
    milestone_rows: dict[tuple[str, str], int] = {}
    number = 0
    for number, raw in rows:
        bad: set[str] = set()  # this row's columns with a problem

        def add(col: str | None, why: str, n: int = number, bad: set[str] = bad) -> None:
            bad.add(col or "")
            problems.add(n, col, why)

        code = raw.get("activity", "").strip()
        if not code:
            add("activity", "is empty: give the activity's code")
            continue
        if len(code) > _limit(Activity, "code"):
            add("activity", f"is {len(code)} characters; the limit is {_limit(Activity, 'code')}")
            continue
        values: dict[str, Any] = {}
        for col in ACTIVITY_COLUMNS[1:]:
            text = raw.get(col, "")
            if col not in raw or col in ("owner", "owner_email") or not text.strip():
                continue
            try:
                if col == "objective":
                    if text.strip() not in objectives:
                        known = ", ".join(objectives) or "none"
                        raise ValueError(
                            f'unknown objective "{text}" in plan {plan.slug} (objectives: {known})'
                        )
                    values[col] = objectives[text.strip()]
                elif col in ("title", "description"):
                    values[col] = _text(Activity, col, text)
                elif col == "weight":
                    values[col] = _weight(text)
                elif col == "status":
                    values[col] = _status(text)
                elif col == "percent_complete":
                    values[col] = _whole(text, 0, 100)
            except ValueError as exc:
                add(col, str(exc))
        owner = _owner(raw, users, add)
        if owner is not None and not (raw.get("owner", "").strip() or raw.get("owner_email", "")):
            owner = None  # blank owner cells on a later row leave the owner to the first row
        first = found.get(code)
        if first is None:
            for col in ("objective", "title"):
                if col not in values and col not in bad:
                    add(col, f'the first row of activity "{code}" needs its {col}')
            first = found[code] = ActivityRow(number, code, values, owner)
        else:
            for col, value in values.items():
                if col in first.values and first.values[col] != value:
                    add(col, f'differs from row {first.row} for activity "{code}"')
                first.values.setdefault(col, value)
            if owner is not None:
                if first.owner is not None and first.owner != owner:
                    add("owner", f'differs from row {first.row} for activity "{code}"')
                first.owner = first.owner or owner
        _milestone(raw, number, code, first, milestone_rows, add)
    if not number:
        problems.add(None, None, "the file has a header but no rows")
    for a in found.values():
        if "percent_complete" in header:  # an empty cell on every row of it: not recorded
            a.values.setdefault("percent_complete", None)
        if a.values.get("status") == Status.COMPLETE and a.values.get("percent_complete") not in (
            None,
            100,
        ):
            problems.add(
                a.row,
                "percent_complete",
                f"activity {a.code} is complete: its percent complete is 100 (or leave it blank)",
            )
    problems.raise_if_any()
    return list(found.values())


def _milestone(
    raw: dict[str, str],
    number: int,
    code: str,
    activity: ActivityRow,
    seen: dict[tuple[str, str], int],
    add,
) -> None:
    title = raw.get("milestone", "").strip()
    others = [c for c in ("due", "completed_on", "milestone_status") if raw.get(c, "").strip()]
    if not title:
        for c in others:
            add(c, "is for a milestone: give its title in the milestone column")
        return
    try:
        title = _text(Milestone, "title", title)
    except ValueError as exc:
        add("milestone", str(exc))
        return
    if (code, title) in seen:
        add("milestone", f'"{title}" of activity {code} is also on row {seen[(code, title)]}')
        return
    seen[(code, title)] = number
    due = completed = None
    status = Status.NOT_STARTED.value
    if not raw.get("due", "").strip():
        add("due", f'milestone "{title}" needs its due date')
    else:
        try:
            due = _day(raw["due"])
        except ValueError as exc:
            add("due", str(exc))
    if raw.get("completed_on", "").strip():
        try:
            completed = _day(raw["completed_on"])
        except ValueError as exc:
            add("completed_on", str(exc))
    if raw.get("milestone_status", "").strip():
        try:
            status = _status(raw["milestone_status"])
        except ValueError as exc:
            add("milestone_status", str(exc))
    if completed is not None and raw.get("milestone_status", "").strip() == "":
        status = Status.COMPLETE.value
    if status == Status.COMPLETE and completed is None and not raw.get("completed_on", "").strip():
        add("completed_on", f'milestone "{title}" is complete: give the day it was completed')
    if due is not None:
        activity.milestones.append(MilestoneRow(number, title, due, completed, status))


# ---------------------------------------------------------------- the risk register

RISK_COLUMNS = [
    "risk",
    "title",
    "description",
    "owner",
    "owner_email",
    "likelihood_before",
    "impact_before",
    "likelihood_after",
    "impact_after",
    "controls",
    "review_on",
    "objectives",
    "activities",
    "measures",
]
SCORES = ["likelihood_before", "impact_before", "likelihood_after", "impact_after"]
REQUIRED_RISK = ["risk", "title", *SCORES]


@dataclass
class RiskRow:
    row: int
    code: str
    values: dict[str, Any]
    owner: OwnerSpec | None
    links: dict[str, list[Any]]  # "objectives", "activities", "measures": only columns given


def read_risks(path: Path | str, plan: Plan) -> list[RiskRow]:
    """A risk register file for `plan`, one row per risk (its `risk` code unique in the plan)."""
    name = Path(path).name
    problems = Problems(name)
    header, rows = read_table(path, problems, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    _header(header, RISK_COLUMNS, REQUIRED_RISK, problems)
    lookups: dict[str, dict[str, Any]] = {
        "objectives": {o.code: o for o in plan.objectives.all()},
        "activities": {a.code: a for a in Activity.objects.filter(plan=plan)},
        "measures": {m.code: m for m in plan.measures.all()},
    }
    users = _owners() if {"owner", "owner_email"} & set(header) else {}
    seen: dict[str, int] = {}
    out: list[RiskRow] = []
    number = 0
    for number, raw in rows:
        add = lambda col, why, n=number: problems.add(n, col, why)  # noqa: E731
        code = raw.get("risk", "").strip()
        if not code:
            add("risk", "is empty: give the risk's code")
        elif len(code) > _limit(Risk, "code"):
            add("risk", f"is {len(code)} characters; the limit is {_limit(Risk, 'code')}")
        elif code in seen:
            add("risk", f'"{code}" is also on row {seen[code]}')
        else:
            seen[code] = number
        values: dict[str, Any] = {}
        for col in ("title", "description", "controls"):
            if col in raw:
                try:
                    values[col] = _text(Risk, col, raw[col])
                except ValueError as exc:
                    add(col, str(exc))
        if "title" in raw and not raw["title"].strip():
            add("title", "is empty")
        for col in SCORES:
            try:
                values[col] = _whole(raw.get(col, ""), 1, 5)
            except ValueError as exc:
                add(col, str(exc) if raw.get(col, "").strip() else "is empty (a score from 1 to 5)")
        if "review_on" in raw:
            values["review_on"] = None
            if raw["review_on"].strip():
                try:
                    values["review_on"] = _day(raw["review_on"])
                except ValueError as exc:
                    add("review_on", str(exc))
        links: dict[str, list[Any]] = {}
        for col, known in lookups.items():
            if col not in raw:
                continue
            links[col] = []
            for item in (p.strip() for p in raw[col].split(LIST_SEPARATOR)):
                if not item:
                    continue
                if item in known:
                    links[col].append(known[item])
                else:
                    what = col.rstrip("s")
                    listed = ", ".join(list(known)[:20]) or "none"
                    add(col, f'no {what} "{item}" in plan {plan.slug} ({col}: {listed})')
        owner = _owner(raw, users, add)
        if not problems:
            out.append(RiskRow(number, code, values, owner, links))
    if not number:
        problems.add(None, None, "the file has a header but no rows")
    problems.raise_if_any()
    return out
