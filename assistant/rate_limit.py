"""Per-sender rate limit of dossier lookups, so receipt codes cannot be enumerated.

Sliding window: at most ``limit`` lookups in any ``window_seconds``. In memory for one process by
default; in Redis (a sorted set per sender) when REDIS_URL is set, so several action-server
processes share the budget.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)


class RateLimiter(Protocol):
    def allow(self, key: str) -> bool:
        """Count one attempt for ``key``; False when the budget of the window is used up."""
        ...


class InMemoryRateLimiter:
    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            hits = self._hits[key]
            while hits and now - hits[0] >= self._window:
                hits.popleft()
            if len(hits) >= self._limit:
                return False
            hits.append(now)
            return True


class RedisRateLimiter:
    def __init__(self, url: str, limit: int, window_seconds: float, prefix: str = "dvc:lookup-rate:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._limit = limit
        self._window = window_seconds
        self._prefix = prefix

    def allow(self, key: str) -> bool:
        redis_key = self._prefix + key
        now = time.time()
        try:
            pipe = self._redis.pipeline(transaction=True)
            pipe.zremrangebyscore(redis_key, 0, now - self._window)
            pipe.zadd(redis_key, {f"{now}:{uuid.uuid4().hex}": now})
            pipe.zcard(redis_key)
            pipe.expire(redis_key, int(self._window) + 1)
            count = int(pipe.execute()[2])
        except Exception as exc:
            # Redis down must not stop citizens from looking up their dossiers; say so in the log.
            log.error("rate limiter: Redis unavailable (%s); allowing the lookup", type(exc).__name__)
            return True
        return count <= self._limit
