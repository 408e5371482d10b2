"""Remembers platform message ids already handled, so a retried webhook delivery is answered once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis


class MessageDeduplicator(Protocol):
    async def first_time(self, key: str) -> bool:
        """True the first time a key is seen (and remembers it), False for every repeat."""
        ...


class MemoryDeduplicator:
    def __init__(self, ttl_seconds: int, max_entries: int = 100_000):
        self._ttl = ttl_seconds
        self._max = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    async def first_time(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) >= self._max):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now + self._ttl
            return True


class RedisDeduplicator:
    """SET NX with expiry: atomic across API processes sharing the Redis server."""

    def __init__(self, redis: Redis, ttl_seconds: int, prefix: str = "dvc:dedup:"):
        self._redis = redis
        self._ttl = ttl_seconds
        self._prefix = prefix

    async def first_time(self, key: str) -> bool:
        return bool(await self._redis.set(self._prefix + key, "1", nx=True, ex=self._ttl))
