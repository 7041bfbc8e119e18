""" "Checked before?" hit rates: by wording alone, and by wording and meaning (hybrid).

    .venv/bin/python bench/bench_checked_before.py [--database-url postgres://...] [--sweep]
        [--sets tuning,heldout]

Two evaluation sets, each loaded alone onto a fresh desk and reported separately:

- tuning (bench/data/checked_before_eval.jsonl): 60 claims we wrote, 30 Italian and 30
  English. claims.matching's MIN_COSINE and MARGIN were chosen on it (--sweep), so its figures
  are optimistic;
- held-out (bench/data/checked_before_heldout.jsonl): 60 other claims, never used for tuning.
  Each is our own rewording of a real statement checked by Pagella Politica (CheckIT!, 30
  Italian) or PolitiFact (LIAR, 30 English), with the dataset's id in `source`; the
  paraphrases and translations are ours too. Its desk has claims on shared topics (migrant
  landings, health spending, taxes, Hillary Clinton, children at the border), so a wrong
  near-neighbour is a real risk.

The desk is a SQLite file in a temporary folder by default, or the PostgreSQL database named by
--database-url (created if missing), so lexical figures can be read for full-text + trigram
too; either is emptied before each set. Claims go in through claim_create;
embed_claims then embeds them all, which gives the batch speed. Each claim is then looked for
four ways: by its exact wording, by its paraphrase, and, from the other language, by its
translation (it->en means an Italian claim on the desk found by an English query). A hit is the
claim among the first 1 or 5 results of claims.similarity.similar_claims (lexical) and
claims.matching.checked_before (hybrid). --sweep also prints the tuning set's hybrid hit rates
for other RRF_K and MIN_COSINE values (never the held-out set's: it must stay unseen).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "tuning": (DATA / "checked_before_eval.jsonl", "tuning set (constants chosen on it)"),
    "heldout": (DATA / "checked_before_heldout.jsonl", "HELD-OUT set (never used for tuning)"),
}


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--sets", default="tuning,heldout")
    parser.add_argument("--misses", action="store_true", help="list the hybrid's top-1 misses")
    args = parser.parse_args()
    unknown = set(args.sets.split(",")) - set(SETS)
    if unknown:
        parser.error(f"unknown set(s) {', '.join(sorted(unknown))}: use {', '.join(SETS)}")
    return args


ARGS = parse_args()
TMP = tempfile.mkdtemp(prefix="factdesk-bench-checked-before-")
os.environ["DATABASE_URL"] = ARGS.database_url or f"sqlite:///{TMP}/bench.sqlite3"
os.environ["DB_POOL_MAX"] = "0"
# No snapshot: the vector index scans these few vectors exactly (and never reads a stale file).
os.environ["FACTDESK_VECTOR_INDEX_DIR"] = f"{TMP}/vector-index"
# Claims are embedded in one batch by embed_claims below, not one by one by the task.
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from claims import matching  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.services import claim_create  # noqa: E402
from claims.similarity import similar_claims  # noqa: E402
from lib.embedding import get_embedder  # noqa: E402

# (RRF_K, MIN_COSINE, MARGIN); MARGIN=1 means no margin.
SWEEP = [
    (60, 0.5, 1),
    (60, 0.4, 1),
    (60, 0.3, 0.15),
    (60, 0.4, 0.1),
    (60, 0.4, 0.2),
    (60, 0.5, 0.15),
    (10, 0.4, 0.15),
    (100, 0.4, 0.15),
]
CATEGORIES = ["exact", "paraphrase", "translation it->en", "translation en->it"]


def ensure_database():
    """The PostgreSQL database named by --database-url, created if missing (as bench_similar)."""
    import psycopg

    name = ARGS.database_url.rsplit("/", 1)[1]
    admin_url = ARGS.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def load_desk(items) -> dict[int, int]:
    """Each eval item as a claim, on a desk of only this set; returns eval id -> claim id."""
    # A desk of only the eval set, so runs and sets compare; the planner's word statistics
    # (claims.similarity's rare words) need ANALYZE.
    Claim.objects.all().delete()
    claim_ids = {
        item["id"]: claim_create(
            quote=item["claim"], claim_reviewed=item["claim"], language=item["language"]
        ).pk
        for item in items
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE claims_claim")
    return claim_ids


def queries(items):
    """(category, text, language, eval id) for every lookup."""
    for item in items:
        lang, other = item["language"], "en" if item["language"] == "it" else "it"
        yield "exact", item["claim"], lang, item["id"]
        yield "paraphrase", item["paraphrase"], lang, item["id"]
        yield f"translation {lang}->{other}", item["translation"], other, item["id"]


def hit_rates(search, items, claim_ids) -> dict[str, tuple[float, float, int]]:
    found = {category: [] for category in CATEGORIES}
    for category, text, language, eval_id in queries(items):
        ranked = search(text, language)
        target = claim_ids[eval_id]
        found[category].append((ranked[:1] == [target], target in ranked[:5]))
    return {
        category: (
            sum(top1 for top1, _ in hits) / len(hits),
            sum(top5 for _, top5 in hits) / len(hits),
            len(hits),
        )
        for category, hits in found.items()
    }


def lexical(text, language):
    return [claim.pk for claim in similar_claims(text, language=language, limit=5)]


def hybrid(text, language):
    found = matching.checked_before(text, language=language, limit=5, published_only=False)
    return [match.claim.pk for match in found]


def print_misses(items, claim_ids) -> None:
    """Each lookup whose claim is not the hybrid's first result, with the cosine similarity of
    the query to its claim and to what came first (why the ranking missed)."""
    print("\nHybrid top-1 misses (cosine to the right claim / to the first result)")
    texts = {claim_ids[item["id"]]: item["claim"] for item in items}
    for category, text, language, eval_id in queries(items):
        found = hybrid(text, language)
        target = claim_ids[eval_id]
        if found[:1] == [target]:
            continue
        first = found[0] if found else None
        query, right, wrong = get_embedder().embed([text, texts[target], texts.get(first, "")])
        rank = found.index(target) + 1 if target in found else "-"
        wrong_cos = f"{float(query @ wrong):.2f}" if first else "none"
        print(f"  {category:<20} rank {rank}  cos {float(query @ right):.2f} / {wrong_cos}")
        print(f"    query: {text[:90]}")
        print(f"    first: {texts.get(first, '(nothing)')[:90]}")


def print_table(title, rates):
    print(f"\n{title}")
    print(f"  {'category':<22} {'n':>3} {'top-1':>6} {'top-5':>6}")
    for category, (top1, top5, n) in rates.items():
        print(f"  {category:<22} {n:>3} {top1:>6.2f} {top5:>6.2f}")


def main():
    if connection.vendor == "postgresql":
        ensure_database()
    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}; embedder {get_embedder().name}")
    started = time.perf_counter()
    get_embedder().embed(["load the model"])
    print(f"model load: {time.perf_counter() - started:.1f} s")
    for name in ARGS.sets.split(","):
        path, label = SETS[name]
        items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        print(f"\n=== {label}: {path.name}, {len(items)} claims ===")
        run_set(items, sweep=ARGS.sweep and name == "tuning")


def run_set(items, *, sweep: bool) -> None:
    claim_ids = load_desk(items)
    started = time.perf_counter()
    call_command("embed_claims", batch_size=64, stdout=open(os.devnull, "w"))  # noqa: SIM115
    elapsed = time.perf_counter() - started
    print(f"embed_claims: {len(items)} claims in {elapsed:.2f} s ({len(items) / elapsed:.0f}/s)")
    sentences = [text for _category, text, _lang, _id in queries(items)]
    started = time.perf_counter()
    get_embedder().embed(sentences)
    elapsed = time.perf_counter() - started
    print(f"embed: {len(sentences)} sentences in one call, {len(sentences) / elapsed:.0f}/s")
    timings = []
    for text in sentences[:60]:
        started = time.perf_counter()
        hybrid(text, None)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"checked_before latency: median {statistics.median(timings):.1f} ms, "
        f"max {max(timings):.1f} ms"
    )

    print_table(
        "Lexical only (claims.similarity.similar_claims)", hit_rates(lexical, items, claim_ids)
    )
    print_table(
        f"Hybrid (claims.matching.checked_before, RRF_K={matching.RRF_K}, "
        f"MIN_COSINE={matching.MIN_COSINE}, MARGIN={matching.MARGIN})",
        hit_rates(hybrid, items, claim_ids),
    )
    if ARGS.misses:
        print_misses(items, claim_ids)
    if sweep:
        print("\nSweep (top-1/top-5 per category)")
        defaults = matching.RRF_K, matching.MIN_COSINE, matching.MARGIN
        for values in SWEEP:
            matching.RRF_K, matching.MIN_COSINE, matching.MARGIN = values
            rates = hit_rates(hybrid, items, claim_ids)
            summary = "  ".join(f"{c}: {t1:.2f}/{t5:.2f}" for c, (t1, t5, _n) in rates.items())
            print("  RRF_K={:<3} MIN_COSINE={:<4} MARGIN={:<4} ".format(*values) + summary)
        matching.RRF_K, matching.MIN_COSINE, matching.MARGIN = defaults


if __name__ == "__main__":
    main()
