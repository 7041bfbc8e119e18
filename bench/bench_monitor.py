"""Monitored media: reading a feed, and how soon a live transcript line is on the live page.

    .venv/bin/python bench/bench_monitor.py [--items 40] [--lines 60]
        [--database-url postgres://postgres@127.0.0.1:5432/factdesk_bench_mon]

Against the demo desk (its published checks are what the sentences are matched against):
1. Feed: a local server serves an RSS feed of --items entries, each a made-up article of ten
   sentences (some with figures, some repeating a demo check's wording); one run of
   monitoring.fetching.source_monitor reads it through the safe fetcher and the intake
   pipeline: items/s and sentences/s, and a second run of the same feed (every entry already
   read: the dedupe path).
2. Live: --lines transcript lines are posted one at a time through
   monitoring.services.transcript_line_add (what the API's POST calls); for each, the time
   until monitoring.selectors.live_lines (what the live page polls) returns it, and the
   selector's own time. The page polls every half second, so a line is on screen within that
   time plus at most half a second.

The first run creates the database (default factdesk_bench_mon) and migrates it; each run
clears the monitoring tables it wrote.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/factdesk_bench_mon"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    return parser.parse_args()


ARGS = parse_args()
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ["DB_POOL_MAX"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["FACTDESK_VECTOR_INDEX_DIR"] = tempfile.mkdtemp(prefix="bench-mon-")

import django  # noqa: E402
import psycopg  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from claims.demo import load_demo  # noqa: E402
from claims.models import Claim  # noqa: E402
from monitoring.fetching import source_monitor  # noqa: E402
from monitoring.models import MonitoredSource  # noqa: E402
from monitoring.selectors import live_lines  # noqa: E402
from monitoring.services import transcript_line_add  # noqa: E402

FILLER = [
    "Il ministro ha parlato a lungo davanti ai giornalisti riuniti nella sala stampa.",
    "Secondo i dati diffusi ieri, la disoccupazione è scesa al {n} per cento in un anno.",
    "La manovra prevede {n} miliardi di euro per le famiglie e per le imprese.",
    "Non è chiaro quando il provvedimento arriverà in aula.",
    "Le opposizioni hanno criticato la scelta del governo.",
    "Nel {y} gli sbarchi erano stati {n} mila secondo il Viminale.",
    "La riunione è terminata in tarda serata.",
    "Il prezzo del gas è aumentato del {n} per cento rispetto allo scorso anno.",
]


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def article(rng: random.Random, number: int, checks: list[str]) -> str:
    sentences = [
        rng.choice(FILLER).format(n=rng.randint(2, 90), y=rng.randint(2000, 2024)) for _ in range(9)
    ]
    # Every item is different text; some repeat a published check's words.
    sentences.append(f"Articolo {number}: " + (rng.choice(checks) if number % 3 == 0 else "fine."))
    return " ".join(sentences)


def serve_feed(items: int, checks: list[str]) -> str:
    rng = random.Random(21)
    entries = "".join(
        f"<item><title>Articolo {n}</title><link>http://bench.invalid/a/{n}</link>"
        f"<description><![CDATA[<p>{article(rng, n, checks)}</p>]]></description></item>"
        for n in range(items)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>'.encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/feed.xml"


def bench_feed(checks: list[str]) -> None:
    source = MonitoredSource.objects.create(
        name="bench feed", kind="feed", url=serve_feed(ARGS.items, checks)
    )
    print(f"  {ARGS.items} entries, 10 sentences each, read through the pipeline…", flush=True)
    started = time.perf_counter()
    run = source_monitor(
        source=source,
        progress=lambda done, total: (
            print(f"    {done}/{total}", flush=True) if done % 10 == 0 else None
        ),
    )
    took = time.perf_counter() - started
    print(
        f"  first run: {run.get_status_display()}, {run.new_items} items, {run.sentences} "
        f"sentences ({run.kept} kept) in {took:.1f} s: {run.new_items / took:.1f} items/s, "
        f"{run.sentences / took:.0f} sentences/s"
    )
    started = time.perf_counter()
    again = source_monitor(source=source)
    took = time.perf_counter() - started
    print(f"  second run (all read before): {again.duplicates} duplicates in {took * 1000:.0f} ms")


def bench_live(checks: list[str]) -> None:
    source = MonitoredSource.objects.create(name="bench live", kind="transcript", language="it")
    rng = random.Random(5)
    posted, polled, matched = [], [], 0
    for number in range(ARGS.lines):
        text = (
            f"ROSSI: {rng.choice(checks)}"
            if number % 4 == 0
            else "BIANCHI: " + rng.choice(FILLER).format(n=rng.randint(2, 90), y=2020)
        )
        started = time.perf_counter()
        stored = transcript_line_add(source=source, text=text)
        posted.append(time.perf_counter() - started)
        matched += any(sentence.matched_claim_id for sentence in stored)
        started = time.perf_counter()
        lines = live_lines(source=source, after=stored[0].pk - 1)
        polled.append(time.perf_counter() - started)
        assert lines and lines[0].pk == stored[0].pk
        if (number + 1) % 20 == 0:
            print(f"    {number + 1}/{ARGS.lines} lines", flush=True)

    def ms(values, q):
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(
        f"  post a line (score + match + store): p50 {ms(posted, 50):.0f} ms, "
        f"p95 {ms(posted, 95):.0f} ms, max {max(posted) * 1000:.0f} ms; "
        f"{matched} of {ARGS.lines} lines matched a check"
    )
    print(
        f"  the live page's poll (live_lines): p50 {ms(polled, 50):.1f} ms, "
        f"p95 {ms(polled, 95):.1f} ms"
    )
    print(
        "  a line is on the live page within post + poll + the 0.5 s polling interval: "
        f"p95 {ms(posted, 95) + ms(polled, 95) + 500:.0f} ms"
    )


def main():
    ensure_database(ARGS.database_url)
    call_command("migrate", verbosity=0)
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    MonitoredSource.objects.filter(name__startswith="bench ").delete()
    load_demo()
    call_command("embed_claims", verbosity=0)
    checks = list(Claim.objects.filter(status="published").values_list("claim_reviewed", flat=True))
    print(f"Against the demo desk's {len(checks)} published checks.")
    # bench.invalid does not resolve: entries are read from the feed's own text.
    print("1. A feed read by the worker's path (fetch, extract, pipeline, store):")
    bench_feed(checks)
    print("2. A live transcript, a line at a time:")
    bench_live(checks)


if __name__ == "__main__":
    main()
