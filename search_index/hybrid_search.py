"""The hybrid query: dense and sparse candidates, each with its raw score, for the re-ranker.

Three sides: the dense model over name and field, BM25 over the name, BM25 over the whole record.

Queries return ids, scores and content hashes only: the procedures themselves come from
``procedure_cache`` (local mode deep-copies every payload it returns, and a server would send whole
procedures over the wire for every search).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from qdrant_client import QdrantClient, models

from search_index.catalogue import Level
from search_index.qdrant_store import DENSE, HASH_ONLY, SPARSE, TEXT
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


@dataclass(frozen=True)
class SidePoints:
    """What each side of the hybrid query retrieved, best first, with its raw scores."""

    dense: list[models.ScoredPoint]
    sparse: list[models.ScoredPoint]  # BM25 over the name
    text: list[models.ScoredPoint]  # BM25 over the whole record


def candidate_points(
    client: QdrantClient,
    collection: str,
    dense: np.ndarray,
    sparse: SparseVector,
    search_filter: SearchFilter,
) -> SidePoints:
    """Every side's candidates with their raw scores, in one round trip: the re-ranker reads the
    scores, which a fusion by rank would throw away. The whole-record side only scores: its
    candidates are not added (on our tune queries they brought no right answer the others missed)."""
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
        query = _sparse(sparse)
        requests += [
            models.QueryRequest(
                query=query, using=SPARSE, filter=flt, limit=CANDIDATES, with_payload=HASH_ONLY
            ),
            # Ids only: its scores are read for the other sides' candidates.
            models.QueryRequest(query=query, using=TEXT, filter=flt, limit=CANDIDATES, with_payload=False),
        ]
    answers = client.query_batch_points(collection, requests=requests)
    if len(answers) == 1:
        return SidePoints(answers[0].points, [], [])
    return SidePoints(answers[0].points, answers[1].points, answers[2].points)


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
