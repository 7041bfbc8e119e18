"""Similar-claim lookup and full-text search over a million claims in PostgreSQL.

    .venv/bin/python bench/bench_similar.py [--claims 1000000] [--queries 200]
        [--database-url postgres://postgres@127.0.0.1:5432/factdesk_bench]

The first run creates the database (default factdesk_bench), migrates it and generates the
claims in SQL (generate_series, in batches, with progress); later runs reuse them, and add
more when --claims asks for more. Generation of 1,000,000 claims takes several minutes.

It then times claims.similarity.similar_claims (goal: p95 <= 50 ms) on near-duplicates of
stored claims (and says how often the original is found), and claim search (full-text,
goal: p95 <= 20 ms), and prints the index sizes.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/factdesk_bench"
BATCH = 50_000


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    return parser.parse_args()


ARGS = parse_args()
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ["DB_POOL_MAX"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402
import psycopg  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402

from bench.words import COMMON, vocabulary  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.similarity import search_claims, similar_claims  # noqa: E402

INSERT = """
INSERT INTO claims_claim (
    quote, claim_reviewed, claimant, claimant_is_organization, claimant_url, attribution,
    anchor_prefix, anchor_suffix, anchor_state, language, status, rationale,
    unpublished_reason, slug, imported_rating, imported_review, created_at, updated_at,
    status_changed_at, published_at, version)
SELECT s, left(s, 140), '', false, '', '', '', '', 'none', 'en',
       CASE WHEN mod(g, 3) = 0 THEN 'published' ELSE 'new' END, '', '', 'bench-' || g, '', '{}',
       now(), now(), now(), CASE WHEN mod(g, 3) = 0 THEN now() END, 1
FROM (
    SELECT g, (
        SELECT string_agg((%(words)s::text[])[1 + floor(%(n)s * power(random(), 3))::int], ' ')
        FROM generate_series(1, 8 + mod(g, 10))
    ) AS s
    FROM generate_series(%(first)s, %(last)s) AS g
) AS generated
"""


def ensure_database():
    url = ARGS.database_url
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating database {name} ...", flush=True)
            admin.execute(f'CREATE DATABASE "{name}"')
    print("Migrating ...", flush=True)
    call_command("migrate", verbosity=0)


def restore_indexes(cursor):
    """Rebuild the search indexes a generation run dropped (also after a run that stopped)."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_dropped_index (name text, definition text)")
    cursor.execute("SELECT name, definition FROM bench_dropped_index")
    for name, definition in cursor.fetchall():
        print(f"  building index {name} ...", flush=True)
        started = time.monotonic()
        cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        cursor.execute("DELETE FROM bench_dropped_index WHERE name = %s", [name])
        print(f"    {time.monotonic() - started:.0f} s", flush=True)


def generate(target: int):
    # Autocommit, batch by batch: a stopped run keeps what it made, and the next one goes on.
    with connection.cursor() as cursor:
        restore_indexes(cursor)
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM claims_claim")
        have, last_id = cursor.fetchone()
        if have >= target:
            print(f"Reusing {have:,} claims already in the database.", flush=True)
            return
        print(f"Generating {target - have:,} claims (have {have:,}) ...", flush=True)
        words = vocabulary()
        # Loading into GIN/GiST indexes row by row is slow: drop them (noting their
        # definitions first), load, rebuild.
        cursor.execute(
            "INSERT INTO bench_dropped_index SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'claims_claim' "
            "AND (indexdef LIKE '%%USING gin%%' OR indexdef LIKE '%%USING gist%%')"
        )
        cursor.execute("SELECT name FROM bench_dropped_index")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        started = time.monotonic()
        first, made = last_id + 1, 0
        while have < target:
            count = min(BATCH, target - have)
            cursor.execute(
                INSERT, {"words": words, "n": len(words), "first": first, "last": first + count - 1}
            )
            have, first, made = have + count, first + count, made + count
            rate = made / max(time.monotonic() - started, 0.001)
            print(f"  {have:>9,} claims  ({rate:,.0f}/s)", flush=True)
        restore_indexes(cursor)
        cursor.execute("ANALYZE claims_claim")


def timed(function, queries) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name: str, times: list[float], goal: float | None) -> bool:
    times = sorted(times)
    p50 = statistics.median(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    line = f"{name:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
    if goal is None:
        print(line)
        return True
    ok = p95 <= goal
    print(f"{line}   goal p95 <= {goal:.0f} ms: " + ("met" if ok else "NOT met"))
    return ok


def perturb(text: str, rng: random.Random) -> str:
    """A near-duplicate: one word dropped and two neighbouring words swapped."""
    words = text.split()
    if len(words) > 6:
        del words[rng.randrange(len(words))]
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def main() -> int:
    ensure_database()
    generate(ARGS.claims)
    rng = random.Random(60)
    total = Claim.objects.count()
    bounds = Claim.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(ARGS.queries)]
    originals = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "claim_reviewed"))
    lookups = [(pk, perturb(text, rng)) for pk, text in originals.items()]
    words = vocabulary()[40:3000]
    searches = [" ".join(rng.sample(words, 2)) for _ in range(ARGS.queries)]
    print(f"\n{total:,} claims; {len(lookups)} similar lookups, {len(searches)} searches\n")
    similar_claims("warm up the cache", language="en")
    found = 0

    def lookup(item):
        nonlocal found
        pk, text = item
        found += any(claim.pk == pk for claim in similar_claims(text, language="en"))

    ok = summary("similar_claims (top 10)", timed(lookup, lookups), 50)
    print(f"  the original claim is in the top 10 for {found}/{len(lookups)} near-duplicates")
    # The hard case, reported without a goal: a text made only of the commonest words.
    common = [" ".join(rng.sample(COMMON[20:], 6)) for _ in range(ARGS.queries // 4)]
    summary(
        "similar, common words only",
        timed(lambda q: similar_claims(q, language="en"), common),
        None,
    )
    ok &= summary(
        "search_claims (top 20)",
        timed(lambda q: list(search_claims(q, language="en")[:20]), searches),
        20,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT indexrelname, pg_size_pretty(pg_relation_size(indexrelid))
               FROM pg_stat_user_indexes WHERE relname = 'claims_claim'
               ORDER BY pg_relation_size(indexrelid) DESC LIMIT 8"""
        )
        print("\nIndex sizes:")
        for name, size in cursor.fetchall():
            print(f"  {name:<44} {size}")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('claims_claim'))")
        print(f"  {'(table claims_claim)':<44} {cursor.fetchone()[0]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
