"""Lookup rate limits (in memory and in the running Redis) and redaction of personal data in logs."""

from __future__ import annotations

import logging
import uuid

import pytest

from assistant.log_redaction import install_redaction, redact
from assistant.rate_limit import InMemoryRateLimiter, RedisRateLimiter


def test_in_memory_limit_is_a_sliding_window_per_sender() -> None:
    now = [0.0]
    limiter = InMemoryRateLimiter(3, 600, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    now[0] = 601
    assert limiter.allow("a")


@pytest.mark.redis
def test_redis_limit_is_shared_between_limiters() -> None:
    sender = f"test-{uuid.uuid4().hex}"
    first = RedisRateLimiter("redis://127.0.0.1:6379/0", 3, 60)
    second = RedisRateLimiter("redis://127.0.0.1:6379/0", 3, 60)
    assert [first.allow(sender), second.allow(sender), first.allow(sender)] == [True, True, True]
    assert not second.allow(sender)


def test_redis_down_does_not_block_citizens(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", 1, 60)
    assert limiter.allow("x") and limiter.allow("x")
    assert "Redis unavailable" in caplog.text


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("số của tôi 0912 345 678", "0912 345 678"),
        ("gọi +84912345678 nhé", "+84912345678"),
        ("CCCD 001203004567", "001203004567"),
        ("CMND 123456789", "123456789"),
        ("họ tên: Nguyễn Văn An", "Nguyễn Văn An"),
        ('{"phone_last4": "5678"}', "5678"),
    ],
)
def test_personal_data_is_redacted(text: str, hidden: str) -> None:
    assert hidden not in redact(text)


def test_codes_are_kept() -> None:
    text = "hồ sơ 000.00.06.H56-231027-0361, thủ tục 1.001193"
    assert redact(text) == text


def test_installed_redaction_covers_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    install_redaction()  # twice is harmless
    logging.getLogger("some.library").warning("liên hệ %s", "0987654321")
    assert "0987654321" not in caplog.text and "[SĐT]" in caplog.text
