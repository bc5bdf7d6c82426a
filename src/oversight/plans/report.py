"""Part 2 of the quarterly report, from the statistics: what changed significantly, the SPC charts of the headline measures with the icon key and their commentary, and trend lines for the other measures."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.conf import settings

from oversight.core.cache import remembered
from oversight.lib import commentary as lc
from oversight.lib import document as d
from oversight.lib import icons
from oversight.lib.audience import Audience
from oversight.lib.charts import sparkline, spc_chart
from oversight.lib.numbers import format_derived, format_value
from oversight.lib.periods import Period as PeriodSpec
from oversight.lib.periods import PeriodKind, parse_period
from oversight.lib.spc import Assurance, PointType
from oversight.plans.assessment import survey_of, survey_words
from oversight.plans.models import Measure, Plan
from oversight.plans.statistics import (
    ASSURANCE_WORDS,
    ICON_KEY,
    MIN_SPARKLINE_POINTS,
    SYNTHETIC_NOTE,
    VARIATION_STATUS,
    VARIATION_WORDS,
    MeasureStatistics,
    measure_statistics,
)


def part2_sections(plan: Plan, period_code: str, *, audience: Audience) -> list[d.Block]:
    """Part 2's statistics: what changed significantly, the SPC charts of the headline measures
    with the icon key and their commentary, and trend lines for the other measures."""
    period = parse_period(period_code)
    found = [
        st
        for st in measure_statistics(plan, period.code, [plan.force_area], audience=audience)
        if st.status.area.is_force_area
    ]
    blocks: list[d.Block] = [changed_section(found, period)]
    surveys = survey_section(found)
    if surveys is not None:
        blocks.append(surveys)
    dated = vintage_section(found, period)
    if dated is not None:
        blocks.append(dated)
    charts = [st for st in found if st.measure.headline and len(st.values) >= 2]
    if charts:
        section = d.Section("Headline measures: statistical process control charts")
        section.add(
            d.Paragraph.of(
                "Each chart shows the measure's figures over time with their average (solid line) "
                "and the range within which figures vary by chance alone (the process limits, "
                "dashed), following NHS England's “Making Data Count” method. The icons beside "
                "each chart, each with its words, say whether the latest figure shows a real "
                "change and whether the target is likely to be met:"
            ),
            icon_key(),
        )
        for st in charts:
            section.add(*chart_blocks(st))
        blocks.append(section)
    trends = [
        st for st in found if not st.measure.headline and len(st.values) >= MIN_SPARKLINE_POINTS
    ]
    if trends:
        blocks.append(trend_table(trends))
    return blocks


def changed_section(found: list[MeasureStatistics], period: PeriodSpec) -> d.Section:
    items: list[list[d.Inline]] = []
    for st in found:
        words = _measure_words(st.measure)
        for change, against in (
            (
                st.change_vs_previous,
                "the previous quarter"
                if period.kind is PeriodKind.QUARTER
                else "the previous period",
            ),
            (st.change_vs_last_year, "the same period last year"),
        ):
            if change and change.significant:
                direction = "higher" if change.difference > 0 else "lower"
                items.append(
                    [
                        d.Text(words, bold=True),
                        f": {_fmt(change.current.value, st.measure.unit)} against "
                        f"{_fmt(change.other.value, st.measure.unit)} in {change.label} ({against}), "
                        f"{_pct(change.percent)}{direction}; {_p(change.test.p_value)}.",
                    ]
                )
        if st.variation in (PointType.SPECIAL_CAUSE_IMPROVEMENT, PointType.SPECIAL_CAUSE_CONCERN):
            items.append(
                [
                    d.Text(words, bold=True),
                    ": ",
                    d.Text(VARIATION_WORDS[st.variation], status=VARIATION_STATUS[st.variation]),
                    " in the latest figure of its chart.",
                ]
            )
        if st.significantly_worse_than_target:
            items.append([d.Text(words, bold=True), ": significantly worse than its target."])
    section = d.Section(f"What changed significantly in {period.label}")
    if items:
        section.add(
            d.Paragraph.of(
                "Changes that are unlikely to be chance alone (5% significance level, or a special "
                "cause on the measure's chart):"
            ),
            d.BulletList(items),
        )
    else:
        section.add(
            d.Paragraph.of(
                "No measure's change against the previous period or the same period last year is "
                "statistically significant, and no chart shows a special cause in its latest figure."
            )
        )
    section.add(
        d.Paragraph.of(
            "Changes are tested only where the data allow it: counts by the exact test for two "
            "counts, proportions from their numerators and denominators. METHODOLOGY.md explains "
            "the tests.",
            style="small",
        )
    )
    return section


def survey_section(found: list[MeasureStatistics]) -> d.Section | None:
    """Each survey result with its response rate and margin of error at 95%, whether its gap to
    target and its change since the last survey are larger than the margin, or that the sample is
    too small to judge (METHODOLOGY.md: Surveys)."""
    items: list[list[d.Inline]] = []
    for st in found:
        o = st.status.observation
        judged = survey_of(o, st.status.target)
        if o is None or o.value is None or judged is None:
            continue
        line: list[d.Inline] = [
            d.Text(_measure_words(st.measure), bold=True),
            f": {format_value(o.value, st.measure.unit)} in {o.period.label}. "
            f"{survey_words(judged)}",
        ]
        change = st.change_vs_previous
        if change is not None and change.test is not None and not judged.too_small:
            points = float(change.difference)
            larger = bool(change.significant)
            line.append(
                f" The change since {change.label} ({points:+.1f} points) is "
                + (
                    "larger than sampling alone would give"
                    if larger
                    else "within what sampling alone would give"
                )
                + f" ({change.test.method}, {_p(change.test.p_value)})."
                if change.test.p_value is not None
                else ""
            )
        items.append(line)
    if not items:
        return None
    section = d.Section("Survey results: margins of error")
    section.add(
        d.Paragraph.of(
            "A survey result is an estimate from those who answered: the margin of error gives the "
            "range (95% confidence) within which the figure for everyone asked is likely to lie. "
            "A change or a gap to target smaller than it may be chance alone."
        ),
        d.BulletList(items),
    )
    return section


def vintage_section(found: list[MeasureStatistics], period: PeriodSpec) -> d.Section | None:
    """The figures whose data cover another span than the period, with the span, and those whose
    data ended more than OVERSIGHT_STALE_MONTHS before the period did flagged stale."""
    items: list[list[d.Inline]] = []
    for st in found:
        o = st.status.observation
        if o is None or not o.data_span:
            continue
        line: list[d.Inline] = [
            d.Text(_measure_words(st.measure), bold=True),
            f": latest data: {o.data_span_words}",
        ]
        if o.stale:
            line += [" (", d.Text("stale", bold=True), f": {o.stale_words.split(': ', 1)[1]})"]
        items.append(line + ["."])
    if not items:
        return None
    section = d.Section("How current the figures are")
    section.add(
        d.Paragraph.of(
            f"These figures in the report for {period.label} come from data covering another span "
            f"than the period; a figure whose data end more than {settings.OVERSIGHT_STALE_MONTHS} "
            "months before the period's end is marked stale."
        ),
        d.BulletList(items),
    )
    return section


def icon_key() -> d.Table:
    """The key: each Making Data Count icon beside its words and what they mean."""
    pictures: list[icons.Icon] = [
        icons.variation_icon(PointType.COMMON_CAUSE),
        icons.variation_icon(PointType.SPECIAL_CAUSE_IMPROVEMENT),
        icons.variation_icon(PointType.SPECIAL_CAUSE_CONCERN),
        icons.variation_icon(PointType.SPECIAL_CAUSE_NEITHER),
        icons.assurance_icon(Assurance.CONSISTENTLY_PASSES),
        icons.assurance_icon(Assurance.CONSISTENTLY_FAILS),
        icons.assurance_icon(Assurance.HIT_AND_MISS),
    ]
    return d.Table(
        caption="Key to the variation and assurance icons",
        header=["Icon and words on the chart", "What they mean"],
        rows=[
            d.Row([d.Cell([_image(icon), " ", d.Text(w, bold=True)]), d.Cell.of(meaning)])
            for icon, (w, meaning) in zip(pictures, ICON_KEY, strict=True)
        ],
        widths=[2, 5],
    )


def _image(icon: icons.Icon) -> d.Image:
    return d.Image(svg=icon.svg, png=icon.png, alt=icon.alt, width_cm=0.6, icon=True)


def variation_marks(st: MeasureStatistics) -> list[d.Inline]:
    """The variation icon and its words ("H" or "L" as the latest point is high or low)."""
    if not st.variation or st.result is None:
        return [d.Text("Too few points for the variation and assurance icons", italic=True)]
    high = bool(st.result.directions) and st.result.directions[-1] > 0
    return [
        _image(icons.variation_icon(st.variation, high)),
        " ",
        d.Text(VARIATION_WORDS[st.variation], status=VARIATION_STATUS[st.variation]),
    ]


def assurance_marks(st: MeasureStatistics) -> list[d.Inline]:
    """The assurance icon and its words, or nothing without a target."""
    if not st.assurance:
        return []
    return [
        _image(icons.assurance_icon(st.assurance)),
        " ",
        d.Text(ASSURANCE_WORDS[st.assurance], bold=True),
    ]


def chart_blocks(st: MeasureStatistics) -> list[d.Block]:
    result = st.result
    if result is None:
        raise ValueError(f"{st.measure} has no statistics to chart")
    m = st.measure
    labels = [_label(p) for p in st.periods]
    title = m.name.rstrip("*").strip()
    # Drawn once per series: the key is everything the chart shows.
    chart = remembered(
        "spc-chart",
        (repr(result), title, labels, m.unit),
        lambda: spc_chart(result, title=title, periods=labels, unit=m.unit),
    )
    caption = f"{m.code} {m.name.rstrip('*').strip()}: {len(st.values)} {st.series_kind}s, {labels[0]} to {labels[-1]}."
    if st.synthetic:
        caption += f" {SYNTHETIC_NOTE}"
    words = variation_marks(st)
    if st.assurance:
        words += [" ", *assurance_marks(st)]
    out: list[d.Block] = [
        d.Figure(alt=chart.alt, caption=caption, svg=chart.svg, png=chart.png),
        d.Paragraph(words),
    ]
    if st.commentary:
        out.append(d.Paragraph.of(st.commentary))
    return out


def trend_table(trends: list[MeasureStatistics]) -> d.Table:
    rows = []
    for st in trends:
        m = st.measure
        labels = [_label(p) for p in st.periods]
        spark = remembered(
            "sparkline",
            (st.values, m.name, labels, m.unit),
            partial(sparkline, st.values, title=m.name, periods=labels, unit=m.unit),
        )
        too_few: list[d.Inline] = [d.Text("Too few points", italic=True)]
        variation = variation_marks(st) if st.variation else too_few
        rows.append(
            d.Row(
                [
                    d.Cell.of(f"{m.code} {m.name}"),
                    d.Cell([d.Image(svg=spark.svg, png=spark.png, alt=spark.alt, width_cm=3.0)]),
                    d.Cell(variation),
                ]
            )
        )
    return d.Table(
        caption="Trends in the other measures",
        header=["Measure", "Trend", "Variation"],
        rows=rows,
        widths=[4, 2, 3],
    )


def _label(code: str) -> str:
    return parse_period(code).short


def _fmt(value: Decimal, unit: str) -> str:
    return format_derived(value, unit if unit in lc.UNITS else "count")


def _p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def _pct(percent: float | None) -> str:
    return "" if percent is None else f"{abs(percent):.1f}% "


def _measure_words(m: Measure) -> str:
    return f"{m.code} {m.name.rstrip('*').strip()}"
