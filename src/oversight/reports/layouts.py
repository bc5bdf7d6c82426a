"""Report layouts: YAML files the office edits that choose a report's sections and their order,
headings, paragraph numbering and what each section draws from. Three ship in `layouts/` (seed
002's monitoring report, seed 003's committee paper, seed 004's summary); an office may keep its
own in the folder OVERSIGHT_REPORT_LAYOUTS_DIR names, where a file of the same name wins.

A layout is read and checked in full before anything is composed: a bad file is refused with
every problem listed (file, line, key and reason). The README's "Report layouts" lists the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from oversight.core.layout_names import BUILT_IN as BUILT_IN  # the shipped layouts' folder
from oversight.core.layout_names import NAME, available, folders
from oversight.lib.problems import ImportRefused, Problem, Problems
from oversight.lib.yamlfile import load_yaml
from oversight.plans.importers import IMPLICATION_KEYS
from oversight.plans.models import Section as NarrativeSection

# What a section may draw from: seed 002's own sections keep their fixed wording; the rest print
# the office's narrative for the section first (`narrative:`, or the layout's `text:` when none is
# written) and then what they draw from the record.
SOURCES = {
    # seed 002's monitoring report, unchanged
    "purpose": "seed 002's Purpose (the narrative, else the standard paragraph)",
    "background": "seed 002's Background",
    "format": "seed 002's Format of the report",
    "objective_updates": "seed 002's Part 1: an update per objective",
    "measures": "seed 002's Part 2: RAG key, headline count, performance sections",
    "activity": "seed 002's Part 3: activity narratives, registers and scrutiny",
    "recommendations": "seed 002's Recommendations",
    "objective_list": "seed 002's Appendix A: the objectives",
    "measures_table": "seed 002's Appendix B: the measures table",
    # the other layouts
    "narrative": "the office's text for the section named by `narrative:` (or `text:`)",
    "summary": "an executive summary: purpose and period covered (or the narrative)",
    "delivery": "the delivery plan's progress overall (delivery plan)",
    "objectives": "a section per objective: its narrative, delivery activities, commissioned services",
    "finance": "the budget and the quarter's forecast (finance)",
    "engagement": "engagement, communications and casework counts (engagement)",
    "performance": "the headline measures' count by the rules (measures)",
    "registers": "the registers' sections: decisions, grants, contracts, bids (registers)",
    "scrutiny": "the scrutiny sections: meetings, actions, HMICFRS (scrutiny)",
    "grants_and_bids": "the registers' grants awarded and bids sections alone (registers)",
    "inspections": "HMICFRS reports on the force published in the year to the period's end",
    "implications": "one implication (risk, financial, legal or equality): narrative, record or None.",
    "contacts": "contact points: the narrative, else the layout's text",
}
OBJECTIVE_PARTS = ("narrative", "delivery", "commissioning")
PLACEHOLDERS = ("plan", "force", "period", "period_start", "period_end", "plan_start", "plan_end")
DOCUMENT_KEYS = {
    "description",
    "title",
    "subtitle",
    "organisation",
    "date_line",
    "footnotes_title",
    "paragraph_numbering",
    "sections",
}
SECTION_KEYS = {
    "heading",
    "number",
    "draws",
    "narrative",
    "text",
    "numbered",
    "page_break_before",
    "landscape",
    "anchor",
    "implication",
    "objective_heading",
    "shows",
}
NUMBERING = ("none", "consecutive")


@dataclass
class SectionLayout:
    draws: str
    heading: str = ""
    number: str = ""
    narrative: str = ""
    text: str = ""
    numbered: bool = True  # with paragraph_numbering: consecutive, this section's are numbered
    page_break_before: bool = False
    landscape: bool = False
    anchor: str = ""
    implication: str = ""
    objective_heading: str = "{title}"
    shows: tuple[str, ...] = OBJECTIVE_PARTS


@dataclass
class Layout:
    name: str
    title: str
    subtitle: str = ""
    organisation: str = ""
    date_line: str = ""
    footnotes_title: str = "Notes"
    paragraph_numbering: str = "none"
    description: str = ""
    sections: list[SectionLayout] = field(default_factory=list)


class LayoutError(ImportRefused):
    """A layout that cannot be used: unknown, or its file has problems (each listed)."""

    @property
    def message(self) -> str:
        n = self.total
        head = f"{n:,} problem{'s' if n != 1 else ''} in the report layout; no report was composed:"
        return "\n".join([head] + [f"  - {line}" for line in self.lines()])


def find(name: str) -> Path:
    if NAME.fullmatch(name or ""):
        for folder in folders():
            path = folder / f"{name}.yaml"
            if path.is_file():
                return path
    known = ", ".join(available())
    raise LayoutError(
        [Problem(f"{name}.yaml", None, None, f'no layout "{name}" (layouts: {known})')]
    )


def load(name: str) -> Layout:
    """The layout of that name, read and checked; raises LayoutError listing every problem."""
    return read_layout(find(name))


def read_layout(path: Path | str) -> Layout:
    path = Path(path)
    try:
        data = load_yaml(path, max_bytes=settings.OVERSIGHT_MAX_IMPORT_BYTES)
    except ImportRefused as exc:
        raise LayoutError(exc.problems, exc.more) from None
    lines = _lines_of(path.read_text(encoding="utf-8"))
    problems = Problems(path.name)

    def add(key: str, reason: str) -> None:
        line = lines.get(key) or lines.get(key.rsplit(".", 1)[0])
        problems.add(f"line {line}" if line else None, key, reason)

    if not isinstance(data, dict):
        add("", "a layout is a mapping of keys (title:, sections:, …)")
        raise LayoutError(problems.items)
    for key in sorted(set(map(str, data)) - DOCUMENT_KEYS):
        add(key, f"unknown key (keys: {', '.join(sorted(DOCUMENT_KEYS))})")

    def text(
        d: dict, key: str, where: str, required: bool = False, names: tuple = PLACEHOLDERS
    ) -> str:
        value = d.get(key)
        if value is None:
            if required:
                add(f"{where}{key}", "is missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            add(f"{where}{key}", f"must be text, not {type(value).__name__}")
            return ""
        value = str(value)
        for name in re.findall(r"\{([^{}]*)\}", value):
            if name not in names:
                add(
                    f"{where}{key}",
                    f'unknown placeholder "{{{name}}}" (placeholders: '
                    + ", ".join(f"{{{p}}}" for p in names)
                    + ")",
                )
        return value

    def flag(d: dict, key: str, where: str, default: bool) -> bool:
        value = d.get(key, default)
        if not isinstance(value, bool):
            add(f"{where}{key}", f"must be true or false, not {value!r}")
            return default
        return value

    layout = Layout(
        name=path.stem,
        title=text(data, "title", "", required=True),
        subtitle=text(data, "subtitle", ""),
        organisation=text(data, "organisation", ""),
        date_line=text(data, "date_line", ""),
        footnotes_title=text(data, "footnotes_title", "") or "Notes",
        description=text(data, "description", ""),
        paragraph_numbering=text(data, "paragraph_numbering", "") or "none",
    )
    if layout.paragraph_numbering not in NUMBERING:
        add("paragraph_numbering", f"must be one of {', '.join(NUMBERING)}")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        add("sections", "must be a list of at least one section")
        raw_sections = []
    narratives = {s.value for s in NarrativeSection}
    for i, raw in enumerate(raw_sections):
        where = f"sections[{i}]."
        if not isinstance(raw, dict):
            add(f"sections[{i}]", "a section is a mapping (heading:, draws:, …)")
            continue
        for key in sorted(set(map(str, raw)) - SECTION_KEYS):
            add(f"{where}{key}", f"unknown key (keys: {', '.join(sorted(SECTION_KEYS))})")
        draws = text(raw, "draws", where, required=True)
        if draws and draws not in SOURCES:
            add(f"{where}draws", f'unknown source "{draws}" (sources: {", ".join(SOURCES)})')
        s = SectionLayout(
            draws=draws,
            heading=text(raw, "heading", where),
            number=text(raw, "number", where),
            narrative=text(raw, "narrative", where),
            text=text(raw, "text", where),
            numbered=flag(raw, "numbered", where, True),
            page_break_before=flag(raw, "page_break_before", where, False),
            landscape=flag(raw, "landscape", where, False),
            anchor=text(raw, "anchor", where),
            implication=text(raw, "implication", where),
            objective_heading=text(raw, "objective_heading", where, names=("code", "title"))
            or "{title}",
        )
        if not s.heading and draws != "objectives":
            add(f"{where}heading", "is missing (only an objectives section may have none)")
        if s.narrative and s.narrative not in narratives:
            add(f"{where}narrative", f'unknown narrative section "{s.narrative}"')
        if draws == "narrative" and not (s.narrative or s.text):
            add(f"{where}narrative", "a narrative section names its narrative: or gives text:")
        if draws == "implications" and s.implication not in IMPLICATION_KEYS:
            add(f"{where}implication", f"must be one of {', '.join(IMPLICATION_KEYS)}")
        if "shows" in raw:
            shows = raw["shows"]
            if not isinstance(shows, list) or not all(x in OBJECTIVE_PARTS for x in shows):
                add(f"{where}shows", f"must be a list of {', '.join(OBJECTIVE_PARTS)}")
            else:
                s.shows = tuple(shows)
        if s.anchor and not NAME.fullmatch(s.anchor):
            add(f"{where}anchor", "must be lower-case letters, digits and hyphens")
        layout.sections.append(s)
    if problems:
        raise LayoutError(problems.items, problems.more)
    return layout


def _lines_of(text: str) -> dict[str, int]:
    """Each key path in the YAML ("sections[2].draws") and the line it starts on."""
    out: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out

    def walk(node: Any, path: str) -> None:
        if path:
            out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = f"{path}.{k.value}" if path else str(k.value)
                out.setdefault(key, k.start_mark.line + 1)
                walk(v, key)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, f"{path}[{i}]")

    if root is not None:
        walk(root, "")
    return out
