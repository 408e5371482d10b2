"""Rate limits, one family for the dossier lookups and the API's requests: a sliding window per key, in
memory or shared through the running Redis; refused attempts do not count; Redis down lets citizens in."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from assistant.rate_limit import MemoryRateLimiter, RedisRateLimiter, Verdict
from assistant.services import Services
from assistant.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/0"


async def test_in_memory_limit_is_a_sliding_window_per_key() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(3, 600, clock=lambda: now[0])
    assert [(await limiter.hit("a")).allowed for _ in range(4)] == [True, True, True, False]
    assert (await limiter.hit("b")).allowed
    now[0] = 400
    refused = await limiter.hit("a")
    assert refused == Verdict(False, 200)  # the first attempt leaves the window at 600 s
    now[0] = 600
    assert (await limiter.hit("a")).allowed


async def test_refused_attempts_do_not_count() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(1, 60, clock=lambda: now[0])
    assert (await limiter.hit("a")).allowed
    for second in range(1, 60):
        now[0] = second
        assert not (await limiter.hit("a")).allowed
    now[0] = 60
    assert (await limiter.hit("a")).allowed


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.mark.redis
async def test_redis_limit_is_shared_between_processes(redis: Redis) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"
    other = Redis.from_url(REDIS_URL)
    try:
        # Two limiters on two connections stand for two processes sharing one budget.
        first = RedisRateLimiter(redis, 3, 60, prefix=prefix)
        second = RedisRateLimiter(other, 3, 60, prefix=prefix)
        verdicts = await asyncio.gather(*[(first if i % 2 else second).hit("10.0.0.1") for i in range(5)])
        assert sorted(v.allowed for v in verdicts) == [False, False, True, True, True]
        assert all(1 <= v.retry_after <= 60 for v in verdicts if not v.allowed)
        assert (await first.hit("10.0.0.2")).allowed  # per key
    finally:
        await other.aclose()


@pytest.mark.redis
async def test_redis_window_slides(redis: Redis) -> None:
    limiter = RedisRateLimiter(redis, 2, 0.5, prefix=f"test-{uuid.uuid4().hex}:")
    assert [(await limiter.hit("a")).allowed for _ in range(3)] == [True, True, False]
    await asyncio.sleep(0.6)
    assert (await limiter.hit("a")).allowed


async def test_redis_down_does_not_block_citizens(caplog: pytest.LogCaptureFixture) -> None:
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    try:
        limiter = RedisRateLimiter(down, 1, 60, prefix="test:")
        assert (await limiter.hit("x")).allowed and (await limiter.hit("x")).allowed
    finally:
        await down.aclose()
    assert "Redis unavailable" in caplog.text


@pytest.mark.redis
async def test_the_lookup_budget_keys_carry_the_deployment_prefix(redis: Redis) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"
    services = Services(Settings(redis_url=REDIS_URL, redis_key_prefix=prefix))
    assert services.redis is not None
    try:
        assert (await services.lookup_limiter.hit("web-1")).allowed
        assert await redis.keys(f"{prefix}*") == [f"{prefix}rate:lookup:web-1".encode()]
    finally:
        await services.redis.aclose()
