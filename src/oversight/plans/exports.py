"""Exports: the measures table for a period (JSON/CSV), and the plan, observations and narrative in
the same formats the importers read, so an export re-imported into an empty database gives the same
plan, figures and narrative. Not their workflow and history (states, publications, corrections,
revisions, commentary, assignments): `not_carried` lists those, and `oversight backup` keeps them."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from oversight import __version__
from oversight.lib.audience import Audience
from oversight.lib.periods import parse_period
from oversight.lib.tables import number, to_csv
from oversight.lib.yamlfile import dump_yaml
from oversight.plans.assessment import MeasureStatus, statuses, survey_of, survey_record

from .importers import COLUMNS, FIGURE_COLUMNS, HEADINGS
from .models import Narrative, Observation, Plan, Section

MEASURE_FIELDS = [
    "measure",
    "name",
    "objective",
    "headline",
    "period",
    "area",
    "actual",
    "target",
    "comparator",
    "rag",
    "rag_computed",
    "rag_reason",
    "rag_computed_reason",
    "footnotes",
    # Added with named comparators, periods of every kind, data vintage and surveys (fields are
    # only ever added: the JSON API's promise).
    "period_label",
    "figure_period",
    "comparators",
    "rank",
    "rank_of",
    "rank_words",
    "data_from",
    "data_to",
    "latest_data",
    "stale",
    "sample_size",
    "responses",
    "response_rate",
    "margin_of_error",
    "too_small_to_judge",
    "gap_to_target_beyond_margin",
]


def measure_record(s: MeasureStatus) -> dict[str, Any]:
    m = s.measure
    return {
        "measure": m.code,
        "name": m.name,
        "objective": m.objective.code,
        "headline": m.headline,
        "period": s.period,
        "area": s.area.code,
        "actual": number(s.actual)
        if s.actual is not None
        else (s.observation.status or None if s.observation else None),
        "target": number(s.target),
        "comparator": number(s.comparator),
        "rag": s.rag.value if s.rag else None,
        "rag_computed": s.rag_computed.value if s.rag_computed else None,
        "rag_reason": s.rag_reason,
        # The rules' own reason: differs from rag_reason (the office's) where a status is overridden.
        "rag_computed_reason": s.assessment.reason,
        "footnotes": list(m.footnotes),
        **figure_context(s),
    }


def figure_context(s: MeasureStatus) -> dict[str, Any]:
    """What a figure is compared with, how current its data are and what a survey can bear: the
    fields every export, page and API record of a figure carries."""
    o = s.observation
    return {
        "period_label": parse_period(s.period).label,
        # The period the figure is for: the reported period's, or a span ending with it that
        # stands in (a rolling year to the quarter's last month).
        "figure_period": o.period.code if o else None,
        "comparators": [
            {"name": c.name, "label": c.label, "value": number(c.value)}
            for c in (o.comparator_list if o else [])
        ],
        "rank": o.rank if o else None,
        "rank_of": o.rank_of if o else None,
        "rank_words": o.rank_words if o else "",
        "data_from": o.data_from.isoformat() if o and o.data_from else None,
        "data_to": o.data_to.isoformat() if o and o.data_to else None,
        "latest_data": o.data_span_words if o else "",
        "stale": o.stale if o and o.data_span else None,
        **survey_record(survey_of(o, s.target)),
    }


def measure_records(
    plan: Plan, period: str, *, audience: Audience, extra: Any = None, areas: Any = None
) -> list[dict[str, Any]]:
    """One record per measure and area (every area, or `areas`), from the figures `audience` may
    read; `extra(status) -> dict` adds fields (e.g. statistics)."""
    out = []
    for s in statuses(plan, period, areas, audience=audience):
        rec = measure_record(s)
        if extra:
            rec.update(extra(s))
        out.append(rec)
    return out


# ----------------------------------------------------------------- round trip


def _dec(value: Decimal | None) -> Any:
    n = number(value)
    return n


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as the YAML the importer reads."""
    head: dict[str, Any] = {
        "slug": plan.slug,
        "title": plan.title,
        "force": plan.force,
        "starts": plan.starts,
        "ends": plan.ends,
    }
    if plan.tolerances:
        head["tolerance"] = dict(plan.tolerances)
    if plan.report_layout != "seed-002":  # the default goes unsaid, as in a file without it
        head["report_layout"] = plan.report_layout
    doc: dict[str, Any] = {"plan": head}
    areas = [{"code": a.code, "name": a.name} for a in plan.areas.filter(is_force_area=False)]
    if areas:
        doc["areas"] = areas
    aims = [{"code": a.code, "title": a.title} for a in plan.aims.all()]
    if aims:
        doc["aims"] = aims
    objectives = []
    for o in plan.objectives.select_related("aim"):
        od: dict[str, Any] = {"code": o.code, "title": o.title}
        if o.aim:
            od["aim"] = o.aim.code
        if o.description:
            od["description"] = o.description
        od["measures"] = [_measure_doc(m) for m in o.measures.order_by("order", "code")]
        objectives.append(od)
    doc["objectives"] = objectives
    return doc


def _measure_doc(m) -> dict[str, Any]:
    t: dict[str, Any] = {"kind": m.target_kind}
    if m.target_value is not None:
        t["value"] = _dec(m.target_value)
    if m.target_percent is not None:
        t["percent"] = _dec(m.target_percent)
    if m.baseline_period:
        t["baseline"] = {"period": m.baseline_period}
        if m.baseline_value is not None:
            t["baseline"]["value"] = _dec(m.baseline_value)
    if m.goal is not None:
        t["goal"] = _dec(m.goal)
    if m.goal_by:
        t["by"] = m.goal_by
    if m.due:
        t["due"] = m.due
    if m.target_text:
        t["text"] = m.target_text
    d: dict[str, Any] = {
        "code": m.code,
        "name": m.name,
        "unit": m.unit,
        "polarity": m.polarity,
        "headline": m.headline,
        "target": t,
    }
    for key, value in (
        ("tolerance", m.tolerance),
        ("footnotes", list(m.footnotes)),
        ("data_source", m.data_source),
        ("noun", m.noun),
        ("description", m.description),
        ("minimum_sample", m.minimum_sample),
        ("opendata", m.opendata_source),
    ):
        if value:
            d[key] = value
    if m.rag_method != "plain":
        d["rag"] = m.rag_method
    return d


def plan_yaml(plan: Plan) -> str:
    return dump_yaml(plan_document(plan))


def observations_csv(plan: Plan) -> str:
    """Every figure of the plan in the importer's CSV format (source added as a last column, then
    the rank, data span and survey columns and each named comparator, where any figure has them)."""
    fields = COLUMNS + ["source"]
    rows = []
    qs = Observation.objects.filter(measure__plan=plan).select_related("measure", "period", "area")
    names: dict[str, None] = {}
    used: set[str] = set()
    for o in qs.order_by(
        "measure__code", "period__start", "period__end", "area__order", "area__code"
    ):
        extra: dict[str, str] = {}
        for c in o.named_comparators:
            names.setdefault(c.name, None)
            extra[f"comparator:{c.name}"] = _text(c.value)
            extra[f"comparator:{c.name}:label"] = c.label
        for col in FIGURE_COLUMNS:
            if col == "data_span":
                continue
            value = getattr(o, col)
            if value not in (None, ""):
                used.add(col)
                extra[col] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        rows.append(
            extra
            | {
                "measure": o.measure.code,
                "period": o.period.code,
                "area": "" if o.area.is_force_area else o.area.code,
                "value": _text(o.value),
                "target": _text(o.target),
                "basis": o.basis,
                "comparator": _text(o.comparator),
                "comparator_label": o.comparator_label,
                "numerator": _text(o.numerator),
                "denominator": _text(o.denominator),
                "status": o.status,
                "rag": o.rag_override,
                "rag_reason": o.rag_reason,
                "comment": o.comment,
                "source": o.source,
            }
        )
    fields += [c for c in FIGURE_COLUMNS if c in used]
    for name in names:
        fields += [f"comparator:{name}", f"comparator:{name}:label"]
    return to_csv(rows, fields)


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def narrative_markdown(plan: Plan, period: str) -> str:
    """A period's narrative in the importer's Markdown format."""
    names = {v: k for k, v in HEADINGS.items()}
    lines = ["---", f'period: "{period}"', "---", ""]
    for n in Narrative.objects.filter(plan=plan, period__code=period).select_related("objective"):
        if n.section == Section.OBJECTIVE and n.objective:
            heading = f"Objective {n.objective.code}"
        elif n.section == Section.ACTIVITY:
            heading = f"Activity: {n.title}"
        elif n.section == Section.IMPLICATIONS:
            heading = f"Implications: {n.key}"
        else:
            heading = names[Section(n.section)].capitalize()
        lines += [f"# {heading}", "", n.body.strip(), ""]
    return "\n".join(lines)


def not_carried(plan: Plan) -> list[str]:
    """What `oversight export plan`'s files cannot hold for this plan, in words with counts:
    the files carry the plan, its figures and narrative, not the workflow and history around them
    (re-imported figures arrive approved). `oversight backup` keeps all of it."""
    from .models import (
        Collection,
        Commentary,
        Measure,
        ObservationRevision,
        PanelRelease,
        Publication,
    )

    figures = Observation.objects.filter(measure__plan=plan)
    states = Counter(figures.values_list("state", flat=True))
    out = []
    if figures.exists():
        shown = ", ".join(f"{n:,} {state}" for state, n in sorted(states.items()))
        out.append(
            f"each figure's workflow state ({shown}): re-imported figures arrive approved, "
            "not published"
        )
        out.append("who recorded each figure, and when")
    for count, one, many in (
        (Publication.objects.filter(plan=plan).count(), "publication", "publications"),
        (
            figures.exclude(correction_reason="").count(),
            "correction of a published figure",
            "corrections of published figures",
        ),
        (
            ObservationRevision.objects.filter(observation__measure__plan=plan).count(),
            "earlier version of a figure",
            "earlier versions of figures",
        ),
        (Commentary.objects.filter(measure__plan=plan).count(), "commentary", "commentaries"),
        (
            Measure.providers.through.objects.filter(measure__plan=plan).count(),
            "data provider's assignment to a measure",
            "data providers' assignments to measures",
        ),
        (Collection.objects.filter(plan=plan).count(), "collection", "collections"),
        (
            PanelRelease.objects.filter(collection__plan=plan).count(),
            "release to the Panel",
            "releases to the Panel",
        ),
    ):
        if count:
            out.append(f"{count:,} {one if count == 1 else many}")
    if plan.state != "draft":
        out.append(f"the plan's own state ({plan.get_state_display().lower()}): it arrives a draft")
    published_text = Narrative.objects.filter(plan=plan, published_at__isnull=False).count()
    if published_text:
        out.append(
            f"which of the narrative's {published_text:,} published section(s) were published, "
            "and the text the public reads where it differs"
        )
    out.append("users, API tokens, registers, scrutiny records and the audit log")
    return out


def export_readme(plan: Plan, narrative_files: list[str]) -> str:
    """The note written beside an export: what each file is, and what the files leave out."""
    lines = [
        f"Plan {plan.slug} ({plan.title}), exported by Oversight {__version__}.",
        "",
        "These files are for people and for other tools. `oversight import` reads them back:",
        "",
        "  plan.yaml          the plan, its objectives, measures and targets",
        "                     oversight import plan plan.yaml",
        "  observations.csv   every figure, with its target, comparator, override and comment",
        f"                     oversight import observations observations.csv --plan {plan.slug}",
    ]
    for name in narrative_files:
        lines += [
            f"  {name}",
            f"                     oversight import narrative {name} --plan {plan.slug}",
        ]
    lines += ["", "They do not carry:", ""]
    lines += [f"  - {item}" for item in not_carried(plan)]
    lines += [
        "",
        "For a copy that restores everything, use `oversight backup --out FILE` and",
        "`oversight restore FILE` (README: Backup and restore).",
        "",
    ]
    return "\n".join(lines)
