"""Qdrant's local mode made fast enough for a few thousand procedures.

Two costs of qdrant-client's local mode (measured on the 2,642 real procedures, 2 cores):

- Sparse scoring. Local mode scores a sparse query with a pure-Python merge loop over every stored vector
(``qdrant_client.local.sparse_distances.calculate_distance_sparse``): about 100 ms for the 2,642
procedures on our 2 cores, twice the whole latency budget. ``install()`` swaps in an equivalent
that keeps the stored vectors as one array of postings sorted by term (rebuilt whenever a stored vector
object changes) and scores a query's postings with numpy: same scores, same ``-inf`` for vectors
without a common index.
- Writes. Every upserted point is its own SQLite transaction with a full fsync: 50 s of the
  2,642-record import went to commits. ``speed_up_storage`` switches each collection's storage to
  WAL with ``synchronous=NORMAL`` (no fsync per commit; a crash keeps a consistent file, and the index
  is rebuilt from the catalogue anyway).
- Threads. Dense scoring is one matrix-vector product through numpy's OpenBLAS, which wakes a worker
  per core and leaves them spinning afterwards, right when ONNX Runtime encodes the next query on
  the same two cores: hybrid p50 32 ms → 15 ms, p95 51 → 18 ms with BLAS held to one thread
  (a product of this size gains nothing from more).

Server mode is not affected by any of them.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np
import threadpoolctl
from qdrant_client import QdrantClient
from qdrant_client.http.models import SparseVector
from qdrant_client.local import local_collection

_MAX_CACHED = 4


@dataclass
class _Matrix:
    """The stored vectors as postings sorted by term: a query reads only its terms' postings (the
    whole-record vectors hold ~3 million entries; scanning them all took 46 ms a query)."""

    vectors: list[SparseVector]  # the stored objects it was built from (kept alive, compared by identity)
    terms: np.ndarray  # the term of each posting, sorted
    rows: np.ndarray  # the vector each posting belongs to
    values: np.ndarray

    @classmethod
    def build(cls, vectors: list[SparseVector]) -> _Matrix:
        lengths = np.fromiter((len(v.indices) for v in vectors), dtype=np.int64, count=len(vectors))
        total = int(lengths.sum())
        indices = np.fromiter((i for v in vectors for i in v.indices), dtype=np.int64, count=total)
        values = np.fromiter((x for v in vectors for x in v.values), dtype=np.float64, count=total)
        rows = np.repeat(np.arange(len(vectors)), lengths)
        order = np.argsort(indices, kind="stable")
        return cls(list(vectors), indices[order], rows[order], values[order])

    def matches(self, vectors: list[SparseVector]) -> bool:
        same_length = len(vectors) == len(self.vectors)
        return same_length and all(a is b for a, b in zip(vectors, self.vectors, strict=True))

    def postings(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each posting of ``terms``: its position in ``terms`` and its position in the matrix."""
        starts = np.searchsorted(self.terms, terms, side="left")
        ends = np.searchsorted(self.terms, terms, side="right")
        counts = ends - starts
        which = np.repeat(np.arange(len(terms)), counts)
        # Positions start..end-1 of every term, without a Python loop over the terms.
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return which, np.repeat(starts, counts) + offsets


_cache: list[_Matrix] = []
_lock = threading.Lock()


def _matrix(vectors: list[SparseVector]) -> _Matrix:
    with _lock:
        for matrix in _cache:
            if matrix.matches(vectors):
                return matrix
        matrix = _Matrix.build(vectors)
        _cache.insert(0, matrix)
        del _cache[_MAX_CACHED:]
        return matrix


def calculate_distance_sparse(
    query: SparseVector, vectors: list[SparseVector], empty_is_zero: bool = False
) -> np.ndarray:
    """Dot products of ``query`` with each of ``vectors``; no common index → -inf (or 0)."""
    matrix = _matrix(vectors)
    query_indices = np.asarray(query.indices, dtype=np.int64)
    query_values = np.asarray(query.values, dtype=np.float64)
    which, positions = matrix.postings(query_indices)
    rows = matrix.rows[positions]
    products = matrix.values[positions] * query_values[which]
    scores = np.bincount(rows, weights=products, minlength=len(vectors)).astype(np.float32)
    overlap = np.bincount(rows, minlength=len(vectors)) > 0
    scores[~overlap] = np.float32(0.0) if empty_is_zero else np.float32("-inf")
    return scores


def speed_up_storage(client: QdrantClient) -> None:
    """WAL journal without fsync per commit for every collection the local client has open."""
    local = getattr(client, "_client", None)
    for collection in getattr(local, "collections", {}).values():
        storage = getattr(getattr(collection, "storage", None), "storage", None)
        if isinstance(storage, sqlite3.Connection):
            storage.execute("PRAGMA journal_mode=WAL")
            storage.execute("PRAGMA synchronous=NORMAL")


def install() -> None:
    """Use the vectorised scorer and one BLAS thread for local-mode searches (idempotent)."""
    local_collection.calculate_distance_sparse = calculate_distance_sparse
    threadpoolctl.threadpool_limits(limits=1, user_api="blas")
