"""Part 2 of the quarterly report: the measures fed from police.uk with their figures and source,
and, for those that ask for it, how the force compares with its peers."""

from __future__ import annotations

from dataclasses import dataclass

from oversight.lib import document as d
from oversight.lib.audience import Audience
from oversight.lib.numbers import format_value
from oversight.lib.periods import PeriodError, PeriodKind, parse_period
from oversight.lib.policeuk import Source, Statistic
from oversight.lib.spc import MIN_POINTS_FOR_ICONS, PointType
from oversight.plans.models import Plan
from oversight.plans.visibility import Figures

from .actions import fed_measures
from .compare import Comparison, compare, funnel
from .groups import NAMED, GroupError, resolve
from .queries import area_series, months_available


def part2_sections(plan: Plan, period_code: str, *, audience: Audience) -> list[d.Block]:
    """The police.uk-fed measures' figures that `audience` may read, and their peer comparison."""
    fed = fed_measures(plan)
    if not fed:
        return []
    codes = {a.pk: a.code for a in plan.areas.all()}
    figures = {
        (o.measure_id, codes[o.area_id]): o
        for o in Figures(plan, audience).find(periods=[period_code], measures=[m for m, _ in fed])
    }
    rows = []
    for m, source in fed:
        area = plan.force_area.code if not source.area else None
        o = next(
            (
                v
                for (mid, code), v in figures.items()
                if mid == m.pk and (area is None or code == area)
            ),
            None,
        )
        value = format_value(o.value, m.unit) if o and o.value is not None else "not available"
        rows.append(
            d.Row(
                [
                    d.Cell.of(f"{m.code} {m.name}"),
                    d.Cell.of(source.describe()),
                    d.Cell.of(value, align="right"),
                    d.Cell.of(o.source if o else "no police.uk figure for this period"),
                ]
            )
        )
    section = d.Section("Measures from police.uk open data")
    section.add(
        d.Paragraph.of(
            "These figures are counted from the street-level crime data the force publishes on "
            "data.police.uk (Open Government Licence v3.0), not typed in."
        ),
        d.Table(
            caption=f"Measures fed from police.uk, {period_code}",
            header=["Measure", "What is counted", "Figure", "Source"],
            rows=rows,
            widths=[3, 3, 1.2, 3],
        ),
    )
    for m, source in fed:
        areas = areas_sentence(source, period_code)
        if areas:
            section.add(d.Paragraph.of(f"{m.code} {m.name}, local policing areas: {areas}"))
    for m, source in fed:
        peers = peer_comparison(source, period_code)
        if peers is None:
            continue
        section.add(d.Paragraph.of(f"{m.code} {m.name}: {peers.sentence}"))
        if peers.result is None:
            continue
        for note in peers.result.notes:
            section.add(d.Paragraph.of(note, style="small"))
        chart = funnel(peers.result, source.force)
        if chart is not None:
            section.add(
                d.Figure(
                    alt=chart.alt,
                    caption=f"Funnel plot: {m.name}, {period_code}. {peers.result.populations}",
                    svg=chart.svg,
                    png=chart.png,
                )
            )
    return [section]


@dataclass
class PeerComparison:
    sentence: str  # the force against its group, in words
    result: Comparison | None = None
    group: str = ""  # the named group asked for (for a link to the compare page), if one


def peer_comparison(source: Source, period_code: str) -> PeerComparison | None:
    """How the force compares with the group the measure asks for, in the period; None if the
    measure asks for no comparison."""
    if not source.compare:
        return None
    named = source.compare[0] if len(source.compare) == 1 and source.compare[0] in NAMED else ""
    try:
        group, label = resolve(source.compare, source.force)
    except GroupError as exc:  # published: the plain reason, not the set-up instructions
        return PeerComparison(f"no comparison: {exc.public}.")
    try:
        result = compare(period_code, source.crime_types, group, label)
    except PeriodError as exc:  # a week: police.uk data are monthly
        return PeerComparison(f"no comparison: {exc}.")
    row = result.row(source.force)
    if row is None:
        return PeerComparison(
            f"no comparison for {period_code}: police.uk data is not imported for every month "
            "of the period."
        )
    same = [r for r in result.rows if (r.rate is None) == (row.rate is None)]
    words = f"{row.name} ranks {row.rank} of {len(same)} ({result.group_label}; 1 = lowest"
    if row.rate is not None:
        words += (
            f", by rate), with {row.rate:.2f} crimes per 1,000 residents against the group's "
            f"{result.group_rate:.2f}; "
            + (
                f"significantly {row.direction} than the group ({row.p_words})"
                if row.significant
                else f"not significantly different from the group ({row.p_words})"
            )
            + f". Its population: {row.population_source}, {row.population_year}"
            + (" (another year than most of the group's)" if row.other_year else "")
            + "."
        )
    else:
        words += ") by count: it has no population in the populations table."
    return PeerComparison(words, result, named or "")


def areas_sentence(source: Source, period_code: str) -> str:
    """For a force-wide count: which local policing areas were unusually high in the period's
    last month (special cause variation of concern, by the XmR rules over every month imported up
    to then), so the report finds them rather than a reader; "" where the measure is for one area
    or the force has no areas in the table."""
    if source.area or source.statistic is not Statistic.COUNT:
        return ""
    period = parse_period(period_code)
    whole = period.months() if period.kind is not PeriodKind.MONTH else [period]
    if not whole:
        return ""
    last = whole[-1].code
    months = [m for m in months_available(source.force) if m <= last]
    if not months or months[-1] != last:
        return ""
    series = area_series(source.force, months, source.crime_types)
    if not series:
        return ""
    by_area = {a.area: dict(zip(months, a.crimes, strict=True)) for a in series}
    results = {a.area: a.result for a in series}
    if all(r.variation is None for r in results.values()):
        return (
            f"too few months imported ({len(months)}; {MIN_POINTS_FOR_ICONS} needed) to judge "
            f"whether any area's {last} figure is unusual."
        )
    high = [
        f"{area} ({by_area[area][last]:,} in {last}; its monthly average {r.means[-1]:,.1f})"
        for area, r in results.items()
        if r.variation == PointType.SPECIAL_CAUSE_CONCERN
    ]
    if not high:
        return f"none shows special cause variation of concern in {last}."
    return "special cause variation of concern in " + "; ".join(high) + "."
