"""Benchmark: `oversight backup` and `oversight restore` of a database with 40,000 observations.

Builds bench_spine's synthetic plan (200 measures × 5 areas × 40 quarters = 40,000 observations,
each with an audit-logged import) in a fresh SQLite database in a temporary folder (or wherever
DATABASE_URL points), then, each in its own process so that its peak memory is its own:
  - `oversight backup --out backup.jsonl.gz`;
  - `oversight restore backup.jsonl.gz` into a second, empty database (a new SQLite file, or
    RESTORE_DATABASE_URL), which is then backed up again and compared row by row with the first
    backup (they differ only by the audit entry that records the restore).
Prints time and peak resident memory (RSS) of each, beside a process that only starts Django.
Budget on a 2-core machine: each under 60 s and under 300 MB. The baseline, in the same run: the
start of a command that does nothing (`manage check`), which every backup and restore pays.

    .venv/bin/python benchmarks/bench_backup.py [--json PATH]

    .venv/bin/python benchmarks/bench_backup.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_spine import make_files
from figures import Report, database_vendor, json_argument

# Runs one `oversight` command and prints its own peak RSS (kB on Linux) as the last line.
CHILD = """
import resource, sys
from oversight.cli import main
try:
    main(sys.argv[1:])
finally:
    print("peak_rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def oversight(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds, peak RSS in MB, and the output of one command in its own process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    rss_kb = int(lines[-1].split()[1])
    return seconds, rss_kb / 1024, "\n".join(lines[:-1])


def rows(path: Path) -> list[str]:
    """A backup's row lines, without its header and end lines."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [line for line in f if line.startswith('{"model"')]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    json_argument(parser)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oversight-bench-backup-"))
    source = {**os.environ, "OVERSIGHT_DATA_DIR": str(work / "source")}
    target = {**os.environ, "OVERSIGHT_DATA_DIR": str(work / "target")}
    target.pop("DATABASE_URL", None)
    if os.environ.get("RESTORE_DATABASE_URL"):
        target["DATABASE_URL"] = os.environ["RESTORE_DATABASE_URL"]
    plan_file, obs_file = make_files(work)
    subprocess.run(
        [sys.executable, "-m", "oversight.cli", "import", "plan", str(plan_file)],
        env=source,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "oversight.cli", "import", "observations", str(obs_file)]
        + ["--plan", "bench"],
        env=source,
        check=True,
        capture_output=True,
    )
    backup, again = work / "backup.jsonl.gz", work / "again.jsonl.gz"
    results = {
        "start Django only (manage check)": oversight(["manage", "check"], source),
        "backup (40,000 observations)": oversight(["backup", "--out", str(backup)], source),
        "restore into an empty database": oversight(["restore", str(backup)], target),
    }
    for label, (seconds, mb, said) in results.items():
        print(f"{label:<36} {seconds:7.1f} s  {mb:6.0f} MB peak RSS   {said}")
    print(f"backup file: {backup.stat().st_size / 1e6:.1f} MB")

    oversight(["backup", "--out", str(again)], target)
    first, second = rows(backup), rows(again)
    known = set(first)
    added = [line for line in second if line not in known]
    same = len(added) == 1 and json.loads(added[0])["fields"]["action"] == "restore_backup"
    same = same and len(second) == len(first) + 1
    print(
        "restored database equals the original, row by row"
        if same
        else f"DIFFERENT: {len(added)} rows differ"
    )
    shutil.rmtree(work)
    report = Report("bench_backup", settings={"observations": 40000})
    check = results["start Django only (manage check)"][0]
    for label in ("backup (40,000 observations)", "restore into an empty database"):
        seconds, mb, _ = results[label]
        report.add(label, seconds, "s", goal=60, baseline=check, baseline_name="manage check")
        report.add(f"{label}, peak memory", mb, "MB", goal=300)
    report.add("restored database equals the original", float(same), "", goal=1, better="higher")
    return report.finish(args.json, database_vendor())


if __name__ == "__main__":
    sys.exit(main())
