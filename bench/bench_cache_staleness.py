"""How stale can a cached page be? The watched pages version (lib/cache.py), measured.

One process bumps the version and announces it, as a committed correction does; another
process reads it as every page request does (`WatchedKey.value()`, a non-blocking poll of its
subscription). Each read is checked against the newest announcement that had returned before
the read began: a read that gives an older version would have served a page retired by a
change already committed. The announcement reaches the reader over its own connection, so
nothing orders it against the writer's reply: this measures how often, and by how much, the
reader is behind.

Run: .venv/bin/python bench/bench_cache_staleness.py [--seconds 3] [--redis redis://127.0.0.1:6379/15]
Needs Redis; prints the figures and exits 0 (it sets no goal: the README states what it saw).
"""

import argparse
import bisect
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "pages:version"


def _backend(url: str, prefix: str):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from lib.cache import RedisCache

    return RedisCache(url, {"KEY_PREFIX": prefix})


def writer(url, prefix, seconds, ready, results):
    cache = _backend(url, prefix)
    ready.wait()
    announced = []  # (monotonic time the announcement returned, version)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version = cache.incr(KEY)
        cache.announce(KEY, version)
        announced.append((time.monotonic(), version))
        time.sleep(random.uniform(0.0005, 0.003))  # corrections arrive unevenly
    results.put(announced)


def reader(url, prefix, seconds, ready, results):
    cache = _backend(url, prefix)
    watch = cache.watch(KEY)
    while watch.value() is None:  # the subscription is confirmed
        time.sleep(0.001)
    ready.wait()
    reads = []  # (monotonic time the read began, version it gave)
    deadline = time.monotonic() + seconds + 0.2
    while time.monotonic() < deadline:
        began = time.monotonic()
        reads.append((began, watch.value()))
    results.put(reads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()

    import redis

    try:
        redis.Redis.from_url(args.redis).ping()
    except redis.RedisError as error:
        print(f"Redis is needed at {args.redis} ({error}): start it, or pass --redis URL.")
        return 1
    prefix = f"bench-staleness-{uuid.uuid4().hex[:8]}"
    _backend(args.redis, prefix).set(KEY, 1, timeout=None)

    ready = multiprocessing.Barrier(2)
    written, read = multiprocessing.Queue(), multiprocessing.Queue()
    processes = [
        multiprocessing.Process(
            target=writer, args=(args.redis, prefix, args.seconds, ready, written)
        ),
        multiprocessing.Process(
            target=reader, args=(args.redis, prefix, args.seconds, ready, read)
        ),
    ]
    print(f"Measuring for {args.seconds:.0f} s: one process announcing, one reading...", flush=True)
    for process in processes:
        process.start()
    announced, reads = written.get(), read.get()
    for process in processes:
        process.join()

    times = [at for at, _version in announced]
    stale_for = []  # seconds since the newer version had been announced, per stale read
    checked = 0
    for began, version in reads:
        newest = bisect.bisect_left(times, began) - 1
        if newest < 0 or version is None:
            continue
        checked += 1
        announced_at, expected = announced[newest]
        if version < expected:
            stale_for.append(began - announced_at)

    print(f"announcements: {len(announced):,}; reads checked: {checked:,}")
    share = len(stale_for) / max(checked, 1)
    print(f"reads behind a change already announced: {len(stale_for):,} ({share:.4%})")
    if stale_for:
        micros = sorted(s * 1e6 for s in stale_for)
        median = statistics.median(micros)
        print(
            f"behind by (µs after the announcement returned): median {median:.0f}, "
            f"max {micros[-1]:.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
