"""Per-client request limits: a fixed one-minute window, in memory or in Redis (shared by API processes)."""

from __future__ import annotations

import threading
import time
from typing import Protocol

from redis.asyncio import Redis


class RateLimiter(Protocol):
    async def allow(self, client_key: str) -> tuple[bool, int]:
        """Whether this request is allowed, and the seconds until the window resets."""
        ...


class MemoryRateLimiter:
    def __init__(self, limit: int, window_seconds: int = 60):
        self._limit = limit
        self._window = window_seconds
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    async def allow(self, client_key: str) -> tuple[bool, int]:
        now = time.time()
        window = int(now // self._window)
        reset = int((window + 1) * self._window - now) + 1
        with self._lock:
            if len(self._counts) > 10_000:  # forget finished windows
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}
            count = self._counts.get((client_key, window), 0) + 1
            self._counts[(client_key, window)] = count
        return count <= self._limit, reset


class RedisRateLimiter:
    def __init__(self, redis: Redis, limit: int, window_seconds: int = 60, prefix: str = "dvc:rl:"):
        self._redis = redis
        self._limit = limit
        self._window = window_seconds
        self._prefix = prefix

    async def allow(self, client_key: str) -> tuple[bool, int]:
        now = time.time()
        window = int(now // self._window)
        key = f"{self._prefix}{client_key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self._window + 5)
            count, _ = await pipe.execute()
        reset = int((window + 1) * self._window - now) + 1
        return int(count) <= self._limit, reset
