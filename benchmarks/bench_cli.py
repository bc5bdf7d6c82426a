"""Time the `oversight` command's start-up: listing the commands, and exporting the demo's measures.

Builds the demo plan and its 2013/14 Q1 figures (transcribed from seed 002, with the demo's
synthetic earlier years) in a temporary data folder, then runs each command in a fresh process
several times, alternating, and takes the median of the wall-clock time and of the processor time
the process used (user + system, which other work on a shared machine inflates less):

- `oversight --help` (goal < 0.3 s);
- `oversight export measures --plan west-mercia-2013 --period "2013/14 Q1" --audience staff
  --format json` (goal < 1 s): as it runs once the period's statistics are kept (the first run
  after a change keeps them), and with nothing kept, as right after a change (the kept results
  emptied by another process, untimed, before each such run);
- the baselines, in the same run: the interpreter starting and doing nothing (`python -c pass`),
  and the interpreter starting Django with Oversight's settings (`django.setup()`), the floor
  under any command that reads the database.

Compiled `.pyc` files are written first (a first run on a fresh install compiles every module
once); PYTHONDONTWRITEBYTECODE is cleared for the runs so a machine that sets it measures the same.

    .venv/bin/python benchmarks/bench_cli.py [--runs 7] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import Report, json_argument  # noqa: E402

BIN = Path(sys.executable).parent
OVERSIGHT = str(BIN / "oversight")
EXPORT = ["export", "measures", "--plan", "west-mercia-2013", "--period", "2013/14 Q1"]
EXPORT += ["--audience", "staff", "--format", "json"]
SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='oversight.settings'; django.setup()"
)
# Run (untimed) before each timed export that must work its statistics out: as after a change.
FORGET = [
    sys.executable,
    "-c",
    SETUP + "; from oversight.core.models import Kept; Kept.objects.all().delete()",
]
WORKED_OUT = "oversight export measures, statistics worked out"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and processor seconds of one run of `argv` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (median)")
    json_argument(parser)
    args = parser.parse_args()
    report = Report("oversight command start-up", settings={"runs": args.runs})
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "OVERSIGHT_DATA_DIR": data}
        for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(Path(__file__).parents[1] / "src")],
            check=False,
        )
        load = "from oversight.plans import demo; demo.load(by='bench_cli')"
        subprocess.run([OVERSIGHT, "manage", "shell", "-c", load], env=env, check=True)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "django.setup()": [sys.executable, "-c", SETUP],
            "oversight --help": [OVERSIGHT, "--help"],
            "oversight export measures": [OVERSIGHT, *EXPORT],
            WORKED_OUT: [OVERSIGHT, *EXPORT],
        }
        for argv in commands.values():  # warm: .pyc written, files in the page cache
            timed(argv, env)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                if name == WORKED_OUT:
                    subprocess.run(FORGET, env=env, check=True)
                runs[name].append(timed(argv, env))
    wall = {n: statistics.median(w for w, _ in r) for n, r in runs.items()}
    cpu = {n: statistics.median(c for _, c in r) for n, r in runs.items()}
    report.add(
        "oversight --help, median wall-clock",
        wall["oversight --help"],
        "s",
        goal=0.3,
        baseline=wall["python -c pass"],
        baseline_name=f"python -c pass, same run: {wall['python -c pass']:.3f} s",
    )
    report.add("oversight --help, median processor time", cpu["oversight --help"], "s")
    report.add(
        "export measures (demo, 2013/14 Q1, JSON), median wall-clock",
        wall["oversight export measures"],
        "s",
        goal=1.0,
        baseline=wall["django.setup()"],
        baseline_name=f"django.setup() alone, same run: {wall['django.setup()']:.3f} s",
    )
    report.add("export measures, median processor time", cpu["oversight export measures"], "s")
    report.add(
        "export measures with its statistics worked out (nothing kept: as after a change)",
        wall[WORKED_OUT],
        "s",
        goal=1.0,
        baseline=wall["django.setup()"],
        baseline_name=f"django.setup() alone, same run: {wall['django.setup()']:.3f} s",
    )
    report.add("the same, median processor time", cpu[WORKED_OUT], "s")
    return report.finish(args.json)


if __name__ == "__main__":
    sys.exit(main())
