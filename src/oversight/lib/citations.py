"""Figures the office's narrative cites from the record by a key, filled in when a report is
composed, so a sentence such as "will deliver {{ commissioning.output_target:safer-streets-5 }}
initiatives" prints the record's figure for the report's audience and never a typed copy of it.

Syntax: `{{ family.field }}`, or `{{ family.field:CODE }}` for a figure of one coded item (an
output, a contract, a capital project), written on one line. The families and their fields are
registered by the apps that hold the figures (core.citations); this module only reads, checks
and fills the text. A cited figure the record does not hold, or that the audience may not read,
prints as NOT_RECORDED, visibly, never as a draft value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NOT_RECORDED = "[not recorded]"
CITATION = re.compile(r"\{\{([^{}\n]*)\}\}")
KEY = re.compile(r"([a-z][a-z_]*)\.([a-z][a-z_]*)(?::([A-Za-z0-9][A-Za-z0-9_.\-/]*))?")


@dataclass(frozen=True)
class KeySpec:
    """One citable field: its family ("finance"), field ("forecast_variance"), whether it names
    an item by code, and what it gives, in words."""

    family: str
    field: str
    coded: bool
    means: str

    @property
    def name(self) -> str:
        """How it is written: "finance.forecast_variance", "commissioning.output_target:CODE"."""
        return f"{self.family}.{self.field}" + (":CODE" if self.coded else "")


@dataclass(frozen=True)
class Citation:
    """One key as written in the text: family, field and code ("" when it names no item)."""

    family: str
    field: str
    code: str = ""

    @property
    def key(self) -> str:
        """The key a family's figures are looked up by: "field" or "field:code"."""
        return f"{self.field}:{self.code}" if self.code else self.field

    def __str__(self) -> str:
        return f"{self.family}.{self.key}"


def parse(inner: str) -> Citation | None:
    """The citation inside the braces ("finance.total_budget", " commissioning.kpi_outcomes:x "),
    or None when it is not of the form family.field[:CODE]."""
    m = KEY.fullmatch(inner.strip())
    return Citation(m[1], m[2], m[3] or "") if m else None


def citations(text: str) -> list[Citation]:
    """Every well-formed citation in `text`, in order."""
    return [c for m in CITATION.finditer(text or "") if (c := parse(m[1])) is not None]


def problems(text: str, known: Iterable[KeySpec], *, first_line: int = 1) -> list[tuple[int, str]]:
    """(line number, reason) for each citation in `text` that is malformed, names no known
    field, or gives or lacks the CODE its field needs; each reason lists the known keys.
    `first_line` is the number of the text's first line in its file."""
    specs = {(k.family, k.field): k for k in known}
    listed = ", ".join(sorted(k.name for k in specs.values())) or "none"
    out: list[tuple[int, str]] = []
    for n, line in enumerate((text or "").split("\n"), start=first_line):
        matched = 0
        for m in CITATION.finditer(line):
            matched += 1
            c = parse(m[1])
            spec = specs.get((c.family, c.field)) if c else None
            if c is None:
                why = f'"{m[0]}" is not a figure key: write {{{{ family.field }}}} or {{{{ family.field:CODE }}}}'
            elif spec is None:
                why = f'unknown figure key "{c}"'
            elif spec.coded and not c.code:
                why = f'"{c}" needs the code of the item it cites: {{{{ {spec.name} }}}}'
            elif not spec.coded and c.code:
                why = f'"{c}" names no item: write {{{{ {spec.name} }}}}'
            else:
                continue
            out.append((n, f"{why}; the known keys are: {listed}"))
        if line.count("{{") > matched:
            out.append((n, '"{{" opens a figure key that is not closed with "}}" on the same line'))
    return out


def fill(text: str, figures: Mapping[str, Mapping[str, str | None]]) -> str:
    """`text` with each citation replaced by its figure: figures[family][key] ("field" or
    "field:code"), printed as given; NOT_RECORDED where there is none (or it is blank)."""

    def one(m: re.Match[str]) -> str:
        c = parse(m[1])
        if c is None:
            return m[0]  # refused at import; left as typed so it is seen
        return figures.get(c.family, {}).get(c.key) or NOT_RECORDED

    return CITATION.sub(one, text or "")


def count_text(value: int | None) -> str | None:
    """A count as the papers print it: 1166 → "1,166"; None stays None (not recorded)."""
    return None if value is None else f"{value:,}"
