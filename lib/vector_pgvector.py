"""The pgvector backend: a `vector(n)` copy of the embeddings with an HNSW index, in PostgreSQL.

Used where the database offers the `vector` extension (the compose image ships it). The copy
is kept in step by the same refresh path as the local snapshot (`vector_index_build`): it
upserts the rows changed since its watermark and drops the rows that are gone; between two
refreshes the index scans the delta exactly, as it does for the local snapshot.

Not exercised against a live pgvector here: this machine's PostgreSQL 15 has no package for it.
The SQL is tested as text (tests/test_vector_index.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connections

from lib.vector_math import decode_one
from lib.vector_snapshot import SnapshotError
from lib.vector_source import TableSource

TABLE = "factdesk_vector_hnsw"
STATE = "factdesk_vector_hnsw_state"
# hnsw.ef_search bounds how many rows one HNSW scan can return (pgvector's limit is 1000).
MAX_EF_SEARCH = 1000


def available(using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        return cursor.fetchone() is not None


def create_sql(dim: int) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS vector",
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigint PRIMARY KEY, embedding vector({int(dim)}) "
        "NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_hnsw ON {TABLE} "
        "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)",
        f"CREATE TABLE IF NOT EXISTS {STATE} (id int PRIMARY KEY CHECK (id = 1), "
        "dim int NOT NULL, watermark timestamptz NOT NULL)",
    ]


def search_sql(count: int) -> tuple[list[str], str]:
    """Statements to run first (session settings) and the query; params: [vector, vector, n]."""
    ef = min(max(count, 40), MAX_EF_SEARCH)
    setup = [f"SET LOCAL hnsw.ef_search = {ef}"]
    query = f"SELECT id FROM {TABLE} ORDER BY embedding <=> %s::vector LIMIT %s"  # noqa: S608
    return setup, query


def upsert_sql() -> str:
    return (
        f"INSERT INTO {TABLE} (id, embedding) VALUES (%s, %s::vector) "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding"
    )


def delete_gone_sql(source: TableSource) -> str:
    table, pk, _, _ = source._names()
    return (
        f"DELETE FROM {TABLE} AS kept WHERE NOT EXISTS "  # noqa: S608 (quoted names)
        f"(SELECT 1 FROM {table} AS src WHERE src.{pk} = kept.id)"
    )


def literal(vector: np.ndarray) -> str:
    """pgvector's text form, '[0.1,0.2,...]'."""
    return "[" + ",".join(f"{x:.8g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


@dataclass(frozen=True)
class PgvectorSnapshot:
    backend: "PgvectorBackend"
    dim: int
    watermark: datetime

    def search(self, query: np.ndarray, count: int) -> list[int]:
        setup, sql = search_sql(count)
        connection = connections[self.backend.using]
        with connection.cursor() as cursor:
            if connection.get_autocommit():
                cursor.execute("BEGIN")
            for statement in setup:
                cursor.execute(statement)
            cursor.execute(sql, [literal(query), count])
            ids = [row[0] for row in cursor.fetchall()]
            if connection.get_autocommit():
                cursor.execute("COMMIT")
        return ids


class PgvectorBackend:
    def __init__(self, source: TableSource, *, overlap: timedelta):
        self.source, self.using, self.overlap = source, source.using, overlap

    def current(self) -> PgvectorSnapshot:
        with connections[self.using].cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [STATE])
            if not cursor.fetchone()[0]:
                raise SnapshotError("the pgvector table has not been built yet")
            cursor.execute(f"SELECT dim, watermark FROM {STATE} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        if row is None:
            raise SnapshotError("the pgvector table has not been built yet")
        return PgvectorSnapshot(self, row[0], row[1])

    def sync(self, progress: Callable[[int, int], None] | None = None) -> dict:
        """Upsert the rows changed since the last sync and drop the deleted ones."""
        started = datetime.now(UTC)
        try:
            since = self.current().watermark - self.overlap
        except SnapshotError:
            since = None
        changed = [pk for pk, _ in self.source.changed_since(since)]
        dim, done = None, 0
        with connections[self.using].cursor() as cursor:
            for start in range(0, len(changed), 1000):
                rows = self.source.vectors(changed[start : start + 1000])
                if dim is None and rows:
                    dim = len(next(iter(rows.values()))) // 4
                    for statement in create_sql(dim):
                        cursor.execute(statement)
                params = [
                    (pk, literal(decode_one(blob)))
                    for pk, blob in rows.items()
                    if len(blob) == dim * 4
                ]
                cursor.executemany(upsert_sql(), params)
                done += len(rows)
                if progress:
                    progress(done, len(changed))
            if dim is not None:
                cursor.execute(
                    f"INSERT INTO {STATE} (id, dim, watermark) VALUES (1, %s, %s) "  # noqa: S608
                    "ON CONFLICT (id) DO UPDATE SET dim = EXCLUDED.dim, "
                    "watermark = EXCLUDED.watermark",
                    [dim, started],
                )
            if dim is not None or since is not None:
                cursor.execute(delete_gone_sql(self.source))
                cursor.execute(f"UPDATE {STATE} SET watermark = %s", [started])  # noqa: S608
        return {"changed": done, "watermark": started.isoformat()}
