"""The similar-vector index (lib/vector_index.py) over a throwaway table of (id, vector,
updated_at), created by each test: the embeddings model belongs to another change."""

import json
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from lib import vector_pgvector
from lib.vector_index import OVERLAP, exact_nearest, make_index
from lib.vector_snapshot import MANIFEST, SnapshotReader, build_snapshot
from lib.vector_source import TableSource

ROOT = Path(__file__).resolve().parent.parent
TABLE = "test_vectors"
DIM = 32


@pytest.fixture
def source(db):
    blob, stamp = (
        ("bytea", "timestamptz") if connection.vendor == "postgresql" else ("blob", "datetime")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {TABLE} (id bigint PRIMARY KEY, vector {blob} NOT NULL, "
            f"updated_at {stamp} NOT NULL)"
        )
    return TableSource(TABLE)


def clustered(n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(n // 20, 1), DIM))
    points = centres[rng.integers(0, len(centres), n)] + 0.5 * rng.standard_normal((n, DIM))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def put(pk: int, vector: np.ndarray, *, age: timedelta = timedelta(0)) -> None:
    """Insert or replace a row; `age` dates it back (older than the delta's overlap: 1 hour)."""
    when = connection.ops.adapt_datetimefield_value(timezone.now() - age)
    blob = np.asarray(vector, dtype="<f4").tobytes()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
        cursor.execute(f"INSERT INTO {TABLE} VALUES (%s, %s, %s)", [pk, blob, when])  # noqa: S608


def fill(vectors: np.ndarray) -> None:
    for pk, vector in enumerate(vectors, start=1):
        put(pk, vector, age=timedelta(hours=1))


def exact_ids(vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(i) + 1 for i in np.argsort(-(vectors @ query), kind="stable")[:k]]


def local_index(source, directory):
    return make_index(source, backend="local", directory=directory)


def test_nearest_gives_the_top_results_of_an_exact_search(source, tmp_path):
    vectors = clustered(400)
    fill(vectors)
    build_snapshot(source, tmp_path)
    index = local_index(source, tmp_path)
    for query in clustered(20, seed=2):
        hits = index.nearest(query, 5)
        assert [pk for pk, _ in hits] == exact_ids(vectors, query, 5)
        assert [sim for _, sim in hits] == pytest.approx(
            sorted(vectors @ query)[::-1][:5], abs=1e-5
        )


def test_nearest_many_answers_each_vector_as_nearest_does(source, tmp_path):
    vectors = clustered(400)
    fill(vectors)
    build_snapshot(source, tmp_path)
    put(999, vectors[3])  # in the delta, not the snapshot
    index = local_index(source, tmp_path)
    queries = [*clustered(12, seed=2), vectors[3]]
    batch = index.nearest_many(queries, 5, allowed=lambda ids: {pk for pk in ids if pk != 7})
    assert batch == [
        index.nearest(query, 5, allowed=lambda ids: {pk for pk in ids if pk != 7})
        for query in queries
    ]
    assert 999 in [pk for pk, _ in batch[-1]]


def test_nearest_many_is_exact_with_a_large_delta_and_deleted_candidates(source, tmp_path):
    """Without `allowed`, a batch re-reads only the index's best few candidates: a row deleted
    since the snapshot, and hundreds of rows changed since, must still give the exact answer."""
    vectors = clustered(400)
    fill(vectors)
    build_snapshot(source, tmp_path)
    changed = clustered(300, seed=5)
    for pk, vector in enumerate(changed, start=1):  # rows 1-300 changed: all in the delta
        put(pk, vector)
    current = np.concatenate([changed, vectors[300:]])
    # The first query's nearest row (351, unchanged, so only in the snapshot) is deleted.
    queries = np.concatenate([vectors[350:351], clustered(9, seed=6)])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = 351")  # noqa: S608
    current[350] = 0  # gone: scores 0, never among the best
    index = local_index(source, tmp_path)
    for query, hits in zip(queries, index.nearest_many(list(queries), 5), strict=True):
        assert [pk for pk, _ in hits] == exact_ids(current, query, 5)
        assert [sim for _, sim in hits] == pytest.approx(
            sorted(current @ query)[::-1][:5], abs=1e-5
        )


def test_nearest_many_with_no_snapshot_scans_exactly(source, tmp_path, caplog):
    vectors = clustered(100)
    fill(vectors)
    queries = clustered(3, seed=4)
    with caplog.at_level(logging.WARNING):
        batch = local_index(source, tmp_path / "none").nearest_many(list(queries), 4)
    assert [[pk for pk, _ in hits] for hits in batch] == [
        exact_ids(vectors, query, 4) for query in queries
    ]
    assert local_index(source, tmp_path).nearest_many([], 4) == []


def test_a_row_saved_after_the_snapshot_is_found_at_once_by_another_index(source, tmp_path):
    fill(clustered(200))
    build_snapshot(source, tmp_path)
    reader = local_index(source, tmp_path)
    query = clustered(1, seed=3)[0]
    reader.nearest(query, 3)
    put(999, query)  # saved "elsewhere": the reader's process did not write it
    assert reader.nearest(query, 3)[0] == (999, pytest.approx(1.0, abs=1e-5))


def test_a_changed_row_is_scored_on_its_current_vector(source, tmp_path):
    vectors = clustered(200)
    fill(vectors)
    build_snapshot(source, tmp_path)
    query = vectors[41]
    put(42, -query)  # row 42 was the query's own vector in the snapshot
    hits = local_index(source, tmp_path).nearest(query, 5)
    assert 42 not in [pk for pk, _ in hits]


def test_a_deleted_row_is_never_returned(source, tmp_path):
    vectors = clustered(200)
    fill(vectors)
    build_snapshot(source, tmp_path)
    query = vectors[9]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = 10")  # noqa: S608
    hits = local_index(source, tmp_path).nearest(query, 5)
    assert 10 not in [pk for pk, _ in hits]
    assert len(hits) == 5


def test_allowed_filter_over_fetches_until_it_has_k_results(source, tmp_path):
    vectors = clustered(600)
    fill(vectors)
    build_snapshot(source, tmp_path)
    asked = []

    def only_tenths(ids):
        asked.append(len(ids))
        return {pk for pk in ids if pk % 10 == 0}

    query = clustered(1, seed=4)[0]
    hits = local_index(source, tmp_path).nearest(query, 10, allowed=only_tenths)
    expected = [pk for pk in exact_ids(vectors, query, 600) if pk % 10 == 0][:10]
    found = [pk for pk, _ in hits]
    assert len(found) == 10 and all(pk % 10 == 0 for pk in found)
    assert [sim for _, sim in hits] == sorted((sim for _, sim in hits), reverse=True)
    # Approximate: the build is multi-threaded, so the 10th allowed hit may differ from exact.
    assert len(set(found) & set(expected)) >= 9
    assert len(asked) > 1  # the first candidates were not enough


def test_a_missing_snapshot_degrades_to_an_exact_scan_with_a_warning(source, tmp_path, caplog):
    vectors = clustered(100)
    fill(vectors)
    query = clustered(1, seed=5)[0]
    with caplog.at_level(logging.WARNING, logger="lib.vector_index"):
        hits = local_index(source, tmp_path / "nowhere").nearest(query, 3)
    assert [pk for pk, _ in hits] == exact_ids(vectors, query, 3)
    assert "scanning every vector exactly" in caplog.text


@pytest.mark.parametrize("damage", ["garbage", "truncated", "manifest"])
def test_a_corrupt_snapshot_degrades_to_an_exact_scan(source, tmp_path, caplog, damage):
    vectors = clustered(100)
    fill(vectors)
    manifest = build_snapshot(source, tmp_path)
    path = tmp_path / manifest["file"]
    if damage == "garbage":
        path.write_bytes(b"\x07" * path.stat().st_size)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    else:
        (tmp_path / MANIFEST).write_text("{not json")
    query = clustered(1, seed=6)[0]
    with caplog.at_level(logging.WARNING, logger="lib.vector_index"):
        hits = local_index(source, tmp_path).nearest(query, 3)
    assert [pk for pk, _ in hits] == exact_ids(vectors, query, 3)
    assert "Vector index unavailable" in caplog.text


def test_an_index_object_picks_up_a_rebuilt_snapshot(source, tmp_path):
    vectors = clustered(100)
    fill(vectors)
    build_snapshot(source, tmp_path)
    index = local_index(source, tmp_path)
    first = index.approximate.current()
    put(500, clustered(1, seed=7)[0], age=timedelta(hours=1))  # too old for the delta
    build_snapshot(source, tmp_path)
    second = index.approximate.current()
    assert second.generation == first.generation + 1
    assert len(second) == 101


def delete(*ids: int) -> None:
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {TABLE} WHERE id IN ({marks})", list(ids))  # noqa: S608


def refresh(source, directory) -> dict:
    return build_snapshot(source, directory, refresh_overlap=OVERLAP)


def test_a_refresh_applies_added_changed_and_deleted_rows_to_the_snapshot(source, tmp_path):
    vectors = clustered(300)
    fill(vectors)
    assert refresh(source, tmp_path)["mode"] == "full"  # nothing to start from yet
    new = clustered(1, seed=9)[0]
    put(900, new, age=timedelta(hours=1))  # committed too late for the overlap: found by id
    put(5, -vectors[4])  # changed since the snapshot
    delete(10)
    manifest = refresh(source, tmp_path)
    assert (manifest["mode"], manifest["count"], manifest["added_now"]) == ("refresh", 300, 2)
    snapshot = SnapshotReader(tmp_path).current()  # the file alone, without the delta
    assert snapshot.search(new, 1) == [900]
    assert 5 not in snapshot.search(vectors[4], 20)
    assert snapshot.search(-vectors[4], 1) == [5]
    assert 10 not in snapshot.search(vectors[9], 20)


def test_a_refresh_after_many_removals_rebuilds_the_whole_snapshot(source, tmp_path):
    fill(clustered(100))
    refresh(source, tmp_path)
    delete(*range(1, 21))  # a fifth of the rows: the graph would keep too many dead links
    manifest = refresh(source, tmp_path)
    assert (manifest["mode"], manifest["count"], manifest["removed"]) == ("full", 80, 0)


def test_a_snapshot_built_with_other_settings_is_rebuilt_not_refreshed(source, tmp_path):
    fill(clustered(100))
    build_snapshot(source, tmp_path, dtype="i8")  # an older release's setting
    manifest = refresh(source, tmp_path)
    assert (manifest["mode"], manifest["dtype"], manifest["count"]) == ("full", "f16", 100)


CHILD = """
import json, sys
import numpy as np
from lib.vector_snapshot import SnapshotReader
reader = SnapshotReader(sys.argv[1])
for line in sys.stdin:
    snapshot = reader.current()
    query = np.array(json.loads(line), dtype=np.float32)
    print(snapshot.generation, snapshot.search(query / np.linalg.norm(query), 1)[0], flush=True)
"""


def test_another_process_sees_a_rebuilt_snapshot(source, tmp_path):
    fill(clustered(100))
    build_snapshot(source, tmp_path)
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CHILD, str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        new = clustered(1, seed=8)[0]
        child.stdin.write(f"{new.tolist()}\n")
        child.stdin.flush()
        generation, found = map(int, child.stdout.readline().split())
        assert found != 777
        put(777, new, age=timedelta(hours=1))
        build_snapshot(source, tmp_path)
        child.stdin.write(f"{new.tolist()}\n")
        child.stdin.flush()
        assert list(map(int, child.stdout.readline().split())) == [generation + 1, 777]
    finally:
        child.stdin.close()
        child.wait(timeout=10)


def test_exact_scan_applies_allowed(source):
    vectors = clustered(50)
    fill(vectors)
    query = vectors[0]
    hits = exact_nearest(source, query, 3, lambda ids: {pk for pk in ids if pk != 1})
    assert [pk for pk, _ in hits] == [pk for pk in exact_ids(vectors, query, 4) if pk != 1][:3]


def test_the_build_command_writes_then_refreshes_a_snapshot(source, tmp_path, settings):
    fill(clustered(50))
    settings.FACTDESK_VECTOR_BACKEND = "local"
    settings.FACTDESK_VECTOR_INDEX_DIR = tmp_path
    settings.FACTDESK_VECTOR_SOURCE = {"table": TABLE}
    call_command("vector_index_build")
    assert json.loads((tmp_path / MANIFEST).read_text())["count"] == 50
    put(51, clustered(1, seed=10)[0])
    call_command("vector_index_build")
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert (manifest["mode"], manifest["count"]) == ("refresh", 51)
    call_command("vector_index_build", "--full")
    assert json.loads((tmp_path / MANIFEST).read_text())["mode"] == "full"


def test_auto_picks_the_local_backend_without_the_extension(source, tmp_path):
    if vector_pgvector.available():
        pytest.skip("this database offers pgvector")
    assert make_index(
        source, backend="auto", directory=tmp_path
    ).approximate.__class__.__name__ == ("SnapshotReader")


def test_pgvector_table_has_an_hnsw_cosine_index():
    statements = " ".join(vector_pgvector.create_sql(512))
    assert "embedding vector(512) NOT NULL" in statements
    assert "USING hnsw (embedding vector_cosine_ops)" in statements


def test_pgvector_search_orders_by_cosine_distance_and_widens_ef_search():
    setup, query = vector_pgvector.search_sql(200)
    assert query.endswith("ORDER BY embedding <=> %s::vector LIMIT %s")
    assert setup == ["SET LOCAL hnsw.ef_search = 200"]
    assert vector_pgvector.search_sql(5)[0] == ["SET LOCAL hnsw.ef_search = 40"]
    assert vector_pgvector.search_sql(10**6)[0] == ["SET LOCAL hnsw.ef_search = 1000"]
    assert vector_pgvector.literal(np.array([0.5, -1.0])) == "[0.5,-1]"


def test_pgvector_sync_drops_rows_gone_from_the_source(source):
    sql = vector_pgvector.delete_gone_sql(source)
    quote = connection.ops.quote_name
    assert f"FROM {quote(TABLE)} AS src WHERE src.{quote('id')} = kept.id" in sql
    assert "ON CONFLICT (id) DO UPDATE" in vector_pgvector.upsert_sql()


def test_nearest_many_with_one_vector_answers_as_nearest(source, tmp_path):
    vectors = clustered(100)
    fill(vectors)
    build_snapshot(source, tmp_path)
    index = local_index(source, tmp_path)
    assert index.nearest_many([vectors[5]], 3) == [index.nearest(vectors[5], 3)]
