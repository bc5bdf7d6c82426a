"""The plans API, mounted at /api/v1/plans/. Read routes answer anyone with published material; a
token's user sees what that user may see on the site (editors: everything; Panel members: figures
released to the Panel; data providers: their own measures' figures). Figures are written through
`plans.actions` with the importer's checks, exactly as the web form and the CSV import do.

Stability promise: within /api/v1/ fields are only ever added, never renamed or removed; a
breaking change gets /api/v2/. docs/openapi.json is the committed contract.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from oversight.accounts.access import has_role
from oversight.accounts.api_auth import TOKEN_OPTIONAL, optional_token, token
from oversight.accounts.roles import Role, audience_of, role_of
from oversight.core.api import Input, ProblemsOut
from oversight.core.api import problems as _problems
from oversight.core.columns import column_problem
from oversight.lib import rag as lr
from oversight.lib.audience import Audience
from oversight.lib.comparators import MAX_COMPARATORS
from oversight.lib.periods import PeriodError, outside_plan, parse_period
from oversight.lib.problems import Refused
from oversight.lib.tables import number, parse_number
from oversight.plans.assessment import needs_comment, rater, statuses

from . import actions
from .exports import measure_record
from .importers import BASIS_WORDS, figure_extras, value_problem
from .models import (
    Collection,
    CollectionStatus,
    Measure,
    Observation,
    ObservationState,
    Plan,
    Publication,
)
from .visibility import Figures, plans_for

router = Router(tags=["plans"])
PUBLIC = {"x-access": "public; a token shows what its user may see", **TOKEN_OPTIONAL}
TOKEN = {"x-access": "token: data providers for their own measures, editors, administrators"}


class PlanOut(Schema):
    slug: str
    title: str
    force: str
    starts: date
    ends: date


class MeasureOut(Schema):
    id: int
    code: str
    name: str
    objective: str
    headline: bool
    unit: str
    polarity: str
    target: str
    data_source: str


class ObjectiveOut(Schema):
    code: str
    title: str
    description: str
    measures: list[MeasureOut]


class PlanDetailOut(PlanOut):
    objectives: list[ObjectiveOut]


class PeriodOut(Schema):
    period: str
    label: str
    published: bool


class ComparatorOut(Schema):
    name: str
    label: str
    value: float | int


class ComparatorIn(Input):
    name: str
    label: str = ""
    value: str | float | int


class StatusOut(Schema):
    measure: str
    name: str
    objective: str
    headline: bool
    period: str
    area: str
    actual: float | int | str | None
    target: float | int | None
    comparator: float | int | None
    rag: str | None
    rag_computed: str | None
    rag_reason: str
    rag_computed_reason: str = ""
    footnotes: list[str]
    state: str | None
    period_label: str = ""
    figure_period: str | None = None
    comparators: list[ComparatorOut] = []
    rank: int | None = None
    rank_of: int | None = None
    rank_words: str = ""
    data_from: date | None = None
    data_to: date | None = None
    latest_data: str = ""
    stale: bool | None = None
    sample_size: int | None = None
    responses: int | None = None
    response_rate: float | None = None
    margin_of_error: float | None = None
    too_small_to_judge: bool | None = None
    gap_to_target_beyond_margin: bool | None = None


class ObservationOut(Schema):
    measure: str
    period: str
    area: str
    basis: str
    value: float | int | None
    status: str
    comment: str
    source: str
    state: str
    published_at: datetime | None
    corrected_at: datetime | None
    correction_reason: str
    period_label: str = ""
    comparators: list[ComparatorOut] = []
    rank: int | None = None
    rank_of: int | None = None
    rank_label: str = ""
    data_from: date | None = None
    data_to: date | None = None
    latest_data: str = ""
    stale: bool | None = None
    sample_size: int | None = None
    responses: int | None = None


class ObservationIn(Input):
    measure: str
    period: str
    area: str = ""
    value: str | float | int | None = None
    status: str = ""
    basis: str = "period"
    comment: str = ""
    source: str = ""
    numerator: str | float | int | None = None
    denominator: str | float | int | None = None
    correction_reason: str = ""
    # Left out: left as they are. Given: the figure's whole comparator list ("comparator" names
    # the one a monitor-only measure is rated against), as in the observations file.
    comparators: list[ComparatorIn] | None = None
    rank: int | None = None
    rank_of: int | None = None
    rank_label: str | None = None
    data_span: str | None = None
    data_from: str | None = None
    data_to: str | None = None
    sample_size: int | None = None
    responses: int | None = None


def _period_code(text: str) -> str:
    """A period from the path: "2013-14-q1", "2013-14-fy", "2013-06" or the code itself."""
    from oversight.core.converters import PeriodConverter

    try:
        return PeriodConverter().to_python(text)
    except ValueError:
        try:
            return parse_period(text).code
        except PeriodError as exc:
            raise HttpError(404, str(exc)) from exc


def _audience(user) -> Audience:
    return audience_of(user)


def _provides(user, measure: Measure) -> bool:
    """A data provider reads their own measures' figures in every state (to check what they sent)."""
    return role_of(user) == Role.PROVIDER and measure.providers.filter(pk=user.pk).exists()


@router.get("/", response=list[PlanOut], auth=optional_token, openapi_extra=PUBLIC)
def list_plans(request):
    return list(plans_for(_audience(request.auth)))


@router.get("/{slug}", response=PlanDetailOut, auth=optional_token, openapi_extra=PUBLIC)
def get_plan(request, slug: str):
    plan = get_object_or_404(plans_for(_audience(request.auth)), slug=slug)
    measures = list(plan.measures.select_related("objective"))
    objectives = []
    for o in plan.objectives.all():
        objectives.append(
            {
                "code": o.code,
                "title": o.title,
                "description": o.description,
                "measures": [
                    {
                        "id": m.pk,
                        "code": m.code,
                        "name": m.name,
                        "objective": o.code,
                        "headline": m.headline,
                        "unit": m.unit,
                        "polarity": m.polarity,
                        "target": m.target.describe(),
                        "data_source": m.data_source,
                    }
                    for m in measures
                    if m.objective_id == o.pk
                ],
            }
        )
    return {
        "slug": plan.slug,
        "title": plan.title,
        "force": plan.force,
        "starts": plan.starts,
        "ends": plan.ends,
        "objectives": objectives,
    }


@router.get("/{slug}/periods", response=list[PeriodOut], auth=optional_token, openapi_extra=PUBLIC)
def list_periods(request, slug: str):
    """Published periods; with an editor's token, also periods with unpublished figures."""
    plan = get_object_or_404(plans_for(_audience(request.auth)), slug=slug)
    published = {
        p.period.code: p.period
        for p in Publication.objects.filter(plan=plan).select_related("period")
    }
    periods = dict(published)
    if has_role(request.auth, Role.EDITOR):
        for c in Collection.objects.filter(plan=plan).select_related("period"):
            periods.setdefault(c.period.code, c.period)
    ordered = sorted(periods.values(), key=lambda p: (p.start, -p.end.toordinal()), reverse=True)
    return [
        {"period": p.code, "label": p.spec.label, "published": p.code in published} for p in ordered
    ]


@router.get(
    "/{slug}/periods/{period}/measures",
    response=list[StatusOut],
    auth=optional_token,
    openapi_extra=PUBLIC,
)
def period_statuses(request, slug: str, period: str, area: str = ""):
    """Every measure's figure, target and RAG status for a period and area (default: force), as
    the token's user may read them (no token: the public's published figures)."""
    user = request.auth
    plan = get_object_or_404(plans_for(_audience(user)), slug=slug)
    code = _period_code(period)
    areas = list(plan.areas.all())
    chosen = next((a for a in areas if a.code == area), None) if area else plan.force_area
    if chosen is None:
        raise HttpError(404, f'unknown area "{area}"')
    found = statuses(plan, code, [chosen], audience=_audience(user))
    if role_of(user) == Role.PROVIDER:
        # Their own measures as they stand, so they can check what they sent.
        theirs = list(plan.measures.filter(providers=user).select_related("objective"))
        own = {
            s.measure.pk: s
            for s in statuses(plan, code, [chosen], audience=Audience.STAFF, measures=theirs)
        }
        found = [own.get(s.measure.pk, s) for s in found]
    out = []
    for s in found:
        r = measure_record(s)
        r["state"] = s.observation.state if s.observation else None
        out.append(r)
    return out


def _observation_out(o: Observation) -> dict[str, Any]:
    return {
        "measure": o.measure.code,
        "period": o.period.code,
        "area": o.area.code,
        "basis": o.basis,
        "value": number(o.value),
        "status": o.status,
        "comment": o.comment,
        "source": o.source,
        "state": o.state,
        "published_at": o.published_at,
        "corrected_at": o.corrected_at,
        "correction_reason": o.correction_reason,
        "period_label": o.period.label,
        "comparators": [
            {"name": c.name, "label": c.label, "value": number(c.value)} for c in o.comparator_list
        ],
        "rank": o.rank,
        "rank_of": o.rank_of,
        "rank_label": o.rank_label,
        "data_from": o.data_from,
        "data_to": o.data_to,
        "latest_data": o.data_span_words,
        "stale": o.stale if o.data_span else None,
        "sample_size": o.sample_size,
        "responses": o.responses,
    }


def _extras_as_columns(payload: ObservationIn) -> dict[str, str]:
    """The payload's comparator, rank, span and survey fields as the file's columns, so the
    importer's checks read them."""
    r: dict[str, str] = {}
    for c in payload.comparators or []:
        if c.name == "comparator":
            r["comparator"], r["comparator_label"] = str(c.value), c.label
        else:
            r[f"comparator:{c.name}"] = str(c.value)
            r[f"comparator:{c.name}:label"] = c.label
    if payload.comparators is not None and not r:
        r["comparator"] = ""  # an empty list clears the figure's comparators
    for name in ("rank", "rank_of", "rank_label", "data_span", "data_from", "data_to"):
        if (v := getattr(payload, name)) is not None:
            r[name] = str(v)
    if payload.sample_size is not None or payload.responses is not None:
        r["sample_size"] = "" if payload.sample_size is None else str(payload.sample_size)
        r["responses"] = "" if payload.responses is None else str(payload.responses)
    return r


@router.get(
    "/{slug}/measures/{code}/observations",
    response=list[ObservationOut],
    auth=optional_token,
    openapi_extra=PUBLIC,
)
def measure_observations(request, slug: str, code: str, area: str = ""):
    """A measure's figures, oldest first, as the token's user may read them (no token: published)."""
    user = request.auth
    plan = get_object_or_404(plans_for(_audience(user)), slug=slug)
    measure = get_object_or_404(Measure, plan=plan, code=code)
    audience = Audience.STAFF if _provides(user, measure) else _audience(user)
    areas = {a.pk: a for a in plan.areas.all()}
    wanted = [a for a in areas.values() if a.code == area] if area else list(areas.values())
    found = Figures(plan, audience).find(measures=[measure], areas=wanted)
    for o in found:
        o.measure, o.area = measure, areas[o.area_id]
    found.sort(key=lambda o: (o.period.start, -o.period.end.toordinal(), o.area.order))
    return [_observation_out(o) for o in found]


@router.post(
    "/{slug}/observations",
    response={
        200: ObservationOut,
        201: ObservationOut,
        403: ProblemsOut,
        409: ProblemsOut,
        422: ProblemsOut,
    },
    auth=token,
    openapi_extra=TOKEN,
)
def submit_observation(request, slug: str, payload: ObservationIn):
    """Enter one figure, by the rules of the web forms. A data provider's figure arrives submitted
    for review; an editor's is approved.

    For everyone: a measure of the plan; a period that does not begin after the plan ends (earlier
    ones are history, as in the import); a known area and basis; a number measure takes a value and a milestone a status,
    never the other; every number fits its database column and passes the importer's checks.
    Data providers, as on their "my measures" page: only their own measures (403), only the force
    area, an off-target figure only with a comment (422), only a period the office has opened for
    collection, and never a figure already approved or published (409).
    Editors keep the office's wider rights, as in its import: any period of the plan with or
    without an open collection, any area, no comment required, and a published figure changed as
    a correction with a correction_reason."""
    plan = get_object_or_404(Plan, slug=slug)
    user = request.auth
    measure = plan.measures.filter(code=payload.measure).first()
    problems: list[tuple[str, str]] = []
    if measure is None:
        return 422, _problems(
            [("measure", f'unknown measure code "{payload.measure}" in plan {plan.slug}')]
        )
    editor = has_role(user, Role.EDITOR)
    if not editor and not (
        role_of(user) == Role.PROVIDER and measure.providers.filter(pk=user.pk).exists()
    ):
        return 403, _problems([("measure", f"you do not provide figures for {measure.code}")])
    period = ""
    try:
        spec = parse_period(payload.period)
    except PeriodError as exc:
        problems.append(("period", str(exc)))
    else:
        period = spec.code
        if why := outside_plan(spec, plan.starts, plan.ends):
            problems.append(("period", why))
    area = plan.areas.filter(code=payload.area).first() if payload.area else plan.force_area
    if area is None:
        problems.append(("area", f'unknown area "{payload.area}"'))
    elif not editor and not area.is_force_area:
        problems.append(
            ("area", "data providers enter force-area figures; area figures come from the office")
        )
    fields: dict[str, Any] = {"comment": payload.comment, "source": payload.source}
    basis = BASIS_WORDS.get(payload.basis.lower())
    if basis is None:
        problems.append(("basis", f'"{payload.basis}" is not a basis: use "period" or "ytd"'))
    fields["basis"] = basis or "period"
    for name in ("value", "numerator", "denominator"):
        raw = getattr(payload, name)
        if raw is None or raw == "":
            continue
        try:
            v = parse_number(str(raw))
        except ValueError as exc:
            problems.append((name, str(exc)))
            continue
        why = value_problem(measure, v) if name == "value" else column_problem(Observation, name, v)
        if why:
            problems.append((name, why))
            continue
        fields[name] = v
    num, den = fields.get("numerator"), fields.get("denominator")
    if den is not None and den <= 0:
        problems.append(("denominator", "must be more than 0"))
    elif num is not None and den is not None and num > den:
        problems.append(("numerator", f"numerator {num} is more than denominator {den}"))
    if num is not None and num < 0:
        problems.append(("numerator", "cannot be negative"))
    if len(payload.comparators or []) > MAX_COMPARATORS:
        problems.append(("comparators", f"a figure has at most {MAX_COMPARATORS} comparators"))
    else:
        extra, found = figure_extras(_extras_as_columns(payload), measure, spec if period else None)
        fields |= extra
        # the file's comparator columns are one field here
        problems += [("comparators" if f.startswith("comparator") else f, r) for f, r in found]
    if payload.status:
        allowed = {s.value for s in lr.MilestoneStatus}
        if payload.status not in allowed:
            problems.append(
                ("status", f'"{payload.status}" is not a status: use {", ".join(sorted(allowed))}')
            )
        fields["status"] = payload.status
    given = payload.value is not None and payload.value != ""
    if measure.is_milestone and given:
        problems.append(("value", f"{measure.code} is a milestone: give its status, not a value"))
    elif not measure.is_milestone and payload.status:
        problems.append(("status", f"{measure.code} is measured by a number: give its value"))
    elif not given and not payload.status:
        problems.append(("value", "a figure needs a value or a status"))
    if (
        not editor
        and not problems
        and area is not None
        and not payload.comment.strip()
        and needs_comment(
            measure,
            status=fields.get("status", ""),
            value=fields.get("value"),
            rag_of=rater(measure, period, area),
        )
    ):
        problems.append(("comment", f"{measure.code} is off target: say why in a comment"))
    if problems:
        return 422, _problems(problems)
    if not editor and not Collection.objects.filter(
        plan=plan, period__code=period, status=CollectionStatus.OPEN
    ):
        return 409, _problems(
            [("period", f"{period} is not open for figures: the office opens a period first")]
        )
    existing = Observation.objects.filter(measure=measure, period__code=period, area=area).first()
    if existing and existing.state == ObservationState.PUBLISHED and not editor:
        return 409, _problems(
            [("period", f"{measure.code} {period} is published: ask the office for a correction")]
        )
    state = ObservationState.APPROVED if editor else ObservationState.DRAFT
    if existing and existing.state == ObservationState.APPROVED and not editor:
        return 409, _problems(
            [("period", f"{measure.code} {period} is approved: ask the office to send it back")]
        )
    try:
        obs = actions.record_observation(
            measure,
            period,
            area=area,
            by=user,
            state=None if existing and existing.state == ObservationState.PUBLISHED else state,
            correction_reason=payload.correction_reason,
            note="entered through the API",
            **fields,
        )
    except Refused as exc:
        return 409, _problems([("correction_reason", str(exc))])
    if not editor and obs.state in (ObservationState.DRAFT, ObservationState.RETURNED):
        obs = actions.submit_figure(obs, by=user)
    obs = Observation.objects.select_related("measure", "period", "area").get(pk=obs.pk)
    return (200 if existing else 201), _observation_out(obs)
