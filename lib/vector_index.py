"""Similar vectors by cosine similarity: an approximate index plus an exact scan of the changes.

    index = default_index()
    index.nearest(vector, 10, allowed=lambda ids: set(published.filter(pk__in=ids)...))

Two approximate backends, chosen by FACTDESK_VECTOR_BACKEND (auto | pgvector | local):

- pgvector: an HNSW index in PostgreSQL (lib/vector_pgvector.py), where the extension exists;
- local: a usearch HNSW snapshot saved to a file and memory-mapped (lib/vector_snapshot.py).

Either is refreshed by `manage.py vector_index_build`. Between refreshes, each query also scans
exactly the rows changed since the refresh started (the delta, by updated_at), so a vector saved
a moment ago in another process is found at once. Candidates from the approximate index are
re-read from the table before they are returned: a deleted row is dropped, a changed row is
scored on its current vector, and every similarity returned is exact. When the approximate index
is missing or damaged, the query scans the whole table exactly and logs a warning.
"""

import logging
import threading
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings

from lib import vector_pgvector
from lib.vector_math import Allowed, DecodedRows, Hit, merge, scored, top_allowed, unit
from lib.vector_snapshot import SnapshotError, SnapshotReader, build_snapshot
from lib.vector_source import TableSource

log = logging.getLogger(__name__)

# A row saved inside a transaction that commits later carries an updated_at from before the
# commit; the delta looks back this far past the watermark so such rows are not missed.
OVERLAP = timedelta(seconds=120)
BACKENDS = ("auto", "pgvector", "local")


class Delta:
    """The rows changed since a point in time, with their vectors, kept in step per query."""

    def __init__(self, source: TableSource):
        self.source = source
        self.since: datetime | None = None
        self.stamps: dict[int, datetime] = {}
        self.rows = DecodedRows({})

    def refresh(self, since: datetime) -> DecodedRows:
        if since != self.since:
            self.since, self.stamps, self.rows = since, {}, DecodedRows({})
        # One cheap query (an index range on updated_at); vectors only for what is new.
        stamps = dict(self.source.changed_since(since))
        stale = [pk for pk, stamp in stamps.items() if self.stamps.get(pk) != stamp]
        if not stale and len(stamps) == len(self.stamps):
            return self.rows  # unchanged: keep its decoded vectors
        fresh = self.source.vectors(stale)
        blobs = {pk: blob for pk, blob in self.rows.blobs.items() if pk in stamps}
        blobs.update(fresh)
        self.rows = DecodedRows(blobs)
        self.stamps = {pk: stamp for pk, stamp in stamps.items() if pk in blobs}
        return self.rows


class VectorIndex:
    def __init__(self, source: TableSource, approximate):
        """`approximate` has current() -> a snapshot with search(query, n), watermark, dim."""
        self.source, self.approximate = source, approximate
        self.delta = Delta(source)
        self._lock = threading.Lock()
        self._degraded: str | None = None

    def nearest(self, vector, k: int, *, allowed: Allowed | None = None) -> list[Hit]:
        """Up to k (id, cosine similarity), best first, among ids `allowed` keeps."""
        query = unit(vector)
        if k < 1:
            return []
        try:
            snapshot, delta = self._current(query.shape[0])
        except SnapshotError as error:
            self._warn_degraded(str(error))
            return exact_nearest(self.source, query, k, allowed)
        self._degraded = None
        return self._search(snapshot, delta, query, k, allowed)

    def nearest_many(self, vectors, k: int, *, allowed: Allowed | None = None) -> list[list[Hit]]:
        """nearest() for each of `vectors`, sharing the work a batch can share: one look at
        the delta, one search of the approximate index for all of them, and one read of all
        their candidates' vectors (instead of two or three queries per vector)."""
        queries = np.stack([unit(vector) for vector in vectors]) if len(vectors) else None
        if queries is None or k < 1:
            return [[] for _ in vectors]
        try:
            snapshot, delta = self._current(queries.shape[1])
        except SnapshotError as error:
            self._warn_degraded(str(error))
            return exact_nearest_many(self.source, queries, k, allowed)
        self._degraded = None
        count = max(4 * k, 40)
        search_many = getattr(snapshot, "search_many", None)
        if search_many is not None:
            found = search_many(queries, count)
        else:  # pgvector: one ORDER BY ... LIMIT per vector
            found = [snapshot.search(query, count) for query in queries]
        # Without `allowed` to thin them out, the k best candidates by the index's own
        # (approximate, f16) order are the ones returned: only those are re-read to be scored
        # exactly, a quarter of the rows. A deleted one leaves a query short: it over-fetches.
        reread = count if allowed is not None else k
        candidates = [[pk for pk in ids if pk not in delta][:reread] for ids in found]
        current = self.source.vectors({pk for ids in candidates for pk in ids})
        recent_ids, recent_sims = delta.scored_many(queries)
        results = []
        for column, (query, ids) in enumerate(zip(queries, found, strict=True)):
            recent = top_allowed(recent_ids, recent_sims[:, column], k, allowed)
            rows = {pk: current[pk] for pk in candidates[column] if pk in current}
            hits = merge(top_allowed(*scored(rows, query), k, allowed), recent, k)
            if len(hits) < k and len(ids) >= count:
                hits = self._search(snapshot, delta, query, k, allowed)  # over-fetch, as nearest
            results.append(hits)
        return results

    def _current(self, dim: int):
        # Only the shared state is locked (threaded workers); searches run side by side. The
        # delta's rows are replaced, never changed in place, so a search may keep reading them.
        with self._lock:
            snapshot = self.approximate.current()
            if snapshot.dim is not None and snapshot.dim != dim:
                raise SnapshotError(f"snapshot has {snapshot.dim} dimensions, query {dim}")
            return snapshot, self.delta.refresh(snapshot.watermark - OVERLAP)

    def _search(self, snapshot, delta, query, k, allowed) -> list[Hit]:
        recent_ids, recent_sims = delta.scored_many(query)
        recent = top_allowed(recent_ids, recent_sims[:, 0], k, allowed)
        count = max(4 * k, 40)
        while True:
            found = snapshot.search(query, count)
            # Re-read the candidates: gone rows drop out, every score is on the current vector.
            current = self.source.vectors(pk for pk in found if pk not in delta)
            hits = merge(top_allowed(*scored(current, query), k, allowed), recent, k)
            if len(hits) >= k or len(found) < count:
                return hits
            count *= 4  # `allowed` or deletions removed too many: over-fetch further

    def _warn_degraded(self, reason: str) -> None:
        if reason != self._degraded:
            log.warning("Vector index unavailable (%s); scanning every vector exactly.", reason)
            self._degraded = reason


def exact_nearest(
    source: TableSource, query: np.ndarray, k: int, allowed: Allowed | None = None
) -> list[Hit]:
    """Every row scored exactly, in batches (the baseline and the degraded path)."""
    hits: list[Hit] = []
    for rows in source.batches(20_000):
        batch = {pk: blob for pk, blob, _ in rows}
        hits = merge(hits, top_allowed(*scored(batch, query), k, allowed), k)
    return hits


def exact_nearest_many(
    source: TableSource, queries: np.ndarray, k: int, allowed: Allowed | None = None
) -> list[list[Hit]]:
    """exact_nearest for each row of `queries`, reading the table once for all of them."""
    hits: list[list[Hit]] = [[] for _ in queries]
    for rows in source.batches(20_000):
        batch = {pk: blob for pk, blob, _ in rows}
        for i, query in enumerate(queries):
            hits[i] = merge(hits[i], top_allowed(*scored(batch, query), k, allowed), k)
    return hits


def make_index(source: TableSource, *, backend: str, directory) -> VectorIndex:
    if backend not in BACKENDS:
        raise ValueError(f"Unknown vector backend {backend!r}: use one of {', '.join(BACKENDS)}.")
    if backend == "pgvector" or (backend == "auto" and vector_pgvector.available(source.using)):
        return VectorIndex(source, vector_pgvector.PgvectorBackend(source, overlap=OVERLAP))
    return VectorIndex(source, SnapshotReader(directory))


def settings_source() -> TableSource:
    return TableSource(**settings.FACTDESK_VECTOR_SOURCE)


_default: VectorIndex | None = None


def default_index() -> VectorIndex:
    """This process's index over the embeddings table, as configured in settings."""
    global _default
    if _default is None:
        _default = make_index(
            settings_source(),
            backend=settings.FACTDESK_VECTOR_BACKEND,
            directory=settings.FACTDESK_VECTOR_INDEX_DIR,
        )
    return _default


def refresh_index(
    source: TableSource, *, backend: str, directory, full: bool = False, progress=None
) -> dict:
    """Bring the approximate index up to date: sync the pgvector copy, or refresh the snapshot
    with what changed since it was built (`full`: index every row again).

    Raises vector_snapshot.BuildInProgress when another local build is running.
    """
    index = make_index(source, backend=backend, directory=directory)
    if isinstance(index.approximate, vector_pgvector.PgvectorBackend):
        return {"backend": "pgvector", **index.approximate.sync(progress)}
    overlap = None if full else OVERLAP
    manifest = build_snapshot(source, directory, refresh_overlap=overlap, progress=progress)
    return {"backend": "local", **manifest}
