"""The claim list at page size 100, under gunicorn: the API against a plain JsonResponse.

Both endpoints return the same 100 published claims with their evidence, sources and outlets,
fetched with the same queries; the difference is what DRF costs (authentication, throttling,
filters, pagination, serializers). Goal: the API within 3x of the plain view.

    .venv/bin/python bench/bench_api.py            # SQLite in a temp dir, 2 workers, ~30 s
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/bench_api.py
    BENCH_REQUESTS=400 BENCH_CONCURRENCY=4 ...
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROUNDS = 3


def _environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factdesk.settings",
        "DEBUG": "false",
        # Plain HTTP on loopback: in production TLS ends at the proxy in front.
        "SECURE_SSL_REDIRECT": "false",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 30,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "API_THROTTLE_ANON": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore::UserWarning",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    }


# --- The app gunicorn serves: the project's URLs plus the plain view ---------------------------


def plain_claims(request):
    """The same 100 claims as /api/v1/claims/?page_size=100, with a hand-written dict."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import JsonResponse

    from claims.api.views import claim_queryset
    from claims.claimreview import absolute_url

    def source(s):
        outlet = s.outlet
        return {
            "id": s.pk,
            "url": s.url,
            "title": s.title,
            "authors": s.authors,
            "outlet": outlet
            and {
                "id": outlet.pk,
                "name": outlet.name,
                "domain": outlet.domain,
                "reliability": outlet.reliability,
            },
            "published_on": s.published_on,
            "accessed_on": s.accessed_on,
            "language": s.language,
            "kind": s.kind,
            "archive_url": s.archive_url,
            "archived_at": s.archived_at,
            "link_checked_at": s.link_checked_at,
            "link_status_code": s.link_status_code,
            "is_dead": s.is_dead,
            "updated_at": s.updated_at,
        }

    results = []
    for c in claim_queryset(AnonymousUser()).order_by("-created_at")[:100]:
        results.append(
            {
                "id": c.pk,
                "slug": c.slug,
                "page_url": absolute_url(c.get_absolute_url()),
                "claim_reviewed": c.claim_reviewed,
                "quote": c.quote,
                "claimant": c.claimant,
                "claimant_is_organization": c.claimant_is_organization,
                "claimant_url": c.claimant_url,
                "attribution": c.attribution,
                "claimed_on": c.claimed_on,
                "language": c.language,
                "article": c.article_id,
                "anchor": {
                    "start": c.anchor_start,
                    "end": c.anchor_end,
                    "prefix": c.anchor_prefix,
                    "suffix": c.anchor_suffix,
                    "state": c.anchor_state,
                },
                "parent": c.parent_id,
                "canonical": c.canonical_id,
                "topics": [t.slug for t in c.topics.all()],
                "status": c.status,
                "verdict": c.verdict.code if c.verdict else None,
                "rationale": c.rationale,
                "unpublished_reason": c.unpublished_reason,
                "published_at": c.published_at,
                "updated_at": c.updated_at,
                "version": c.version,
                "evidence": [
                    {
                        "id": e.pk,
                        "source": source(e.source),
                        "stance": e.stance,
                        "excerpt": e.excerpt,
                        "locator": e.locator,
                        "added_at": e.added_at,
                    }
                    for e in c.evidence.all()
                ],
                "corrections": [
                    {
                        "id": k.pk,
                        "claim": c.pk,
                        "note": k.note,
                        "created_at": k.created_at,
                        "previous_verdict": k.previous_verdict and k.previous_verdict.code,
                        "new_verdict": k.new_verdict and k.new_verdict.code,
                    }
                    for k in c.corrections.all()
                ],
            }
        )
    return JsonResponse({"next": None, "previous": None, "results": results})


def _wsgi():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    settings.ROOT_URLCONF = "bench_api"
    return app


if os.environ.get("BENCH_API_SERVER") == "1":
    from django.urls import path

    application = _wsgi()
    from factdesk.urls import urlpatterns as project_urls

    urlpatterns = [path("plain/claims/", plain_claims), *project_urls]


# --- The driver -------------------------------------------------------------------------------


def _setup_database(env: dict) -> None:
    print("Migrating and creating 100 published claims...", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    script = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from claims import services
from claims import visibility
from claims.models import VerdictRating
from sources.services import source_get_or_create
# One transaction: a commit per service call would spend the setup waiting on fsync.
with transaction.atomic():
  if visibility.public_claims().count() < 100:
    User = get_user_model()
    checker, _ = User.objects.get_or_create(username="bench-checker", is_staff=True)
    editor, _ = User.objects.get_or_create(username="bench-editor", is_staff=True)
    checker.groups.add(Group.objects.get(name="Fact-checkers"))
    editor.groups.add(Group.objects.get(name="Editors"))
    verdict = VerdictRating.objects.get(code="false")
    text = " ".join(f"Sentence {n} says the figure was {n} per cent." for n in range(100))
    article = services.article_create(title="Bench article", text=text, language="en")
    for n in range(100):
        claim = services.claim_create(article=article, quote=f"Sentence {n} says",
                                      claim_reviewed=f"Claim number {n}", created_by=checker)
        claim = services.claim_start_research(claim=claim, actor=checker)
        for k in range(2):
            source, _ = source_get_or_create(url=f"https://stats{k}.example/report-{n}",
                                             title=f"Report {n}.{k}")
            services.evidence_add(claim=claim, source=source, stance="refutes",
                                  excerpt="The figure was different.")
        claim = services.claim_update(claim=claim, actor=checker, verdict=verdict,
                                      rationale="Official data differ.")
        claim = services.claim_submit_for_review(claim=claim, actor=checker)
        services.claim_publish(claim=claim, actor=editor)
"""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer at {url}")


def _measure(url: str, requests: int) -> tuple[list[float], float, int]:
    """Latencies, wall time and response size of `requests` requests, CONCURRENCY at a time."""
    latencies, lock, size = [], threading.Lock(), [0]
    counter = iter(range(requests))

    def worker():
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            with urllib.request.urlopen(url) as response:
                body = response.read()
                assert response.status == 200
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                size[0] = len(body)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began, size[0]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        env = _environment(database_url)
        _setup_database(env)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench_api:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT / "bench",
            env={**env, "BENCH_API_SERVER": "1"},
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base + "/plain/claims/")
            print(
                f"gunicorn: {WORKERS} workers; {REQUESTS} requests, {CONCURRENCY} at a time",
                flush=True,
            )
            endpoints = {
                "plain JsonResponse": base + "/plain/claims/",
                "API /api/v1/claims/": base + "/api/v1/claims/?page_size=100",
            }
            for url in endpoints.values():
                for _ in range(10):
                    urllib.request.urlopen(url).read()  # warm-up: imports, connections
            # Alternate the two in rounds, so a noisy neighbour slows both alike.
            totals = {name: ([], 0.0, 0) for name in endpoints}
            for round_number in range(1, ROUNDS + 1):
                print(f"  round {round_number}/{ROUNDS}", flush=True)
                for name, url in endpoints.items():
                    latencies, wall, size = _measure(url, REQUESTS // ROUNDS)
                    done, spent, _size = totals[name]
                    totals[name] = (done + latencies, spent + wall, size)
            figures = {}
            for name, (latencies, wall, size) in totals.items():
                p50, rps = statistics.median(latencies), len(latencies) / wall
                figures[name] = (p50, rps)
                print(
                    f"  {name:22} p50 {p50 * 1000:7.1f} ms  {rps:6.1f} req/s  {size / 1024:.0f} KiB"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    (plain_p50, plain_rps), (api_p50, api_rps) = figures.values()
    ratio = api_p50 / plain_p50
    print(
        f"\nAPI / plain: p50 x{ratio:.2f}, throughput x{plain_rps / api_rps:.2f} "
        f"(goal: within x3) -> {'OK' if ratio <= 3 else 'OVER GOAL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
