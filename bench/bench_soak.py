"""Soak: a steady mix of public pages and API reads against gunicorn on loopback.

Runs two minutes by default (--seconds to change), at a fixed request rate (--rate), and checks
that nothing fails and that the gunicorn workers' memory does not creep: growth from the end of
the warm-up to the end of the run must stay under 10 %. Prints p50/p95 per route.

    .venv/bin/python bench/bench_soak.py [--seconds 120] [--rate 40]

Uses PostgreSQL at BENCH_DATABASE_URL (default: database factdesk_bench_soak on 127.0.0.1,
created if missing), loaded with the demo desk.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/factdesk_bench_soak"
MEMORY_GROWTH_LIMIT = 0.10


def server_env() -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-for-a-loopback-soak-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
        "LOG_LEVEL": "WARNING",
        # One load generator stands in for many readers: the per-address API budget (a 429
        # past 120/minute) would otherwise be what this measures.
        "API_THROTTLE_ANON": "1000000/minute",
    }


def manage(*args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=server_env(),
        check=True,
        stdout=subprocess.DEVNULL,  # load_demo prints a login; not wanted in figures
    )


def prepare_database() -> None:
    import psycopg

    url = server_env()["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    manage("collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "factdesk.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
        ],
        cwd=ROOT,
        env=server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=10):
                return
        except OSError:  # refused while starting, or slow to answer the first time
            time.sleep(0.3)
    raise SystemExit("gunicorn did not become ready")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        status = 0
    return status, (time.perf_counter() - started) * 1000


def discover_routes(base: str) -> dict[str, str]:
    with urllib.request.urlopen(f"{base}/en/", timeout=10) as response:
        home = response.read().decode()
    claim = re.search(r'href="(/en/claims/[^"/]+/)"', home)
    routes = {"home": "/en/"}
    if claim:
        routes["claim"] = claim.group(1)
        with urllib.request.urlopen(f"{base}{claim.group(1)}", timeout=10) as response:
            article = re.search(r'href="(/en/articles/[^"/]+/)"', response.read().decode())
        if article:
            routes["article"] = article.group(1)
    status, _ = fetch(f"{base}/api/v1/claims/")
    if status == 200:
        routes["api claims"] = "/api/v1/claims/"
    else:
        print(f"note: /api/v1/claims/ answers {status}; API reads left out of this run.")
    return routes


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def soak(base: str, routes: dict[str, str], seconds: float, rate: float, results: dict) -> None:
    """Open loop: request i starts at i/rate seconds, whatever the server's pace."""
    names = list(routes)
    lock = threading.Lock()
    started = time.monotonic()
    total = int(seconds * rate)

    def one(index: int) -> None:
        name = names[index % len(names)]
        delay = started + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        status, ms = fetch(base + routes[name])
        with lock:
            results.setdefault(name, []).append((status, ms))

    next_report = 10.0
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(one, i) for i in range(total)]
        while not all(f.done() for f in futures):
            time.sleep(0.5)
            elapsed = time.monotonic() - started
            if elapsed >= next_report:
                next_report += 10
                with lock:
                    done = [r for rows in results.values() for r in rows]
                errors = sum(1 for status, _ in done if status != 200)
                p95 = percentile([ms for _, ms in done], 0.95)
                print(
                    f"  {elapsed:5.0f}s  {len(done):6d} requests  {errors} errors  p95 {p95:.1f} ms"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--rate", type=float, default=40, help="requests per second")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    print("Preparing the database (migrate, demo desk, static files)...", flush=True)
    prepare_database()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, args.workers)
    try:
        wait_until_up(base)
        routes = discover_routes(base)
        print(f"Routes: {', '.join(f'{k} {v}' for k, v in routes.items())}")

        warmup = max(5.0, args.seconds * 0.1)
        print(f"Warming up for {warmup:.0f} s at {args.rate:.0f} req/s...", flush=True)
        soak(base, routes, warmup, args.rate, {})
        pids = worker_pids(server.pid)
        memory_start = {pid: rss_kib(pid) for pid in pids}

        print(f"Soaking for {args.seconds:.0f} s at {args.rate:.0f} req/s...", flush=True)
        results: dict[str, list[tuple[int, float]]] = {}
        began = time.monotonic()
        soak(base, routes, args.seconds, args.rate, results)
        took = time.monotonic() - began
        memory_end = {pid: rss_kib(pid) for pid in worker_pids(server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=15)

    return report(results, took, memory_start, memory_end)


def report(results, took, memory_start, memory_end) -> int:
    print(f"\n{'route':<12} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    every = []
    errors = 0
    for name, rows in results.items():
        times = [ms for _, ms in rows]
        failed = sum(1 for status, _ in rows if status != 200)
        errors += failed
        every += times
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        print(f"{name:<12} {len(rows):>9} {failed:>7} {p50:>8.1f} {p95:>8.1f}")
    p50_all, p95_all = statistics.median(every), percentile(every, 0.95)
    print(f"{'all':<12} {len(every):>9} {errors:>7} {p50_all:>8.1f} {p95_all:>8.1f}")
    print(f"achieved rate: {len(every) / took:.1f} req/s over {took:.0f} s")

    restarted = set(memory_start) != set(memory_end)
    start_total, end_total = sum(memory_start.values()), sum(memory_end.values())
    growth = (end_total - start_total) / start_total
    for pid in sorted(memory_end):
        before, after = memory_start.get(pid, 0) / 1024, memory_end[pid] / 1024
        print(f"worker {pid}: RSS {before:.1f} -> {after:.1f} MiB")
    print(
        f"worker memory: {start_total / 1024:.1f} -> {end_total / 1024:.1f} MiB, "
        f"growth {growth:+.1%} (limit {MEMORY_GROWTH_LIMIT:.0%})"
    )
    ok = errors == 0 and growth < MEMORY_GROWTH_LIMIT and not restarted
    if restarted:
        print("FAIL: a gunicorn worker was replaced during the run")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
