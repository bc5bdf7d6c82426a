"""The figure keys a narrative may cite (lib.citations), registered by the apps that hold the
figures, so that the plans app, which may not import them, can refuse an unknown key when a
narrative is imported or saved and fill the keys in the editor's preview; the report composer
fills them the same way.

Each app registers a family in its AppConfig.ready(): its keys, and a function giving its figures
as text for a plan, a period and an audience, computed by the app's own report functions (which
give an audience only what it may read)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from oversight.lib.audience import Audience
from oversight.lib.citations import KeySpec, citations, fill, problems

# (plan, period code, audience) → {"field" or "field:code": the figure as printed, or None}
Figures = Callable[[Any, str, Audience], Mapping[str, str | None]]


@dataclass(frozen=True)
class Family:
    name: str
    keys: tuple[KeySpec, ...]
    figures: Figures


_families: dict[str, Family] = {}


def register(name: str, keys: dict[str, str], figures: Figures) -> None:
    """Register a family of keys: {field: what it gives} (a field ending ":CODE" names an item by
    its code), and the function giving its figures. Registering a name again replaces it."""
    specs = tuple(
        KeySpec(name, field.removesuffix(":CODE"), field.endswith(":CODE"), means)
        for field, means in keys.items()
    )
    _families[name] = Family(name, specs, figures)


def known() -> list[KeySpec]:
    """Every registered key, by family then field."""
    return sorted(
        (k for f in _families.values() for k in f.keys), key=lambda k: (k.family, k.field)
    )


def check(text: str, *, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, reason) for each citation in `text` that is malformed or names no known key."""
    return problems(text, known(), first_line=first_line)


def filler(plan: Any, period_code: str, *, audience: Audience) -> Callable[[str], str]:
    """A function filling a text's citations from the record as `audience` may read it for the
    plan's period; each family cited is read once, when first cited."""
    read: dict[str, Mapping[str, str | None]] = {}

    def fill_text(text: str) -> str:
        for c in citations(text):
            if c.family not in read and c.family in _families:
                read[c.family] = _families[c.family].figures(plan, period_code, audience)
        return fill(text, read)

    return fill_text
