"""Reading and checking the analyst's files: plan YAML, observations CSV/XLSX, narrative Markdown.

Each reader checks everything and raises ImportRefused listing every problem (file, row or key,
column, reason) before anything is written; the writers are in `actions.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from oversight.core import citations, layout_names
from oversight.core.columns import column_problem
from oversight.lib import comparators as lcmp
from oversight.lib import rag as lr
from oversight.lib.checks import Checker, kind_of
from oversight.lib.inputs import check_file, read_text
from oversight.lib.periods import Period as PeriodSpec
from oversight.lib.periods import PeriodError, outside_plan, parse_period
from oversight.lib.policeuk import parse_source
from oversight.lib.problems import ImportRefused, Problem, Problems
from oversight.lib.tables import parse_number, read_table, unguard_cell
from oversight.lib.yamlfile import load_yaml, parse_yaml

from .models import (
    Area,
    Measure,
    Narrative,
    Objective,
    Observation,
    Plan,
    Section,
    StrategicAim,
)

# ---------------------------------------------------------------- plan YAML


@dataclass
class MeasureSpec:
    code: str
    name: str
    unit: str
    polarity: str
    headline: bool
    target: lr.Target
    tolerance: str
    footnotes: list[str]
    data_source: str
    noun: str
    rag_method: str
    minimum_sample: int | None
    opendata_source: dict | None
    description: str
    order: int


@dataclass
class ObjectiveSpec:
    code: str
    title: str
    description: str
    order: int
    measures: list[MeasureSpec] = field(default_factory=list)
    aim: str = ""  # the code of the strategic aim it serves, if the plan has aims


@dataclass
class AimSpec:
    code: str
    title: str
    order: int


@dataclass
class PlanSpec:
    slug: str
    title: str
    force: str
    starts: date
    ends: date
    tolerances: dict[str, str]
    areas: list[tuple[str, str]]
    objectives: list[ObjectiveSpec]
    aims: list[AimSpec] = field(default_factory=list)
    report_layout: str = "seed-002"


def _fits(model: type, field: str) -> Callable[[Decimal], str | None]:
    """The reason a number cannot be kept in the model's column, for the checker."""
    return lambda value: column_problem(model, field, value)


TARGET = _fits(Measure, "target_value")  # targets, baselines and goals share the figure's column


def _longest(model: type, field: str) -> int:
    """The most characters the database column holds."""
    return model._meta.get_field(field).max_length  # type: ignore[attr-defined]


def read_plan(path: Path | str) -> PlanSpec:
    name = Path(path).name
    data = load_yaml(path, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    problems = Problems(name)
    c = Checker(problems)
    root = c.mapping(data, "top level")
    head = c.mapping(root.get("plan"), "plan") if "plan" in root else {}
    if "plan" not in root:
        problems.add("plan", None, "is missing")
    slug = c.text(head, "slug", "plan", limit=_longest(Plan, "slug"))
    title = c.text(head, "title", "plan", limit=_longest(Plan, "title"))
    force = c.text(head, "force", "plan", limit=_longest(Plan, "force"))
    if slug and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        problems.add("plan.slug", None, f'"{slug}" must be lower-case letters, digits and hyphens')
    starts, ends = c.day(head, "starts", "plan"), c.day(head, "ends", "plan")
    layout = (
        c.text(head, "report_layout", "plan", False, limit=_longest(Plan, "report_layout"))
        or "seed-002"
    )
    if not layout_names.NAME.fullmatch(layout):
        problems.add(
            "plan.report_layout",
            None,
            f'"{layout}" must be a layout\'s name: lower-case letters, digits, hyphens (seed-002)',
        )
    elif layout not in (layouts := layout_names.available()):
        problems.add(
            "plan.report_layout",
            None,
            f'there is no report layout "{layout}": the layouts are {", ".join(layouts) or "none"} '
            "(an office's own are read from OVERSIGHT_REPORT_LAYOUTS_DIR)",
        )
    if starts and ends and ends <= starts:
        problems.add("plan.ends", None, "must be after plan.starts")
    tolerances = {}
    for unit, text in c.mapping(head.get("tolerance", {}), "plan.tolerance").items():
        if unit not in {u.value for u in lr.Unit}:
            problems.add(f"plan.tolerance.{unit}", None, f'"{unit}" is not a unit')
            continue
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            problems.add(f"plan.tolerance.{unit}", None, f"must be text, not {kind_of(text)}")
            continue
        try:
            lr.parse_tolerance(str(text))
            tolerances[unit] = str(text)
        except ValueError as exc:
            problems.add(f"plan.tolerance.{unit}", None, str(exc))

    areas, seen_areas = [], set()
    for i, raw in enumerate(c.items(root, "areas", "top level", required=False)):
        a = c.mapping(raw, f"areas[{i}]")
        code = c.text(a, "code", f"areas[{i}]", limit=_longest(Area, "code"))
        aname = c.text(a, "name", f"areas[{i}]", limit=_longest(Area, "name"))
        if code in seen_areas or code == "force":
            problems.add(
                f"areas[{i}].code", None, f'"{code}" is used twice (or is the reserved "force")'
            )
        seen_areas.add(code)
        areas.append((code, aname))

    # Strategic aims (optional): `aims:` at the top level, each with its objectives under it
    # or named by `aim:` on an objective in `objectives:`.
    aims: list[AimSpec] = []
    under_aims: list[tuple[str, str, Any]] = []  # (path, aim code, raw objective)
    for i, raw in enumerate(c.items(root, "aims", "top level", required=False)):
        path = f"aims[{i}]"
        a = c.mapping(raw, path)
        code = c.text(a, "code", path, limit=_longest(StrategicAim, "code"))
        if code and code in {x.code for x in aims}:
            problems.add(f"{path}.code", None, f'aim "{code}" appears twice')
        aims.append(
            AimSpec(code, c.text(a, "title", path, limit=_longest(StrategicAim, "title")), i)
        )
        for j, oraw in enumerate(c.items(a, "objectives", path, required=False)):
            under_aims.append((f"{path}.objectives[{j}]", code, oraw))
    aim_codes = {a.code for a in aims}
    listed = [
        (f"objectives[{i}]", "", raw)
        for i, raw in enumerate(c.items(root, "objectives", "top level", required=not under_aims))
    ]

    objectives, seen_obj, seen_measures = [], set(), set()
    for i, (path, aim, raw) in enumerate(under_aims + listed):
        o = c.mapping(raw, path)
        if "aim" in o:
            named = c.text(o, "aim", path)
            if aim and named and named != aim:
                problems.add(
                    f"{path}.aim", None, f'is "{named}" but it is listed under aim "{aim}"'
                )
            elif named and named not in aim_codes:
                known = ", ".join(sorted(aim_codes)) or "none: add them under aims:"
                problems.add(f"{path}.aim", None, f'unknown aim "{named}" (aims: {known})')
            aim = aim or named
        code = c.text(o, "code", path, limit=_longest(Objective, "code"))
        if code in seen_obj:
            problems.add(f"{path}.code", None, f'objective "{code}" appears twice')
        seen_obj.add(code)
        obj = ObjectiveSpec(
            code,
            c.text(o, "title", path, limit=_longest(Objective, "title")),
            c.text(o, "description", path, False),
            i,
            aim=aim,
        )
        for j, mraw in enumerate(c.items(o, "measures", path, required=False)):
            m = _read_measure(c, mraw, f"{path}.measures[{j}]", j)
            if m:
                if m.code in seen_measures:
                    problems.add(
                        f"{path}.measures[{j}].code", None, f'measure "{m.code}" appears twice'
                    )
                seen_measures.add(m.code)
                obj.measures.append(m)
        objectives.append(obj)
    problems.raise_if_any()
    if starts is None or ends is None:  # each was noted as a problem above, so never here
        raise ValueError("a plan needs its starts and ends dates")
    return PlanSpec(
        slug,
        title,
        force,
        starts,
        ends,
        tolerances,
        areas,
        objectives,
        aims,
        layout,
    )


def _read_measure(c: Checker, raw: Any, path: str, order: int) -> MeasureSpec | None:
    m = c.mapping(raw, path)
    if not m:
        return None
    units = [u.value for u in lr.Unit]
    unit = c.choice(m, "unit", path, units)
    polarity = c.choice(m, "polarity", path, [p.value for p in lr.Polarity], default="up")
    tolerance = c.text(m, "tolerance", path, required=False, limit=_longest(Measure, "tolerance"))
    if tolerance:
        try:
            lr.parse_tolerance(tolerance)
        except ValueError as exc:
            c.p.add(f"{path}.tolerance", None, str(exc))
    minimum = c.number(m, "minimum_sample", path, fits=_fits(Measure, "minimum_sample"))
    if minimum is not None and minimum != minimum.to_integral_value():
        c.p.add(f"{path}.minimum_sample", None, f"must be a whole number, not {minimum}")
        minimum = None
    opendata = m.get("opendata")
    if opendata is not None and not isinstance(opendata, dict):
        c.p.add(f"{path}.opendata", None, "must be a mapping")
        opendata = None
    elif opendata is not None:
        try:
            parse_source(opendata)
        except ValueError as exc:
            c.p.add(f"{path}.opendata", None, str(exc))
    return MeasureSpec(
        code=c.text(m, "code", path, limit=_longest(Measure, "code")),
        name=c.text(m, "name", path, limit=_longest(Measure, "name")),
        unit=unit,
        polarity=polarity,
        headline=c.boolean(m, "headline", path),
        target=_read_target(c, m.get("target"), f"{path}.target", unit),
        tolerance=tolerance,
        footnotes=_footnotes(c, m, path),
        data_source=c.text(
            m, "data_source", path, required=False, limit=_longest(Measure, "data_source")
        ),
        noun=c.text(m, "noun", path, required=False, limit=_longest(Measure, "noun")),
        rag_method=c.choice(m, "rag", path, ["plain", "significance"], default="plain"),
        minimum_sample=int(minimum) if minimum is not None else None,
        opendata_source=opendata,
        description=c.text(m, "description", path, required=False),
        order=order,
    )


def _footnotes(c: Checker, m: dict, path: str) -> list[str]:
    """The footnotes, refusing a list that YAML split at a comma inside a number: in
    `[Measured per 100,000 youth population]` the comma separates two items."""
    raw = m.get("footnotes")
    if not isinstance(raw, list):
        raw = []
    notes = c.strings(m, "footnotes", path)
    for i in range(1, len(notes)):
        # "000" alone is read by YAML as the number 0, so a number item counts as well
        number = isinstance(raw[i], (int, float)) and not isinstance(raw[i], bool)
        after_digit = notes[i - 1][-1:] in set("0123456789")
        if after_digit and (number or re.match(r"[0-9]{3}(?![0-9])", notes[i])):
            c.p.add(
                f"{path}.footnotes[{i}]",
                None,
                f'"{notes[i - 1]}" and "{notes[i]}" look like one footnote split at the comma of a '
                'number: quote this footnote (footnotes: ["…per 100,000 youth population"])',
            )
    return notes


def _read_target(c: Checker, raw: Any, path: str, unit: str) -> lr.Target:
    if raw is None:
        c.p.add(path, None, "is missing")
        return lr.Target(lr.TargetKind.MONITOR)
    t = c.mapping(raw, path)
    kinds = [k.value for k in lr.TargetKind]
    kind_text = c.choice(t, "kind", path, kinds)
    kind = lr.TargetKind(kind_text) if kind_text in kinds else lr.TargetKind.MONITOR
    text = c.text(t, "text", path, required=False, limit=_longest(Measure, "target_text"))
    base_period, base_value = None, None
    if kind in (lr.TargetKind.CHANGE, lr.TargetKind.MAINTAIN, lr.TargetKind.TRAJECTORY):
        b = c.mapping(t.get("baseline"), f"{path}.baseline") if "baseline" in t else {}
        if "baseline" not in t:
            c.p.add(
                f"{path}.baseline",
                None,
                f"is missing (a {kind.value} target needs a baseline period)",
            )
        base_period = c.text(b, "period", f"{path}.baseline") if b else None
        if base_period:
            try:
                base_period = parse_period(base_period).code
            except PeriodError as exc:
                c.p.add(f"{path}.baseline.period", None, str(exc))
        base_value = c.number(b, "value", f"{path}.baseline", fits=TARGET) if b else None
    target = lr.Target(kind=kind, text=text, baseline_period=base_period, baseline_value=base_value)
    if kind is lr.TargetKind.VALUE:
        target = lr.Target(
            kind, value=c.number(t, "value", path, required=True, fits=TARGET), text=text
        )
    elif kind is lr.TargetKind.CHANGE:
        target = lr.Target(
            kind,
            percent=c.number(t, "percent", path, required=True, fits=TARGET),
            text=text,
            baseline_period=base_period,
            baseline_value=base_value,
        )
    elif kind is lr.TargetKind.TRAJECTORY:
        target = lr.Target(
            kind,
            goal=c.number(t, "goal", path, required=True, fits=TARGET),
            by=c.day(t, "by", path),
            text=text,
            baseline_period=base_period,
            baseline_value=base_value,
        )
    elif kind is lr.TargetKind.MILESTONE:
        target = lr.Target(kind, due=c.day(t, "due", path, required=False), text=text)
    return target


# ---------------------------------------------------------------- observations

COLUMNS = [
    "measure",
    "period",
    "area",
    "value",
    "target",
    "basis",
    "comparator",
    "comparator_label",
    "numerator",
    "denominator",
    "status",
    "rag",
    "rag_reason",
    "comment",
]
# Columns a file may add (README: "Observations file"); besides them, any number of named
# comparators as comparator:NAME and comparator:NAME:label (lib/comparators.py).
FIGURE_COLUMNS = [
    "rank",
    "rank_of",
    "rank_label",
    "data_span",
    "data_from",
    "data_to",
    "sample_size",
    "responses",
]
OPTIONAL_COLUMNS = ["source", *FIGURE_COLUMNS]
BASIS_WORDS = {
    "": "period",
    "period": "period",
    "quarter": "period",
    "month": "period",
    "year": "period",
    "ytd": "ytd",
    "year to date": "ytd",
    "year-to-date": "ytd",
}
RAG_WORDS = {
    "green": "green",
    "g": "green",
    "amber": "amber",
    "a": "amber",
    "red": "red",
    "r": "red",
    # Published with no status, where the rules would give one (seed 002's milestone 3.1).
    "none": "none",
    "no status": "none",
}
STATUS_WORDS = {s.value: s.value for s in lr.MilestoneStatus} | {
    s.words: s.value for s in lr.MilestoneStatus
}


@dataclass
class ObservationRow:
    row: int
    measure: Measure
    period: str
    area_code: str
    fields: dict[str, Any]  # only the columns the file has: absent columns are left alone


def value_problem(measure: Measure, value: Decimal) -> str | None:
    """Why a figure cannot be this measure's value, or None (the importer, forms and API share it)."""
    if why := column_problem(Observation, "value", value):
        return why
    if measure.unit == lr.Unit.PERCENT and not (0 <= value <= 100):
        return f"{value} is not a percentage between 0 and 100"
    if measure.unit in (lr.Unit.COUNT, lr.Unit.DAYS, lr.Unit.RATE, lr.Unit.RATIO) and value < 0:
        return f"a {measure.unit} cannot be negative ({value})"
    if measure.unit == lr.Unit.COUNT and value != value.to_integral_value():
        return f"a count must be a whole number ({value})"
    return None


def read_observations(path: Path | str, plan: Plan) -> list[ObservationRow]:
    name = Path(path).name
    problems = Problems(name)
    header, rows = read_table(path, problems, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    for col in ("measure", "period"):
        if col not in header:
            problems.add(1, col, f'the header needs a "{col}" column')
    if "value" not in header and "status" not in header:
        problems.add(1, "value", 'the header needs a "value" or a "status" column')
    unknown = [
        h for h in header if h not in COLUMNS + OPTIONAL_COLUMNS and not h.startswith("comparator:")
    ]
    for h in unknown:
        problems.add(
            1,
            h or "(blank)",
            f'unknown column "{h}": the columns are {", ".join(COLUMNS + OPTIONAL_COLUMNS)} '
            "and comparator:NAME, comparator:NAME:label",
        )
    named = _comparator_columns(header, problems)
    if "data_span" in header and ("data_from" in header or "data_to" in header):
        problems.add(1, "data_span", "give data_span or data_from and data_to, not both")
    if ("sample_size" in header) != ("responses" in header):
        problems.add(1, "responses", "a survey needs both sample_size and responses columns")
    if len(set(header)) != len(header):
        problems.add(1, None, "a column name appears twice in the header")
    problems.raise_if_any()

    measures = {m.code: m for m in plan.measures.all()}
    in_plan = _plan_periods(plan)
    areas = {a.code.lower(): a.code for a in plan.areas.all()}
    areas |= {a.name.lower(): a.code for a in plan.areas.all()}
    force_code = next((a.code for a in plan.areas.all() if a.is_force_area), "force")
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    number = 0
    for number, r in rows:
        add = lambda col, why, n=number: problems.add(n, col, why)  # noqa: E731
        fields: dict[str, Any] = {}
        measure = measures.get(r.get("measure", ""))
        if not r.get("measure"):
            add("measure", "is empty")
        elif measure is None:
            add("measure", f'unknown measure code "{r["measure"]}" in plan {plan.slug}')
        period = ""
        parsed: PeriodSpec | None = None
        try:
            parsed = parse_period(r.get("period", ""))
        except PeriodError as exc:
            add("period", str(exc) if r.get("period") else "is empty")
        else:
            if why := in_plan(parsed):
                add("period", why)
            else:
                period = parsed.code
        area_text = r.get("area", "")
        area_code = force_code if not area_text else areas.get(area_text.lower(), "")
        if area_text and not area_code:
            add(
                "area",
                f'unknown area "{area_text}": the plan has {", ".join(sorted(set(areas.values())))}',
            )

        def figure(col: str, r=r, fields=fields, add=add) -> Decimal | None:
            if col not in r:
                return None
            text = r[col]
            if not text:
                fields[col] = None
                return None
            try:
                v = parse_number(text)
            except ValueError as exc:
                add(col, str(exc))
                return None
            if why := column_problem(Observation, col, v):
                add(col, why)
                return None
            fields[col] = v
            return v

        value = figure("value")
        for col in ("target", "numerator", "denominator"):
            figure(col)
        if measure and value is not None and measure.is_milestone:
            add("value", f"{measure.code} is a milestone: give its status, not a number")
        elif measure and value is not None and (why := value_problem(measure, value)):
            add("value", why)
        num, den = fields.get("numerator"), fields.get("denominator")
        if den is not None and den <= 0:
            add("denominator", "must be more than 0")
        elif num is not None and den is not None and num > den:
            add("numerator", f"numerator {num} is more than denominator {den}")
        if num is not None and num < 0:
            add("numerator", "cannot be negative")

        if "status" in r:
            status = STATUS_WORDS.get(r["status"].lower().replace("-", " ").strip(), None)
            if r["status"] and status is None:
                add(
                    "status",
                    f'"{r["status"]}" is not a status: use one of {", ".join(s.value for s in lr.MilestoneStatus)}',
                )
            fields["status"] = status or ""
        if (
            not r.get("value")
            and not fields.get("status")
            and not r.get("comment")
            and not r.get("rag")
        ):
            # A row may carry only a comment ("Measure in development") or a published status.
            add("value", "a row needs a value, a status, a comment or a published rag")
        if "basis" in r:
            basis = BASIS_WORDS.get(r["basis"].lower())
            if basis is None:
                add("basis", f'"{r["basis"]}" is not a basis: use "period" or "ytd" (year to date)')
            fields["basis"] = basis or "period"
        if "rag" in r:
            rag = RAG_WORDS.get(r["rag"].lower(), None)
            if r["rag"] and rag is None:
                add(
                    "rag",
                    f'"{r["rag"]}" is not a RAG status: use green, amber, red or none '
                    "(published with no status)",
                )
            fields["rag_override"] = rag or ""
            if r["rag"] and not r.get("rag_reason"):
                add("rag_reason", "an override (rag) needs a reason in rag_reason")
        for col in ("rag_reason", "comment", "source"):
            if col in r:
                fields[col] = unguard_cell(r[col])  # an export's formula guard comes off
        if len(fields.get("source", "")) > (limit := _longest(Observation, "source")):
            # refused here, as a cell: SQLite would keep it whole and PostgreSQL refuse the write
            add("source", f"the source is {len(fields['source'])} characters; the limit is {limit}")
        if "comparator" in r or named:
            fields["comparators"] = _comparators(r, named, fields, add)
        _figure_extras(r, fields, add, measure, parsed if period else None)
        if measure and period and area_code:
            # only rows naming the plan's own measures, periods and areas are kept: their number
            # is bounded by the plan, however large the file
            key = (measure.code, period, area_code)
            if key in seen:
                add(None, f"duplicate of row {seen[key]} (same measure, period and area)")
            else:
                seen[key] = number
                if not problems:
                    out.append(ObservationRow(number, measure, period, area_code, fields))
    if not number:
        problems.add(None, None, "the file has a header but no rows")
    problems.raise_if_any()
    return out


def _comparator_columns(header: list[str], problems: Problems) -> dict[str, bool]:
    """{comparator name: whether the file has its label column} for the comparator:NAME columns,
    adding a problem for each column of no known form."""
    named: dict[str, bool] = {}
    labels = set()
    for h in header:
        if not h.startswith("comparator:"):
            continue
        if why := lcmp.column_problem(h):
            problems.add(1, h, why)
            continue
        found = lcmp.parse_column(h)
        if found is None:
            continue
        name, is_label = found
        if is_label:
            labels.add(name)
        else:
            named[name] = False
    for name in labels:
        if name not in named:
            problems.add(1, f"comparator:{name}:label", f"there is no comparator:{name} column")
        else:
            named[name] = True
    for name, labelled in named.items():
        if not labelled and not lcmp.default_label(name):
            problems.add(
                1,
                f"comparator:{name}",
                f'"{name}" is not a comparator Oversight names ({", ".join(sorted(lcmp.KNOWN))}): '
                f"add a comparator:{name}:label column saying what it is",
            )
    if len(named) + 1 > lcmp.MAX_COMPARATORS:
        problems.add(1, None, f"a figure has at most {lcmp.MAX_COMPARATORS} comparators")
    return named


def _comparators(
    r: dict[str, str], named: dict[str, bool], fields: dict[str, Any], add: Callable
) -> list[dict[str, str]]:
    """The figure's whole comparator list from the row: the plain comparator (rated against, for a
    monitor-only measure) and each named one with a value."""
    out = []
    columns = [(lcmp.RATED, "comparator", "comparator_label")] if "comparator" in r else []
    columns += [(n, f"comparator:{n}", f"comparator:{n}:label") for n in named]
    for name, col, label_col in columns:
        text = r.get(col, "")
        label = unguard_cell(r.get(label_col, "")).strip()
        if not text:
            if label and name != lcmp.RATED:
                add(col, f"{label_col} is given but {col} is empty")
            continue
        try:
            v = parse_number(text)
        except ValueError as exc:
            add(col, str(exc))
            continue
        if why := column_problem(Observation, "value", v):
            add(col, why)
            continue
        label = label or lcmp.default_label(name)
        if not label:
            add(label_col, f"{col} needs a label saying what it is")
        elif len(label) > lcmp.LABEL_LIMIT:
            add(label_col, f"{len(label)} characters; the limit is {lcmp.LABEL_LIMIT}")
        out.append(lcmp.Comparator(name, label, v).record())
    return out


def _whole(r: dict[str, str], col: str, add: Callable, least: int = 0) -> int | None:
    text = r.get(col, "")
    if not text:
        return None
    try:
        v = parse_number(text)
    except ValueError as exc:
        add(col, str(exc))
        return None
    if v != v.to_integral_value() or v < least:
        add(
            col,
            f"must be a whole number{' of at least ' + str(least) if least else ''}, not {text}",
        )
        return None
    if v > 2_000_000_000:
        add(col, f"{text} is too large")
        return None
    return int(v)


def _day(text: str, end: bool) -> date:
    """A date "2011-06-30", or a period in any form (its first day, or its last for `end`)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise PeriodError(f'"{text}" is not a date') from None
    p = parse_period(text)
    return p.end if end else p.start


def _figure_extras(
    r: dict[str, str],
    fields: dict[str, Any],
    add: Callable,
    measure: Measure | None,
    period: PeriodSpec | None,
) -> None:
    """Rank, data span and survey columns: checked, and set where the file has the column."""
    if "rank" in r or "rank_of" in r:
        rank, of = _whole(r, "rank", add, 1), _whole(r, "rank_of", add, 1)
        if "rank" in r and "rank_of" in r and (why := lcmp.rank_problem(rank, of)):
            add("rank" if rank is not None else "rank_of", why)
        if "rank" in r:
            fields["rank"] = rank
        if "rank_of" in r:
            fields["rank_of"] = of
    if "rank_label" in r:
        label = unguard_cell(r["rank_label"]).strip()
        if len(label) > _longest(Observation, "rank_label"):
            add("rank_label", f"{len(label)} characters; the limit is 200")
        fields["rank_label"] = label
    start = end = None
    ok = True
    if "data_span" in r:
        if r["data_span"]:
            try:
                span = parse_period(r["data_span"])
                start, end = span.start, span.end
            except PeriodError as exc:
                add("data_span", str(exc))
                ok = False
        fields["data_from"], fields["data_to"] = start, end
    for col, is_end in (("data_from", False), ("data_to", True)):
        if col in r:
            found = None
            if r[col]:
                try:
                    found = _day(r[col], is_end)
                except PeriodError as exc:
                    add(col, str(exc))
                    ok = False
            fields[col] = found
            start, end = (found, end) if not is_end else (start, found)
    if ok and period is not None and (start or end):
        # one end given: the other is the period's own (Observation.data_span)
        start, end = start or period.start, end or period.end
    if ok and start and end and start > end:
        add("data_span" if "data_span" in r else "data_to", "the data's span ends before it starts")
    elif ok and period is not None and end and end > period.end:
        add(
            "data_span" if "data_span" in r else "data_to",
            f"the data's span ends after the period does ({period.end:%-d %B %Y}): a figure "
            "cannot hold data from after its period",
        )
    if "sample_size" in r:
        size, answered = _whole(r, "sample_size", add, 1), _whole(r, "responses", add, 1)
        if (size is None) != (answered is None) and (r.get("sample_size") or r.get("responses")):
            add(
                "responses" if size is not None else "sample_size",
                "a survey needs both sample_size and responses",
            )
        elif size is not None and answered is not None:
            if answered > size:
                add("responses", f"{answered:,} responses is more than the sample of {size:,}")
            elif measure is not None and measure.unit != lr.Unit.PERCENT:
                add(
                    "sample_size",
                    f"{measure.code} is not a percentage: a survey result is a percentage",
                )
        fields["sample_size"], fields["responses"] = size, answered


def figure_extras(
    r: dict[str, str], measure: Measure | None, period: PeriodSpec | None
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The comparator, rank, data span and survey fields of one figure given as text by column
    name (the file's columns; the API passes its fields the same way), with every problem as
    (column, reason). The API and the importer share these checks."""
    problems: list[tuple[str, str]] = []
    header = Problems("")
    named = _comparator_columns(list(r), header)
    problems += [(p.column or "", p.reason) for p in header.items]

    def add(col: str | None, why: str) -> None:
        problems.append((col or "", why))

    fields: dict[str, Any] = {}
    if "comparator" in r or named:
        fields["comparators"] = _comparators(r, named, fields, add)
    _figure_extras(r, fields, add, measure, period)
    return fields, problems


def _plan_periods(plan: Plan):
    """A check of a period against the plan: None, or why the plan cannot hold it (the rule is
    lib.periods.outside_plan, shared with the API and the collection form)."""
    return lambda p: outside_plan(p, plan.starts, plan.ends)


# ---------------------------------------------------------------- narrative Markdown

HEADINGS = {
    "purpose": Section.PURPOSE,
    "background": Section.BACKGROUND,
    "format of the report": Section.FORMAT,
    "part 1": Section.PART1_INTRO,
    "part 2": Section.PART2_INTRO,
    "headline measures": Section.HEADLINE_MEASURES,
    "other measures": Section.OTHER_MEASURES,
    "recommendations": Section.RECOMMENDATIONS,
    "executive summary": Section.SUMMARY,
    "recommendation": Section.RECOMMENDATION,
    "delivery plan and assurance": Section.DELIVERY,
    "finance": Section.FINANCE,
    "engagement": Section.ENGAGEMENT,
    "performance": Section.PERFORMANCE,
    "supporting information": Section.SUPPORTING,
    "contact points": Section.CONTACTS,
    "implications: risk": Section.IMPLICATIONS,
    "implications: financial": Section.IMPLICATIONS,
    "implications: legal": Section.IMPLICATIONS,
    "implications: equality": Section.IMPLICATIONS,
}
# The implications share one section and are told apart by the narrative's key.
IMPLICATION_KEYS = ("risk", "financial", "legal", "equality")
HEADING_KEYS = {f"implications: {k}": k for k in IMPLICATION_KEYS}


MAX_SECTIONS = 1000  # a quarter's report has a few dozen; more is not a narrative


@dataclass
class NarrativeItem:
    line: int
    section: str
    objective_code: str | None
    key: str
    title: str
    body: str


@dataclass
class NarrativeSpec:
    period: str
    items: list[NarrativeItem]


def _lines(text: str):
    """(line number, start, end) of each line, so a large file is never held as a list of lines."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        if end == -1:
            yield number, start, len(text)
            return
        yield number, start, end
        start, number = end + 1, number + 1


def read_narrative(path: Path | str, plan: Plan) -> NarrativeSpec:
    """Markdown with front matter `period:`; each `# Heading` starts a section (see the README)."""
    path = Path(path)
    name = path.name
    problems = Problems(name)
    check_file(path, settings.OVERSIGHT_MAX_IMPORT_BYTES)
    text = read_text(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportRefused([Problem(name, None, None, "the file is empty")])
    lines = _lines(text)
    _, first_start, first_end = next(lines)
    if text[first_start:first_end].strip() != "---":
        raise ImportRefused(
            [
                Problem(
                    name,
                    1,
                    None,
                    'the file must start with front matter: "---", "period: 2013/14 Q1", "---"',
                )
            ]
        )
    front_end = next((s for _, s, e in lines if text[s:e].strip() == "---"), None)
    if front_end is None:
        raise ImportRefused(
            [Problem(name, "line 1", None, 'the front matter is not closed with "---"')]
        )
    front_text = text[first_end + 1 : front_end]
    front = parse_yaml(front_text, name, first_line=2, what="front matter is ") or {}
    period = ""
    if not isinstance(front, dict) or not front.get("period"):
        problems.add("line 2", "period", "the front matter needs period: (e.g. 2013/14 Q1)")
    else:
        try:
            period = parse_period(str(front["period"])).code
        except PeriodError as exc:
            problems.add("line 2", "period", str(exc))
    objectives = set(plan.objectives.values_list("code", flat=True))
    items: list[NarrativeItem] = []
    current: NarrativeItem | None = None
    body_from = 0  # where the current section's text starts in `text`
    activity_count = 0

    sections = 0

    def close(upto: int) -> None:
        nonlocal sections
        if current is not None:
            sections += 1
            if sections > MAX_SECTIONS:
                return  # counted, not kept: the file is refused below
            current.body = text[body_from:upto].strip()
            if not current.body:
                problems.add(
                    f"line {current.line}",
                    None,
                    f'section "{current.title or current.section}" has no text',
                )
            items.append(current)

    for number, start, end in lines:
        line = text[start:end]
        if "{{" in line:  # a figure cited by key; the apps that hold the figures register the keys
            for at, why in citations.check(line, first_line=number):
                problems.add(f"line {at}", None, why)
        if line.startswith("# "):
            close(start)
            body_from = end + 1
            heading = line[2:].strip()
            low = heading.lower()
            if low in HEADINGS:
                current = NarrativeItem(
                    number, HEADINGS[low], None, HEADING_KEYS.get(low, ""), "", ""
                )
            elif m := re.fullmatch(r"objective\s+(\S+?)\.?(?:\s*[-–:]\s*(.*))?", heading, re.I):
                if m[1] not in objectives:
                    problems.add(
                        f"line {number}", None, f'unknown objective "{m[1]}" in plan {plan.slug}'
                    )
                current = NarrativeItem(number, Section.OBJECTIVE, m[1], "", "", "")
            elif m := re.fullmatch(r"activity\s*:\s*(.+)", heading, re.I):
                activity_count += 1
                if len(m[1].strip()) > (limit := _longest(Narrative, "title")):
                    problems.add(
                        f"line {number}",
                        None,
                        f"the activity's title is {len(m[1].strip())} characters; the limit is {limit}",
                    )
                current = NarrativeItem(
                    number, Section.ACTIVITY, None, f"{activity_count:02d}", m[1].strip(), ""
                )
            else:
                allowed = ", ".join(h.capitalize() for h in HEADINGS)
                problems.add(
                    f"line {number}",
                    None,
                    f'unknown heading "# {heading}": use {allowed}, "Objective CODE" or "Activity: TITLE"',
                )
                current = None
        elif current is None and line.strip():
            problems.add(f"line {number}", None, "text before the first # heading")
    close(len(text))
    if sections > MAX_SECTIONS:
        problems.add(None, None, f"{sections:,} sections; a narrative has at most {MAX_SECTIONS:,}")
    seen: set[tuple] = set()
    for it in items:
        key = (it.section, it.objective_code, it.key)
        if key in seen and it.section != Section.ACTIVITY:
            problems.add(f"line {it.line}", None, "this section appears twice")
            break
        seen.add(key)
    problems.raise_if_any()
    return NarrativeSpec(period, items)
