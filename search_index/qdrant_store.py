"""The Qdrant side of the index: client, collection layout, points and payload conversions.

One collection holds one point per procedure: a named dense vector ("dense", dot product of unit
vectors) for the embedding, a named sparse vector ("sparse", IDF modifier) for BM25, and the whole
Procedure as payload next to keyword fields (code, levels, field, agencies) that filters use.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from qdrant_client import QdrantClient, models

from search_index import local_mode
from search_index.catalogue import Procedure
from search_index.settings import SearchSettings
from search_index.sparse import SparseVector

DENSE = "dense"
# The encoder returns unit vectors, so the dot product is the cosine; local mode would otherwise
# re-normalise every stored vector on every query (a few ms for 2,642 of them).
DENSE_DISTANCE = models.Distance.DOT
# What a query returns of each point: the cached procedure is looked up by it (procedure_cache).
HASH_ONLY = ["content_hash"]
SPARSE = "sparse"  # BM25 over the name
TEXT = "text"  # BM25 over the whole record (``service.record_text``)
SPARSE_VECTORS = (SPARSE, TEXT)
KEYWORD_FIELDS = ("code", "levels", "field", "agencies")
_POINT_NAMESPACE = uuid.UUID("6f1c1b1e-3a52-4c55-9d1e-5b0d8f0c2a77")


def connect(settings: SearchSettings) -> QdrantClient:
    """A server client when QDRANT_URL is set, else local mode on disk under QDRANT_PATH."""
    if settings.qdrant_url:
        return QdrantClient(url=settings.qdrant_url, api_key=settings.qdrant_api_key)
    settings.qdrant_path.mkdir(parents=True, exist_ok=True)
    local_mode.install()
    client = QdrantClient(path=str(settings.qdrant_path))
    local_mode.speed_up_storage(client)
    return client


def ensure_collection(client: QdrantClient, name: str, dim: int) -> None:
    """Create the collection and its payload indexes unless it exists with the same vector layout."""
    wanted = models.VectorParams(size=dim, distance=DENSE_DISTANCE)
    if client.collection_exists(name):
        params = client.get_collection(name).config.params
        vectors = params.vectors
        current = vectors.get(DENSE) if isinstance(vectors, dict) else None
        sparse_names = set(params.sparse_vectors or {})
        if (
            current is not None
            and (current.size, current.distance) == (wanted.size, wanted.distance)
            and sparse_names == set(SPARSE_VECTORS)
        ):
            local_mode.speed_up_storage(client)
            return
        # Another size, distance or set of vectors makes the stored points useless: start over (the
        # embedding cache makes the re-index cheap).
        client.delete_collection(name)
    client.create_collection(
        name,
        vectors_config={DENSE: wanted},
        sparse_vectors_config={
            vector: models.SparseVectorParams(modifier=models.Modifier.IDF) for vector in SPARSE_VECTORS
        },
    )
    with warnings.catch_warnings():
        # Local mode says payload indexes have no effect there; they matter on a server.
        warnings.simplefilter("ignore")
        for field in KEYWORD_FIELDS:
            client.create_payload_index(name, field, models.PayloadSchemaType.KEYWORD)
    local_mode.speed_up_storage(client)


def point_id(code: str) -> str:
    return str(uuid.uuid5(_POINT_NAMESPACE, code))


@dataclass(frozen=True)
class StoredState:
    """What the index holds for a code: enough to decide whether a record must be re-indexed."""

    content_hash: str
    index_version: str


def to_point(
    procedure: Procedure, dense: np.ndarray, sparse: SparseVector, text: SparseVector, index_version: str
) -> models.PointStruct:
    payload: dict[str, Any] = {
        "code": procedure.code,
        "name": procedure.name,
        "levels": [level.value for level in procedure.levels],
        "field": procedure.field,
        "agencies": procedure.agencies,
        "applicants": procedure.applicants,
        "content_hash": procedure.content_hash,
        "index_version": index_version,
        "procedure": procedure.model_dump(mode="json"),
    }
    return models.PointStruct(
        id=point_id(procedure.code),
        vector={
            DENSE: dense.astype(np.float32).tolist(),
            SPARSE: models.SparseVector(indices=sparse.indices, values=sparse.values),
            TEXT: models.SparseVector(indices=text.indices, values=text.values),
        },
        payload=payload,
    )


def to_procedure(payload: dict[str, Any] | None) -> Procedure:
    if not payload or "procedure" not in payload:
        raise ValueError("point without a procedure payload")
    return Procedure.model_validate(payload["procedure"])


def scroll_payloads(client: QdrantClient, collection: str, fields: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Selected payload fields of every point."""
    offset: Any = None
    while True:
        points, offset = client.scroll(
            collection, limit=1000, offset=offset, with_payload=list(fields), with_vectors=False
        )
        for point in points:
            yield point.payload or {}
        if offset is None:
            return


def stored_states(client: QdrantClient, collection: str) -> dict[str, StoredState]:
    return {
        p["code"]: StoredState(p.get("content_hash", ""), p.get("index_version", ""))
        for p in scroll_payloads(client, collection, ["code", "content_hash", "index_version"])
    }


def upsert(client: QdrantClient, collection: str, points: Sequence[models.PointStruct]) -> None:
    for start in range(0, len(points), 256):
        client.upsert(collection, points=list(points[start : start + 256]), wait=True)


def delete_codes(client: QdrantClient, collection: str, codes: Sequence[str]) -> None:
    if codes:
        client.delete(collection, points_selector=models.PointIdsList(points=[point_id(c) for c in codes]))


def get_procedure(client: QdrantClient, collection: str, code: str) -> Procedure | None:
    return procedures_by_id(client, collection, [point_id(code)]).get(point_id(code))


def procedures_by_id(client: QdrantClient, collection: str, ids: Sequence[str]) -> dict[str, Procedure]:
    """Whole procedures of the points ``ids`` (those that exist), by point id."""
    if not ids:
        return {}
    points = client.retrieve(collection, ids=list(ids), with_payload=["procedure"])
    return {str(p.id): to_procedure(p.payload) for p in points}
