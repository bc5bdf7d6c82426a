"""Whether each measure's change is real: SPC, significance and a drafted commentary, per measure,
period and area, computed from the observations already stored.

The maths lives in `oversight.lib` (spc, significance, commentary); this module only gathers each
measure's series from the database and hands plain numbers over. Rules (also in METHODOLOGY.md):

- The series is the measure's monthly figures (period basis) up to the end of the reported period;
  where there are fewer than two months, its weekly figures, else its quarterly ones: one kind of
  period at a time, so the points are evenly spaced. Rolling years and free spans overlap or
  differ in length and are never charted.
- The target line on a chart and the assurance icon use the period's target at the series'
  granularity: a level (percent, rate, ratio, days) as it is; a count or sum pro rata by months.
- "Change against the previous period" compares the reported period with the one before it, and
  "against last year" with the same period a year earlier, each on a like basis (a year-to-date
  figure with the same part of last year). A figure not stored for a quarter or year is summed
  from its months where every month is there (counts and sums; proportions from their numerators
  and denominators). Counts are tested by the exact conditional binomial test, proportions by the
  two-proportion test; other units are not tested (significant is null).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from oversight.core.cache import kept
from oversight.lib import commentary as lc
from oversight.lib import document as d
from oversight.lib import rag as lr
from oversight.lib import significance as sig
from oversight.lib.audience import Audience
from oversight.lib.periods import Period as PeriodSpec
from oversight.lib.periods import PeriodKind, parse_period
from oversight.lib.spc import PointType, XmrResult, xmr
from oversight.plans.assessment import (
    MeasureStatus,
    figures_stamp,
    periods_known,
    significantly_worse,
    statuses,
    target_test,
    whole_count,
)
from oversight.plans.models import Area, Measure, Plan
from oversight.plans.visibility import Figures, commentary

ADDITIVE = {lr.Unit.COUNT, lr.Unit.CURRENCY}


MIN_SPARKLINE_POINTS = 4


# Keyed by PointType, looked up by the plain values the SPC result holds.
VARIATION_WORDS: dict[str, str] = {
    PointType.COMMON_CAUSE: "Common cause variation",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "Special cause variation: improvement",
    PointType.SPECIAL_CAUSE_CONCERN: "Special cause variation: concern",
    PointType.SPECIAL_CAUSE_NEITHER: "Special cause variation: neither better nor worse",
}


VARIATION_STATUS: dict[str, d.Status] = {
    PointType.COMMON_CAUSE: d.Status.NONE,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: d.Status.IMPROVEMENT,
    PointType.SPECIAL_CAUSE_CONCERN: d.Status.CONCERN,
    PointType.SPECIAL_CAUSE_NEITHER: d.Status.NEUTRAL,
}


ASSURANCE_WORDS = {
    "consistently_passes": "Consistently passes the target",
    "consistently_fails": "Consistently fails the target",
    "hit_and_miss": "Hit and miss: sometimes passes, sometimes fails",
}


ICON_KEY = [
    (
        VARIATION_WORDS[PointType.COMMON_CAUSE],
        "The latest figure is within the usual range: the change is ordinary variation, not news.",
    ),
    (
        VARIATION_WORDS[PointType.SPECIAL_CAUSE_IMPROVEMENT],
        "Something has changed for the better: a figure beyond the usual range, or a sustained "
        "run or trend in the better direction (blue points).",
    ),
    (
        VARIATION_WORDS[PointType.SPECIAL_CAUSE_CONCERN],
        "Something has changed for the worse: a figure beyond the usual range, or a sustained run "
        "or trend in the worse direction (orange points).",
    ),
    (
        VARIATION_WORDS[PointType.SPECIAL_CAUSE_NEITHER],
        "A real change in a measure where neither higher nor lower is better.",
    ),
    (
        ASSURANCE_WORDS["consistently_passes"],
        "The target lies beyond the usual range on the failing side: if nothing changes, the "
        "target will be met every period.",
    ),
    (
        ASSURANCE_WORDS["consistently_fails"],
        "The target lies beyond the usual range on the passing side: if nothing changes, the "
        "target will not be met.",
    ),
    (
        ASSURANCE_WORDS["hit_and_miss"],
        "The target lies within the usual range: it will be met in some periods and missed in "
        "others by chance alone.",
    ),
]


@dataclass
class Figure:
    """A figure for one period on one basis, stored or summed from its months."""

    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    summed: bool = False
    responses: int | None = None  # a survey result's responses


@dataclass
class Change:
    label: str  # "2012/13 Q4", "2012/13 Q1"
    other: Figure
    current: Figure
    difference: Decimal
    percent: float | None
    test: Any  # significance.CountChange | significance.Comparison | None

    @property
    def significant(self) -> bool | None:
        return None if self.test is None else self.test.significant

    def record(self) -> dict[str, Any]:
        return {
            "period": self.label,
            "value": _num(self.other.value),
            "difference": _num(self.difference),
            "percent": None if self.percent is None else round(self.percent, 1),
            "significant": self.significant,
            "p_value": None if self.test is None else _round(self.test.p_value, 4),
            "method": None if self.test is None else self.test.method,
        }


@dataclass
class MeasureStatistics:
    status: MeasureStatus
    series_kind: str | None = None  # "month" or "quarter"
    periods: list[str] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    target_level: float | None = None
    result: XmrResult | None = None
    change_vs_previous: Change | None = None
    change_vs_last_year: Change | None = None
    against_target: Any = None  # significance.Comparison | None
    commentary: str = ""
    commentary_edited: bool = False

    @property
    def measure(self) -> Measure:
        return self.status.measure

    @property
    def variation(self) -> str | None:
        return self.result.variation if self.result else None

    @property
    def assurance(self) -> str | None:
        return self.result.assurance if self.result else None

    @property
    def synthetic(self) -> bool:
        return is_synthetic(self.sources)

    @property
    def significantly_worse_than_target(self) -> bool | None:
        return significantly_worse(self.against_target, self.measure.polarity)

    def limits(self) -> dict[str, float | None] | None:
        if not self.result or not self.result.values:
            return None
        return {
            "mean": _round(self.result.means[-1]),
            "lower": _round(self.result.lowers[-1]),
            "upper": _round(self.result.uppers[-1]),
        }

    def record(self) -> dict[str, Any]:
        """The statistics fields of `oversight export measures`."""
        return {
            "variation": self.variation,
            "assurance": self.assurance,
            "limits": self.limits(),
            "series": {"kind": self.series_kind, "points": len(self.values)}
            if self.series_kind
            else None,
            "change_vs_previous": self.change_vs_previous.record()
            if self.change_vs_previous
            else None,
            "change_vs_last_year": self.change_vs_last_year.record()
            if self.change_vs_last_year
            else None,
            "significantly_worse_than_target": self.significantly_worse_than_target,
            "commentary": self.commentary,
        }


# The words every chart of a synthetic series carries (report and site alike).
SYNTHETIC_NOTE = "Synthetic demo series, not real figures (see the README)."


def is_synthetic(sources: Iterable[str]) -> bool:
    """Whether a series is synthetic: any of its figures' sources says so (the demo's history,
    plans.demo_series, marks every row "synthetic")."""
    return any("synthetic" in s.lower() for s in sources)


def _round(x: float | None, places: int = 3) -> float | None:
    return None if x is None else round(float(x), places)


def _num(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v.normalize())


class _Row(NamedTuple):
    """One stored figure, as much of it as the statistics read (lighter than a model instance)."""

    measure_id: int
    area_id: int
    code: str
    kind: str
    basis: str
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    source: str
    responses: int | None  # a survey's: the two-proportion test's sample size


class _Store:
    """Every figure of a plan's measures an audience reads for some areas, keyed for quick lookup."""

    def __init__(self, areas: list[Area], until: PeriodSpec, figures: Figures) -> None:
        self.figures: dict[tuple[int, int, str, str], _Row] = {}
        # (measure, area) -> period kind -> figures in order, for the kinds a chart may take
        self.series: dict[tuple[int, int], dict[str, list[_Row]]] = defaultdict(
            lambda: defaultdict(list)
        )
        stored = (
            figures.stored()
            .filter(area__in=areas, value__isnull=False, period__end__lte=until.end)
            .values_list(
                "period__start",
                *_Row._fields[:2],
                "period__code",
                "period__kind",
                *_Row._fields[4:],
            )
        )
        rows = [(values[0], _Row(*values[1:])) for values in stored]
        for obs in figures.released(areas=[a.pk for a in areas]):
            if obs.value is not None and obs.period.end <= until.end:
                row = _Row(
                    obs.measure_id,
                    obs.area_id,
                    obs.period.code,
                    obs.period.kind,
                    obs.basis,
                    obs.value,
                    obs.numerator,
                    obs.denominator,
                    obs.source,
                    obs.responses,
                )
                rows.append((obs.period.start, row))
        rows.sort(key=lambda pair: pair[0])
        for _, o in rows:
            self.figures[(o.measure_id, o.area_id, o.code, o.basis)] = o
            if o.basis == "period" and o.kind in SERIES_KINDS:
                self.series[(o.measure_id, o.area_id)][o.kind].append(o)

    def points(self, m: Measure, area: Area) -> list[_Row]:
        """The chart's series: the first of SERIES_KINDS with two figures or more."""
        found = self.series.get((m.pk, area.pk), {})
        return next((found[k] for k in SERIES_KINDS if len(found.get(k, [])) >= 2), [])

    def figure(self, m: Measure, area: Area, p: PeriodSpec, basis: str) -> Figure | None:
        """A period's figure on a basis: stored, else (Q1/first month) the other basis, else
        summed from its months."""
        stored = None
        for b in (basis, "ytd" if basis == "period" else "period"):
            o = self.figures.get((m.pk, area.pk, p.code, b))
            if o is not None and (b == basis or p.months_into_year == len(p.months())):
                stored = Figure(o.value, o.numerator, o.denominator, responses=o.responses)
                break
        if p.kind is PeriodKind.MONTH:
            return stored
        summed = self._summed(m, area, p, basis)
        if stored is None:
            return summed
        if (
            stored.denominator is None
            and summed is not None
            and summed.denominator is not None
            and _same_at_places(stored.value, summed.value)
        ):
            # A rate stored without its parts, whose months give the same rate: the months'
            # numerator and denominator let it be tested.
            return Figure(stored.value, summed.numerator, summed.denominator)
        return stored

    def _summed(self, m: Measure, area: Area, p: PeriodSpec, basis: str) -> Figure | None:
        months = p.months() if basis == "period" else _year_to_date(p)
        if not months:  # a week holds no whole month
            return None
        found = [self.figures.get((m.pk, area.pk, mp.code, "period")) for mp in months]
        parts = [x for x in found if x is not None]
        if len(parts) < len(found):
            return None
        unit = lr.Unit(m.unit)
        if unit in ADDITIVE:
            return Figure(sum((x.value for x in parts), Decimal(0)), summed=True)
        numerators = [x.numerator for x in parts if x.numerator is not None]
        denominators = [x.denominator for x in parts if x.denominator]
        if len(numerators) == len(denominators) == len(parts):
            num = sum(numerators, Decimal(0))
            den = sum(denominators, Decimal(0))
            scale = Decimal(100) if unit is lr.Unit.PERCENT else Decimal(1)
            return Figure((num * scale / den).quantize(Decimal("0.01")), num, den, summed=True)
        return None


def _same_at_places(stored: Decimal, computed: Decimal) -> bool:
    """Whether a computed figure rounds to the stored one at the stored figure's precision."""
    exponent = stored.normalize().as_tuple().exponent
    places = Decimal(1).scaleb(min(exponent, 0) if isinstance(exponent, int) else 0)
    return computed.quantize(places) == stored


def _year_to_date(p: PeriodSpec) -> list[PeriodSpec]:
    return p.financial_year.months()[: p.months_into_year]


def _months_covered(p: PeriodSpec, basis: str) -> int:
    return p.months_into_year if basis == "ytd" else len(p.months())


def _test(m: Measure, current: Figure, other: Figure) -> Any:
    unit = lr.Unit(m.unit)
    if unit is lr.Unit.PERCENT and current.responses and other.responses:
        # Two surveys: the two-proportion test on the numbers who answered.
        return sig.compare_proportions(
            round(float(current.value) / 100 * current.responses),
            current.responses,
            round(float(other.value) / 100 * other.responses),
            other.responses,
        )
    if unit is lr.Unit.COUNT and whole_count(current.value) and whole_count(other.value):
        return sig.compare_counts(int(current.value), int(other.value))
    if current.numerator is not None and current.denominator and other.numerator is not None:
        if other.denominator and all(
            whole_count(x)
            for x in (current.numerator, current.denominator, other.numerator, other.denominator)
        ):
            return sig.compare_proportions(
                int(current.numerator),
                int(current.denominator),
                int(other.numerator),
                int(other.denominator),
            )
    return None


def _change(m: Measure, label: str, current: Figure | None, other: Figure | None) -> Change | None:
    if current is None or other is None:
        return None
    diff = current.value - other.value
    percent = float(diff / other.value * 100) if other.value else None
    return Change(label, other, current, diff, percent, _test(m, current, other))


def measure_statistics(
    plan: Plan,
    period_code: str,
    areas: list[Area] | None = None,
    *,
    audience: Audience,
    with_commentary: bool = True,
) -> list[MeasureStatistics]:
    """One MeasureStatistics per measure and area (in plan order) for the reported period, from
    the figures and commentary `audience` may read.

    Worked out once per version of the data (`assessment.figures_stamp`) and kept (in the
    database, and in the cache when one is set) for at most ten minutes, so the report page,
    its PDF and DOCX, the export and the commentary command of every server and process share
    one computation until a figure, a measure or a commentary changes."""
    areas = areas if areas is not None else list(plan.areas.all())
    parts = (
        plan.pk,
        parse_period(period_code).code,
        tuple(a.pk for a in areas),
        audience.value,
        with_commentary,
    )
    return kept(
        "measure-statistics",
        parts,
        figures_stamp(),
        lambda: _measure_statistics(
            plan, period_code, areas, audience=audience, with_commentary=with_commentary
        ),
        keep=lambda: periods_known([parts[1]]),
    )


def _measure_statistics(
    plan: Plan,
    period_code: str,
    areas: list[Area],
    *,
    audience: Audience,
    with_commentary: bool,
) -> list[MeasureStatistics]:
    period = parse_period(period_code)
    all_statuses = statuses(plan, period.code, areas, audience=audience)
    store = _Store(areas, period, Figures(plan, audience))
    edited = commentary(plan, period.code, audience) if with_commentary else {}
    out = []
    for s in all_statuses:
        m, area = s.measure, s.area
        st = MeasureStatistics(s)
        out.append(st)
        if m.unit == lr.Unit.MILESTONE:
            continue
        points = store.points(m, area)
        if len(points) >= 2:
            st.series_kind = points[0].kind
            st.periods = [o.code for o in points]
            st.values = [float(o.value) for o in points]
            st.sources = {o.source for o in points}
            st.target_level = target_level(m, s, st.series_kind)
            st.result = xmr(st.values, polarity=m.polarity, target=st.target_level)

        basis = s.observation.basis if s.observation else "period"
        current = store.figure(m, area, period, "period")
        previous = period.previous()
        st.change_vs_previous = _change(
            m, previous.code, current, store.figure(m, area, previous, "period")
        )
        last_year = period.shift_years(-1)
        st.change_vs_last_year = _change(
            m,
            last_year.code,
            store.figure(m, area, period, basis),
            store.figure(m, area, last_year, basis),
        )
        st.against_target = target_test(m, s.observation, s.target)
        if with_commentary:
            key = (m.pk, area.pk)
            st.commentary_edited = key in edited
            st.commentary = edited.get(key) or draft(st, period)
    return out


def target_level(m: Measure, s: MeasureStatus, series_kind: str) -> float | None:
    """The period's target at the series' granularity (a count pro rata by months)."""
    if s.target is None:
        return None
    if lr.Unit(m.unit) not in ADDITIVE:
        return float(s.target)
    period = parse_period(s.period)
    basis = s.observation.basis if s.observation else "period"
    if series_kind == PeriodKind.WEEK:
        first = period.financial_year.start if basis == "ytd" else period.start
        return float(s.target) * 7 / ((period.end - first).days + 1)
    covered = _months_covered(period, basis)
    if not covered:
        return None
    per_point = 1 if series_kind == PeriodKind.MONTH else 3
    return float(s.target) * per_point / covered


def draft(st: MeasureStatistics, period: PeriodSpec) -> str:
    """The drafted one-to-three sentences for a measure, or "" when there is no figure."""
    s, m = st.status, st.measure
    o = s.observation
    if o is None or o.value is None or m.unit == lr.Unit.MILESTONE:
        return ""
    if o.period.code != period.code:
        period = o.period.spec  # a figure standing in for the period speaks of its own span
    noun = period.kind.noun
    average = st.result.means[-1] if st.result and st.series_kind == period.kind else None
    average_test = None
    if average is not None and st.result is not None:
        average_test = _Judged(st.result.variation not in (None, PointType.COMMON_CAUSE))
    prev, last = st.change_vs_previous, st.change_vs_last_year
    figures = lc.MeasureFigures(
        name=_subject(m),
        unit=m.unit if m.unit in lc.UNITS else "count",
        polarity=m.polarity,
        noun=m.noun if m.unit == lr.Unit.COUNT and m.noun else None,
        value=float(o.value),
        period_noun=noun if o.basis == "period" else "year to date",
        period_label=f"the latest data ({o.data_span_words})"
        if o.data_span  # the span the data cover, not the period they are reported in
        else lc.span_words(period.kind, period.start, period.end)
        if o.basis == "period"
        else lc.span_words("year to date", period.financial_year.start, period.end),
        previous=float(prev.other.value) if prev and o.basis == "period" else None,
        last_year=float(last.other.value) if last else None,
        average=average,
        target=float(s.target) if s.target is not None else None,
        previous_test=prev.test if prev and o.basis == "period" else None,
        last_year_test=last.test if last else None,
        average_test=average_test,
    )
    return lc.draft_commentary(figures)


def _subject(m: Measure) -> str:
    """What a sentence is about: "The solved rate for burglary", else the measure's name quoted."""
    if m.noun and m.unit != lr.Unit.COUNT:
        return f"The {m.noun}"
    return f"“{m.name.rstrip('*').strip()}”"


# The kinds of period a chart's series may take, in the order they are preferred.
SERIES_KINDS = (PeriodKind.MONTH, PeriodKind.WEEK, PeriodKind.QUARTER)


@dataclass(frozen=True)
class _Judged:
    significant: bool | None


def statistics_fields(
    plan: Plan, period: str, *, audience: Audience
) -> Callable[[MeasureStatus], dict[str, Any]]:
    """`extra` for exports.measure_records: the statistics fields of each record."""
    by_key = {
        (st.measure.pk, st.status.area.pk): st
        for st in measure_statistics(plan, period, audience=audience)
    }

    def extra(s: MeasureStatus) -> dict[str, Any]:
        st = by_key.get((s.measure.pk, s.area.pk))
        return st.record() if st else MeasureStatistics(s).record()

    return extra


STATISTICS_FIELDS = [
    "variation",
    "assurance",
    "limits",
    "series",
    "change_vs_previous",
    "change_vs_last_year",
    "significantly_worse_than_target",
    "commentary",
]


def significance_of_headlines(found: list[MeasureStatus]) -> dict[int, bool | None]:
    """For each headline measure among these statuses: is its figure significantly worse than its
    target? (None where the data cannot be tested.)"""
    return {
        s.measure.pk: significantly_worse(
            target_test(s.measure, s.observation, s.target), s.measure.polarity
        )
        for s in found
        if s.measure.headline
    }
