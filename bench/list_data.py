"""Claims for the list benchmarks: bench_similar.py's wording, plus what lists filter and order
by (languages, verdicts, topics, articles and their outlets, five years of dates).

    .venv/bin/python bench/list_data.py --claims 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/fd_lists_bench

One claim in three is published, as in bench_similar.py. Claims are made in SQL in batches
(generate_series, with progress), each batch committed: a stopped run keeps what it made and
the next run goes on. Full-text and trigram indexes are dropped while loading and rebuilt after.
The topics' listing rows (TopicListing) are made by its triggers as the links are inserted.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH = 50_000
OUTLETS = 200
ARTICLES = 5_000
TOPICS = 30
# Five years of claims, oldest first: the id order roughly follows created_at, as on a desk.
SPAN_SECONDS = 5 * 365 * 86400

INSERT = """
INSERT INTO claims_claim (
    quote, claim_reviewed, claimant, claimant_is_organization, claimant_url, attribution,
    anchor_prefix, anchor_suffix, anchor_state, language, status, rationale, rationale_html,
    unpublished_reason, slug, imported_rating, imported_review, created_at, updated_at,
    status_changed_at, published_at, version, verdict_id, article_id)
SELECT s, left(s, 140), '', false, '', '', '', '', 'none',
       CASE WHEN mod(g, 10) < 6 THEN 'en' WHEN mod(g, 10) < 9 THEN 'it' ELSE 'fr' END,
       CASE WHEN published THEN 'published' ELSE 'new' END, '', '', '', 'bench-' || g, '', '{}',
       created, created, created,
       CASE WHEN published THEN created + interval '2 days' END, 1,
       CASE WHEN published THEN (%(verdicts)s::int[])[1 + mod(g / 3, %(nverdicts)s)] END,
       CASE WHEN mod(g, 10) < 7 THEN (%(articles)s::int[])[1 + mod(g * 7, %(narticles)s)] END
FROM (
    SELECT g, mod(g, 3) = 0 AS published,
           timestamptz '2021-01-01'
               + make_interval(secs => g * %(step)s + random() * 600) AS created,
           (SELECT string_agg((%(words)s::text[])[1 + floor(%(n)s * power(random(), 3))::int], ' ')
            FROM generate_series(1, 8 + mod(g, 10))) AS s
    FROM generate_series(%(first)s, %(last)s) AS g
) AS generated
"""

# Half the published claims have a topic, a tenth of them two.
TOPICS_SQL = """
INSERT INTO claims_claim_topics (claim_id, topic_id)
SELECT id, (%(topics)s::int[])[1 + mod(id, %(ntopics)s)] FROM claims_claim
WHERE id BETWEEN %(low)s AND %(high)s AND status = 'published' AND mod(id, 2) = 0
UNION ALL
SELECT id, (%(topics)s::int[])[1 + mod(id + 7, %(ntopics)s)] FROM claims_claim
WHERE id BETWEEN %(low)s AND %(high)s AND status = 'published' AND mod(id, 20) = 0
ON CONFLICT DO NOTHING
"""


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    return parser.parse_args()


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating database {name} ...", flush=True)
            admin.execute(f'CREATE DATABASE "{name}"')


def lookups():
    """Outlets, articles and topics for the claims to point at (made once)."""
    from claims.models import Article, Topic, VerdictRating
    from sources.models import Outlet

    if not Outlet.objects.filter(domain__startswith="bench-outlet-").exists():
        Outlet.objects.bulk_create(
            Outlet(name=f"Bench outlet {i}", domain=f"bench-outlet-{i}.example")
            for i in range(OUTLETS)
        )
    outlets = list(Outlet.objects.filter(domain__startswith="bench-outlet-").values_list("pk"))
    if not Article.objects.filter(slug__startswith="bench-article-").exists():
        Article.objects.bulk_create(
            (
                Article(
                    title=f"Bench article {i}",
                    slug=f"bench-article-{i}",
                    outlet_id=outlets[i % len(outlets)][0],
                    language="en",
                    text="Bench article text.",
                )
                for i in range(ARTICLES)
            ),
            batch_size=1000,
        )
    if not Topic.objects.filter(slug__startswith="bench-topic-").exists():
        Topic.objects.bulk_create(
            Topic(name=f"Bench topic {i}", slug=f"bench-topic-{i}") for i in range(TOPICS)
        )
    articles = list(
        Article.objects.filter(slug__startswith="bench-article-").values_list("pk", flat=True)
    )
    topics = Topic.objects.filter(slug__startswith="bench-topic-")
    topics = list(topics.values_list("pk", flat=True))
    verdicts = list(VerdictRating.objects.values_list("pk", flat=True))
    return articles, topics, verdicts


def restore_indexes(cursor) -> None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_dropped_index (name text, definition text)")
    cursor.execute("SELECT name, definition FROM bench_dropped_index")
    for name, definition in cursor.fetchall():
        print(f"  building index {name} ...", flush=True)
        started = time.monotonic()
        cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        cursor.execute("DELETE FROM bench_dropped_index WHERE name = %s", [name])
        print(f"    {time.monotonic() - started:.0f} s", flush=True)


def vacuum(cursor) -> None:
    """VACUUM as well as ANALYZE: a freshly loaded table has no visibility map, so every
    index-only scan (the list's capped count) reads the table too, and the planner prefers a
    sequential scan (44 ms for the count of `?language=fr` at a million claims, 2 ms after
    VACUUM). On a live desk autovacuum keeps it set; cheap when there is nothing to do."""
    cursor.execute("VACUUM (ANALYZE)")


# Two filters that each match many claims and none together (bench/list_pairs.py): a slice of
# the "unverifiable" claims becomes German and is given to one claimant, so German or that
# claimant with any other verdict, language or claimant is empty. Idempotent: the same rows.
SPARSE_CLAIMANT = "bench-claimant-de"
SPARSE_PAIRS = """
UPDATE claims_claim SET language = 'de', speaker_id = %(claimant)s
WHERE status = 'published' AND verdict_id = %(verdict)s AND mod(id, 4) = 0
  AND (language <> 'de' OR speaker_id IS DISTINCT FROM %(claimant)s)
"""


def sparse_pairs(cursor) -> None:
    from claimants.models import Claimant
    from claims.models import VerdictRating

    claimant, _ = Claimant.objects.get_or_create(
        slug=SPARSE_CLAIMANT, defaults={"name": "Bench claimant (German)"}
    )
    verdict = VerdictRating.objects.filter(code="unverifiable").values_list("pk", flat=True)
    cursor.execute(SPARSE_PAIRS, {"claimant": claimant.pk, "verdict": verdict.first()})
    if cursor.rowcount:
        print(f"  {cursor.rowcount:,} claims made German, by {SPARSE_CLAIMANT}", flush=True)


def generate(target: int) -> None:
    from django.db import connection

    from bench.words import vocabulary

    articles, topics, verdicts = lookups()
    with connection.cursor() as cursor:
        restore_indexes(cursor)
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM claims_claim")
        have, last_id = cursor.fetchone()
        if have >= target:
            print(f"Reusing {have:,} claims already in the database.", flush=True)
            sparse_pairs(cursor)
            vacuum(cursor)
            return
        print(f"Generating {target - have:,} claims (have {have:,}) ...", flush=True)
        cursor.execute(
            "INSERT INTO bench_dropped_index SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'claims_claim' "
            "AND (indexdef LIKE '%%USING gin%%' OR indexdef LIKE '%%USING gist%%')"
        )
        cursor.execute("SELECT name FROM bench_dropped_index")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        words = vocabulary()
        step = SPAN_SECONDS / max(target, 1)
        started = time.monotonic()
        first, made = last_id + 1, 0
        while have < target:
            count = min(BATCH, target - have)
            last = first + count - 1
            cursor.execute(
                INSERT,
                {
                    "words": words,
                    "n": len(words),
                    "first": first,
                    "last": last,
                    "step": step,
                    "verdicts": verdicts,
                    "nverdicts": len(verdicts),
                    "articles": articles,
                    "narticles": len(articles),
                },
            )
            cursor.execute("SELECT coalesce(max(id), 0) FROM claims_claim")
            high = cursor.fetchone()[0]
            cursor.execute(
                TOPICS_SQL,
                {"topics": topics, "ntopics": len(topics), "low": high - count + 1, "high": high},
            )
            have, first, made = have + count, first + count, made + count
            rate = made / max(time.monotonic() - started, 0.001)
            print(f"  {have:>9,} claims  ({rate:,.0f}/s)", flush=True)
        restore_indexes(cursor)
        sparse_pairs(cursor)
        vacuum(cursor)


def main() -> int:
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DB_POOL_MAX"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
    os.environ.setdefault("DEBUG", "true")
    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    print("Migrating ...", flush=True)
    call_command("migrate", verbosity=0)
    generate(args.claims)
    return 0


if __name__ == "__main__":
    sys.exit(main())
