"""Requests per second of the claim page and the annotated article page against a trivial
Django view, under gunicorn on 127.0.0.1, as ratios measured in one run.

Goals (issue 4): uncached pages at least 30% of the trivial view; cached or conditional
(304) pages at least 85%. Three server set-ups: the page cache off, the page cache in local
memory, and the page cache in Redis (127.0.0.1:6379, db 15, when reachable), the production
shape. Each uses the project's own cache settings (CACHE_URL), so the Redis set-up runs
lib/cache.py as production does. Each set-up measures its own trivial view, so every
ratio compares like with like.

Load comes from Debian's wrk (bench/wrk.py; `apt-get install wrk`), a client written in C,
so the client does not cap the trivial view.

Run: .venv/bin/python bench/bench_pages.py [--seconds 1] [--rounds 5] [--workers 2] [--clients 3]
     [--setups off,locmem,redis] [--database sqlite|postgres]
It builds its own database (the demo article, plus more evidence): SQLite in a temporary folder
by default, or with --database postgres a fresh PostgreSQL database, production's kind.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

SETTINGS = """
from factdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": STATIC}}
import os
STATIC_ROOT = os.path.join(os.path.dirname(__file__), "static")  # empty: pages only
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""

URLS = """
from django.http import HttpResponse
from django.urls import path

from factdesk.urls import urlpatterns as site


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial/", trivial), *site]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/factdesk_bench_pages"


def database_url(folder: Path, database: str) -> str:
    return POSTGRES_URL if database == "postgres" else f"sqlite:///{folder / 'bench.sqlite3'}"


def environment(folder: Path, cache: str, database: str = "sqlite") -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
        "DATABASE_URL": database_url(folder, database),
        "DEBUG": "false",
        # Plain HTTP on loopback: in production TLS ends at the proxy in front.
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        # The project's own cache settings, as production sets them (factdesk/settings.py).
        "REDIS_URL": "",
        "CACHE_URL": "redis://127.0.0.1:6379/15" if cache == "redis" else "locmem://",
        "CACHE_KEY_PREFIX": "bench-pages",
        "FACTDESK_PAGE_CACHE_SECONDS": "0" if cache == "off" else "600",
    }


def recreate_postgres_database() -> None:
    import psycopg

    server, name = POSTGRES_URL.rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"--database postgres needs PostgreSQL at {server} (trust auth, user postgres): {error}"
        ) from None


def prepare(folder: Path, database: str) -> dict:
    (folder / "static").mkdir()
    (folder / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
    (folder / "bench_urls.py").write_text(textwrap.dedent(URLS))
    if database == "postgres":
        recreate_postgres_database()
    env = environment(folder, "off", database)
    print("Preparing the database (migrate, demo article, extra evidence)...", flush=True)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    script = textwrap.dedent(
        """
        from claims.demo import load_demo
        from claims import services
        from claims import visibility
        from sources.models import Source
        demo = load_demo()
        claim = visibility.public_claims().get(quote__contains="Simonyan")
        for n in range(8):
            url = f"https://data.example/bench-{n}"
            source = Source.objects.create(url=url, title=f"Report {n}")
            services.evidence_add(
                claim=claim, source=source, stance="context", excerpt="An excerpt " * 20
            )
        print(claim.get_absolute_url().replace("/it/", "/en/"))
        print(demo.article.get_absolute_url().replace("/it/", "/en/"))
        """
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {"trivial": "/bench/trivial/", "claim": out[-2], "article": out[-1]}


def start_server(
    folder: Path, cache: str, workers: int, database: str
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            GUNICORN,
            "factdesk.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
            "--access-logfile",
            "-" if False else "/dev/null",
        ],
        cwd=ROOT,
        env=environment(folder, cache, database),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "/bench/trivial/")
            if status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, dict(response.getheaders())


def measure(port, path, *, clients, seconds, headers=None, expected=200) -> float:
    """Requests per second with wrk (bench/wrk.py), `clients` connections at a time."""
    fetch(port, path, headers)  # warm up: templates, connections, the page cache
    result = wrk.run(
        port, [path], seconds=seconds, connections=clients, headers=headers, expected=expected
    )
    if result.unexpected:
        raise RuntimeError(f"{result.unexpected} unexpected responses from {path}")
    return result.rate


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def compare(port, trivial_path, path, *, rounds, seconds, clients, headers=None, expected=200):
    """Interleave short runs of the trivial view and the page, so both see the same machine
    load (this machine is shared); return the page's rate and its median per-round ratio."""
    rates, ratios = [], []
    for _ in range(rounds):
        base = measure(port, trivial_path, clients=clients, seconds=seconds)
        rate = measure(
            port, path, clients=clients, seconds=seconds, headers=headers, expected=expected
        )
        rates.append(rate)
        ratios.append(rate / base)
    return statistics.median(rates), statistics.median(ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument(
        "--setups",
        default="off,locmem,redis",
        help="which page-cache set-ups to run (comma-separated; redis only when reachable)",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="sqlite (a file in a temporary folder) or postgres (a fresh database at "
        "127.0.0.1:5432, production's kind, with its connection pool)",
    )
    args = parser.parse_args()
    if not wrk.available():
        raise SystemExit("This benchmark needs Debian's wrk: apt-get install wrk")
    wanted = set(args.setups.split(","))
    if unknown := wanted - {"off", "locmem", "redis"}:
        parser.error(f"unknown --setups {', '.join(sorted(unknown))}: use off, locmem, redis")
    setups = [s for s in ("off", "locmem") if s in wanted]
    setups += ["redis"] if "redis" in wanted and redis_reachable() else []
    rows = []
    kw = {"clients": args.clients, "seconds": args.seconds, "rounds": args.rounds}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = Path(tmp)
        paths = prepare(folder, args.database)
        for cache in setups:
            server, port = start_server(folder, cache, args.workers, args.database)
            try:
                if cache == "redis":
                    subprocess.run(["redis-cli", "-n", "15", "flushdb"], capture_output=True)
                print(
                    f"\n[page cache: {cache}, database: {args.database}] "
                    f"gunicorn -w {args.workers}, port {port}",
                    flush=True,
                )
                for page in ("claim", "article"):
                    kinds = [("uncached", None, 200, 0.30)] if cache == "off" else []
                    if cache != "off":
                        _, headers = fetch(port, paths[page])
                        etag = {"If-None-Match": headers["ETag"]}
                        kinds = [("cached", None, 200, 0.85), ("304", etag, 304, 0.85)]
                    for kind, headers, expected, goal in kinds:
                        rate, ratio = compare(
                            port, paths["trivial"], paths[page],
                            headers=headers, expected=expected, **kw,
                        )  # fmt: skip
                        rows.append((cache, page, kind, rate, ratio, goal))
                        print(f"  {page:8} {kind:9} {rate:7.0f} req/s  {ratio:6.1%}", flush=True)
            finally:
                server.terminate()
                server.wait(timeout=10)
    print("\nSummary: median ratio to the trivial view, interleaved runs in the same server")
    failed = []
    for cache, page, kind, rate, ratio, goal in rows:
        verdict = "ok" if ratio >= goal else "BELOW GOAL"
        if ratio < goal:
            failed.append(f"{cache}/{page}/{kind}")
        figures = f"{rate:7.0f} req/s {ratio:6.1%} goal {goal:.0%}"
        print(f"  {cache:7} {page:8} {kind:9} {figures} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
