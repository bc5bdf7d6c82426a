"""Import problems: every one is reported with file, row, column and reason, and nothing is written.

A file can hold millions of bad rows, so only the first `MAX_LISTED` problems keep their details;
the rest are counted, and the message ends "… and N more problems (T in all)".
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_LISTED = 200  # problems listed in full; a person reads no further, and memory stays bounded


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | str | None  # a row or line number, or a YAML key path
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row not in (None, ""):
            where += f", row {self.row}" if isinstance(self.row, int) else f", {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class Refused(ValueError):
    """A change the rules do not allow (a workflow step, a stale edit), with the reason in words."""


@dataclass
class Outcome:
    """What an import did: records created, changed and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged"


class ImportRefused(Exception):
    """Raised with every problem found (the first MAX_LISTED in full, and how many more); the
    caller writes nothing."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems[:MAX_LISTED]
        self.more = more + max(0, len(problems) - MAX_LISTED)
        super().__init__(self.message)

    @property
    def total(self) -> int:
        return len(self.problems) + self.more

    def lines(self) -> list[str]:
        """One line per problem listed, then one saying how many more there are."""
        out = [str(p) for p in self.problems]
        if self.more:
            out.append(
                f"… and {self.more:,} more problem{'s' if self.more != 1 else ''} "
                f"({self.total:,} in all)"
            )
        return out

    @property
    def message(self) -> str:
        n = self.total
        head = f"{n:,} problem{'s' if n != 1 else ''} found; nothing was imported:"
        return "\n".join([head] + [f"  - {line}" for line in self.lines()])


@dataclass
class Problems:
    """A collector: `add` problems while validating, then `raise_if_any()`. Past MAX_LISTED it
    only counts."""

    file: str
    items: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(self, row: int | str | None, column: str | None, reason: str) -> None:
        if len(self.items) < MAX_LISTED:
            self.items.append(Problem(self.file, row, column, reason))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.more

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRefused(self.items, self.more)
