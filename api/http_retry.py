"""Bounded retries for outbound HTTP calls (Rasa, Zalo, Graph API): one policy, used by every client."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)


class UpstreamError(Exception):
    """The upstream service could not be reached or kept failing after the allowed retries."""


class UpstreamTimeout(UpstreamError):
    """No answer in time to a request that may have reached the upstream (it may have acted on it)."""


async def request_with_retries(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    retries: int,
    backoff_seconds: float,
    retry_timeouts: bool = True,
    **kwargs: Any,
) -> httpx.Response:
    """Send a request, retrying connection failures, 429 and 5xx answers with exponential back-off.

    ``retry_timeouts=False`` is for non-idempotent calls where the upstream may have acted on a request
    whose answer we did not wait for (sending a message twice to Rasa would run the dialogue twice).
    """
    attempt = 0
    while True:
        try:
            response = await client.request(method, url, **kwargs)
            if response.status_code != 429 and response.status_code < 500:
                return response
            problem = f"HTTP {response.status_code}"
        except httpx.TimeoutException as exc:
            # A connect timeout sent nothing, so it is always safe to try again; any other timeout may
            # have reached the upstream, which may have acted on it.
            connect_only = isinstance(exc, httpx.ConnectTimeout)
            if not (retry_timeouts or connect_only) or attempt >= retries:
                error = UpstreamError if connect_only else UpstreamTimeout
                raise error(f"{url}: timeout ({type(exc).__name__})") from exc
            problem = type(exc).__name__
        except httpx.TransportError as exc:
            if attempt >= retries:
                raise UpstreamError(f"{url}: {type(exc).__name__}") from exc
            problem = type(exc).__name__
        if attempt >= retries:
            raise UpstreamError(f"{url}: {problem} after {attempt + 1} attempts")
        delay = backoff_seconds * (2**attempt)
        log.warning(
            "outbound %s %s failed (%s); retry %d/%d in %.2fs",
            method,
            url,
            problem,
            attempt + 1,
            retries,
            delay,
        )
        await asyncio.sleep(delay)
        attempt += 1


class RetryingPoster:
    """One upstream endpoint, posted to under the retry policy above (the channels' send APIs).

    A send that timed out is never sent again: the platform may have delivered it already, and the
    citizen would read the message twice. Refused connections, 429 and 5xx answers are retried.
    """

    def __init__(self, url: str, *, timeout_seconds: float, retries: int, backoff_seconds: float):
        self._url = url
        self._retries = retries
        self._backoff = backoff_seconds
        self._client = httpx.AsyncClient(timeout=timeout_seconds)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _post(self, **kwargs: Any) -> httpx.Response:
        return await request_with_retries(
            self._client,
            "POST",
            self._url,
            retries=self._retries,
            backoff_seconds=self._backoff,
            retry_timeouts=False,
            **kwargs,
        )
