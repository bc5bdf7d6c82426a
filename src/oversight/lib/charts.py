"""SPC charts and sparklines as SVG and PNG, with alt text that says the same thing in words.

Colours follow NHS England's Making Data Count: orange for concern, blue for improvement, purple
for special cause that is neither, grey for common cause. Colour never carries meaning alone: the
legend and the caption name every special-cause type, and the Making Data Count icons
(`oversight.lib.icons`) carry their letter and have their words beside them.
Figures are built on matplotlib.figure.Figure (no pyplot state); the SVG is byte-for-byte stable.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .numbers import format_derived
from .periods import PeriodError, PeriodKind, parse_period
from .spc import Assurance, PointType, XmrResult

if TYPE_CHECKING:
    # matplotlib and Pillow are imported inside the functions that draw: loading them costs every
    # command and server start a few hundred milliseconds, and most never draw a chart
    from matplotlib.figure import Figure

CONCERN = "#ED8B00"
IMPROVEMENT = "#41B6E6"
NEITHER = "#490092"
COMMON = "#7B7D7D"
INK = "#231F20"
TARGET = "#DE1B1B"

COLOURS = {
    PointType.COMMON_CAUSE: COMMON,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: IMPROVEMENT,
    PointType.SPECIAL_CAUSE_CONCERN: CONCERN,
    PointType.SPECIAL_CAUSE_NEITHER: NEITHER,
}
# Keyed by PointType, looked up by the plain values an XmrResult holds.
WORDS: dict[str, str] = {
    PointType.COMMON_CAUSE: "common cause variation",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "special cause variation: improvement",
    PointType.SPECIAL_CAUSE_CONCERN: "special cause variation: concern",
    PointType.SPECIAL_CAUSE_NEITHER: "special cause variation (neither better nor worse)",
}
SHORT_WORDS: dict[str, str] = {  # two lines beside the icon
    PointType.COMMON_CAUSE: "Common cause\nvariation",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "Special cause:\nimprovement",
    PointType.SPECIAL_CAUSE_CONCERN: "Special cause:\nconcern",
    PointType.SPECIAL_CAUSE_NEITHER: "Special cause:\nneither",
}
ASSURANCE_WORDS = {  # letter, colour, words
    Assurance.CONSISTENTLY_PASSES: ("P", IMPROVEMENT, "consistently passes"),
    Assurance.CONSISTENTLY_FAILS: ("F", CONCERN, "consistently fails"),
    Assurance.HIT_AND_MISS: ("?", COMMON, "hit and miss"),
}
RC: dict[str, Any] = {
    "svg.hashsalt": "oversight",  # stable clip-path ids
    "svg.fonttype": "none",  # real text in the SVG: smaller, selectable, read by screen readers
    "font.family": "DejaVu Sans",
    "font.size": 8,
}


class Chart(NamedTuple):
    svg: str
    png: bytes
    alt: str


def spc_chart(
    result: XmrResult,
    *,
    title: str,
    periods: Sequence[str],
    unit: str = "count",
    width: float = 6.4,
    height: float = 3.2,
    dpi: int = 100,
) -> Chart:
    """Draw an XmR result: points, mean, process limits, target, icons; return (svg, png, alt)."""
    n = len(result.values)
    if len(periods) != n:
        raise ValueError("one period label per value")
    alt = spc_alt_text(result, title=title, periods=periods, unit=unit)
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context(RC):  # type: ignore[arg-type]  # keys are valid rcParams
        fig = Figure(figsize=(width, height), dpi=dpi)
        ax = fig.add_axes((0.09, 0.3, 0.66, 0.58))
        xs = range(n)
        ax.plot(xs, result.values, color=COMMON, linewidth=1, zorder=2)
        ax.plot(xs, result.means, color=INK, linewidth=1)
        if any(v is not None for v in result.lowers):
            lows = [math.nan if v is None else v for v in result.lowers]
            highs = [math.nan if v is None else v for v in result.uppers]
            ax.plot(xs, lows, color=INK, linewidth=0.8, linestyle="--")
            ax.plot(xs, highs, color=INK, linewidth=0.8, linestyle="--")
        if result.target is not None:
            ax.axhline(result.target, color=TARGET, linewidth=1, linestyle=":")
        for kind in PointType:
            idx = [i for i, t in enumerate(result.point_types) if t == kind]
            if idx:
                ax.scatter(
                    idx,
                    [result.values[i] for i in idx],
                    s=14,
                    color=COLOURS[kind],
                    zorder=3,
                )
        step = max(1, math.ceil(n / 12))
        ticks = list(range(0, n, step))
        ax.set_xticks(ticks, [periods[i] for i in ticks], rotation=45, ha="right")
        fig.text(0.09, 0.95, title, fontsize=9, va="top")  # cheaper than ax.set_title
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.yaxis.set_major_locator(MaxNLocator(5))
        fig.text(0.02, 0.02, _key(result), fontsize=6.5, va="bottom")  # a legend in words
        _icons(fig, result)
        svg, png = _render(fig)
    return Chart(svg, png, alt)


def _key(result: XmrResult) -> str:
    """The legend in words, kept short (long text is the slowest thing Agg draws)."""
    lines = "Solid: mean. Dashed: limits." + (" Red dotted: target." if result.target else "")
    names = {
        PointType.SPECIAL_CAUSE_IMPROVEMENT: "Blue: improvement.",
        PointType.SPECIAL_CAUSE_CONCERN: "Orange: concern.",
        PointType.SPECIAL_CAUSE_NEITHER: "Purple: special cause, neither.",
    }
    kinds = " ".join(names[k] for k in names if k.value in result.point_types)
    return f"{lines}\n{kinds}" if kinds else lines


def _icons(fig: Figure, result: XmrResult) -> None:
    """The Making Data Count variation and assurance icons (oversight.lib.icons), always with
    their words beside them."""
    from . import icons

    width, height = fig.get_figwidth(), fig.get_figheight()
    size = 0.42  # inches
    box = (size / width, size / height)
    if result.variation is not None:
        kind = PointType(result.variation)
        high = bool(result.directions) and result.directions[-1] > 0
        icons.draw(fig.add_axes((0.77, 0.74, *box)), variation=kind.value, high=high)
        fig.text(0.85, 0.805, SHORT_WORDS[kind], va="center", fontsize=7)
    else:
        fig.text(0.78, 0.86, "Too few points\nto judge variation", fontsize=7, va="center")
    if result.assurance is not None:
        _, _, words = ASSURANCE_WORDS[Assurance(result.assurance)]
        icons.draw(fig.add_axes((0.77, 0.56, *box)), assurance=result.assurance)
        fig.text(0.85, 0.625, f"Target:\n{words}", va="center", fontsize=7)


def _render(fig: Figure) -> tuple[str, bytes]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    png_buffer = io.BytesIO()
    # encode the drawn buffer ourselves: one Agg draw, fast zlib level, no timestamped metadata
    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
        png_buffer, format="png", compress_level=1
    )
    svg_buffer = io.StringIO()
    fig.savefig(svg_buffer, format="svg", metadata={"Date": None})
    return svg_buffer.getvalue(), png_buffer.getvalue()


def spc_alt_text(result: XmrResult, *, title: str, periods: Sequence[str], unit: str) -> str:
    """The chart in words: span, mean, limits, the latest point's variation, the target."""

    def fmt(v: float | None) -> str:
        return format_derived(v, unit)

    seg = result.segments[-1]
    parts = [f"SPC chart of {title}, {_span(periods)}: mean {fmt(seg.mean)}"]
    if seg.lower is not None:
        parts[0] += f", limits {fmt(seg.lower)} to {fmt(seg.upper)}"
    if len(result.segments) > 1:
        parts[0] += f" (recalculated from {periods[seg.start]})"
    latest = f"latest point {fmt(result.values[-1])}"
    if result.variation is None:
        parts.append(f"{latest}; too few points to judge its variation")
    else:
        parts.append(f"{latest} is {WORDS[PointType(result.variation)]}")
    if result.target is not None:
        where = "between the limits"
        if seg.upper is not None and result.target > seg.upper:
            where = "above the upper limit"
        elif seg.lower is not None and result.target < seg.lower:
            where = "below the lower limit"
        text = f"target {fmt(result.target)} is {where}"
        if result.assurance is not None:
            text += f" ({ASSURANCE_WORDS[Assurance(result.assurance)][2]})"
        parts.append(text)
    special = len(result.special_cause_points)
    if special:
        parts.append(f"{special} point{'s' if special != 1 else ''} show special cause variation")
    return "; ".join(parts) + "."


def _span(periods: Sequence[str]) -> str:
    """ "36 months April 2019 to March 2022" from period codes; falls back to the codes."""
    n = len(periods)
    try:
        first, last = parse_period(periods[0]), parse_period(periods[-1])
    except PeriodError:
        return f"{n} points {periods[0]} to {periods[-1]}"
    noun = {PeriodKind.MONTH: "month", PeriodKind.QUARTER: "quarter", PeriodKind.YEAR: "year"}[
        first.kind
    ]
    words = (lambda p: p.label) if first.kind is PeriodKind.MONTH else (lambda p: p.code)
    return f"{n} {noun}{'s' if n != 1 else ''} {words(first)} to {words(last)}"


def sparkline(
    values: Sequence[float],
    *,
    title: str = "",
    periods: Sequence[str] | None = None,
    unit: str = "count",
    width: float = 1.2,
    height: float = 0.3,
    dpi: int = 100,
) -> Chart:
    """A small trend line with the latest point marked; alt text gives first, last, low, high."""
    if not values:
        raise ValueError("a sparkline needs at least one value")
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(RC):  # type: ignore[arg-type]  # keys are valid rcParams
        fig = Figure(figsize=(width, height), dpi=dpi)
        ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
        ax.plot(range(len(values)), values, color=INK, linewidth=0.8)
        ax.plot([len(values) - 1], [values[-1]], "o", color=INK, markersize=2)
        ax.set_axis_off()
        svg, png = _render(fig)
    span = _span(periods) if periods else f"{len(values)} points"
    alt = (
        f"Trend{' of ' + title if title else ''}, {span}: from {format_derived(values[0], unit)} to "
        f"{format_derived(values[-1], unit)}, lowest {format_derived(min(values), unit)}, "
        f"highest {format_derived(max(values), unit)}."
    )
    return Chart(svg, png, alt)


class FunnelPoint(NamedTuple):
    label: str
    population: float
    rate: float  # per 1,000
    highlight: bool = False


def funnel_chart(
    points: Sequence[FunnelPoint],
    *,
    title: str,
    group_rate: float,
    limits: Sequence[tuple[float, float, float]],
    width: float = 6.4,
    height: float = 3.6,
    dpi: int = 100,
    footnote: str = "",
) -> Chart:
    """A funnel plot: each force's rate per 1,000 against its population, the group's rate, and
    limits given as (population, lower rate, upper rate) for 95% (dashed) and 99.8% (dotted):
    `limits` holds rows for both, the first half 95% and the second 99.8%. `footnote` (the
    populations' source and year) is printed under the plot and ends the text alternative."""
    import matplotlib
    from matplotlib.figure import Figure

    half = len(limits) // 2
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(width, height), dpi=dpi)
        ax = fig.add_axes((0.11, 0.17, 0.85, 0.7))
        for part, style in ((limits[:half], "--"), (limits[half:], ":")):
            xs = [p for p, _, _ in part]
            ax.plot(xs, [lo for _, lo, _ in part], color=INK, linewidth=0.8, linestyle=style)
            ax.plot(xs, [hi for _, _, hi in part], color=INK, linewidth=0.8, linestyle=style)
        ax.axhline(group_rate, color=INK, linewidth=1)
        for p in points:
            ax.scatter(
                [p.population],
                [p.rate],
                s=30 if p.highlight else 12,
                color=CONCERN if p.highlight else COMMON,
                zorder=3,
            )
            if p.highlight:
                ax.annotate(
                    p.label, (p.population, p.rate), xytext=(4, 4), textcoords="offset points"
                )
        ax.set_xlabel("Population")
        ax.set_ylabel("Rate per 1,000")
        fig.text(0.11, 0.95, title, fontsize=9, va="top")
        if footnote:
            fig.text(0.01, 0.01, footnote, fontsize=6, va="bottom", wrap=True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        svg, png = _render(fig)
    outside = [p.label for p in points if _outside(p, limits[half:])]
    alt = (
        f"Funnel plot of {title}: {len(points)} forces' rates per 1,000 residents against their "
        f"population; group rate {group_rate:.2f} per 1,000, with 95% (dashed) and 99.8% (dotted) "
        "limits. "
        + (
            f"Outside the 99.8% limits: {', '.join(outside)}."
            if outside
            else "No force lies outside the 99.8% limits."
        )
        + (f" {footnote}" if footnote else "")
    )
    return Chart(svg, png, alt)


def _outside(p: FunnelPoint, limits: Sequence[tuple[float, float, float]]) -> bool:
    nearest = min(limits, key=lambda row: abs(row[0] - p.population), default=None)
    return nearest is not None and not nearest[1] <= p.rate <= nearest[2]
