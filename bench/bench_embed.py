"""The publisher embed: the script's size, and what one endpoint call costs.

    .venv/bin/python bench/bench_embed.py [--requests N]

Prints the embed script's size raw and gzipped (the goal: under 5 KB gzipped), the endpoint's
answer for the demo article (checks, bytes, gzipped bytes), and the median time of an
endpoint call beside the median time of rendering the annotated article page uncached, in the
same run (a ratio, because this machine is shared). Runs on its own SQLite database.
"""

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="factdesk-bench-embed-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["FACTDESK_PAGE_CACHE_SECONDS"] = "0"  # the article page rendered every time

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from claims.demo import load_demo  # noqa: E402

GOAL_GZ_BYTES = 5 * 1024


def median_ms(client: Client, url: str, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    print("migrating a fresh database...", flush=True)
    call_command("migrate", verbosity=0)
    article = load_demo().article
    client = Client(SERVER_NAME="127.0.0.1")  # an allowed host in development

    script = client.get("/embed/v1/factdesk.js").content
    script_gz = len(gzip.compress(script, compresslevel=9))
    print(f"embed script: {len(script)} bytes, {script_gz} bytes gzipped (goal < {GOAL_GZ_BYTES})")

    url = f"/embed/v1/articles/{article.slug}/checks.json?lang=it"
    body = client.get(url).content
    checks = body.count(b'"quote"')
    print(
        f"endpoint answer: {checks} checks, {len(body)} bytes, "
        f"{len(gzip.compress(body))} bytes gzipped"
    )
    print(f"timing {args.requests} requests each...", flush=True)
    endpoint = median_ms(client, url, args.requests)
    page = median_ms(client, article.get_absolute_url(), args.requests)
    print(f"endpoint median {endpoint:.2f} ms; annotated article page (uncached) {page:.2f} ms")
    print(f"ratio endpoint / page: {endpoint / page:.2f}")
    return 0 if script_gz < GOAL_GZ_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
