"""What a figure is compared with: named comparators (the regional average, England and Wales,
the most similar group, last year, a target someone else set…), a rank with its base ("29th of
43"), and how the observations file names them.

A comparator is (name, label, value). The name is a short slug the file's column carries
(`comparator:region`); the label says what it is in words ("South West average"). Names the office
uses often have a label of their own; any other name needs a label column. Plain Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# The plain `comparator` column of older files: the figure a monitor-only measure is rated against.
RATED = "comparator"

# Names with a label of their own; the file may give another label in `comparator:NAME:label`.
KNOWN: dict[str, str] = {
    RATED: "comparator",
    "previous_year": "previous year",
    "region": "regional average",
    "national": "England and Wales",
    "msg": "most similar group average",
    "peer": "peer average",
    "external_target": "target set by another body",
    "predicted": "predicted figure",
}

NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
COLUMN = re.compile(r"comparator:([^:]*)(?::(.*))?")
MAX_COMPARATORS = 12  # a figure compared with more than a dozen things is a table, not a figure
LABEL_LIMIT = 200


@dataclass(frozen=True)
class Comparator:
    name: str
    label: str
    value: Decimal

    def record(self) -> dict[str, Any]:
        """As stored and exported: the value as exact decimal text."""
        return {"name": self.name, "label": self.label, "value": f"{self.value.normalize():f}"}

    @classmethod
    def from_record(cls, raw: dict[str, Any]) -> Comparator:
        return cls(str(raw["name"]), str(raw.get("label") or ""), Decimal(str(raw["value"])))


def column_problem(column: str) -> str | None:
    """Why a header that starts "comparator:" is not a comparator column, or None. The forms are
    `comparator:NAME` (its value) and `comparator:NAME:label` (what it is)."""
    m = COLUMN.fullmatch(column)
    if m is None:
        return None if not column.startswith("comparator:") else _FORMS
    name, part = m[1], m[2]
    if not NAME.fullmatch(name):
        return (
            f'"{name}" is not a comparator name: use lower-case letters, digits and _ '
            f"(e.g. region, national, msg); {_FORMS}"
        )
    if name == RATED:
        return 'the plain comparator is the "comparator" column (with "comparator_label")'
    if part is not None and part != "label":
        return f'"{column}" is not a comparator column: {_FORMS}'
    return None


_FORMS = (
    'a comparator column is "comparator:NAME" (its value) or "comparator:NAME:label" (what it is), '
    "e.g. comparator:region and comparator:region:label"
)


def parse_column(column: str) -> tuple[str, bool] | None:
    """(name, is the label column) for a valid comparator column, else None."""
    if column_problem(column) is not None or not column.startswith("comparator:"):
        return None
    parts = column.split(":")
    return parts[1], len(parts) == 3


def default_label(name: str) -> str:
    return KNOWN.get(name, "")


def read_list(raw: Any) -> list[Comparator]:
    """A stored list of comparator records, as Comparators (empty for None)."""
    out = []
    for item in raw or []:
        try:
            out.append(Comparator.from_record(item))
        except (KeyError, TypeError, InvalidOperation):
            continue  # a stored list is validated when written; nothing half-written is shown
    return out


def list_problem(raw: Any) -> str | None:
    """Why a value cannot be a figure's comparators (the API's and the model's check), or None."""
    if not isinstance(raw, list):
        return "comparators must be a list of {name, label, value}"
    if len(raw) > MAX_COMPARATORS:
        return f"{len(raw)} comparators; a figure has at most {MAX_COMPARATORS}"
    seen = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) - {"name", "label", "value"}:
            return f"comparator {i + 1} must have name, label and value only"
        name = item.get("name")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            return f"comparator {i + 1}: {name!r} is not a comparator name"
        if name in seen:
            return f'comparator "{name}" appears twice'
        seen.add(name)
        label = item.get("label") or default_label(name)
        if not isinstance(label, str) or not label.strip():
            return f'comparator "{name}" needs a label (what it is, in words)'
        if len(label) > LABEL_LIMIT:
            return f'comparator "{name}": the label is {len(label)} characters; the limit is {LABEL_LIMIT}'
        try:
            value = Decimal(str(item.get("value")))
        except InvalidOperation:
            return f'comparator "{name}": {item.get("value")!r} is not a number'
        if not value.is_finite():
            return f'comparator "{name}": {item.get("value")!r} is not a number'
    return None


def ordinal(n: int) -> str:
    """1 → "1st", 22 → "22nd", 13 → "13th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_problem(rank: int | None, of: int | None) -> str | None:
    """Why a rank and its base do not go together, or None."""
    if rank is None and of is None:
        return None
    if rank is None:
        return "a rank_of needs a rank"
    if of is None:
        return "a rank needs its base in rank_of (29th of 43: rank 29, rank_of 43)"
    if rank < 1:
        return f"a rank starts at 1, not {rank}"
    if rank > of:
        return f"rank {rank} is more than its base rank_of {of}"
    return None


def rank_words(rank: int | None, of: int | None, label: str = "") -> str:
    """ "29th of 43" (with what is ranked, if given: "29th of 43 forces in England and Wales")."""
    if rank is None or of is None:
        return ""
    words = f"{ordinal(rank)} of {of}"
    return f"{words} {label}".strip() if label else words
