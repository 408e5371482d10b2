"""Procedures found by a search are read from the index once per content, on real local-mode Qdrant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from qdrant_client import QdrantClient, models

from search_index import qdrant_store
from search_index.catalogue import Procedure
from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue
from search_index.procedure_cache import ProcedureCache
from search_index.sparse import SparseVector

COLLECTION = "procedures"
DIM = 8


@pytest.fixture
def demo() -> list[Procedure]:
    return load_catalogue(DEMO_CATALOGUE).procedures[:6]


class CountingClient(QdrantClient):
    """Local-mode Qdrant that counts the points whose payload it had to read."""

    def __init__(self) -> None:
        super().__init__(location=":memory:")
        self.read: list[str] = []

    def retrieve(self, collection_name: str, ids: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.read.extend(str(i) for i in ids)
        return super().retrieve(collection_name, ids, **kwargs)


@pytest.fixture
def client(demo: list[Procedure]) -> Iterator[CountingClient]:
    client = CountingClient()
    qdrant_store.ensure_collection(client, COLLECTION, DIM)
    index(client, demo)
    yield client
    client.close()


def index(client: QdrantClient, procedures: list[Procedure]) -> None:
    rng = np.random.default_rng(0)
    points = [
        qdrant_store.to_point(
            p,
            rng.normal(size=DIM).astype(np.float32),
            SparseVector([1], [1.0]),
            SparseVector([1], [1.0]),
            "v",
        )
        for p in procedures
    ]
    qdrant_store.upsert(client, COLLECTION, points)


def query(client: QdrantClient, limit: int = 4) -> list[models.ScoredPoint]:
    response = client.query_points(
        COLLECTION, query=[1.0] * DIM, using="dense", limit=limit, with_payload=qdrant_store.HASH_ONLY
    )
    return response.points


def expected(points: list[models.ScoredPoint], demo: list[Procedure]) -> list[tuple[Procedure, float]]:
    by_id = {qdrant_store.point_id(p.code): p for p in demo}
    return [(by_id[str(point.id)], point.score) for point in points]


def test_winners_come_back_in_order_with_their_scores(client: CountingClient, demo: list[Procedure]) -> None:
    points = query(client)
    assert ProcedureCache().resolve(client, COLLECTION, points) == expected(points, demo)


def test_the_same_procedures_are_not_read_twice(client: CountingClient) -> None:
    cache = ProcedureCache()
    cache.resolve(client, COLLECTION, query(client))
    assert len(client.read) == 4
    cache.resolve(client, COLLECTION, query(client))
    assert len(client.read) == 4 and len(cache) == 4


def test_a_changed_procedure_is_read_again(client: CountingClient, demo: list[Procedure]) -> None:
    cache = ProcedureCache()
    cache.resolve(client, COLLECTION, query(client, limit=6))
    changed = demo[2].model_copy(update={"steps": ["Bước 1: nộp trực tuyến trên Cổng Dịch vụ công"]})
    index(client, [changed])  # a new content hash in the payload
    again = {p.code: p for p, _ in cache.resolve(client, COLLECTION, query(client, limit=6))}
    assert again[demo[2].code].steps == ["Bước 1: nộp trực tuyến trên Cổng Dịch vụ công"]
    assert len(client.read) == 6 + 1  # all six the first time, then only the changed one


def test_a_point_deleted_before_its_read_is_left_out(client: CountingClient, demo: list[Procedure]) -> None:
    points = query(client)
    gone = next(p for p in demo if qdrant_store.point_id(p.code) == str(points[0].id))
    qdrant_store.delete_codes(client, COLLECTION, [gone.code])
    assert ProcedureCache().resolve(client, COLLECTION, points) == expected(points[1:], demo)


def test_the_least_recently_used_procedures_make_room(client: CountingClient) -> None:
    cache = ProcedureCache(capacity=3)
    points = query(client, limit=6)
    cache.resolve(client, COLLECTION, points)
    assert len(cache) == 3
    cache.resolve(client, COLLECTION, points[3:])  # the last three are still held
    assert len(client.read) == 6
    cache.resolve(client, COLLECTION, points[:1])
    assert len(client.read) == 7
