"""Dossier lookups in a province one-stop-shop system (iGate-style) over HTTP.

Wire format (what the province system, or our fake of it in the tests, speaks):

    GET {IGATE_URL}/api/v1/dossiers/{code}          code = canonical receipt code, URL-quoted
    200  {"code": "H56.14-240823-0001",
          "procedureCode": "1.001193",               optional
          "procedureName": "Đăng ký khai sinh",
          "agencyName": "UBND phường Hồng Hà",       optional
          "status": {"id": 4, "name": "Đang xử lý"}, id = national-portal status 1..10
          "appliedDate": "2024-08-23T08:00:00+07:00",
          "appointmentDate": "2024-08-28T17:00:00+07:00" | null,
          "completedDate": null | "<ISO-8601>"}
    404  unknown code (any body)

Anything else (timeouts, connection errors, 5xx, a 200 whose body is not that JSON) is a failure:
timeouts, connection errors and 5xx are retried with exponential backoff; after
``breaker_failures`` failed lookups in a row the circuit breaker opens and lookups fail fast for
``breaker_reset_seconds`` (then one trial request decides whether it closes again). The system
never sees personal data from us, and it returns none we would show without the second factor.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from assistant.database import VN_TZ
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.store import DossierLookupUnavailable, DossierRecord
from assistant.settings import Settings

log = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(
        self, failures: int, reset_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._threshold = failures
        self._reset = reset_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if self._clock() - self._opened_at >= self._reset:
                # Half-open: let this one request through; its outcome closes or re-opens the breaker.
                self._opened_at = self._clock()
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self._threshold:
                self._opened_at = self._clock()

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None


class _Retryable(Exception):
    pass


class IGateConnector:
    def __init__(
        self,
        base_url: str,
        *,
        timeout_seconds: float,
        retries: int,
        backoff_seconds: float,
        breaker: CircuitBreaker,
    ) -> None:
        self._client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout_seconds)
        self._retries = retries
        self._backoff = backoff_seconds
        self.breaker = breaker

    @classmethod
    def from_settings(cls, settings: Settings) -> IGateConnector:
        return cls(
            settings.igate_url,
            timeout_seconds=settings.igate_timeout_seconds,
            retries=settings.igate_retries,
            backoff_seconds=settings.igate_backoff_seconds,
            breaker=CircuitBreaker(settings.igate_breaker_failures, settings.igate_breaker_reset_seconds),
        )

    def lookup(self, code: str) -> DossierRecord | None:
        if not self.breaker.allow():
            raise DossierLookupUnavailable("one-stop-shop system: circuit breaker open")
        try:
            record = self._lookup_with_retries(code)
        except DossierLookupUnavailable:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return record

    def _lookup_with_retries(self, code: str) -> DossierRecord | None:
        for attempt in range(self._retries + 1):
            try:
                return self._lookup_once(code)
            except _Retryable as exc:
                log.warning("one-stop-shop lookup attempt %d failed: %s", attempt + 1, exc)
                if attempt == self._retries:
                    raise DossierLookupUnavailable(f"one-stop-shop system: {exc}") from exc
                time.sleep(self._backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _lookup_once(self, code: str) -> DossierRecord | None:
        try:
            response = self._client.get(f"/api/v1/dossiers/{quote(code, safe='')}")
        except httpx.TimeoutException as exc:
            raise _Retryable("timeout") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"connection error ({type(exc).__name__})") from exc
        if response.status_code == 404:
            return None
        if response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise DossierLookupUnavailable(f"one-stop-shop system: unexpected HTTP {response.status_code}")
        try:
            return parse_dossier(response.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise DossierLookupUnavailable(f"one-stop-shop system: malformed answer ({exc})") from exc


def parse_dossier(payload: Any) -> DossierRecord:
    """The documented JSON → a record; raises ValueError/KeyError/TypeError on anything else."""
    if not isinstance(payload, dict):
        raise TypeError("body is not a JSON object")
    return DossierRecord(
        code=str(payload["code"]),
        procedure_code=str(payload.get("procedureCode") or ""),
        procedure_name=str(payload["procedureName"]),
        agency=str(payload.get("agencyName") or ""),
        status=DossierStatus(int(payload["status"]["id"])),
        received_at=_date(payload["appliedDate"]),
        due_at=_optional_date(payload.get("appointmentDate")),
        finished_at=_optional_date(payload.get("completedDate")),
    )


def _date(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    # A province system that leaves out the offset means Vietnamese local time.
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)).astimezone(UTC)


def _optional_date(value: Any) -> datetime | None:
    return None if value in (None, "") else _date(value)
