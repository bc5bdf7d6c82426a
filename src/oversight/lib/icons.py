"""NHS England "Making Data Count" icons: the variation and assurance marks beside an SPC chart.

Following the Making Data Count convention (as NHS England's guidance and the NHS-R community's
NHSRplotthedots draw them): a white disc with a coloured ring holding a small run of points.

- Variation: common cause is grey with grey points and no letter; a special cause is orange for
  concern and blue for improvement (purple where neither direction is better), its last two
  points in that colour above the run with an "H" on top where the figure is high, below it with
  an "L" underneath where low.
- Assurance: a dashed target line and a grey process line; "P" in blue when the target is
  consistently passed, "F" in orange when consistently failed, "?" in grey when hit and miss.

The hues are Making Data Count's, darkened to at least 4.5:1 against white so the ring and the
letter meet WCAG's contrast for text. An icon never stands alone: every one has its words (`alt`,
which renderers give as the text alternative) and the report and pages print the words beside it.

One geometry (a 100 × 100 box, y upwards) draws both the SVG (for HTML and PDF) and, through
matplotlib, the PNG (for Word) and the icons on the charts themselves.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from .spc import Assurance, PointType

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CONCERN = "#B85C00"
IMPROVEMENT = "#0072C6"
NEITHER = "#490092"
COMMON = "#6B6D6D"
FONT = "Liberation Sans, Arial, DejaVu Sans, sans-serif"

XS = (24, 37, 50, 63, 76)
RUNS = {  # the run of points: y of each
    "common": (48, 42, 50, 43, 49),
    "high": (33, 29, 35, 48, 53),
    "low": (64, 69, 62, 50, 45),
}
TARGET_Y = 40
PROCESS = {  # the grey process line beside the dashed target, for each assurance
    Assurance.CONSISTENTLY_PASSES: ((20, 52), (32, 56), (44, 50), (56, 57), (68, 51), (80, 55)),
    Assurance.CONSISTENTLY_FAILS: ((20, 28), (32, 24), (44, 30), (56, 23), (68, 29), (80, 25)),
    Assurance.HIT_AND_MISS: ((20, 48), (32, 30), (44, 52), (56, 29), (68, 50), (80, 32)),
}


class Icon(NamedTuple):
    svg: str
    png: bytes
    alt: str


class _Spec(NamedTuple):
    colour: str
    letter: str  # "" for none
    letter_y: float
    run: str | None  # variation: "common", "high" or "low"; None for assurance
    assurance: str | None
    alt: str


VARIATION_ALT = {
    PointType.COMMON_CAUSE: "Common cause variation",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "Special cause variation: improvement",
    PointType.SPECIAL_CAUSE_CONCERN: "Special cause variation: concern",
    PointType.SPECIAL_CAUSE_NEITHER: "Special cause variation: neither better nor worse",
}
ASSURANCE_ALT = {
    Assurance.CONSISTENTLY_PASSES: "Assurance: consistently passes the target",
    Assurance.CONSISTENTLY_FAILS: "Assurance: consistently fails the target",
    Assurance.HIT_AND_MISS: "Assurance: hit and miss, sometimes passes, sometimes fails",
}
VARIATION_COLOUR = {
    PointType.COMMON_CAUSE: COMMON,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: IMPROVEMENT,
    PointType.SPECIAL_CAUSE_CONCERN: CONCERN,
    PointType.SPECIAL_CAUSE_NEITHER: NEITHER,
}
ASSURANCE_MARK = {
    Assurance.CONSISTENTLY_PASSES: ("P", IMPROVEMENT),
    Assurance.CONSISTENTLY_FAILS: ("F", CONCERN),
    Assurance.HIT_AND_MISS: ("?", COMMON),
}


def _variation_spec(variation: str, high: bool) -> _Spec:
    kind = PointType(variation)
    alt = VARIATION_ALT[kind]
    if kind is PointType.COMMON_CAUSE:
        return _Spec(COMMON, "", 0, "common", None, alt)
    letter, y = ("H", 74) if high else ("L", 25)
    alt += ", high" if high else ", low"
    return _Spec(VARIATION_COLOUR[kind], letter, y, "high" if high else "low", None, alt)


def _assurance_spec(assurance: str) -> _Spec:
    kind = Assurance(assurance)
    letter, colour = ASSURANCE_MARK[kind]
    return _Spec(colour, letter, 74, None, kind.value, ASSURANCE_ALT[kind])


@lru_cache(maxsize=16)
def variation_icon(variation: str, high: bool = True) -> Icon:
    """The variation icon for a PointType value; `high` says whether a special cause is high
    (ignored for common cause)."""
    return _icon(_variation_spec(variation, high))


@lru_cache(maxsize=8)
def assurance_icon(assurance: str) -> Icon:
    """The assurance icon for an Assurance value."""
    return _icon(_assurance_spec(assurance))


def _icon(spec: _Spec) -> Icon:
    return Icon(_svg(spec), _png(spec), spec.alt)


# ---------------------------------------------------------------- SVG


def _svg(spec: _Spec) -> str:
    """Presentation attributes only (no style attributes), so a strict CSP page may inline it."""

    def y(v: float) -> float:
        return 100 - v

    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">',
        f'<circle cx="50" cy="50" r="44" fill="#FFFFFF" stroke="{spec.colour}" stroke-width="7"/>',
    ]
    if spec.run is not None:
        ys = RUNS[spec.run]
        points = " ".join(f"{x},{y(v)}" for x, v in zip(XS, ys, strict=True))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{COMMON}" stroke-width="2.5"/>'
        )
        for i, (x, v) in enumerate(zip(XS, ys, strict=True)):
            colour = spec.colour if spec.letter and i >= 3 else COMMON
            parts.append(f'<circle cx="{x}" cy="{y(v)}" r="5.5" fill="{colour}"/>')
    if spec.assurance is not None:
        parts.append(
            f'<line x1="14" y1="{y(TARGET_Y)}" x2="86" y2="{y(TARGET_Y)}" stroke="{spec.colour}" '
            'stroke-width="4" stroke-dasharray="8 4"/>'
        )
        process = " ".join(f"{x},{y(v)}" for x, v in PROCESS[Assurance(spec.assurance)])
        parts.append(
            f'<polyline points="{process}" fill="none" stroke="{COMMON}" stroke-width="4"/>'
        )
    if spec.letter:
        # The letter's middle on letter_y: its baseline sits about a third of the size lower.
        parts.append(
            f'<text x="50" y="{y(spec.letter_y) + 11:g}" text-anchor="middle" '
            f'font-family="{FONT}" font-weight="bold" font-size="32" '
            f'fill="{spec.colour}">{spec.letter}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- matplotlib (PNG, charts)


def draw(
    ax: Axes, *, variation: str | None = None, high: bool = True, assurance: str | None = None
) -> None:
    """Draw one icon into a matplotlib Axes (its box becomes 0–100 each way, axes hidden)."""
    spec = (
        _variation_spec(variation, high)
        if variation is not None
        else _assurance_spec(assurance or "")
    )
    _draw(ax, spec)


def _draw(ax: Axes, spec: _Spec) -> None:
    from matplotlib.patches import Circle

    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # Sizes in points scale with the axes' width, so an icon looks the same at any size.
    fig = ax.get_figure(root=True)
    width_in = ax.get_position().width * (fig.get_figwidth() if fig is not None else 1.0)
    scale = width_in * 72 / 100  # points per box unit
    ax.add_patch(
        Circle((50, 50), 44, facecolor="white", edgecolor=spec.colour, linewidth=7 * scale)
    )
    if spec.run is not None:
        ys = RUNS[spec.run]
        ax.plot(XS, ys, color=COMMON, linewidth=2.5 * scale)
        for i, (x, v) in enumerate(zip(XS, ys, strict=True)):
            colour = spec.colour if spec.letter and i >= 3 else COMMON
            ax.add_patch(Circle((x, v), 5.5, color=colour))
    if spec.assurance is not None:
        ax.plot([14, 86], [TARGET_Y] * 2, color=spec.colour, linewidth=4 * scale, dashes=(2, 1))
        xs, vs = zip(*PROCESS[Assurance(spec.assurance)], strict=True)
        ax.plot(xs, vs, color=COMMON, linewidth=4 * scale)
    if spec.letter:
        ax.text(
            50,
            spec.letter_y,
            spec.letter,
            ha="center",
            va="center",
            color=spec.colour,
            fontsize=32 * scale,
            fontweight="bold",
        )


def _png(spec: _Spec, size_in: float = 0.5, dpi: int = 200) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig = Figure(figsize=(size_in, size_in), dpi=dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        _draw(ax, spec)
        buf = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None})
    return buf.getvalue()
