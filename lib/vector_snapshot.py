"""The local backend's snapshot: a usearch HNSW index saved to a file and memory-mapped.

A build writes `snapshot-<generation>.usearch`, then replaces `CURRENT.json` (the manifest:
generation, file, dimension, count, watermark) in one rename, so a reader sees the old snapshot
or the new one, never half of one. Readers stat the manifest on every query and re-open the
file when it changed; the file is opened as a read-only memory map, so every process on a host
shares one copy in the page cache. The watermark is the time the build started: rows changed
after it (less an overlap) are the delta the index scans exactly.

A refresh (`refresh_overlap` given, as `vector_index_build` does) starts from a private copy of
the current snapshot and changes only what changed: ids gone from the table are removed, new
ids are added, and rows changed since the previous watermark (less the overlap) are re-read.
Its cost is loading and saving the file plus the changed rows, not the whole build (51
minutes at 1M on the bench machine). A full build runs instead when there is no usable
snapshot, when it was built with other settings, or when removals since the last full build
pass REBUILD_AFTER_REMOVED.
"""

import fcntl
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from usearch.index import Index

from lib.vector_math import decode
from lib.vector_source import TableSource

log = logging.getLogger(__name__)

MANIFEST = "CURRENT.json"
# f16, not i8: i8 rounds a 512-d unit vector's components (about 0.04 each) to a few steps, and
# the graph built on those blurred distances recalled 0.38 at 1M; f16 keeps them (1M vectors in
# about 1 GB plus the graph). expansion_add 64 gave recall@10 1.0 at 100k where 32 gave 0.92.
# The measurements are in docs/vector-search.md.
DTYPE = "f16"
CONNECTIVITY = 16
EXPANSION_ADD = 64
# How wide a query walks the graph (usearch walks max(this, candidates asked)). The 1M bench
# snapshot needs it wide: recall@10 was 0.75 at 64, 0.94 at 512 (p95 26 ms), 0.950 at 1280
# (p95 49 ms) and 0.956 at 1536 (52 ms). 1280 is the narrowest that reached 0.95 there; 100k
# and 10k stay under 30 ms with it. A denser graph (connectivity 32) would allow a narrower walk.
EXPANSION_SEARCH = 1280
# The intake pipeline's batches (search_many; a tip or a live line is a batch of one) want
# the few nearest claims of each sentence, not the 10th neighbour of one claim's page: on 100k
# real claim embeddings a walk of 128 kept the same first result for 200 of 200 queries and
# recall@10 0.989 (1280: 0.997) at a tenth of the time (1.5 against 12 ms per query;
# docs/intake.md).
EXPANSION_SEARCH_BATCH = 128
# usearch reuses a removed row's slot, but the graph around it was linked for the old vector, so
# heavy churn slowly lowers recall: past this share of removals a refresh rebuilds everything.
REBUILD_AFTER_REMOVED = 0.10
# Rows re-read per query during a refresh (SQLite allows a few thousand parameters at most).
REFRESH_READ = 2_000


class SnapshotError(Exception):
    """The snapshot is missing, unreadable or does not match its manifest."""


class BuildInProgress(Exception):
    """Another process holds the build lock."""


@dataclass(frozen=True)
class Snapshot:
    index: Index | None  # None when the table was empty at build time
    generation: int
    dim: int | None
    watermark: datetime
    # A second view of the same file (the pages are shared) with a narrower walk, for batches
    # (search_many): usearch's expansion is a property of the index object, and changing it on
    # the shared one would change it for a request thread searching at the same moment.
    batch_index: Index | None = None

    def search(self, query: np.ndarray, count: int) -> list[int]:
        if self.index is None or len(self.index) == 0:
            return []
        if query.shape[0] != self.dim:
            raise SnapshotError(f"query has {query.shape[0]} dimensions, snapshot {self.dim}")
        matches = self.index.search(query, min(count, len(self.index)))
        return [int(key) for key in matches.keys]

    def search_many(self, queries: np.ndarray, count: int) -> list[list[int]]:
        """search() for each row of `queries`, in one call to usearch."""
        if self.index is None or len(self.index) == 0:
            return [[] for _ in queries]
        if queries.shape[1] != self.dim:
            raise SnapshotError(f"query has {queries.shape[1]} dimensions, snapshot {self.dim}")
        index = self.batch_index or self.index
        matches = index.search(queries, min(count, len(index)))
        if len(queries) == 1:  # usearch answers a batch of one as a single query
            return [[int(key) for key in matches.keys]]
        return [
            [int(key) for key in matches.keys[row][: matches.counts[row]]]
            for row in range(len(queries))
        ]

    def __len__(self) -> int:
        return 0 if self.index is None else len(self.index)


class SnapshotReader:
    """Opens the current snapshot of a directory and re-opens it when a build replaced it."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._stamp = None
        self._snapshot: Snapshot | None = None

    def current(self) -> Snapshot:
        try:
            stat = (self.directory / MANIFEST).stat()
        except FileNotFoundError:
            raise SnapshotError(f"no snapshot in {self.directory}") from None
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp or self._snapshot is None:
            self._snapshot = None
            self._snapshot = self._open()
            self._stamp = stamp
        return self._snapshot

    def _open(self) -> Snapshot:
        try:
            manifest = json.loads((self.directory / MANIFEST).read_text())
            watermark = datetime.fromisoformat(manifest["watermark"])
            generation, dim = int(manifest["generation"]), manifest["dim"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SnapshotError(f"unreadable manifest: {error}") from error
        if manifest["file"] is None:
            return Snapshot(None, generation, dim, watermark)
        path = self.directory / manifest["file"]
        if not path.exists() or path.stat().st_size != manifest["bytes"]:
            raise SnapshotError(f"{path.name} is missing or not the size its manifest says")
        try:
            index = Index.restore(str(path), view=True)
        except Exception as error:  # usearch raises RuntimeError/ValueError on a damaged file
            raise SnapshotError(f"{path.name} could not be opened: {error}") from error
        if index is None or len(index) != manifest["count"] or index.ndim != dim:
            raise SnapshotError(f"{path.name} does not match its manifest")
        index.expansion_search = EXPANSION_SEARCH
        batch_index = Index.restore(str(path), view=True)
        batch_index.expansion_search = EXPANSION_SEARCH_BATCH
        return Snapshot(index, generation, dim, watermark, batch_index)


def build_snapshot(
    source: TableSource,
    directory: Path,
    *,
    refresh_overlap: timedelta | None = None,
    dtype: str = DTYPE,
    batch_size: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Make a snapshot of every row current; returns the new manifest.

    With `refresh_overlap`, update a copy of the current snapshot with what changed since its
    watermark less that overlap, when it can be reused; otherwise (and by default) index every
    row. Raises BuildInProgress when another build holds the directory's lock.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildInProgress(f"a build is already running in {directory}") from None
        if refresh_overlap is not None and (previous := _reusable(directory, dtype)):
            manifest = _refresh_locked(source, directory, previous, refresh_overlap, progress)
            if manifest is not None:
                return manifest
        return _build_locked(source, directory, dtype, batch_size, progress)


def _build_locked(source, directory, dtype, batch_size, progress) -> dict:
    # Rows changed while the build reads are newer than this, so the delta covers them.
    watermark = datetime.now(UTC)
    total, done, index = source.count(), 0, None
    for rows in source.batches(batch_size):
        if index is None:
            dim = len(rows[0][1]) // 4
            index = Index(
                ndim=dim,
                metric="cos",
                dtype=dtype,
                connectivity=CONNECTIVITY,
                expansion_add=EXPANSION_ADD,
                expansion_search=EXPANSION_SEARCH,
            )
        _add(index, [row[:2] for row in rows])
        done += len(rows)
        if progress:
            progress(done, total)
    return _publish(directory, index, watermark, dtype, {"mode": "full", "removed": 0})


def _reusable(directory: Path, dtype: str) -> tuple[dict, Index] | None:
    """The current manifest and a private, writable copy of its snapshot, if a refresh may
    start from it."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
        built_with = [manifest.get(name) for name in ("dtype", "connectivity", "expansion_add")]
        if manifest["file"] is None or built_with != [dtype, CONNECTIVITY, EXPANSION_ADD]:
            return None
        if manifest["removed"] > REBUILD_AFTER_REMOVED * manifest["count"]:
            return None
        index = Index.restore(str(directory / manifest["file"]))  # a copy in memory, not a view
    except Exception:  # a missing or damaged manifest or file: build it all again
        return None
    if index is None or len(index) != manifest["count"] or index.ndim != manifest["dim"]:
        return None
    index.expansion_add = EXPANSION_ADD  # the file keeps the graph, not this setting
    return manifest, index


def _refresh_locked(source, directory, previous, overlap, progress) -> dict | None:
    """Apply the changes since the previous build; None when a full build is the better deal."""
    manifest, index = previous
    watermark = datetime.now(UTC)
    since = datetime.fromisoformat(manifest["watermark"]) - overlap
    stamps = source.changed_since(None)  # every (id, updated_at): ids only, no vectors
    ids = np.fromiter((pk for pk, _ in stamps), dtype=np.uint64, count=len(stamps))
    changed = np.fromiter((pk for pk, when in stamps if when > since), dtype=np.uint64)
    keys = np.asarray(index.keys, dtype=np.uint64)
    # Ids gone from the table, and changed rows whose old vector is in the graph, go out; new
    # ids (including rows committed too late for the overlap) and changed rows come (back) in.
    remove = np.union1d(np.setdiff1d(keys, ids), np.intersect1d(changed, keys))
    add = np.union1d(np.setdiff1d(ids, keys), changed)
    removed = manifest["removed"] + len(remove)
    if removed > REBUILD_AFTER_REMOVED * max(len(ids), 1):
        return None
    if len(remove):
        index.remove(remove)
    for start in range(0, len(add), REFRESH_READ):
        chunk = add[start : start + REFRESH_READ].tolist()
        _add(index, list(source.vectors(chunk).items()))
        if progress:
            progress(min(start + REFRESH_READ, len(add)), len(add))
    changes = {"mode": "refresh", "removed": removed, "added_now": len(add)}
    return _publish(directory, index, watermark, manifest["dtype"], changes)


def _add(index: Index, rows: list[tuple[int, bytes]]) -> None:
    """Index (id, stored vector) rows; vectors of another dimension (another model) are skipped."""
    rows = [row for row in rows if len(row[1]) == index.ndim * 4]
    if rows:
        keys = np.fromiter((pk for pk, _ in rows), dtype=np.uint64, count=len(rows))
        vectors = decode((blob for _, blob in rows), index.ndim)
        index.add(keys, vectors, threads=os.cpu_count() or 1)


def _publish(directory: Path, index: Index | None, watermark, dtype: str, changes: dict) -> dict:
    """Save the index under a new generation and make it current with one rename."""
    generation = _current_generation(directory) + 1
    manifest = {"generation": generation, "watermark": watermark.isoformat(), "dtype": dtype}
    manifest.update(connectivity=CONNECTIVITY, expansion_add=EXPANSION_ADD, **changes)
    manifest.update(file=None, bytes=0, count=0, dim=None)
    if index is not None:
        name = f"snapshot-{generation}.usearch"
        index.save(str(directory / f"{name}.tmp"))
        os.replace(directory / f"{name}.tmp", directory / name)
        size = (directory / name).stat().st_size
        manifest.update(file=name, bytes=size, count=len(index), dim=index.ndim)
    _write_manifest(directory, manifest)
    _remove_old(directory, keep={manifest["file"], f"snapshot-{generation - 1}.usearch"})
    return manifest


def _current_generation(directory: Path) -> int:
    try:
        return int(json.loads((directory / MANIFEST).read_text())["generation"])
    except (OSError, ValueError, KeyError, TypeError):
        return max((_generation_of(p) for p in directory.glob("snapshot-*.usearch")), default=0)


def _generation_of(path: Path) -> int:
    try:
        return int(path.name.split("-")[1].split(".")[0])
    except (IndexError, ValueError):
        return 0


def _write_manifest(directory: Path, manifest: dict) -> None:
    temporary = directory / f"{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2))
    os.replace(temporary, directory / MANIFEST)


def _remove_old(directory: Path, keep: set) -> None:
    # The previous file stays for readers between stat and open; a process that still maps an
    # older one keeps its pages until it re-opens (unlinking does not unmap).
    for path in directory.glob("snapshot-*.usearch*"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
