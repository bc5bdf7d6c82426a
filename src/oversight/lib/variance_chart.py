"""The over/underspend chart: each budget line's forecast variance as a horizontal bar, left of
zero an underspend, right an overspend, in the style of lib.charts (matplotlib's Figure, imported
only when a chart is drawn; a stable SVG; real text). Colour never carries meaning alone: each bar
is labelled with its sum and its status in words, and the alt text and the page's data table say
the same in full."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from .charts import INK, RC, Chart, _render
from .money import format_money
from .rag import Rag

# The GOV.UK tag colours for the statuses, darkened where needed for 3:1 contrast on white.
RAG_COLOURS = {Rag.GREEN: "#00703C", Rag.AMBER: "#B35C00", Rag.RED: "#D4351C", None: "#505A5F"}


class VarianceBar(NamedTuple):
    label: str
    variance: Decimal
    rag: Rag | None


def _words(bar: VarianceBar) -> str:
    kind = "underspend" if bar.variance < 0 else "overspend" if bar.variance > 0 else "on budget"
    status = bar.rag.word if bar.rag else "no status"
    amount = format_money(abs(bar.variance)) if bar.variance else ""
    return f"{kind} {amount} ({status})".replace("  ", " ")


def variance_alt_text(bars: Sequence[VarianceBar], *, title: str) -> str:
    parts = [f"{b.label}: {_words(b)}" for b in bars]
    return f"{title}. Forecast variance against budget by line. " + "; ".join(parts) + "."


def variance_chart(bars: Sequence[VarianceBar], *, title: str, dpi: int = 100) -> Chart:
    """The chart as SVG and PNG with its alt text; `bars` top to bottom."""
    if not bars:
        raise ValueError("a variance chart needs at least one line")
    import matplotlib
    from matplotlib.figure import Figure

    values = [float(b.variance) / 1_000_000 for b in bars]  # drawing only: the figures are Decimal
    height = 0.9 + 0.4 * len(bars)
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]  # keys are valid rcParams
        fig = Figure(figsize=(7, height), dpi=dpi)
        ax = fig.add_axes((0.3, 0.6 / height, 0.45, 1 - 0.9 / height))
        ys = list(range(len(bars)))[::-1]
        ax.barh(ys, values, color=[RAG_COLOURS[b.rag] for b in bars], height=0.6)
        ax.axvline(0, color=INK, linewidth=0.8)
        ax.set_yticks(ys, [b.label for b in bars])
        ax.set_xlabel("£ million: underspend (−) / overspend (+)")
        span = max(abs(v) for v in values) or 1
        ax.set_xlim(-span * 1.1, span * 1.1)
        for y, b in zip(ys, bars, strict=True):
            ax.text(span * 1.15, y, _words(b), va="center", fontsize=7, color=INK)
        ax.set_title(title, loc="left", fontsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        svg, png = _render(fig)
    return Chart(svg, png, variance_alt_text(bars, title=title))
