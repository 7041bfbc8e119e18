"""The harvest of other organisations' fact-checks, and "checked before?" among them.

    .venv/bin/python bench/bench_factchecks.py [--sizes 10000,50000] [--queries 100]
        [--feed 2000] [--database-url postgres://postgres@127.0.0.1:5432/factdesk_bench_fc]

1. Harvest: a local server serves a DataFeed of --feed reviews; one run of
   factchecks.harvesting.source_harvest stores them (reviews/s), and a second run of the same
   feed finds every one unchanged (the dedupe path).
2. Matching: at each size, fact-checks made up from a vocabulary (with random unit vectors:
   the cost of a vector search does not depend on what the vectors mean) are stored, their
   local usearch snapshot is built, and factchecks.matching.similar_fact_checks is timed on
   near-duplicates of stored claims (one word changed) with the original's vector moved as
   far as a paraphrase moves it: p50, p95, how often the original is the top match, and how
   often the wording query hit its time limit (WORDING_TIMEOUT_MS). The text's embedding is
   not timed (the claims' bench times the model).

The first run creates the database (default factdesk_bench_fc) and migrates it; later runs
reuse the rows and add more when a size asks for more.
"""

import argparse
import json
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/factdesk_bench_fc"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--feed", type=int, default=2000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    return parser.parse_args()


ARGS = parse_args()
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ["DB_POOL_MAX"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["FACTDESK_VECTOR_INDEX_DIR"] = tempfile.mkdtemp(prefix="bench-fc-")

import django  # noqa: E402
import numpy as np  # noqa: E402
import psycopg  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from factchecks import embeddings, matching  # noqa: E402
from factchecks.harvesting import source_harvest  # noqa: E402
from factchecks.matching import similar_fact_checks  # noqa: E402
from factchecks.models import (  # noqa: E402
    ExternalFactCheck,
    ExternalFactCheckEmbedding,
    FactCheckSource,
)
from lib.vector_index import refresh_index  # noqa: E402
from lib.vector_math import encode  # noqa: E402

DIM = 512


def vocabulary() -> list[str]:
    """Real words, most frequent first: those of the checked-before evaluation set (Italian and
    English claims, paraphrases and translations written from real material). Claims are drawn
    from them as n * random()^3, so a few words are common and most are rare, as in a language;
    with made-up or only common words, every claim would share trigrams with every other."""
    counts = Counter()
    for line in (Path(__file__).parent / "data" / "checked_before_eval.jsonl").open():
        row = json.loads(line)
        for key in ("claim", "paraphrase", "translation"):
            counts.update(re.findall(r"\w{2,}", row.get(key, "").lower()))
    return [word for word, _count in counts.most_common()]


VOCABULARY = vocabulary()


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def sentence(rng: random.Random) -> str:
    size = len(VOCABULARY)
    return " ".join(VOCABULARY[int(size * rng.random() ** 3)] for _ in range(rng.randint(7, 14)))


def review(n: int, text: str) -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"https://checks.example.org/bench/{n}",
        "claimReviewed": text,
        "inLanguage": "en",
        "datePublished": "2024-05-01",
        "author": {"@type": "Organization", "name": f"Checker {n % 40}"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }


def bench_harvest(count: int) -> None:
    rng = random.Random(1)
    feed = json.dumps(
        {
            "@type": "DataFeed",
            "dataFeedElement": [review(-n - 1, sentence(rng)) for n in range(count)],
        }
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(feed)))
            self.end_headers()
            self.wfile.write(feed)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    ExternalFactCheck.objects.filter(review_url__contains="/bench/-").delete()
    source = FactCheckSource.objects.create(
        name="bench feed", kind="datafeed", url=f"http://127.0.0.1:{server.server_address[1]}/"
    )
    for label in ("first run (all new)", "second run (all unchanged)"):
        started = time.perf_counter()
        run = source_harvest(source=source)
        seconds = time.perf_counter() - started
        print(
            f"  harvest {label}: {run.seen} reviews ({len(feed) / 1e6:.1f} MB) in "
            f"{seconds:.2f} s = {run.seen / seconds:,.0f} reviews/s; created {run.created}, "
            f"rejected {run.rejected}"
        )
    server.shutdown()
    source.delete()


def grow(size: int) -> None:
    have = (
        ExternalFactCheck.objects.filter(review_url__contains="/bench/")
        .exclude(review_url__contains="/bench/-")
        .count()
    )
    if have >= size:
        return
    rng, vectors = random.Random(have), np.random.default_rng(have)
    started = time.perf_counter()
    for start in range(have, size, 5000):
        rows = [
            ExternalFactCheck(
                review_url=f"https://checks.example.org/bench/{n}",
                normalized_url=f"https://checks.example.org/bench/{n}",
                claim_reviewed=sentence(rng),
                rating_text="False",
                organization_name=f"Checker {n % 40}",
                language="en",
            )
            for n in range(start, min(start + 5000, size))
        ]
        made = ExternalFactCheck.objects.bulk_create(rows)
        unit = vectors.standard_normal((len(made), DIM)).astype(np.float32)
        unit /= np.linalg.norm(unit, axis=1, keepdims=True)
        ExternalFactCheckEmbedding.objects.bulk_create(
            ExternalFactCheckEmbedding(fact_check_id=row.pk, model="bench", vector=encode(vec))
            for row, vec in zip(made, unit, strict=True)
        )
        done = min(start + 5000, size)
        print(f"\r  stored {done:,}/{size:,} fact-checks", end="", flush=True)
    # As if harvested a while ago: the snapshot then holds them all, and the index's exact
    # scan of recent changes (lib/vector_index.py, OVERLAP) is as small as in steady use.
    ExternalFactCheckEmbedding.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    print(f" in {time.perf_counter() - started:.0f} s")


class _CountTimeouts(logging.Handler):
    count = 0

    def emit(self, record):
        _CountTimeouts.count += 1


TIMEOUTS = _CountTimeouts()


def bench_matching(size: int, queries: int) -> None:
    grow(size)
    _CountTimeouts.count = 0
    started = time.perf_counter()
    refresh_index(
        embeddings.vector_source(), backend="local", directory=embeddings.index_directory()
    )
    print(f"  snapshot built in {time.perf_counter() - started:.1f} s")
    embeddings._index = None
    rng = random.Random(7)
    picks = list(
        ExternalFactCheck.objects.filter(review_url__contains="/bench/", embedding__isnull=False)
        .order_by("?")
        .values_list("pk", "claim_reviewed", "embedding__vector")[:queries]
    )
    timings, top = [], 0
    noise = np.random.default_rng(3)
    for pk, text, blob in picks:
        words = text.split()
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)  # a near-duplicate
        # Its vector: the original's, moved about as far as a paraphrase moves it (cosine ~0.8).
        query = np.frombuffer(bytes(blob), dtype="<f4") + noise.standard_normal(DIM).astype(
            np.float32
        ) * (0.75 / DIM**0.5)
        started = time.perf_counter()
        found = similar_fact_checks(" ".join(words), vector=query, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
        top += bool(found) and found[0].fact_check.pk == pk
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"  {size:>7,} fact-checks: similar_fact_checks p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms; original found first {top}/{len(picks)}; wording query over its "
        f"{matching.WORDING_TIMEOUT_MS} ms limit {TIMEOUTS.count}/{len(picks)}"
    )


def main():
    ensure_database(ARGS.database_url)
    matching.logger.addHandler(TIMEOUTS)
    matching.logger.propagate = False
    call_command("migrate", verbosity=0)
    print(f"Harvest of a DataFeed of {ARGS.feed} reviews from a local server:")
    bench_harvest(ARGS.feed)
    print("Checked before? among fact-checks (PostgreSQL full text + trigrams, usearch):")
    for size in (int(s) for s in ARGS.sizes.split(",")):
        bench_matching(size, ARGS.queries)


if __name__ == "__main__":
    main()
