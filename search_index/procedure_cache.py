"""The procedures a search returns, kept in memory by content hash.

Reading a whole procedure out of the index costs more than the rest of the query in local mode
(it deep-copies each payload: 6 ms for ten), and a server would send every one over the wire, while
citizens keep asking about the same few hundred procedures. A query returns each winner's content
hash (stored beside the point); only procedures whose hash is new are read, so a record changed by
another process's import is read afresh, and an unchanged one is never read twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from qdrant_client import QdrantClient, models

from search_index import qdrant_store
from search_index.catalogue import Procedure

CAPACITY = 4096  # more than a national catalogue's 2,642 records; memory stays in the tens of MB


class ProcedureCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._by_hash: OrderedDict[str, Procedure] = OrderedDict()
        self._lock = threading.Lock()

    def resolve(
        self, client: QdrantClient, collection: str, scored: Sequence[models.ScoredPoint]
    ) -> list[tuple[Procedure, float]]:
        """The procedures of a query's points, in their order, with their scores."""
        hashes = {str(p.id): (p.payload or {}).get("content_hash", "") for p in scored}
        with self._lock:
            missing = [pid for pid, h in hashes.items() if not h or h not in self._by_hash]
        read = qdrant_store.procedures_by_id(client, collection, missing)
        found: list[tuple[Procedure, float]] = []
        with self._lock:
            for pid, procedure in read.items():
                if hashes[pid]:
                    self._by_hash[hashes[pid]] = procedure
            for point in scored:
                pid = str(point.id)
                cached = self._by_hash.get(hashes[pid])
                if cached is not None:
                    self._by_hash.move_to_end(hashes[pid])
                hit = read.get(pid) or cached
                if hit is not None:  # None: deleted between the query and the read
                    found.append((hit, point.score))
            while len(self._by_hash) > self._capacity:
                self._by_hash.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._by_hash)
