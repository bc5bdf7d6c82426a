"""Each measure's status for a period and area: the figure, the period target, the engine's RAG,
any human override, and the reason in words. The report, the export and the web pages read this."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

from django.conf import settings
from django.db import connection

from oversight.core.cache import data_version, kept
from oversight.lib import rag as lr
from oversight.lib import significance as sig
from oversight.lib.audience import Audience
from oversight.lib.periods import Period as PeriodSpec
from oversight.lib.periods import (
    PeriodKind,
    calendar_year,
    parse_period,
    period_containing,
    rolling_year,
)

from .models import Area, Measure, Observation, Period, Plan, RagChoice, RagMethod
from .visibility import Figures


@dataclass
class MeasureStatus:
    measure: Measure
    area: Area
    period: str
    observation: Observation | None
    assessment: lr.Assessment

    @property
    def rag_computed(self) -> lr.Rag | None:
        return self.assessment.rag

    @property
    def rag(self) -> lr.Rag | None:
        """The published status: the override where there is one ("none": published with no
        status), else the engine's."""
        if self.overridden:
            override = self.observation.rag_override  # type: ignore[union-attr]
            return None if override == RagChoice.NONE else lr.Rag(override)
        return self.assessment.rag

    @property
    def overridden(self) -> bool:
        return self.observation is not None and bool(self.observation.rag_override)

    @property
    def rag_reason(self) -> str:
        if self.overridden:
            return self.observation.rag_reason  # type: ignore[union-attr]
        return self.assessment.reason

    @property
    def actual(self) -> Decimal | None:
        return self.observation.value if self.observation else None

    @property
    def target(self) -> Decimal | None:
        return self.assessment.target

    @property
    def comparator(self) -> Decimal | None:
        return self.observation.comparator if self.observation else None

    @property
    def has_data(self) -> bool:
        o = self.observation
        return o is not None and (o.value is not None or bool(o.status))


def statuses(
    plan: Plan,
    period_code: str,
    areas: list[Area] | None = None,
    *,
    audience: Audience,
    measures: list[Measure] | None = None,
) -> list[MeasureStatus]:
    """One MeasureStatus per measure and area, in plan order, from the figures `audience` may read
    (see plans.visibility). Two queries plus one for baselines; `measures` limits the answer."""
    return statuses_by_period(plan, [period_code], areas, audience=audience, measures=measures)[
        parse_period(period_code).code
    ]


def statuses_by_period(
    plan: Plan,
    period_codes: Iterable[str],
    areas: list[Area] | None = None,
    *,
    audience: Audience,
    measures: list[Measure] | None = None,
) -> dict[str, list[MeasureStatus]]:
    """{period code: `statuses` of that period} for many periods from one query of figures, so a
    page showing every period of a measure costs the same however many periods it has.

    Worked out once per version of the data (`figures_stamp`) and kept (core.Kept: in the
    database, and in the cache when one is set) for at most ten minutes, so every page,
    server and command asking for the same statuses reads them back (a fifth of the work of the
    RAG overview's 200, measured by benchmarks/page_work.py). Each audience keeps its own."""
    codes = tuple(parse_period(code).code for code in period_codes)
    areas = areas if areas is not None else list(plan.areas.all())
    parts = (
        plan.pk,
        codes,
        tuple(a.pk for a in areas),
        None if measures is None else tuple(m.pk for m in measures),
        audience.value,
    )
    return kept(
        "statuses",
        parts,
        figures_stamp(),
        lambda: _statuses_by_period(plan, codes, areas, audience=audience, measures=measures),
        keep=lambda: periods_known(codes),
    )


def periods_known(codes: Iterable[str]) -> bool:
    """Whether every period is one the data has (a figure, a collection or a publication made
    it): only then are results for it kept, so that a request naming any period it likes (the
    API takes every well-formed code) cannot fill the table of kept results."""
    wanted = set(codes)
    return Period.objects.filter(code__in=wanted).count() == len(wanted)


STAMP_SQL = (
    "SELECT (SELECT id FROM {t} ORDER BY id DESC LIMIT 1),"
    " (SELECT updated_at FROM {t} ORDER BY updated_at DESC LIMIT 1)"
)


def figures_stamp() -> str:
    """A version of everything statuses and statistics read, in two queries of index lookups:
    the data version (every action writes an audit entry: a figure recorded, approved,
    published, released, a measure, a commentary or a plan changed) with the newest id and the
    newest change of all figures, which also sees a figure added or saved outside the actions,
    and the survey settings the statuses read.
    (Counting the figures as well would see a deletion outside the actions too, but cost
    PostgreSQL a scan of the table on every page: `core.cache.KEPT_FOR` covers that case.)"""
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL.format(t=Observation._meta.db_table))
        newest, changed = cursor.fetchone()
    # The settings a status reads besides the data: a restart with others is a new version.
    survey = (settings.OVERSIGHT_SURVEY_MAX_MARGIN, settings.OVERSIGHT_SURVEY_MIN_RESPONSES)
    return f"{data_version()}:{newest}:{changed}:{survey}"


def _statuses_by_period(
    plan: Plan,
    period_codes: Iterable[str],
    areas: list[Area],
    *,
    audience: Audience,
    measures: list[Measure] | None = None,
) -> dict[str, list[MeasureStatus]]:
    periods = [parse_period(code) for code in period_codes]
    if measures is None:
        measures = list(
            plan.measures.select_related("objective").order_by("objective__order", "order", "code")
        )
    needed: set[str] = set()
    standing: dict[str, list[str]] = {}
    for period in periods:
        standing[period.code] = stand_ins(period)
        needed |= {period.code, *standing[period.code]} | _baseline_periods(measures, period)
    figures: dict[tuple[int, int, str], Observation] = {}
    rows = Figures(plan, audience).find(
        periods=needed, measures=measures, areas=areas, ordered=False
    )
    for o in rows:
        figures[(o.measure_id, o.area_id, o.period.code)] = o
    tolerances = {m.pk: m.tolerance_rule() for m in measures}
    out: dict[str, list[MeasureStatus]] = {}
    for period in periods:
        found = out[period.code] = []
        for m in measures:
            for area in areas:

                def lookup(p: PeriodSpec, basis: lr.Basis, m=m, area=area) -> Decimal | None:
                    return _baseline_value(figures.get((m.pk, area.pk, p.code)), p, basis)

                obs = figures.get((m.pk, area.pk, period.code))
                rated = period
                if obs is None:
                    # A figure reported for a span ending with the period (a rolling year to the
                    # quarter's last month) stands in for it, rated for its own span.
                    code = next(
                        (c for c in standing[period.code] if (m.pk, area.pk, c) in figures), None
                    )
                    if code is not None:
                        obs, rated = figures[(m.pk, area.pk, code)], parse_period(code)
                assessment = assess(m, rated, obs, lookup, tolerance=tolerances[m.pk])
                found.append(MeasureStatus(m, area, period.code, obs, assessment))
    return out


Lookup = Callable[[PeriodSpec, lr.Basis], "Decimal | None"]


def stand_ins(period: PeriodSpec) -> list[str]:
    """Codes of the periods whose figure a measure with none for `period` reports instead, in the
    order they are preferred: the rolling year, the half-year and the calendar year that end with
    it (seed 002 reports rolling twelve-month cohorts in its quarterly report)."""
    if period.kind not in (PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.HALF, PeriodKind.MONTH):
        return []
    found = [rolling_year(period.end.year, period.end.month)]
    if period.kind is PeriodKind.QUARTER:
        found.append(period_containing(period.start, PeriodKind.HALF))
    found.append(calendar_year(period.end.year))
    return [p.code for p in found if p.end == period.end and p.code != period.code]


def _baseline_value(found: Observation | None, p: PeriodSpec, basis: lr.Basis) -> Decimal | None:
    """A stored figure as a baseline: a year's figure whatever its basis, else the same basis."""
    if found is None or found.value is None:
        return None
    if p.kind is not PeriodKind.YEAR and found.basis != basis.value:
        return None
    return found.value


def assess(
    m: Measure,
    period: PeriodSpec,
    obs: Observation | None,
    lookup: Lookup,
    *,
    tolerance: lr.Tolerance | None = None,
) -> lr.Assessment:
    """The rules' status of a measure's figure for a period: the one place the rule is wired.

    The report, the pages, the API and the provider's form all call this, so a figure gets the
    same colour everywhere: its period target (given or derived through `lookup`, which finds
    baseline figures), comparator, basis and, for measures rated by significance, the exact test
    against the target."""
    tolerance = tolerance or m.tolerance_rule()

    def run(worse: bool | None = None) -> lr.Assessment:
        return lr.assess(
            target=m.target,
            unit=lr.Unit(m.unit),
            polarity=lr.Polarity(m.polarity),
            tolerance=tolerance,
            period=period,
            actual=obs.value if obs else None,
            milestone_status=lr.MilestoneStatus(obs.status) if obs and obs.status else None,
            period_target=obs.target if obs else None,
            comparator=obs.comparator if obs else None,
            comparator_label=obs.comparator_label if obs else "",
            basis=lr.Basis(obs.basis) if obs else lr.Basis.PERIOD,
            lookup=lookup,
            significantly_worse=worse,
        )

    assessment = run()
    if (
        m.rag_method == RagMethod.SIGNIFICANCE
        and assessment.rag not in (None, lr.Rag.GREEN)
        and obs is not None
    ):
        worse = significantly_worse(target_test(m, obs, assessment.target), m.polarity)
        if worse is not None:
            assessment = run(worse)
    return assessment


def rater(measure: Measure, period_code: str, area: Area) -> Callable[..., lr.Rag | None]:
    """value (or milestone status) -> the status the report would give that figure, for a form
    that shows the provider the colour of what they typed. The figure's stored period target,
    comparator and basis and the baseline figures count exactly as they do in `statuses`."""
    period = parse_period(period_code)
    needed = {period.code} | _baseline_periods([measure], period)
    figures = {
        o.period.code: o
        for o in Figures(measure.plan, Audience.STAFF).find(
            periods=needed, measures=[measure], areas=[area], ordered=False
        )
    }
    stored = figures.get(period.code)

    def lookup(p: PeriodSpec, basis: lr.Basis) -> Decimal | None:
        return _baseline_value(figures.get(p.code), p, basis)

    def rate(value: Decimal | None = None, status: str = "") -> lr.Rag | None:
        candidate = Observation(
            measure=measure,
            area=area,
            value=value,
            status=status,
            basis=stored.basis if stored else lr.Basis.PERIOD.value,
            target=stored.target if stored else None,
            comparators=stored.comparators if stored else [],
            numerator=stored.numerator if stored else None,
            denominator=stored.denominator if stored else None,
        )
        return assess(measure, period, candidate, lookup).rag

    return rate


def _baseline_periods(measures: list[Measure], period: PeriodSpec) -> set[str]:
    """Periods whose figures may serve as baselines for this period: the baseline period itself
    and the same part of it."""
    codes: set[str] = set()
    for m in measures:
        if not m.baseline_period:
            continue
        base = parse_period(m.baseline_period)
        codes.add(base.code)
        if base.kind is PeriodKind.YEAR and period.kind is not PeriodKind.YEAR:
            codes.add(period.shift_years(base.year - period.year).code)
    return codes


def whole_count(v: Decimal | None) -> TypeGuard[Decimal]:
    """A figure a count test can take: a whole number, not negative."""
    return v is not None and v >= 0 and v == v.to_integral_value()


def target_test(m: Measure, obs: Observation | None, target: Decimal | None) -> Any:
    """The figure against its target: exact Poisson for a count, exact binomial for a percentage
    with its numerator and denominator; None where the data cannot be tested."""
    if obs is None or obs.value is None or target is None:
        return None
    unit = lr.Unit(m.unit)
    if unit is lr.Unit.COUNT and whole_count(obs.value):
        return sig.count_against_target(int(obs.value), float(target))
    if (
        unit is lr.Unit.PERCENT
        and whole_count(obs.numerator)
        and whole_count(obs.denominator)
        and obs.denominator
        and 0 <= target <= 100
    ):
        return sig.proportion_against_target(
            int(obs.numerator),
            int(obs.denominator),
            float(target) / 100,
        )
    return None


def significantly_worse(test: Any, polarity: str) -> bool | None:
    """True when a test says the figure is significantly worse than what it was compared with,
    False when it is not, None when untested or the measure has no better direction."""
    if test is None or test.significant is None or test.estimate is None:
        return None
    if polarity == lr.Polarity.NEUTRAL:
        return None
    worse_direction = -1 if polarity == lr.Polarity.UP else 1
    return bool(test.significant and test.estimate * worse_direction > 0)


def needs_comment(
    measure: Measure, *, status: str = "", value: Decimal | None = None, rag_of=None
) -> bool:
    """Whether an entered figure is off target, so its provider must say why in a comment: a
    milestone off track or at risk, or a value `rag_of` (see `rater`) rates amber or red."""
    if measure.is_milestone:
        return status in (lr.MilestoneStatus.OFF_TRACK, lr.MilestoneStatus.AT_RISK)
    return value is not None and rag_of is not None and rag_of(value) in (lr.Rag.AMBER, lr.Rag.RED)


def survey_of(obs: Observation | None, target: Decimal | None = None) -> sig.SurveyJudgement | None:
    """A survey figure's response rate, margin of error and whether it can be judged (the
    thresholds are settings, METHODOLOGY.md: Surveys), against its target where it has one;
    None for a figure that is not a survey result."""
    if obs is None or obs.value is None or not obs.sample_size or not obs.responses:
        return None
    if obs.responses > obs.sample_size or not 0 <= obs.value <= 100:
        return None  # the importer refuses these; a figure entered otherwise is not judged
    return sig.judge_survey(
        float(obs.value),
        obs.sample_size,
        obs.responses,
        max_margin_points=settings.OVERSIGHT_SURVEY_MAX_MARGIN,
        min_responses=settings.OVERSIGHT_SURVEY_MIN_RESPONSES,
        target_percent=float(target) if target is not None else None,
    )


def survey_record(j: sig.SurveyJudgement | None) -> dict[str, Any]:
    """The survey fields of an export record (all None for a figure that is not a survey)."""
    if j is None:
        return {
            "sample_size": None,
            "responses": None,
            "response_rate": None,
            "margin_of_error": None,
            "too_small_to_judge": None,
            "gap_to_target_beyond_margin": None,
        }
    return {
        "sample_size": j.sample_size,
        "responses": j.responses,
        "response_rate": round(j.response_rate * 100, 1),
        "margin_of_error": round(j.margin_points, 1),
        "too_small_to_judge": j.too_small,
        "gap_to_target_beyond_margin": j.gap_beyond_margin,
    }


def survey_words(j: sig.SurveyJudgement) -> str:
    """The survey's sentence for the report and the pages: response rate, margin, and whether the
    gap to target is larger than the margin, or that the sample is too small to judge."""
    words = (
        f"{j.responses:,} of {j.sample_size:,} responded ({j.response_rate:.0%} response rate); "
        f"margin of error ±{j.margin_points:.1f} percentage points at 95%"
    )
    if j.too_small:
        return f"{words}. Sample too small to judge: {j.too_small_reason}."
    if j.gap_points is not None:
        gap = f"{abs(j.gap_points):.1f} points {'above' if j.gap_points > 0 else 'below'} target"
        if j.gap_points == 0:
            gap = "on the target"
        verb = "larger than" if j.gap_beyond_margin else "within"
        words += f". The result is {gap}, {verb} the margin of error"
    if j.warning and "response rate" in j.warning:
        words += f". {j.warning}"
    return words + "."


def compared_words(obs: Observation | None, unit: str) -> str:
    """What a figure is compared with, in words: "South West average 84%; England and Wales
    84.1%; 29th of 43 forces in England and Wales" (the report's Appendix B and the pages)."""
    from oversight.lib.numbers import format_value

    if obs is None:
        return ""
    parts = [f"{c.label} {format_value(c.value, unit)}" for c in obs.named_comparators]
    if obs.rank_words:
        parts.append(obs.rank_words)
    return "; ".join(parts)
