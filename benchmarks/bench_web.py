"""Load benchmark: the public RAG overview and a measure page under gunicorn, on loopback only.

Builds the benchmark data set of bench_spine.py (200 measures × 5 areas × 40 quarters, 40,000
figures, every quarter published) in a fresh SQLite database in a temporary folder (or PostgreSQL
via DATABASE_URL), starts `gunicorn oversight.wsgi` on 127.0.0.1 with whitenoise serving static
files, then runs 20 concurrent clients for a fixed number of requests each and reports the
median and 95th percentile per page. Budget: p95 under 150 ms for each page on a 2-core machine.

    .venv/bin/python benchmarks/bench_web.py [--clients 20] [--requests 30] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
BUDGET_MS = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(work: Path) -> tuple[str, int]:
    """The data set, published; returns the plan slug and a measure id."""
    sys.path.insert(0, str(HERE))
    import django
    from bench_spine import make_files

    django.setup()
    from django.core.management import call_command

    from oversight.lib.periods import quarter
    from oversight.plans.actions import (
        import_observations,
        import_plan,
        publish_period,
        publish_plan,
    )
    from oversight.plans.importers import read_observations, read_plan

    call_command("migrate", verbosity=0)
    plan_file, obs_file = make_files(work)
    plan, _ = import_plan(read_plan(plan_file), by="benchmark")
    plan = publish_plan(plan, by="benchmark", current=True)
    import_observations(plan, read_observations(obs_file, plan), by="benchmark")
    for year in range(2010, 2020):
        for q in range(1, 5):
            publish_period(plan, quarter(year, q).code, by="benchmark")
    return plan.slug, plan.measures.order_by("pk").first().pk


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def load(urls: dict[str, str], clients: int, requests: int) -> dict[str, list[float]]:
    """Each client requests every page in turn `requests` times; latencies in ms per page."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        # One persistent connection per client, as a browser keeps one open.
        conn = None
        for _ in range(requests):
            for name, url in urls.items():
                parts = urllib.parse.urlsplit(url)
                start = time.perf_counter()
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                    if r.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = None
                except OSError as exc:
                    ok = False
                    errors.append(f"{url}: {exc}")
                    conn = None
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    if ok:
                        times[name].append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per client and page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="oversight-bench-web-"))
    env = {
        **os.environ,
        "OVERSIGHT_DATA_DIR": str(work / "var"),
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
        "OVERSIGHT_DEBUG": "false",
        "OVERSIGHT_LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    (work / "var").mkdir()
    started = time.perf_counter()
    slug, measure_id = build(work)
    print(f"data set built in {time.perf_counter() - started:.1f} s ({work})", flush=True)

    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "oversight.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        urls = {
            "RAG overview (200 measures)": f"{base}/plans/{slug}/performance/2019-20-q4/",
            "measure page (40 quarters)": f"{base}/measures/{measure_id}/",
        }
        wait_until_up(urls["RAG overview (200 measures)"])
        load(urls, clients=args.workers, requests=2)  # warm every worker
        started = time.perf_counter()
        times = load(urls, clients=args.clients, requests=args.requests)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in times.values())
    print(
        f"{args.clients} concurrent clients, {total} requests in {wall:.1f} s "
        f"({total / wall:.0f}/s), gunicorn with {args.workers} workers × {args.threads} threads, loopback"
    )
    over = []
    for name, values in times.items():
        line = (
            f"{name:<30} median {statistics.median(values):6.0f} ms   "
            f"p95 {p95(values):6.0f} ms   (n={len(values)})"
        )
        print(line)
        if p95(values) > BUDGET_MS:
            over.append(name)
    print("within budget" if not over else f"OVER BUDGET ({BUDGET_MS} ms p95): {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
