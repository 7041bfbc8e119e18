"""The desk's admin pages as the desk grows: time and query count at a small and a large size.

Run: .venv/bin/python bench/bench_admin.py
It uses a fresh SQLite file unless BENCH_DATABASE_URL points at an empty database of its own.
The target: queries stay the same and time grows far slower than the data (ratio printed).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DEBUG"] = "true"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench_admin.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims import services  # noqa: E402
from claims.models import Article, Claim, ClaimEvent  # noqa: E402

SIZES = [200, 2000]
REPEATS = 7
SENTENCE = "The minister said unemployment fell to {n}% in {year}. "


def grow_to(total: int, checker, article) -> None:
    """Add claims until there are `total`. Bulk inserts: this measures reads, not writes."""
    have = Claim.objects.count()
    claims = []
    for n in range(have, total):
        start = (n % 50) * len(SENTENCE.format(n=10, year=2000))
        claims.append(
            Claim(
                quote="unemployment",
                claim_reviewed=f"Claim number {n}",
                article=article,
                anchor_start=start + 18,
                anchor_end=start + 30,
                anchor_state="exact",
                language="en",
                slug=f"claim-{n}",
                status=["new", "researching", "in_review", "published", "dismissed"][n % 5],
                published_at=django.utils.timezone.now(),
                created_by=checker,
                assignee=checker if n % 3 else None,
            )
        )
    created = Claim.objects.bulk_create(claims, batch_size=500)
    ClaimEvent.objects.bulk_create(
        [ClaimEvent(claim=claim, kind="created", actor=checker) for claim in created],
        batch_size=500,
    )
    print(f"  {total} claims", flush=True)


def measure(client, url) -> tuple[float, int]:
    client.get(url)
    timings = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, len(queries)


def main() -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    print("Migrating a fresh database...", flush=True)
    call_command("migrate", verbosity=0)
    checker = User.objects.create_user("bench-checker", is_staff=True)
    checker.groups.add(Group.objects.get(name="Fact-checkers"))
    editor = User.objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    text = "".join(SENTENCE.format(n=10 + n % 10, year=2000 + n % 20) for n in range(50))
    text += "Exports rose by 12 per cent."
    article = services.article_create(title="Bench", slug="bench", language="en", text=text)
    focus = services.claim_create(
        article=article, quote="Exports rose by 12 per cent", claim_reviewed="The focus claim"
    )
    client = Client()
    client.force_login(editor)
    pages = {
        "changelist": reverse("admin:claims_claim_changelist"),
        "changelist search": reverse("admin:claims_claim_changelist") + "?q=number+1",
        "change form": reverse("admin:claims_claim_change", args=[focus.pk]),
        "dashboard": reverse("admin:index"),
    }
    results = {}
    for size in SIZES:
        grow_to(size, checker, article)
        for name, url in pages.items():
            results[(name, size)] = measure(client, url)
    print(f"\n{'page':20} " + " ".join(f"{s:>8} claims" for s in SIZES) + "   time ratio  queries")
    for name in pages:
        (small_ms, small_q), (large_ms, large_q) = (results[(name, s)] for s in SIZES)
        print(
            f"{name:20} {small_ms:11.1f} ms {large_ms:11.1f} ms"
            f"   x{large_ms / small_ms:5.2f}    {small_q} -> {large_q}"
        )
    print(f"(data grew x{SIZES[-1] / SIZES[0]:.0f}; {Article.objects.count()} article)")


if __name__ == "__main__":
    main()
