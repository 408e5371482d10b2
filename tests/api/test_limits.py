"""Per-client rate limits on the API (memory and Redis), request size limit, CORS restricted to configured
origins, de-duplication of platform retries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from api.dedup import MemoryDeduplicator, RedisDeduplicator
from evaluation.platform_fakes import FakePlatform
from tests.api.conftest import RunningApi, gateway_app, serve

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMIT = 3


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def limited_api(
    request: pytest.FixtureRequest, tmp_path: Path, zalo_platform: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    redis = (
        {"redis_url": REDIS_URL, "redis_key_prefix": f"test-{uuid.uuid4().hex}:"}
        if request.param == "redis"
        else {}
    )
    app = gateway_app(
        tmp_path, zalo_platform, graph_platform, rate_limit_per_minute=LIMIT, max_body_bytes=4096, **redis
    )
    running = serve(app)
    yield running
    running.stop()


def test_qua_gioi_han_thi_429_kem_thoi_gian_cho(limited_api: RunningApi) -> None:
    with limited_api.client() as client:
        # The search index of this app never gets ready: 503 until the limit, then 429.
        codes = [client.get("/api/v1/procedures/1.001193").status_code for _ in range(LIMIT + 1)]
        assert codes[:LIMIT] == [503] * LIMIT
        assert codes[LIMIT] == 429
        refused = client.get("/api/v1/procedures/search", params={"q": "khai sinh"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "thử lại sau" in refused.json()["detail"]
        # Operations endpoints and the widget's poll are not counted against the citizen (the poll has
        # a budget of its own; without the conversation's secret it reads nothing).
        assert client.get("/metrics").status_code == 200
        assert client.get("/api/v1/chat/web-abc/updates").status_code == 403
        assert "api_rate_limited_total 2.0" in client.get("/metrics").text


def test_noi_dung_qua_lon_bi_413(limited_api: RunningApi) -> None:
    with limited_api.client() as client:
        big = client.post("/api/v1/feedback", json={"content": "x" * 5000})
        assert big.status_code == 413
        assert "quá lớn" in big.json()["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit applies while reading
            for _ in range(10):
                yield b"x" * 1000

        streamed = client.post("/webhooks/zalo", content=chunks(), headers={"X-ZEvent-Signature": "mac=00"})
        assert streamed.status_code == 413


def test_cors_chi_cho_nguon_duoc_cau_hinh(client: httpx.Client) -> None:
    allowed = "https://dichvucong.tinh-mau.gov.vn"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = client.options("/api/v1/chat", headers={"Origin": allowed, **preflight})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed
    bad = client.options("/api/v1/chat", headers={"Origin": "https://gia-mao.example", **preflight})
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
    simple = client.get("/health", headers={"Origin": "https://gia-mao.example"})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.redis
async def test_chong_trung_lap_redis_va_bo_nho() -> None:
    redis = Redis.from_url(REDIS_URL)
    try:
        for dedup in (
            RedisDeduplicator(redis, 60, prefix=f"test-{uuid.uuid4().hex}:"),
            MemoryDeduplicator(60),
        ):
            assert await dedup.first_time("messenger:m_1") is True
            assert await dedup.first_time("messenger:m_1") is False
            assert await dedup.first_time("messenger:m_2") is True
    finally:
        await redis.aclose()
