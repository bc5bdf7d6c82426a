"""The publication tracker: for each duty in the rules file, what the registers hold for it, when
each item was due to be published and when it was, with late and missing items flagged.

The rules (which register, which items, which threshold, how many days) are data, read from
`rules/specified-information.yaml` or the file the setting OVERSIGHT_PUBLICATION_RULES names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from oversight.lib.audience import Audience
from oversight.lib.problems import Problems
from oversight.lib.publication import Standing, days_late, due_date, standing
from oversight.lib.yamlfile import load_yaml

from .importers import get_kind
from .models import ItemState
from .queries import today as default_today

RULES = Path(__file__).parent / "rules" / "specified-information.yaml"
REGISTERS = ("decisions", "grants", "contracts")  # the registers with a publication date
DATE_WORDS = {
    "made_on": "decision date",
    "awarded_on": "award date",
    "starts_on": "start date",
    "ends_on": "end date",
    "opens_on": "opening date",
}


@dataclass(frozen=True)
class Duty:
    code: str
    title: str
    source: str
    register: str
    clock_starts: str
    deadline_days: int
    clock_from: str = "date"
    applies_when: dict[str, Any] = field(default_factory=dict)
    threshold_field: str = ""
    threshold_over: Decimal | None = None

    def describe(self) -> str:
        start = "the end of the month of" if self.clock_from == "month_end" else ""
        what = DATE_WORDS.get(self.clock_starts, self.clock_starts)
        limit = f"within {self.deadline_days} days of {start} {what}".replace("  ", " ")
        if self.threshold_field:
            limit += f"; items with {self.threshold_field} over £{self.threshold_over:,}"
        return limit


def rules_path() -> Path:
    configured = getattr(settings, "OVERSIGHT_PUBLICATION_RULES", "")
    return Path(configured) if configured else RULES


def read_rules(path: Path | str | None = None) -> list[Duty]:
    """The duties in a rules file, checked; raises ImportRefused listing every problem."""
    path = Path(path) if path else rules_path()
    data = load_yaml(path, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    problems = Problems(path.name)
    duties: list[Duty] = []
    raw = data.get("duties") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        problems.add("duties", None, "must be a list of duties")
        problems.raise_if_any()
    for i, d in enumerate(raw or []):
        where = f"duties[{i}]"
        if not isinstance(d, dict):
            problems.add(where, None, "must be a mapping")
            continue
        for key in ("code", "title", "register", "clock_starts", "deadline_days"):
            if d.get(key) in (None, ""):
                problems.add(f"{where}.{key}", None, "is missing")
        register = str(d.get("register", ""))
        if register and register not in REGISTERS:
            problems.add(
                f"{where}.register", None, f'"{register}" is not one of {", ".join(REGISTERS)}'
            )
            continue
        model = get_kind(register).model if register else None
        names = {f.name for f in model._meta.get_fields()} if model else set()
        start = str(d.get("clock_starts", ""))
        if model and start and start not in names:
            problems.add(f"{where}.clock_starts", None, f'"{start}" is not a field of {register}')
        elif model and start and model._meta.get_field(start).get_internal_type() != "DateField":
            problems.add(f"{where}.clock_starts", None, f'"{start}" is not a date')
        days = d.get("deadline_days")
        if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
            problems.add(
                f"{where}.deadline_days", None, f"must be a whole number of days, not {days!r}"
            )
        clock_from = str(d.get("clock_from", "date"))
        if clock_from not in ("date", "month_end"):
            problems.add(f"{where}.clock_from", None, 'must be "date" or "month_end"')
        when = d.get("applies_when") or {}
        if not isinstance(when, dict):
            problems.add(f"{where}.applies_when", None, "must be a mapping of field: value")
            when = {}
        for key in when:
            if model and key not in names:
                problems.add(
                    f"{where}.applies_when.{key}", None, f'"{key}" is not a field of {register}'
                )
        threshold = d.get("threshold") or {}
        t_field, t_over = "", None
        if threshold:
            t_field = str(threshold.get("field", "")) if isinstance(threshold, dict) else ""
            over = threshold.get("over") if isinstance(threshold, dict) else None
            if (
                not t_field
                or (model and t_field not in names)
                or (model and model._meta.get_field(t_field).get_internal_type() != "DecimalField")
            ):
                problems.add(f"{where}.threshold.field", None, "must name a money field")
            if isinstance(over, bool) or not isinstance(over, (int, float)):
                problems.add(f"{where}.threshold.over", None, "must be a number")
            else:
                t_over = Decimal(str(over))
        if not problems and days is not None:  # a missing deadline_days is a problem above
            duties.append(
                Duty(
                    code=str(d["code"]),
                    title=str(d["title"]),
                    source=str(d.get("source", "")),
                    register=register,
                    clock_starts=start,
                    deadline_days=int(days),
                    clock_from=clock_from,
                    applies_when=dict(when),
                    threshold_field=t_field,
                    threshold_over=t_over,
                )
            )
    problems.raise_if_any()
    return duties


@dataclass
class Entry:
    """One item under one duty: when its clock started, when it was due and published."""

    duty: Duty
    item: Any
    starts: date | None
    due: date | None
    published_on: date | None
    standing: Standing
    reason: str = ""
    days_late: int | None = None  # past the due date: to publication, or to today if missing

    @property
    def days_taken(self) -> int | None:
        if self.starts is None or self.published_on is None:
            return None
        return (self.published_on - self.starts).days


@dataclass
class DutyReport:
    duty: Duty
    entries: list[Entry]

    def count(self, s: Standing) -> int:
        return sum(1 for e in self.entries if e.standing is s)

    @property
    def flagged(self) -> list[Entry]:
        return [e for e in self.entries if e.standing.flagged]


def _applies(duty: Duty, item: Any) -> bool:
    return all(getattr(item, k) == v for k, v in duty.applies_when.items())


def entries_for(duty: Duty, today: date, *, audience: Audience) -> list[Entry]:
    model = get_kind(duty.register).model
    out = []
    for item in model.objects.for_audience(audience):
        if not _applies(duty, item):
            continue
        reason = ""
        if duty.threshold_field:
            value = getattr(item, duty.threshold_field)
            if value is None:
                reason = f"{duty.threshold_field} not recorded, so the threshold cannot be judged"
            elif value <= duty.threshold_over:
                continue
        starts = getattr(item, duty.clock_starts)
        if starts is None and not reason:
            reason = f"{DATE_WORDS.get(duty.clock_starts, duty.clock_starts)} not recorded"
        due = (
            due_date(starts, duty.deadline_days, duty.clock_from) if starts and not reason else None
        )
        published = item.published_on
        listed = item.state == ItemState.PUBLISHED
        s = Standing.UNKNOWN if reason else standing(due, published, today, listed=listed)
        late = days_late(due, published, today) if s.flagged else None
        out.append(Entry(duty, item, starts, due, published, s, reason, late))
    out.sort(key=lambda e: (not e.standing.flagged, e.due or date.max, str(e.item)))
    return out


def build(
    rules: Path | str | None = None, today: date | None = None, *, audience: Audience
) -> list[DutyReport]:
    """The tracker over the items `audience` may read: one report per duty, flagged first."""
    day = today or default_today()
    return [DutyReport(d, entries_for(d, day, audience=audience)) for d in read_rules(rules)]


def overdue_items(rules: Path | str | None = None, today: date | None = None) -> list[Entry]:
    """Items past their publication deadline and still not published (for the staff dashboard:
    every item, drafts included)."""
    return by_standing(rules, today).get(Standing.MISSING, [])


def by_standing(
    rules: Path | str | None = None, today: date | None = None
) -> dict[Standing, list[Entry]]:
    """Every item (drafts included: for staff pages) grouped by its standing, so a page can say
    apart what is overdue and what is published with no publication date recorded."""
    out: dict[Standing, list[Entry]] = {}
    for r in build(rules, today, audience=Audience.STAFF):
        for e in r.entries:
            out.setdefault(e.standing, []).append(e)
    return out


def flagged_items(
    rules: Path | str | None = None, today: date | None = None, *, audience: Audience
) -> list[Entry]:
    """Items published late, or overdue and not published."""
    return [e for r in build(rules, today, audience=audience) for e in r.flagged]


def entry_record(e: Entry) -> dict[str, Any]:
    return {
        "duty": e.duty.code,
        "register": e.duty.register,
        "id": e.item.identifier,
        "title": str(getattr(e.item, "title", e.item)),
        "url": e.item.get_absolute_url(),
        "clock_starts": e.starts.isoformat() if e.starts else None,
        "due": e.due.isoformat() if e.due else None,
        "published_on": e.published_on.isoformat() if e.published_on else None,
        "days_taken": e.days_taken,
        "days_late": e.days_late,
        "standing": e.standing.value,
        "flagged": e.standing.flagged,
        "reason": e.reason,
    }


def as_json(reports: list[DutyReport]) -> dict[str, Any]:
    return {
        "duties": [
            {
                "code": r.duty.code,
                "title": r.duty.title,
                "source": r.duty.source,
                "register": r.duty.register,
                "rule": r.duty.describe(),
                "deadline_days": r.duty.deadline_days,
                "held": len(r.entries),
                "on_time": r.count(Standing.ON_TIME),
                "late": r.count(Standing.LATE),
                "missing": r.count(Standing.MISSING),
                "pending": r.count(Standing.PENDING),
                "cannot_be_judged": r.count(Standing.UNKNOWN),
                "publication_date_not_recorded": r.count(Standing.NOT_RECORDED),
                "items": [entry_record(e) for e in r.entries],
            }
            for r in reports
        ]
    }


CSV_FIELDS = [
    "duty",
    "register",
    "id",
    "title",
    "url",
    "clock_starts",
    "due",
    "published_on",
    "days_taken",
    "days_late",
    "standing",
    "flagged",
    "reason",
]


def as_csv(reports: list[DutyReport]) -> str:
    from oversight.lib.tables import to_csv

    return to_csv([entry_record(e) for r in reports for e in r.entries], CSV_FIELDS)
