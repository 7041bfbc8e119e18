"""The uncached cost of a claimant's page with 5,000 published claims, against the claim page,
as ratios measured in one run (issue 16): the report card and timeline are aggregates and
the claims a page of 20, so the page should cost a small multiple of a claim page whatever
the claimant's record, in a fixed number of queries.

Each request goes through Django's full stack (middleware, the view, Jinja2) with the page
cache emptied before it, so every figure is a page rendered afresh.

Run: .venv/bin/python bench/bench_claimants.py [--claims 5000] [--requests 40]
     [--database sqlite|postgres]
It builds its own database: SQLite in a temporary folder by default, or with --database postgres
a fresh PostgreSQL database at 127.0.0.1:5432 (factdesk_bench_claimants).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/factdesk_bench_claimants"


def setup(database: str, folder: str, database_name: str = "factdesk_bench_claimants") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="factdesk.settings",
        DEBUG="true",
        CACHE_URL="locmem://",
        DATABASE_URL=POSTGRES_URL.rsplit("/", 1)[0] + f"/{database_name}"
        if database == "postgres"
        else f"sqlite:///{folder}/bench.sqlite3",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django.core.management import call_command
    from django.db import connection

    if database == "postgres":
        _fresh_postgres_database(database_name)
        connection.close()
    call_command("migrate", verbosity=0)


def _fresh_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def build(claims: int):
    """A claimant with `claims` published claims across verdicts and years, and one claim
    published through the workflow (with evidence, a source and an outlet) for the claim page."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from claimants.services import claimant_create
    from claims.models import Claim, ClaimStatus, VerdictRating
    from tests.factories import make_published_claim

    users = get_user_model().objects
    checker = users.create_user("bench-checker", is_staff=True)
    checker.groups.add(Group.objects.get(name="Fact-checkers"))
    editor = users.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    claim = make_published_claim(checker=checker, editor=editor, claimant="Bench Speaker")
    speaker = claimant_create(name="Prolific Speaker")
    scale = list(VerdictRating.objects.filter(rating_value__isnull=False))
    now = timezone.now()
    step = 1000
    for start in range(0, claims, step):
        Claim.objects.bulk_create(
            Claim(
                quote=f"Claim number {n} as it was said",
                claim_reviewed=f"Claim number {n}",
                claimant=speaker.name,
                speaker=speaker,
                language="it",
                status=ClaimStatus.PUBLISHED,
                verdict=scale[n % len(scale)],
                published_at=now - timedelta(days=n % 2000),
                slug=f"prolific-{n}",
            )
            for n in range(start, min(start + step, claims))
        )
        print(f"  built {min(start + step, claims)}/{claims} claims", file=sys.stderr, flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    return claim, speaker


def measure(client, url: str, requests: int) -> tuple[float, int]:
    """Median milliseconds per uncached request, and the queries one request makes."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.caching import local_pages

    timings = []
    for _ in range(requests):
        cache.clear()
        local_pages.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    cache.clear()
    local_pages.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(timings), len(captured)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(args.database, folder)
        from django.test import Client

        claim, speaker = build(args.claims)
        client = Client()
        pages = {
            "claim page": claim.get_absolute_url(),
            f"claimant page ({args.claims} claims)": speaker.get_absolute_url(),
            "claimant page, page 100": speaker.get_absolute_url() + "?page=100",
            "claimants index": "/en/claimants/",
        }
        results = {}
        for name, url in pages.items():
            client.get(url)  # warm: templates compiled, URL shapes reversed
            results[name] = measure(client, url, args.requests)
            print(f"  measured {name}", file=sys.stderr, flush=True)
    base = results["claim page"][0]
    print(f"database: {args.database}; {args.requests} uncached requests each; median")
    for name, (ms, queries) in results.items():
        print(f"{name:34} {ms:8.2f} ms  {queries:2d} queries  {ms / base:5.2f}x the claim page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
