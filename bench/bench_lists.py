"""Lists, search, the API list and the ClaimReview feed from 10,000 to 1,000,000 claims, over
HTTP with wrk against gunicorn (2 sync workers, PostgreSQL, page cache off).

    .venv/bin/python bench/bench_lists.py [--sizes 10000,100000,1000000] [--seconds 3] [--rounds 3]
        [--database-url-template postgres://postgres@127.0.0.1:5432/factdesk_lists_{size}]

Each size has its own database, made on the first run by bench/list_data.py (one claim in
three published; 1,000,000 claims take about ten minutes) and reused afterwards. One gunicorn
serves each size, and the sizes are measured in interleaved rounds so that they share the
machine's load. One request at a time, it measures p50 and p95 of: the claims list (first
page, a deep page by cursor, an old numbered page, filters, two filters that match nothing
together: answered, not refused), search with two words, the API list, the API's ClaimReview
feed (first and a deep page) and a trivial view. It prints the table with the growth from the
smallest to the largest size and the goals (issue 19): p95 <= 50 ms at the largest size,
growth <= 1.5x.

Then, with the demo's data plus generated claims (100 published), throughput with 4
connections: the API list of 100 claims against a trivial view (goal: >= 30 %), uncached,
with a desk editor's API key (never cached), cached for anonymous callers, and answered
with 304.

With --pairs, only pairs of list filters that match nothing or few claims together (PAIRS),
same goals, no demo.

Needs Debian's wrk (`apt-get install wrk`) and PostgreSQL at 127.0.0.1:5432.
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk
from bench.bench_pages import SETTINGS, URLS, fetch, free_port
from bench.words import vocabulary

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DEFAULT_TEMPLATE = "postgres://postgres@127.0.0.1:5432/factdesk_lists_{size}"
GOAL_P95_MS = 50
GOAL_GROWTH = 1.5
GOAL_API_RATIO = 0.30
TWO_FILTERS = "claims list, two filters, no match"


def label(size: int) -> str:
    return f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1000}k"


def environment(folder: Path, url: str, page_cache: bool) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "",
        "CACHE_URL": "locmem://",
        "CACHE_KEY_PREFIX": "bench-lists",
        "FACTDESK_PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        # The benchmark is the only caller: the throttles would refuse most requests.
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_CALLER": "100000000/minute",
    }


def start_server(folder: Path, url: str, *, page_cache: bool = False, workers: int = 2):
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
            "/dev/null",
        ],
        cwd=ROOT,
        env=environment(folder, url, page_cache),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/bench/trivial/")[0] == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def ensure_data(url: str, claims: int) -> None:
    subprocess.run(
        [PYTHON, "bench/list_data.py", "--claims", str(claims), "--database-url", url],
        cwd=ROOT,
        check=True,
    )


def shell(folder: Path, url: str, code: str) -> list[str]:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=environment(folder, url, False),
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.split()


# Cursors halfway down the list and the feed: a deep page, as a reader or a harvest gets there.
CURSORS = """
from claims import visibility
from lib.keyset import Cursor
claims = visibility.public_claims()
total = claims.count()
for n in (2, 3, 5, 7):
    row = claims.order_by("-published_at", "-pk")[total // n]
    print("list", Cursor.of(row, "published_at"))
    row = claims.order_by("updated_at", "pk")[total // n]
    print("feed", Cursor.of(row, "updated_at"))
"""


# --pairs: two filters that each match many claims and none (or few) together, at their worst
# (issue 19). bench/list_data.py's sparse pairs make German claims, all "unverifiable" and all
# by one claimant; bench/list_pairs.py times every pair in process with EXPLAIN ANALYZE.
PAIRS = {
    "pair: verdict + language (none)": "/en/claims/?verdict=false&language=de",
    "pair: verdict + claimant (none)": "/en/claims/?verdict=false&claimant=bench-claimant-de",
    "pair: language + claimant (none)": "/en/claims/?language=it&claimant=bench-claimant-de",
    "pair: verdict + topic": "/en/claims/?verdict=unverifiable&topic=bench-topic-2",
    "pair: language + topic": "/en/claims/?language=de&topic=bench-topic-2",
    "pair: claimant + topic": "/en/claims/?claimant=bench-claimant-de&topic=bench-topic-2",
    "pair: outlet + language": "/en/claims/?outlet=bench-outlet-1.example&language=de",
    "pair: outlet + claimant": (
        "/en/claims/?outlet=bench-outlet-1.example&claimant=bench-claimant-de"
    ),
    "pair: verdict + search": "/en/claims/?verdict=false&q=minister",
    "pair: topic + search": "/en/claims/?topic=bench-topic-2&q=minister",
    "pair: claimant + search": "/en/claims/?claimant=bench-claimant-de&q=government",
}


def requests_for(folder: Path, url: str) -> dict[str, list[str]]:
    out = shell(folder, url, CURSORS)
    # The shell may print a line of its own first: take each word after a marker.
    list_cursors = [word for marker, word in pairwise(out) if marker == "list"]
    feed_cursors = [word for marker, word in pairwise(out) if marker == "feed"]
    if not (list_cursors and feed_cursors):
        raise RuntimeError(f"No cursors from the database: {out}")
    rng = random.Random(19)
    words = vocabulary()[40:3000]
    searches = [f"/en/claims/?q={rng.choice(words)}+{rng.choice(words)}" for _ in range(40)]
    return {
        "trivial view": ["/bench/trivial/"],
        "claims list, first page": ["/en/claims/"],
        "claims list, deep page (cursor)": [f"/en/claims/?after={c}" for c in list_cursors],
        "claims list, numbered page 400": ["/en/claims/?page=400"],
        "claims list, filter": [
            "/en/claims/?verdict=false",
            "/en/claims/?language=fr",
            "/en/claims/?since=2022-01-01&until=2022-12-31",
            "/en/claims/?topic=bench-topic-7",
            "/en/claims/?outlet=bench-outlet-3.example",
        ],
        # The hard case: two filters each matching many claims and none together (at 1M:
        # 33,000 claims in the topic, 100,000 in Italian, all of the topic's in English). It
        # must answer (200), not run into the list's statement timeout (400).
        TWO_FILTERS: ["/en/claims/?language=it&topic=bench-topic-2"],
        "search, two words": searches,
        **{name: [path] for name, path in PAIRS.items()},
        "API list": ["/api/v1/claims/"],
        "API ClaimReview feed, first page": ["/api/v1/claimreview/feed/"],
        "API ClaimReview feed, deep page": [
            f"/api/v1/claimreview/feed/?after={c}" for c in feed_cursors
        ],
    }


def measure(
    folder: Path, urls: dict[int, str], seconds: float, rounds: int, *, pairs: bool = False
) -> dict[int, dict[str, wrk.Result]]:
    """Every request at every size, interleaved: one server per size, and each round runs
    the sizes back to back, so that all sizes see the same machine load (it is shared).
    The pairs of filters (PAIRS) only with `pairs`, and then only them."""
    requests = {size: requests_for(folder, url) for size, url in urls.items()}
    for asked in requests.values():
        for name in list(asked):
            if (name in PAIRS) != pairs and name != "trivial view":
                del asked[name]
    servers = {size: start_server(folder, url) for size, url in urls.items()}
    results: dict[int, dict[str, wrk.Result]] = {size: {} for size in urls}
    try:
        for size, (_server, port) in servers.items():
            for paths in requests[size].values():
                for path in paths:  # warm up: templates, connections, the filter choices
                    status, _ = fetch(port, path)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
        for name in requests[min(urls)]:
            runs: dict[int, list[wrk.Result]] = {size: [] for size in urls}
            for _ in range(rounds):
                for size, (_server, port) in servers.items():
                    result = wrk.run(port, requests[size][name], seconds=seconds)
                    if result.unexpected:
                        raise RuntimeError(f"{name}: {result.unexpected} unexpected responses")
                    runs[size].append(result)
            cells = []
            for size, done in runs.items():
                results[size][name] = wrk.Result(
                    rate=statistics.median(r.rate for r in done),
                    p50=statistics.median(r.p50 for r in done),
                    p95=statistics.median(r.p95 for r in done),
                    requests=sum(r.requests for r in done),
                    unexpected=0,
                )
                cells.append(
                    f"{label(size)} {results[size][name].p50:6.1f} / "
                    f"{results[size][name].p95:6.1f} ms"
                )
            print(f"  {name:36} " + "   ".join(cells), flush=True)
    finally:
        for server, _port in servers.values():
            server.terminate()
        for server, _port in servers.values():
            server.wait(timeout=20)
    return results


def size_parse(text: str) -> int:
    """A claim count as given on the command line: 10000, 10k or 1m."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(text[:-1] if scale > 1 else text) * scale


def table(sizes: list[int], measured: dict[int, dict[str, wrk.Result]]) -> bool:
    first, last = sizes[0], sizes[-1]
    columns = " | ".join(f"{label(s)} p50 / p95" for s in sizes)
    print(f"\n| request | {columns} | growth p95 {label(first)}→{label(last)} | goal | met |")
    print("| --- " * (len(sizes) + 4) + "|")
    ok = True
    for name in measured[first]:
        cells = " | ".join(
            f"{measured[s][name].p50:.1f} / {measured[s][name].p95:.1f} ms" for s in sizes
        )
        growth = measured[last][name].p95 / max(measured[first][name].p95, 0.001)
        if name == "trivial view":
            print(f"| {name} | {cells} | {growth:.2f}x | (reference) | |")
            continue
        met = measured[last][name].p95 <= GOAL_P95_MS and growth <= GOAL_GROWTH
        ok &= met
        goal = f"p95 ≤ {GOAL_P95_MS} ms, ≤ {GOAL_GROWTH}x"
        print(f"| {name} | {cells} | {growth:.2f}x | {goal} | {'yes' if met else 'NO'} |")
    return ok


DEMO = """
from claims.demo import load_demo
load_demo()
"""

# An integration key of a desk editor (the demo's), made afresh for each run: the path that
# no cache serves (the desk sees drafts, so its lists are built for it every time).
DESK_KEY = """
from django.contrib.auth import get_user_model
from api.models import IntegrationKey, KeyScope
user = get_user_model().objects.filter(is_staff=True, groups__name="Editors").first()
if user is None:
    user = get_user_model().objects.filter(is_superuser=True).first()
IntegrationKey.objects.filter(name="bench-lists").delete()
_key, secret = IntegrationKey.objects.create_key(name="bench-lists", user=user, scope=KeyScope.READ)
print("KEY", secret)
"""


def demo_ratio(folder: Path, url: str, seconds: float, rounds: int) -> bool:
    """The API list of 100 claims against a trivial view, throughput with 4 connections:
    uncached (anonymous, page cache off), with an editor's API key (never cached), from the
    anonymous cache, and answered with 304."""
    print("\nDemo data (+ generated claims, 100 published): API list of 100 claims", flush=True)
    ensure_data(url, 0)  # the database, migrated
    shell(folder, url, DEMO)
    ensure_data(url, 300)
    out = shell(folder, url, DESK_KEY)
    secret = next(word for marker, word in pairwise(out) if marker == "KEY")
    path = "/api/v1/claims/?page_size=100"
    ok = True
    kinds = (
        ("uncached", False, None),
        ("API key (desk)", False, {"Authorization": f"Api-Key {secret}"}),
        ("anonymous cache", True, None),
        ("304", True, None),
    )
    for kind, page_cache, extra in kinds:
        server, port = start_server(folder, url, page_cache=page_cache)
        try:
            status, headers = fetch(port, path, extra)
            assert status == 200, status
            if kind == "304":
                extra = {"If-None-Match": headers["ETag"]}
            expected = 304 if kind == "304" else 200
            ratios, rates = [], []
            for _ in range(rounds):
                base = wrk.run(port, ["/bench/trivial/"], seconds=seconds, connections=4)
                result = wrk.run(
                    port, [path], seconds=seconds, connections=4, headers=extra, expected=expected
                )
                if result.unexpected:
                    raise RuntimeError(f"{kind}: {result.unexpected} unexpected responses")
                ratios.append(result.rate / base.rate)
                rates.append(result.rate)
            ratio = statistics.median(ratios)
            met = ratio >= GOAL_API_RATIO
            ok &= met
            print(
                f"  {kind:16} {statistics.median(rates):7.0f} req/s  {ratio:6.1%} of trivial "
                f"(goal ≥ {GOAL_API_RATIO:.0%}: {'met' if met else 'NOT met'})",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(timeout=20)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seconds", type=float, default=3, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per request")
    parser.add_argument("--database-url-template", default=DEFAULT_TEMPLATE)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument(
        "--pairs", action="store_true", help="only the pairs of list filters (no demo)"
    )
    args = parser.parse_args()
    # Stopped with SIGTERM, still stop the servers it started (the finally clauses).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if not wrk.available():
        raise SystemExit("This benchmark needs Debian's wrk: apt-get install wrk")
    try:
        sizes = sorted(size_parse(s) for s in args.sizes.split(","))
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: give claim counts such as 10000,1000000 or 10k,1m")
    with tempfile.TemporaryDirectory(prefix="bench-lists-") as tmp:
        folder = Path(tmp)
        (folder / "static").mkdir()
        (folder / "bench_settings.py").write_text(textwrap.dedent(SETTINGS))
        (folder / "bench_urls.py").write_text(textwrap.dedent(URLS))
        urls = {size: args.database_url_template.format(size=label(size)) for size in sizes}
        for size, url in urls.items():
            print(f"\n[{size:,} claims] {url.rsplit('/', 1)[1]}", flush=True)
            ensure_data(url, size)
        print(
            f"\nOne request at a time, {args.rounds} interleaved rounds of {args.seconds:g} s "
            "per size (medians of the rounds' p50 / p95):",
            flush=True,
        )
        measured = measure(folder, urls, args.seconds, args.rounds, pairs=args.pairs)
        ok = table(sizes, measured)
        if not (args.skip_demo or args.pairs):
            url = args.database_url_template.format(size="demo")
            ok &= demo_ratio(folder, url, args.seconds, args.rounds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
