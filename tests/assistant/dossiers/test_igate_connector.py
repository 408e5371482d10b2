"""The one-stop-shop connector against a real local HTTP server that speaks its JSON."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from assistant.dossiers.igate_connector import CircuitBreaker, IGateConnector
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.store import DossierLookupUnavailable
from tests.assistant.dossiers.fake_igate import FakeIGate, fake_igate

CODE = "H56.14-240823-0001"


@pytest.fixture
def igate() -> Iterator[FakeIGate]:
    with fake_igate() as server:
        yield server


def connector(url: str, *, timeout: float = 0.5, retries: int = 2, failures: int = 3) -> IGateConnector:
    return IGateConnector(
        url,
        timeout_seconds=timeout,
        retries=retries,
        backoff_seconds=0.01,
        breaker=CircuitBreaker(failures, 0.3),
    )


def test_lookup_maps_the_wire_format(igate: FakeIGate) -> None:
    record = connector(igate.url).lookup(CODE)
    assert record is not None
    assert record.code == CODE and record.procedure_name == "Đăng ký khai sinh"
    assert record.status == DossierStatus.PROCESSING
    assert record.due_at is not None and record.due_at.isoformat() == "2024-08-28T10:00:00+00:00"
    assert record.applicant_masked is None  # the province system gives us nothing personal


def test_unknown_code_is_none(igate: FakeIGate) -> None:
    assert connector(igate.url).lookup("H56.14-240823-9999") is None


def test_5xx_is_retried_with_backoff(igate: FakeIGate) -> None:
    igate.faults = ["500", "500"]
    assert connector(igate.url, retries=2).lookup(CODE) is not None
    assert igate.requests == 3


def test_timeout_then_unavailable(igate: FakeIGate) -> None:
    igate.always, igate.slow_seconds = "slow", 1.0
    started = time.monotonic()
    with pytest.raises(DossierLookupUnavailable, match="timeout"):
        connector(igate.url, timeout=0.2, retries=1).lookup(CODE)
    assert igate.requests == 2 and time.monotonic() - started < 2


def test_malformed_json_is_unavailable_not_a_crash(igate: FakeIGate) -> None:
    igate.always = "malformed"
    with pytest.raises(DossierLookupUnavailable, match="malformed"):
        connector(igate.url).lookup(CODE)
    assert igate.requests == 1  # a broken answer is not retried


def test_circuit_breaker_fails_fast_then_recovers(igate: FakeIGate) -> None:
    igate.always = "500"
    client = connector(igate.url, retries=0, failures=2)
    for _ in range(2):
        with pytest.raises(DossierLookupUnavailable):
            client.lookup(CODE)
    assert client.breaker.is_open
    with pytest.raises(DossierLookupUnavailable, match="circuit breaker"):
        client.lookup(CODE)
    assert igate.requests == 2  # the open breaker did not call the system
    igate.always = None
    time.sleep(0.35)
    assert client.lookup(CODE) is not None  # half-open trial succeeds and closes it
    assert not client.breaker.is_open


def test_connection_refused_is_unavailable() -> None:
    with pytest.raises(DossierLookupUnavailable, match="connection"):
        connector("http://127.0.0.1:1", retries=1).lookup(CODE)
