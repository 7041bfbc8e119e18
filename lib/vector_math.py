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


def top_allowed(ids: np.ndarray, sims: np.ndarray, k: int, allowed: Allowed | None) -> list[Hit]:
    """The k best (id, similarity), best first, asking `allowed` about a few ids at a time."""
    order = np.argsort(-sims, kind="stable")
    step = max(4 * k, 32)
    hits: list[Hit] = []
    for start in range(0, len(order), step):
        chunk = [(int(ids[i]), float(sims[i])) for i in order[start : start + step]]
        keep = None if allowed is None else allowed([pk for pk, _ in chunk])
        hits.extend(hit for hit in chunk if keep is None or hit[0] in keep)
        if len(hits) >= k:
            break
    return hits[:k]


def merge(first: list[Hit], second: list[Hit], k: int) -> list[Hit]:
    return sorted(first + second, key=lambda hit: -hit[1])[:k]
