"""Rate limits: at most ``limit`` attempts per key in any ``window_seconds`` (a sliding window).

Two budgets use it: dossier lookups per sender, so receipt codes cannot be enumerated (the chat and the
REST API share it), and the API's requests per client address. In one process's memory by default;
in Redis when REDIS_URL is set (a sorted set per key, changed atomically by a script), so that every
process shares the budget. A refused attempt is not counted. When Redis is down the attempt is
allowed and the outage logged: citizens must not be locked out by it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # whole seconds until an attempt would be allowed again (0 when allowed)


class RateLimiter(Protocol):
    async def hit(self, key: str) -> Verdict:
        """Count one attempt for ``key``, unless the budget of the window is used up."""
        ...

    async def used(self, key: str) -> int:
        """How many attempts for ``key`` the window holds now (counts nothing)."""
        ...


def open_rate_limiter(redis: Redis | None, limit: int, window_seconds: float, *, prefix: str) -> RateLimiter:
    """Shared through Redis when there is one, else in this process's memory."""
    if redis is None:
        return MemoryRateLimiter(limit, window_seconds)
    return RedisRateLimiter(redis, limit, window_seconds, prefix=prefix)


class MemoryRateLimiter:
    _MAX_KEYS = 10_000  # past this, keys whose window has passed are forgotten

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    async def hit(self, key: str) -> Verdict:
        now = self._clock()
        with self._lock:
            if len(self._hits) > self._MAX_KEYS:
                self._hits = {k: h for k, h in self._hits.items() if h and now - h[-1] < self._window}
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self._window:
                hits.popleft()
            if len(hits) >= self._limit:
                wait = hits[0] + self._window - now if hits else self._window
                return Verdict(False, max(1, math.ceil(wait)))
            hits.append(now)
            return Verdict(True)

    async def used(self, key: str) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for t in self._hits.get(key, ()) if now - t < self._window)


# KEYS[1]: the key; ARGV: now, window (seconds), limit, a unique member. Returns 0 when the attempt
# is counted, else the milliseconds until the oldest attempt leaves the window.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil(ARGV[2] * 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] == nil then
  return math.ceil(ARGV[2] * 1000)
end
return math.max(1, math.ceil((oldest[2] + ARGV[2] - ARGV[1]) * 1000))
"""


class RedisRateLimiter:
    def __init__(self, redis: Redis, limit: int, window_seconds: float, *, prefix: str) -> None:
        self._redis = redis
        self._script = redis.register_script(_SLIDING_WINDOW)
        self._limit = limit
        self._window = window_seconds
        self._prefix = prefix

    async def hit(self, key: str) -> Verdict:
        now = time.time()
        try:
            wait_ms = int(
                await self._script(
                    keys=[self._prefix + key],
                    args=[now, self._window, self._limit, f"{now}:{uuid.uuid4().hex}"],
                )
            )
        except Exception as exc:
            log.error("rate limiter: Redis unavailable (%s); attempt allowed", type(exc).__name__)
            return Verdict(True)
        if wait_ms == 0:
            return Verdict(True)
        # Processes' clocks (and the order their calls reach Redis) differ a little: never over a window.
        return Verdict(False, max(1, min(math.ceil(wait_ms / 1000), math.ceil(self._window))))

    async def used(self, key: str) -> int:
        try:
            return int(await self._redis.zcount(self._prefix + key, time.time() - self._window, "+inf"))
        except Exception as exc:
            log.error("rate limiter: Redis unavailable (%s); count taken as 0", type(exc).__name__)
            return 0
