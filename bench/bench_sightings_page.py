"""The uncached cost of a claim page that says "repeated N times since we checked it", against
the same page for a claim never repeated, as ratios measured in one run (issue 21): the
timeline is one GROUP BY over the claim's sightings, so the page should cost a small multiple
of a plain claim page, in one more query, however many sightings there are.

Each request goes through Django's full stack (middleware, the view, Jinja2) with the page
cache emptied before it, so every figure is a page rendered afresh.

Run: .venv/bin/python bench/bench_sightings_page.py [--sightings 100000] [--others 200000]
     [--requests 40] [--database sqlite|postgres]
It builds its own database: SQLite in a temporary folder by default, or with --database postgres
a fresh PostgreSQL database at 127.0.0.1:5432 (factdesk_bench_sightings). `--sightings` go to
one claim, spread over the years since its check; `--others` to other claims.
"""

import argparse
import hashlib
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_claimants import measure, setup

STEP = 5000


def build(sightings: int, others: int):
    """Three published claims: one never repeated, one checked 3 years ago with `sightings`
    sightings (the monthly timeline), one checked 2 months ago (weekly); plus `others`
    sightings spread over 50 other claims."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from claims.models import Claim, Sighting
    from tests.factories import ArticleFactory, make_published_claim

    users = get_user_model().objects
    checker = users.create_user("bench-checker", is_staff=True)
    checker.groups.add(Group.objects.get(name="Fact-checkers"))
    editor = users.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    def published(age_days: int) -> Claim:
        claim = make_published_claim(checker=checker, editor=editor, article=ArticleFactory())
        Claim.objects.filter(pk=claim.pk).update(
            published_at=timezone.now() - timedelta(days=age_days)
        )
        claim.refresh_from_db()
        return claim

    plain, monthly, weekly = published(1100), published(1100), published(60)
    crowd = [published(400) for _ in range(50)]
    now = timezone.now()

    def rows(claim, count, span_days, tag):
        for n in range(count):
            key = hashlib.sha256(f"{tag}-{n}".encode()).hexdigest()
            yield Sighting(
                claim=claim,
                key=key,
                sentence=f"Said again, number {n}.",
                url=f"https://news.example.com/{tag}/{n}",
                score=0.9,
                seen_at=now - timedelta(minutes=(n * 7919) % (span_days * 1440)),
            )

    batches = [
        (monthly, sightings, 1090, "m"),
        (weekly, max(1, sightings // 20), 55, "w"),
        *((claim, others // len(crowd), 390, f"o{i}") for i, claim in enumerate(crowd)),
    ]
    done = 0
    for claim, count, span, tag in batches:
        generated = rows(claim, count, span, tag)
        while batch := [row for _, row in zip(range(STEP), generated, strict=False)]:
            Sighting.objects.bulk_create(batch)
            done += len(batch)
            print(f"  built {done} sightings", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    return plain, monthly, weekly


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sightings", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(args.database, folder, database_name="factdesk_bench_sightings")
        from django.test import Client

        plain, monthly, weekly = build(args.sightings, args.others)
        client = Client()
        pages = {
            "claim page, never repeated": plain.get_absolute_url(),
            f"repeated {args.sightings} times, by month": monthly.get_absolute_url(),
            f"repeated {max(1, args.sightings // 20)} times, by week": weekly.get_absolute_url(),
        }
        results = {}
        for name, url in pages.items():
            body = client.get(url).content.decode()  # warm: templates compiled
            assert ("since we checked it" in body) == (url != pages[next(iter(pages))]), name
            results[name] = measure(client, url, args.requests)
            print(f"  measured {name}", file=sys.stderr, flush=True)
    base = results["claim page, never repeated"][0]
    print(
        f"database: {args.database}; {args.sightings + args.others} sightings in all; "
        f"{args.requests} uncached requests each; median"
    )
    for name, (ms, queries) in results.items():
        print(f"{name:40} {ms:8.2f} ms  {queries:2d} queries  {ms / base:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
