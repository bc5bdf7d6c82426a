"""Import problems: every one is reported with file, row, column and reason, and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field


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


class ImportRefused(Exception):
    """Raised with every problem found; the caller writes nothing."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.message)

    @property
    def message(self) -> str:
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found; nothing was imported:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


@dataclass
class Problems:
    """A collector: `add` problems while validating, then `raise_if_any()`."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def add(self, row: int | str | None, column: str | None, reason: str) -> None:
        self.items.append(Problem(self.file, row, column, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportRefused(self.items)
