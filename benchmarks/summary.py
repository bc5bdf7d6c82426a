"""The README's benchmark table from the JSON the benchmarks wrote (`make bench` runs this last).

.venv/bin/python benchmarks/summary.py var/bench/*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def row(f: dict) -> str:
    sign = "≤" if f["better"] == "lower" else "≥"
    goal = "" if f["goal"] is None else f"{sign} {f['goal']:g} {f['unit']}"
    base = "" if f["baseline"] is None else f"{num(f['baseline'])} ({f['baseline_name']})"
    ratio = "" if f["ratio"] is None else f"{f['ratio']:g}×"
    met = {True: "met", False: "**missed**", None: ""}[f["met"]]
    return f"| {f['name']} | {goal} | {num(f['figure'])} {f['unit']} | {base} | {ratio} | {met} |"


def main(paths: list[str]) -> int:
    for path in paths:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
        m = found["machine"]
        print(
            f"\n**{found['benchmark']}** ({found['started']}, {m['cpus']} CPUs, load average "
            f"{m['load_before'][0]:.1f} → {m['load_after'][0]:.1f}, {m['database'] or 'no database'})\n"
        )
        print("| figure | goal | measured | baseline (same run) | ratio | |")
        print("| --- | --- | --- | --- | --- | --- |")
        for f in found["figures"]:
            print(row(f))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
