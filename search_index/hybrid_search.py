"""The hybrid query: dense and sparse candidates, each with its raw score, for the re-ranker.

Queries return ids, scores and content hashes only: the procedures themselves come from
``procedure_cache`` (local mode deep-copies every payload it returns, and a server would send whole
procedures over the wire for every search).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qdrant_client import QdrantClient, models

from search_index.catalogue import Level
from search_index.qdrant_store import DENSE, HASH_ONLY, SPARSE
from search_index.sparse import SparseVector

# Candidates each side gives the re-ranker: enough for the right record to surface from either.
CANDIDATES = 40


@dataclass(frozen=True)
class SearchFilter:
    """Exact payload values to restrict a search to (already validated against the catalogue)."""

    level: Level | None = None
    field: str | None = None
    agency: str | None = None

    def to_qdrant(self) -> models.Filter | None:
        conditions: list[models.Condition] = []
        if self.level is not None:
            conditions.append(
                models.FieldCondition(key="levels", match=models.MatchValue(value=self.level.value))
            )
        if self.field is not None:
            conditions.append(models.FieldCondition(key="field", match=models.MatchValue(value=self.field)))
        if self.agency is not None:
            conditions.append(
                models.FieldCondition(key="agencies", match=models.MatchValue(value=self.agency))
            )
        return models.Filter(must=conditions) if conditions else None


def _sparse(vector: SparseVector) -> models.SparseVector:
    return models.SparseVector(indices=vector.indices, values=vector.values)


def candidate_points(
    client: QdrantClient,
    collection: str,
    dense: np.ndarray,
    sparse: SparseVector,
    search_filter: SearchFilter,
) -> tuple[list[models.ScoredPoint], list[models.ScoredPoint]]:
    """The dense side's and BM25's candidates with their raw scores, in one round trip: the
    re-ranker reads both scores, which a fusion by rank would throw away."""
    flt = search_filter.to_qdrant()
    requests = [
        models.QueryRequest(
            query=dense.astype(np.float32).tolist(),
            using=DENSE,
            filter=flt,
            limit=CANDIDATES,
            with_payload=HASH_ONLY,
        )
    ]
    if sparse.indices:
        requests.append(
            models.QueryRequest(
                query=_sparse(sparse), using=SPARSE, filter=flt, limit=CANDIDATES, with_payload=HASH_ONLY
            )
        )
    answers = client.query_batch_points(collection, requests=requests)
    return answers[0].points, (answers[1].points if len(answers) > 1 else [])


def sparse_query(
    client: QdrantClient, collection: str, sparse: SparseVector, search_filter: SearchFilter, limit: int
) -> list[models.ScoredPoint]:
    """BM25 alone (the benchmark's baseline)."""
    if not sparse.indices:
        return []
    return client.query_points(
        collection,
        query=_sparse(sparse),
        using=SPARSE,
        query_filter=search_filter.to_qdrant(),
        limit=limit,
        with_payload=HASH_ONLY,
    ).points
