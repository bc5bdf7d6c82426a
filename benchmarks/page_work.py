"""The work of one page alone: processor time of this process for the public RAG overview (200
measures) and a measure page (40 quarters), built through Django's test client with nothing
cached (OVERSIGHT_CACHE_URL=off), as a server builds them when the page cache misses.

Builds bench_web's data set (bench_spine's 200 measures × 5 areas × 40 quarters, all published)
into a SQLite file in --data (kept, so a second run — or a run of another checkout against the
same file, to compare before and after — skips the build), then requests each page --repeats
times in turn after a warm-up and prints the median processor milliseconds and queries per page.

    .venv/bin/python benchmarks/page_work.py [--data DIR] [--repeats 15] [--json PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import Report, database_vendor, json_argument  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.path.join(tempfile.gettempdir(), "oversight-page-work")
    )
    parser.add_argument("--repeats", type=int, default=15)
    json_argument(parser)
    args = parser.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "OVERSIGHT_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "oversight.settings",
            "OVERSIGHT_CACHE_URL": "off",
            "OVERSIGHT_DEBUG": "false",
            "OVERSIGHT_LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    fresh = not (data / "oversight.sqlite3").exists()
    import django

    django.setup()
    if fresh:
        from bench_web import build

        build(data)
    else:  # a file kept from an earlier run (or another checkout): brought up to this schema
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oversight.plans.models import Plan

    plan = Plan.objects.get(slug="bench")
    measure = plan.measures.order_by("pk").first()
    pages = {
        "RAG overview (200 measures)": f"/plans/{plan.slug}/performance/2019-20-q4/",
        "measure page (40 quarters)": f"/measures/{measure.pk}/",
    }
    client = Client()
    queries = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as found:
            client.get(url)
        queries[name] = len(found)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.repeats):
        for name, url in pages.items():
            start = time.process_time()
            client.get(url)
            times[name].append((time.process_time() - start) * 1000)
    report = Report("page_work", settings={"repeats": args.repeats})
    for name, values in times.items():
        print(f"{name:<30} {statistics.median(values):6.1f} ms processor, {queries[name]} queries")
        report.add(f"{name}: processor time", statistics.median(values), "ms")
        report.add(f"{name}: queries", queries[name], "")
    computed, read_back, size = keeping_statuses(plan, args.repeats)
    print(
        f"the overview's 200 statuses: worked out {computed:.1f} ms, read back as kept "
        f"({size / 1e6:.2f} MB pickled) {read_back:.1f} ms (processor)"
    )
    report.add("overview statuses: worked out (nothing kept)", computed, "ms")
    report.add("overview statuses: read back as kept (database)", read_back, "ms")
    report.add("overview statuses: kept pickle size", size / 1e6, "MB")
    return report.finish(args.json, database_vendor())


def keeping_statuses(plan, repeats: int) -> tuple[float, float, int]:
    """What keeping the overview's statuses saves: median processor milliseconds to work out the
    200 statuses it shows (the force area's; their query included) and to read them back as kept
    (`statuses` as the page calls it, with nothing in a cache: its version query, the database
    read and the unpickling), and the size of the kept pickle in bytes."""
    import pickle

    from oversight.lib.audience import Audience
    from oversight.plans.assessment import _statuses_by_period, statuses

    period, areas = "2019/20 Q4", [plan.force_area]
    worked, read = [], []
    for _ in range(repeats):
        start = time.process_time()
        _statuses_by_period(plan, [period], areas, audience=Audience.PUBLIC)
        worked.append((time.process_time() - start) * 1000)
        statuses(plan, period, areas, audience=Audience.PUBLIC)  # kept, if it was not
        start = time.process_time()
        found = statuses(plan, period, areas, audience=Audience.PUBLIC)
        read.append((time.process_time() - start) * 1000)
    size = len(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))  # as `kept` writes it
    return statistics.median(worked), statistics.median(read), size


if __name__ == "__main__":
    sys.exit(main())
