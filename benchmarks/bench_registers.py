"""Benchmark: a register import of a few thousand grants (synthetic), first and again.

Generates a grant programme file and a grants file of GRANTS rows (synthetic: numbered titles,
round amounts, each linked to two plan objectives) into a fresh SQLite database in a temporary
folder (or PostgreSQL via DATABASE_URL), then times:
  - reading and checking the grants file plus writing it (a first import);
  - a clean re-import of the same file (every row compared, nothing written);
  - a re-import with every amount changed (every row updated, its earlier version kept).

No baseline of its own: the re-import that writes nothing is printed beside the first import as
the cost of reading and comparing alone. Goal (issue 8): a first import under 10 s.

    .venv/bin/python benchmarks/bench_registers.py [--grants 5000] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import Report, database_vendor, json_argument  # noqa: E402

PLAN = """\
plan: {slug: bench-plan, title: Bench plan, force: Benchshire, starts: 2013-04-01, ends: 2017-03-31}
objectives:
  - {code: "1", title: One, measures: [{code: "1.1", name: A, unit: count, polarity: down,
     target: {kind: monitor}}]}
  - {code: "2", title: Two, measures: [{code: "2.1", name: B, unit: count, polarity: down,
     target: {kind: monitor}}]}
"""
GRANT_HEADER = "id,programme,title,purpose,recipient_name,amount,awarded_on,objectives\n"


def make_files(folder: Path, grants: int, bump: int = 0) -> tuple[Path, Path]:
    programmes = folder / "programmes.csv"
    programmes.write_text(
        "id,title,funder_name,funder_org_id\n"
        + "".join(f"p{i},Programme {i},Bench OPCC,GB-TEST-1\n" for i in range(10)),
        encoding="utf-8",
    )
    path = folder / "grants.csv"
    path.write_text(
        GRANT_HEADER
        + "".join(
            f"g{i},p{i % 10},Grant {i},Purpose {i},Recipient {i},{1000 + i + bump},2023-06-30,1;2\n"
            for i in range(grants)
        ),
        encoding="utf-8",
    )
    return programmes, path


def timed(label: str, fn, results: dict[str, float] | None = None):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:7.2f} s")
    if results is not None:
        results[label] = elapsed
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grants", type=int, default=5000)
    json_argument(parser)
    args = parser.parse_args()
    grants = args.grants
    report = Report("bench_registers", settings={"grants": grants})
    results: dict[str, float] = {}
    work = Path(tempfile.mkdtemp(prefix="bench-registers-"))
    os.environ.setdefault("OVERSIGHT_DATA_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    (work / "var").mkdir()
    django.setup()
    from django.core.management import call_command

    from oversight.plans.actions import import_plan
    from oversight.plans.importers import read_plan
    from oversight.registers.actions import import_register, read_register

    call_command("migrate", verbosity=0)
    (work / "plan.yaml").write_text(PLAN, encoding="utf-8")
    plan, _ = import_plan(read_plan(work / "plan.yaml"), by="bench")
    programmes, path = make_files(work, grants)
    import_register("programmes", read_register("programmes", programmes, plan), by="bench")
    print(f"{grants} grants, {path.stat().st_size // 1024} KiB of CSV")

    def run() -> str:
        return str(import_register("grants", read_register("grants", path, plan), by="bench"))

    print("  ", timed("first import (check + write)", run, results))
    print("  ", timed("re-import, nothing changed", run, results))
    make_files(work, grants, bump=1)
    print("  ", timed("re-import, every amount changed", run, results))
    nothing = results["re-import, nothing changed"]
    same_run = {"baseline": nothing, "baseline_name": "re-import writing nothing, same run"}
    report.add(
        f"{grants} grants, first import",
        results["first import (check + write)"],
        "s",
        goal=10,
        **same_run,
    )
    report.add(
        f"{grants} grants, every amount changed",
        results["re-import, every amount changed"],
        "s",
        **same_run,
    )
    return report.finish(args.json, database_vendor())


if __name__ == "__main__":
    sys.exit(main())
