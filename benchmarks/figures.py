"""What every benchmark reports: each figure beside its goal and a baseline measured in the same
run (so a busy machine slows both alike), printed as a table and written as JSON with `--json PATH`.

The JSON: {"benchmark", "started", "machine": {"cpus", "load_before", "load_after", "python",
"database"}, "settings": {...the scale...}, "figures": [{"name", "figure", "unit", "goal",
"better", "met", "baseline", "baseline_name", "ratio"}]}. `ratio` is figure ÷ baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    name: str
    figure: float
    unit: str
    goal: float | None = None
    better: str = "lower"  # or "higher"
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    met: bool | None = None

    def __post_init__(self) -> None:
        if self.baseline:
            self.ratio = round(self.figure / self.baseline, 2)
        if self.goal is not None:
            self.met = (
                self.figure <= self.goal if self.better == "lower" else self.figure >= self.goal
            )


@dataclass
class Report:
    benchmark: str
    settings: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    started: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    load_before: tuple[float, ...] = field(default_factory=os.getloadavg)

    def add(self, name: str, figure: float, unit: str, **kwargs: Any) -> Figure:
        f = Figure(name, round(figure, 4), unit, **kwargs)
        self.figures.append(f)
        return f

    def finish(self, path: str | None, database: str = "") -> int:
        """Print the table, write the JSON where asked; 1 when a goal is missed, else 0."""
        load_after = os.getloadavg()
        print(
            f"\n{self.benchmark}: load average {self.load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after, {os.cpu_count()} CPUs"
        )
        print(f"{'figure':<52} {'value':>10} {'goal':>10} {'baseline':>10} {'ratio':>7}  met")
        for f in self.figures:
            goal = "" if f.goal is None else f"{'≤' if f.better == 'lower' else '≥'}{f.goal:g}"
            base = "" if f.baseline is None else f"{f.baseline:g}"
            ratio = "" if f.ratio is None else f"{f.ratio:g}×"
            met = {True: "yes", False: "NO", None: ""}[f.met]
            print(f"{f.name:<52} {f.figure:>8g} {f.unit:<2}{goal:>9} {base:>10} {ratio:>7}  {met}")
        if path:
            out = {
                "benchmark": self.benchmark,
                "started": self.started,
                "machine": {
                    "cpus": os.cpu_count(),
                    "load_before": list(self.load_before),
                    "load_after": list(load_after),
                    "python": platform.python_version(),
                    "database": database,
                },
                "settings": self.settings,
                "figures": [asdict(f) for f in self.figures],
            }
            Path(path).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
            print(f"figures written to {path}")
        return 1 if any(f.met is False for f in self.figures) else 0


def json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")


def database_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url.split(":", 1)[0] if url else "sqlite"


if __name__ == "__main__":
    sys.exit("a helper for the benchmarks, not a benchmark")
