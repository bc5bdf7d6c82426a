"""Load benchmark: the public RAG overview and a measure page under gunicorn, on loopback only,
as a two-server installation runs: two gunicorn instances sharing one database and one Redis.

Builds the benchmark data set of bench_spine.py (200 measures × 5 areas × 40 quarters, 40,000
figures, every quarter published) in PostgreSQL when DATABASE_URL is set (else a fresh SQLite file
in a temporary folder, which two servers on one machine can share too), then, for each cache
mode, starts `--servers` gunicorn instances on 127.0.0.1 and runs `--clients` concurrent clients,
client i talking to server i mod servers as a load balancer would, each requesting every page in
turn over one kept-alive connection. The clients are coroutines in one thread of this process
(asyncio, raw HTTP/1.1; `--generator threads` gives the earlier client, a Python thread each
with http.client, for comparison): twenty threads on the servers' two cores put their own
scheduling into the measured tail. Cache modes: "off" (every page built: OVERSIGHT_CACHE_URL=off)
and "redis" (the shared cache at --redis; skipped when no Redis answers). The baseline, in the
same load: a static file through the same stack, one more page in each client's turn, so it is
measured by the same generator in the same run as the pages. Before the measured load, the
same clients make two unmeasured turns, so every worker thread has opened its database and
Redis connections: the figures are the servers' steady state. A check that an edit made through
one process shows at once on every server (the cache's versions live in the database, not in
any process) runs with the cache on.
Besides latencies, each mode reports the processor time a request cost the servers' workers and
this load generator (user and system time over the load, from /proc), which the other work on a
shared machine moves far less than latencies.

Goals: p95 under 150 ms (overview) and 100 ms (measure page) with the cache off, under 50 ms
with it on, under 20 clients on a 2-core machine.

    .venv/bin/python benchmarks/bench_web.py [--clients 20] [--requests 30] [--servers 2]
        [--workers 2] [--threads 4] [--modes off,redis] [--generator asyncio|threads]
        [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
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
sys.path.insert(0, str(HERE))

from figures import Report, database_vendor, json_argument  # noqa: E402


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


async def _get(reader, writer, host: str, path: str) -> tuple[int, bool]:
    """One GET over a kept-alive HTTP/1.1 connection: (status, whether the server closes it)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode("latin-1"))
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    closes = headers.get("connection", "").lower() == "close"
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                break
    else:
        await reader.read()  # to the end of the connection
        closes = True
    return status, closes


async def _client(urls: dict[str, str], requests: int, times, errors) -> None:
    """One client: every page in turn, `requests` times, over one persistent connection (as a
    browser keeps one open), reopened only when the server closes it."""
    conn = None
    for _ in range(requests):
        for name, url in urls.items():
            parts = urllib.parse.urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection(parts.hostname, parts.port)
                status, closes = await asyncio.wait_for(_get(*conn, parts.netloc, path), timeout=30)
                ok = status == 200
                if closes:
                    conn[1].close()
                    conn = None
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                ok = False
                errors.append(f"{url}: {exc!r}")
                conn = None
            elapsed = (time.perf_counter() - start) * 1000
            if ok:
                times[name].append(elapsed)
    if conn is not None:
        conn[1].close()


def load_clients(client_urls: list[dict[str, str]], requests: int) -> dict[str, list[float]]:
    """Run one client per entry of `client_urls` concurrently; latencies in ms per page.

    The clients are coroutines in this one thread (asyncio, raw HTTP/1.1 with keep-alive), not
    a thread each: twenty Python threads contending for the interpreter lock on the same two
    cores as the servers put their own scheduling into the measured tail. The static-file
    baseline is one of the pages, so it is measured by the same clients in the same run."""
    names = list(client_urls[0]) if client_urls else []
    times: dict[str, list[float]] = {name: [] for name in names}
    errors: list[str] = []

    async def run() -> None:
        await asyncio.gather(*(_client(u, requests, times, errors) for u in client_urls))

    asyncio.run(run())
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return times


def load_threads(client_urls: list[dict[str, str]], requests: int) -> dict[str, list[float]]:
    """The earlier generator, for comparison: a thread per client, http.client with keep-alive."""
    times: dict[str, list[float]] = {name: [] for name in (client_urls[0] if client_urls else [])}
    errors: list[str] = []
    lock = threading.Lock()

    def client(urls: dict[str, str]) -> None:
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

    threads = [threading.Thread(target=client, args=(u,)) for u in client_urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return times


GENERATORS = {"asyncio": load_clients, "threads": load_threads}


def load(urls: dict[str, str], clients: int, requests: int) -> dict[str, list[float]]:
    """`clients` clients, each requesting every page in turn `requests` times."""
    return load_clients([urls] * clients, requests)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def redis_answers(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_servers(env: dict, n: int, workers: int, threads: int) -> list[tuple]:
    servers = []
    for _ in range(n):
        port = free_port()
        proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "oversight.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--log-level",
                "warning",
                # Each instance its own control socket (gunicorn's default is one per user).
                "--control-socket",
                os.path.join(tempfile.gettempdir(), f"oversight-bench-gunicorn-{port}.sock"),
            ],
            env=env,
        )
        servers.append((proc, f"http://127.0.0.1:{port}"))
    return servers


def servers_processor_seconds(servers: list[tuple]) -> float:
    """User and system processor time so far of every gunicorn worker (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for proc, _ in servers:
        pids = [proc.pid]
        try:
            for task in Path(f"/proc/{proc.pid}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            return 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def stop(servers: list[tuple]) -> None:
    for proc, _ in servers:
        proc.terminate()
    for proc, _ in servers:
        proc.wait(timeout=30)


def edit_shows_everywhere(bases: list[str], path: str, slug: str) -> bool:
    """A figure corrected in this process (an action: audited, so the data version moves) is on
    every server's next page, though each had the old page cached."""
    from oversight.plans.actions import record_observation
    from oversight.plans.models import Measure

    for base in bases:
        urllib.request.urlopen(base + path, timeout=30).read()
    m = Measure.objects.get(plan__slug=slug, code="1.1")
    record_observation(
        m, "2019/20 Q4", by="benchmark", value=7777777, correction_reason="benchmark check"
    )
    return all(
        "7,777,777" in urllib.request.urlopen(base + path, timeout=30).read().decode()
        for base in bases
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per client and page")
    parser.add_argument("--servers", type=int, default=2, help="gunicorn instances")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per instance")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--modes", default="off,redis", help="cache modes to run, in order")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--generator",
        choices=sorted(GENERATORS),
        default="asyncio",
        help="the load generator: coroutines in one thread, or a thread per client",
    )
    json_argument(parser)
    args = parser.parse_args()
    report = Report("bench_web", settings={k: v for k, v in vars(args).items() if k != "json"})

    work = Path(tempfile.mkdtemp(prefix="oversight-bench-web-"))
    env = {
        **os.environ,
        "OVERSIGHT_DATA_DIR": str(work / "var"),
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
        "OVERSIGHT_DEBUG": "false",
        "OVERSIGHT_LOG_LEVEL": "ERROR",
        "OVERSIGHT_DB_CONN_MAX_AGE": "60",  # a server keeps its connections, as in production
    }
    os.environ.update(env)
    (work / "var").mkdir()
    started = time.perf_counter()
    slug, measure_id = build(work)
    print(f"data set built in {time.perf_counter() - started:.1f} s ({work})", flush=True)

    pages = {
        "RAG overview (200 measures)": f"/plans/{slug}/performance/2019-20-q4/",
        "measure page (40 quarters)": f"/measures/{measure_id}/",
        "static file (baseline)": "/static/core/site.css",
    }
    goals = {"off": (150, 100), "redis": (50, 50), "local": (50, 50)}
    for mode in args.modes.split(","):
        url = {"off": "off", "redis": args.redis, "local": ""}[mode]
        if mode == "redis" and not redis_answers(args.redis):
            print(f"no Redis at {args.redis}: the shared-cache run is skipped")
            continue
        servers = start_servers(
            {**env, "OVERSIGHT_CACHE_URL": url}, args.servers, args.workers, args.threads
        )
        try:
            bases = [base for _, base in servers]
            for base in bases:
                wait_until_up(base + pages["RAG overview (200 measures)"])
                load({n: base + p for n, p in pages.items()}, clients=args.workers, requests=2)
            # Warm every worker thread as the measured load will reach it (its own database and
            # Redis connections, the URL lookups it keeps): the same clients, two turns each,
            # not measured. The figures are the servers' steady state, not their first requests.
            load_spread(
                bases,
                pages,
                clients=args.clients,
                requests=2,
                generator=GENERATORS[args.generator],
            )
            clock = time.perf_counter()
            own, served = time.process_time(), servers_processor_seconds(servers)
            times = load_spread(
                bases,
                pages,
                clients=args.clients,
                requests=args.requests,
                generator=GENERATORS[args.generator],
            )
            wall = time.perf_counter() - clock
            own = time.process_time() - own
            served = servers_processor_seconds(servers) - served
            if mode != "off":
                ok = edit_shows_everywhere(bases, pages["RAG overview (200 measures)"], slug)
                print(f"an edit through one process shows on all {len(bases)} servers: {ok}")
                report.add(
                    f"cache {mode}: edit shown on every server",
                    float(ok),
                    "",
                    goal=1,
                    better="higher",
                )
        finally:
            stop(servers)
        total = sum(len(v) for v in times.values())
        print(
            f"cache {mode}: {args.clients} clients, {total} requests in {wall:.1f} s "
            f"({total / wall:.0f}/s), {args.servers} servers × {args.workers} workers × "
            f"{args.threads} threads"
        )
        report.add(f"cache {mode}: throughput", total / wall, "/s", better="higher")
        # What the load cost in processor time, which the other work on a shared machine moves
        # far less than it moves latencies: the servers' workers, and this load generator.
        print(
            f"  processor time a request: servers {served * 1000 / total:.2f} ms, "
            f"load generator {own * 1000 / total:.2f} ms"
        )
        report.add(f"cache {mode}: servers' processor time a request", served * 1000 / total, "ms")
        report.add(
            f"cache {mode}: load generator's processor time a request", own * 1000 / total, "ms"
        )
        floor = p95(times["static file (baseline)"])
        for (name, values), goal in zip(list(times.items())[:2], goals[mode], strict=True):
            print(
                f"  {name:<30} median {statistics.median(values):6.0f} ms   p95 {p95(values):6.0f} ms"
            )
            report.add(f"cache {mode}: {name} p50", statistics.median(values), "ms")
            report.add(
                f"cache {mode}: {name} p95",
                p95(values),
                "ms",
                goal=goal,
                baseline=floor,
                baseline_name="static file p95, same load",
            )
        report.add(f"cache {mode}: static file p95 (baseline)", floor, "ms")
    return report.finish(args.json, database_vendor())


def load_spread(
    bases: list[str], pages: dict[str, str], clients: int, requests: int, generator=load_clients
):
    """`load` with client i on server i mod len(bases)."""
    return generator(
        [{n: bases[i % len(bases)] + p for n, p in pages.items()} for i in range(clients)],
        requests,
    )


if __name__ == "__main__":
    sys.exit(main())
