"""Similar-vector lookup at 10k, 100k and 1M rows: each shipped backend against an exact scan.

    .venv/bin/python bench/bench_vectors.py [--sizes 10000,100000,1000000] [--queries 500]
        [--database-url postgres://postgres@127.0.0.1:5432/fd_vbench]

For each size it generates seeded synthetic 512-d unit vectors with cluster structure (about
100 per cluster, cosine ~0.5 within one), loads them into a table of (id, vector bytea,
updated_at) (reused by later runs of the same size) and then, each in its own child process so
memory is measured alone:

- exact: the whole float32 matrix in memory, one numpy matrix-vector product per query (the
  baseline; it also gives the true top 10 for recall);
- local: `vector_index_build`'s snapshot (usearch HNSW, f16) built in full from the table, then
  queries through lib.vector_index.VectorIndex: file snapshot + exact delta of 200 rows touched
  after the build + re-reading the candidates from the table (the same calls a request makes);
  then the time of a refresh (`vector_index_build` once the snapshot exists) after 1% of the
  rows (at most 1,000) changed;
- pgvector: only where the database offers the extension (skipped with a note otherwise).

Queries are perturbed copies of stored vectors (cosine ~0.95 to the original); the first 50
warm up and are not timed. RSS is the child's resident memory above a bare Django process (the
snapshot's pages are a shared file mapping: one copy per host, however many workers). Vectors
are generated in a temporary directory; nothing large is stored in the repository.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fd_vbench"
DIM, K, WARMUP, TOUCHED = 512, 10, 50, 200
REFRESHED = 1_000  # rows changed between two refreshes in the refresh timing (1% at most)
CHUNK = 50_000


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--backends", default="exact,local")
    parser.add_argument(
        "--workdir",
        help="keep the generated vectors, exact answers and snapshot here (one folder per size) "
        "and reuse them in later runs; a temporary folder otherwise",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


# Data -----------------------------------------------------------------------------------------


def generate(size: int, path: Path) -> np.memmap:
    """Seeded clustered unit vectors, written chunk by chunk to a float32 memmap."""
    rng = np.random.default_rng(13)
    centres = rng.standard_normal((max(size // 100, 1), DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    data = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(size, DIM))
    for start in range(0, size, CHUNK):
        n = min(CHUNK, size - start)
        noise = rng.standard_normal((n, DIM), dtype=np.float32) / np.sqrt(DIM)
        chunk = centres[rng.integers(0, len(centres), n)] + noise
        data[start : start + n] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
        say(f"  generated {start + n:,} / {size:,}")
    data.flush()
    return data


def queries_for(data: np.ndarray, count: int) -> np.ndarray:
    rng = np.random.default_rng(31)
    picked = data[np.sort(rng.choice(len(data), count, replace=False))]
    noisy = picked + 0.3 * rng.standard_normal(picked.shape, dtype=np.float32) / np.sqrt(DIM)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def load_table(url: str, size: int, data: np.ndarray) -> str:
    import psycopg

    table = f"bench_vectors_{size}"
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [table]).fetchone()[0]
        count_sql = f"SELECT count(*) FROM {table}"  # noqa: S608 (our own table name)
        if exists and conn.execute(count_sql).fetchone()[0] == size:
            say(f"  reusing table {table}")
            return table
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(
            f"CREATE TABLE {table} (id bigint PRIMARY KEY, vector bytea NOT NULL, "
            "updated_at timestamptz NOT NULL)"
        )
        stamp = datetime.now(UTC) - timedelta(days=1)
        with conn.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for start in range(0, size, CHUNK):
                block = np.ascontiguousarray(data[start : start + CHUNK])
                for offset, row in enumerate(block):
                    copy.write_row((start + offset + 1, row.tobytes(), stamp))
                say(f"  loaded {min(start + CHUNK, size):,} / {size:,} rows")
        conn.execute(f"CREATE INDEX ON {table} (updated_at)")
        conn.execute(f"VACUUM ANALYZE {table}")
    return table


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            admin.execute(f'CREATE DATABASE "{name}"')


# Child phases ---------------------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DB_POOL_MAX"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def percentiles(seconds: list[float]) -> dict:
    ms = np.array(seconds) * 1000
    return {f"p{p}": float(np.percentile(ms, p)) for p in (50, 95, 99)}


def phase_exact(args) -> dict:
    work = Path(args.workdir)
    base = rss_mb()
    data = np.array(np.load(work / "data.npy", mmap_mode="r"))  # the matrix, in memory
    queries = np.load(work / "queries.npy")
    truth = np.argsort(-(queries @ data.T), axis=1)[:, :K] + 1 if len(data) <= CHUNK else None
    if truth is None:  # chunked, so the score matrix never holds queries x rows at once
        best = np.empty((len(queries), 0), dtype=np.int64)
        scores = np.empty((len(queries), 0), dtype=np.float32)
        for start in range(0, len(data), CHUNK):
            sims = queries @ data[start : start + CHUNK].T
            best = np.hstack([best, np.argpartition(-sims, K, axis=1)[:, :K] + start])
            scores = np.hstack([scores, np.take_along_axis(sims, best[:, -K:] - start, 1)])
        order = np.argsort(-scores, axis=1)[:, :K]
        truth = np.take_along_axis(best, order, 1) + 1
    np.save(work / "truth.npy", truth)
    timed = queries[: min(len(queries), 200 if len(data) >= 1_000_000 else len(queries))]
    seconds = []
    for query in timed:
        started = time.perf_counter()
        sims = data @ query
        top = np.argpartition(-sims, K)[:K]
        top[np.argsort(-sims[top])]
        seconds.append(time.perf_counter() - started)
    return {"build_s": 0.0, "rss_mb": rss_mb() - base, "recall": 1.0, **percentiles(seconds)}


def phase_build(args) -> dict:
    setup_django(args.database_url)
    from lib.vector_snapshot import build_snapshot
    from lib.vector_source import TableSource

    base = rss_mb()
    started = time.perf_counter()
    last = [0.0]

    def progress(done, total):
        if time.perf_counter() - last[0] > 10 or done == total:
            last[0] = time.perf_counter()
            say(f"  indexed {done:,} / {total:,} ({last[0] - started:.0f} s)")

    source = TableSource(f"bench_vectors_{args.size}")
    build_snapshot(source, Path(args.workdir) / "index", progress=progress)
    built = {"build_s": time.perf_counter() - started, "build_peak_mb": rss_mb("VmHWM") - base}
    (Path(args.workdir) / "build.json").write_text(json.dumps(built | snapshot_settings()))
    return built


def snapshot_settings() -> dict:
    from lib import vector_snapshot as shipped

    names = ("DTYPE", "CONNECTIVITY", "EXPANSION_ADD")
    return {name.lower(): getattr(shipped, name) for name in names}


def phase_local(args) -> dict:
    """Build in one child (as the worker would), then query from this fresh process.

    A kept folder's snapshot is reused when it was built with the shipped settings (a 1M build
    takes the better part of an hour here), so only the queries are run again.
    """
    setup_django(args.database_url)
    kept = Path(args.workdir) / "build.json"
    built = json.loads(kept.read_text()) if kept.exists() else {}
    if built and all(built.get(name) == value for name, value in snapshot_settings().items()):
        say(f"  reusing the snapshot built in {built['build_s']:.0f} s")
    else:
        built = child("build", args.size, Path(args.workdir), args.database_url)
    from django.db import connection

    from lib.vector_index import make_index
    from lib.vector_source import TableSource

    source = TableSource(f"bench_vectors_{args.size}")
    with connection.cursor() as cursor:  # a delta: rows changed after the snapshot
        touch = f"UPDATE {source.table} SET updated_at = now() WHERE id <= %s"  # noqa: S608
        cursor.execute(touch, [TOUCHED])
    base = rss_mb()
    index = make_index(source, backend="local", directory=Path(args.workdir) / "index")
    return run_queries(index, Path(args.workdir), base) | built | time_refresh(source, args)


def time_refresh(source, args) -> dict:
    """What `vector_index_build` costs once the snapshot exists: REFRESHED rows changed."""
    from django.db import connection

    from lib.vector_index import OVERLAP
    from lib.vector_snapshot import build_snapshot

    with connection.cursor() as cursor:
        touch = f"UPDATE {source.table} SET updated_at = now() WHERE id > %s AND id <= %s"  # noqa: S608
        cursor.execute(touch, [TOUCHED, TOUCHED + min(REFRESHED, args.size // 100)])
    started = time.perf_counter()
    manifest = build_snapshot(source, Path(args.workdir) / "index", refresh_overlap=OVERLAP)
    say(f"  refresh: {manifest['mode']}, {manifest.get('added_now', 0):,} rows re-read")
    return {"refresh_s": time.perf_counter() - started, "refresh_mode": manifest["mode"]}


def run_queries(index, work: Path, base: float) -> dict:
    # A fresh process maps the snapshot, as a gunicorn worker would.
    queries, truth = np.load(work / "queries.npy"), np.load(work / "truth.npy")
    for query in queries[:WARMUP]:
        index.nearest(query, K)
    seconds, found = [], []
    for query, expected in zip(queries, truth, strict=True):
        started = time.perf_counter()
        hits = index.nearest(query, K)
        seconds.append(time.perf_counter() - started)
        found.append(len({pk for pk, _ in hits} & set(expected.tolist())) / K)
    return {"rss_mb": rss_mb() - base, "recall": float(np.mean(found)), **percentiles(seconds)}


def child(phase: str, size: int, work: Path, url: str) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--size", str(size)]
    command += ["--workdir", str(work), "--database-url", url]
    # One BLAS thread, as in a gunicorn worker: threads only contend on a shared machine.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Driver ---------------------------------------------------------------------------------------


def pgvector_available(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        sql = "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
        return conn.execute(sql).fetchone() is not None


def main():
    args = parse_args()
    if args.phase:
        phases = {"exact": phase_exact, "local": phase_local, "build": phase_build}
        print(json.dumps(phases[args.phase](args)))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    ensure_database(args.database_url)
    backends = args.backends.split(",")
    if pgvector_available(args.database_url):
        say("pgvector is available, but this bench does not drive it yet: see docs.")
    else:
        say("pgvector: not available on this database; benching exact and local.")
    results = {}
    for size in sizes:
        with workdir(args.workdir, size) as work:
            say(f"{size:,} vectors:")
            prepare(work, size, args)
            for backend in backends:
                say(f"  {backend}...")
                results[size, backend] = child(backend, size, work, args.database_url)
                say(f"  {backend}: {results[size, backend]}")
    report(sizes, backends, results)


@contextlib.contextmanager
def workdir(kept: str | None, size: int):
    if kept:
        path = Path(kept) / str(size)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="vbench-") as tmp:
        yield Path(tmp)


def prepare(work: Path, size: int, args) -> None:
    """The vectors, the queries and the table, reused when a kept folder already has them."""
    data_path, queries_path = work / "data.npy", work / "queries.npy"
    done = work / "generated.json"
    expected = {"size": size, "queries": args.queries}
    if done.exists() and json.loads(done.read_text()) == expected:
        say("  reusing the generated vectors")
        data = np.load(data_path, mmap_mode="r")
    else:
        data = generate(size, data_path)
        np.save(queries_path, queries_for(data, args.queries))
        (work / "truth.npy").unlink(missing_ok=True)
        done.write_text(json.dumps(expected))
    load_table(args.database_url, size, data)


def report(sizes, backends, results) -> None:
    print(
        f"\n{'rows':>10} {'backend':<8} {'build s':>8} {'refresh s':>9} {'RSS MB':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'recall@10':>9}"
    )
    for size in sizes:
        for backend in backends:
            r = results[size, backend]
            refresh = f"{r['refresh_s']:>9.1f}" if "refresh_s" in r else f"{'-':>9}"
            print(
                f"{size:>10,} {backend:<8} {r['build_s']:>8.1f} {refresh} {r['rss_mb']:>8.0f} "
                f"{r['p50']:>8.2f} {r['p95']:>8.2f} {r['p99']:>8.2f} {r['recall']:>9.3f}"
            )
    first, last = sizes[0], sizes[-1]
    print(f"\nGrowth {first:,} -> {last:,} rows (x{last // first}):")
    for backend in backends:
        a, b = results[first, backend], results[last, backend]
        line = f"  {backend:<8} p95 x{b['p95'] / a['p95']:.1f}"
        if a["build_s"]:
            line += f", build x{b['build_s'] / a['build_s']:.1f}"
        if a.get("refresh_s"):
            line += f", refresh x{b['refresh_s'] / a['refresh_s']:.1f}"
        print(line + f", RSS x{b['rss_mb'] / max(a['rss_mb'], 1):.1f}")


if __name__ == "__main__":
    main()
