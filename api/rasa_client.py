"""Client of the Rasa servers: the gateway channel for messages, the HTTP API for trackers and status.

Rasa may run as several replicas (``RASA_URL`` lists them, or names a host that resolves to several
addresses: compose's scaled service, a Kubernetes headless Service). They share the tracker store and a
Redis lock store, so any replica can take any turn; the client still sends a conversation to the same
replica while it is up (rendezvous hashing on the sender id), so that one replica does not wait on
another's lock and its caches stay warm. A turn goes to the next replica only when the request never
reached the first (connection refused, connect timeout): a turn is never executed twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from api.http_retry import UpstreamError, request_with_retries

log = logging.getLogger(__name__)

# Errors raised before a single byte of the request left: safe to send the same turn elsewhere.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# A replica that refused a connection is tried last for this long.
DOWN_SECONDS = 5.0
# How often a host name that stands for several replicas is resolved again.
RESOLVE_SECONDS = 15.0
GATEWAY_WEBHOOK = "/webhooks/gateway/webhook"


class RasaUnavailable(UpstreamError):
    """Rasa did not answer in time or answered with an error."""


@dataclass(frozen=True)
class RasaTurn:
    """Rasa's answer to one message: the bot's messages and what it understood (None if it did not say)."""

    messages: list[dict[str, Any]]
    understanding: dict[str, Any] | None


def split_urls(value: str) -> list[str]:
    return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]


def _is_ip(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return False
    return True


async def _expand(url: str) -> list[str]:
    """One URL per IPv4 address its host resolves to (a literal address or a failed lookup: itself)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or _is_ip(host):
        return [url]
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, family=socket.AF_INET, type=socket.SOCK_STREAM
        )
    except OSError:
        return [url]
    addresses = sorted({str(info[4][0]) for info in infos})
    if len(addresses) <= 1:
        return [url]
    netloc = lambda a: f"{a}:{parts.port}" if parts.port else a  # noqa: E731
    return [urlunsplit((parts.scheme, netloc(a), parts.path, parts.query, "")) for a in addresses]


def rank(replicas: list[str], sender_id: str) -> list[str]:
    """Rendezvous hashing: each conversation's own order of the replicas, stable as replicas come and go."""

    def weight(url: str) -> bytes:
        return hashlib.blake2b(f"{url}|{sender_id}".encode(), digest_size=8).digest()

    return sorted(replicas, key=weight, reverse=True)


class RasaClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout_seconds: float,
        retries: int,
        token: str | None = None,
        backoff_seconds: float = 0.2,
        expected_replicas: int = 1,
    ):
        self._expected = expected_replicas
        self._configured = split_urls(base_url) or ["http://127.0.0.1:5005"]
        self._replicas = list(self._configured)
        self._resolved_at = -RESOLVE_SECONDS
        self._down_until: dict[str, float] = {}
        # The HTTP API (not the channel) wants the server's auth token as a query parameter.
        self._auth = {"token": token} if token else {}
        self._retries = retries
        self._backoff = backoff_seconds
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 2.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def replicas(self) -> list[str]:
        """The replicas' base URLs, host names resolved again every RESOLVE_SECONDS."""
        now = time.monotonic()
        if now - self._resolved_at >= RESOLVE_SECONDS:
            self._resolved_at = now
            expanded: list[str] = []
            for url in self._configured:
                expanded.extend(await _expand(url))
            self._replicas = expanded
        return self._replicas

    async def _order(self, sender_id: str) -> list[str]:
        ranked = rank(await self.replicas(), sender_id)
        now = time.monotonic()
        up = [r for r in ranked if self._down_until.get(r, 0.0) <= now]
        return up + [r for r in ranked if r not in up]

    async def send_message(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> RasaTurn:
        """Post a message to the gateway channel of the conversation's replica; its answer and summary.

        ``metadata`` reaches the actions as the message's metadata (channel, client network). Only a
        request that reached no replica is sent again (to the next replica, then after a back-off for
        ``retries`` more rounds); a timeout or an error answer is never retried.
        """
        payload: dict[str, Any] = {"sender": sender_id, "message": text}
        if metadata:
            payload["metadata"] = metadata
        attempt = 0
        while True:
            refused: list[str] = []
            for base in await self._order(sender_id):
                try:
                    response = await self._client.post(f"{base}{GATEWAY_WEBHOOK}", json=payload)
                except NOT_SENT as exc:
                    self._down_until[base] = time.monotonic() + DOWN_SECONDS
                    refused.append(f"{base}: {type(exc).__name__}")
                    log.warning("Rasa replica %s not reachable (%s); next replica", base, type(exc).__name__)
                    continue
                except httpx.HTTPError as exc:
                    raise RasaUnavailable(f"{base}: {type(exc).__name__}") from exc
                self._down_until.pop(base, None)
                return self._turn(base, response)
            if attempt >= self._retries:
                raise RasaUnavailable("no Rasa replica reachable: " + "; ".join(refused))
            await asyncio.sleep(self._backoff * (2**attempt))
            attempt += 1

    @staticmethod
    def _turn(base: str, response: httpx.Response) -> RasaTurn:
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa {base}{GATEWAY_WEBHOOK}: HTTP {response.status_code}")
        body = response.json()
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise RasaUnavailable("Rasa's gateway channel answered something other than its messages")
        understanding = body.get("turn")
        return RasaTurn(
            messages=[m for m in body["messages"] if isinstance(m, dict)],
            understanding=understanding if isinstance(understanding, dict) else None,
        )

    async def _read(self, sender_id: str, path: str, **kwargs: Any) -> httpx.Response:
        """An idempotent read: the conversation's replica first, any other when it fails."""
        problems = []
        for base in await self._order(sender_id):
            try:
                response = await request_with_retries(
                    self._client,
                    "GET",
                    f"{base}{path}",
                    retries=self._retries,
                    backoff_seconds=self._backoff,
                    retry_timeouts=True,
                    **kwargs,
                )
            except UpstreamError as exc:
                problems.append(str(exc))
                continue
            if response.status_code >= 400:
                raise RasaUnavailable(f"Rasa {path}: HTTP {response.status_code}")
            return response
        raise RasaUnavailable("; ".join(problems))

    async def tracker(self, sender_id: str, *, include_events: str = "NONE") -> dict[str, Any]:
        response = await self._read(
            sender_id,
            f"/conversations/{sender_id}/tracker",
            params={"include_events": include_events, **self._auth},
        )
        body = response.json()
        return body if isinstance(body, dict) else {}

    async def status(self) -> dict[str, Any]:
        """``/status`` of the first replica that answers, with ``replicas_up`` of ``replicas`` added
        (``RASA_REPLICAS`` when more are expected than the addresses found: a scaled service whose
        dead replicas have left the DNS)."""
        replicas = await self.replicas()

        async def one(base: str) -> dict[str, Any] | None:
            try:
                response = await self._client.get(f"{base}/status", params=self._auth)
            except httpx.HTTPError:
                return None
            body = response.json() if response.status_code == 200 else None
            return body if isinstance(body, dict) else None

        answers = await asyncio.gather(*(one(r) for r in replicas))
        up = [a for a in answers if a is not None]
        if not up:
            raise RasaUnavailable(f"no Rasa replica answers /status ({len(replicas)} configured)")
        return {**up[0], "replicas_up": len(up), "replicas": max(len(replicas), self._expected)}
