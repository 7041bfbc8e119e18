"""Small numpy helpers shared by the vector index's backends: decoding, exact scoring, filtering."""

from collections.abc import Callable, Iterable

import numpy as np

# How a vector is stored (ClaimEmbedding.vector, the index's source table): float32, little-endian.
STORED_DTYPE = "<f4"
Hit = tuple[int, float]
Allowed = Callable[[list[int]], set[int]]


def unit(vector) -> np.ndarray:
    """The vector as float32 with length 1 (cosine similarity is then a dot product)."""
    vector = np.asarray(vector, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(vector))
    if not np.isfinite(norm) or norm == 0:
        raise ValueError("A query vector needs a finite, non-zero length.")
    return vector / norm


def encode(vector) -> bytes:
    """A vector as it is stored."""
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def decode_one(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=STORED_DTYPE)


def decode(blobs: Iterable[bytes], dim: int) -> np.ndarray:
    """Stack stored vectors into an (n, dim) matrix; the caller drops other sizes."""
    blobs = list(blobs)
    if not blobs:
        return np.empty((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=STORED_DTYPE).reshape(len(blobs), dim)


def scored(rows: dict[int, bytes], query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ids, cosine similarities) of the rows whose vector has the query's dimension."""
    size = query.shape[0] * 4
    kept = [(pk, blob) for pk, blob in rows.items() if len(blob) == size]
    ids = np.fromiter((pk for pk, _ in kept), dtype=np.int64, count=len(kept))
    return ids, decode((blob for _, blob in kept), query.shape[0]) @ query


class DecodedRows:
    """Stored vectors decoded once and scored by one matrix product: the vector index's delta
    (rows changed since the snapshot), which every query of a batch, and every batch until the
    next refresh, scores in full. Decoding it per query cost more than the search itself once
    a bulk embedding put thousands of rows in it. Immutable once made, so request threads may
    share one; rows of another size than the query's (an older embedder's) are left out."""

    def __init__(self, blobs: dict[int, bytes]):
        self.blobs = blobs
        self._by_dim: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __contains__(self, pk: int) -> bool:
        return pk in self.blobs

    def scored_many(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids, similarities) with one column of similarities per row of `queries`."""
        dim = queries.shape[-1]
        if dim not in self._by_dim:  # two threads may both decode it once: same result
            kept = {pk: blob for pk, blob in self.blobs.items() if len(blob) == dim * 4}
            ids = np.fromiter(kept, dtype=np.int64, count=len(kept))
            self._by_dim[dim] = ids, decode(kept.values(), dim)
        ids, matrix = self._by_dim[dim]
        return ids, matrix @ np.atleast_2d(queries).T


def top_allowed(ids: np.ndarray, sims: np.ndarray, k: int, allowed: Allowed | None) -> list[Hit]:
    """The k best (id, similarity), best first, asking `allowed` about a few ids at a time."""
    step = max(4 * k, 32)
    hits: list[Hit] = []
    for order in _best_first(sims, step):
        for start in range(0, len(order), step):
            chunk = [(int(ids[i]), float(sims[i])) for i in order[start : start + step]]
            keep = None if allowed is None else allowed([pk for pk, _ in chunk])
            hits.extend(hit for hit in chunk if keep is None or hit[0] in keep)
            if len(hits) >= k:
                return hits[:k]
    return hits[:k]


def _best_first(sims: np.ndarray, wanted: int):
    """Indexes of `sims` best first, in runs: the `wanted` best alone first when there are many
    (a delta of thousands of rows usually needs only its top few, not a full sort), then the
    rest."""
    if len(sims) <= 4 * wanted:
        yield np.argsort(-sims, kind="stable")
        return
    top = np.argpartition(-sims, wanted)[:wanted]
    yield top[np.argsort(-sims[top], kind="stable")]
    rest = np.setdiff1d(np.arange(len(sims)), top, assume_unique=True)
    yield rest[np.argsort(-sims[rest], kind="stable")]


def merge(first: list[Hit], second: list[Hit], k: int) -> list[Hit]:
    return sorted(first + second, key=lambda hit: -hit[1])[:k]
