"""Client of the Rasa server: the REST channel for messages, the HTTP API for trackers and status."""

from __future__ import annotations

from typing import Any

import httpx

from api.http_retry import UpstreamError, request_with_retries


class RasaUnavailable(UpstreamError):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout_seconds: float,
        retries: int,
        token: str | None = None,
        backoff_seconds: float = 0.2,
    ):
        self._base = base_url.rstrip("/")
        # The HTTP API (not the REST channel) wants the server's auth token as a query parameter.
        self._auth = {"token": token} if token else {}
        self._retries = retries
        self._backoff = backoff_seconds
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 2.0)),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _call(self, method: str, path: str, *, retry_timeouts: bool, **kwargs: Any) -> httpx.Response:
        try:
            response = await request_with_retries(
                self._client,
                method,
                f"{self._base}{path}",
                retries=self._retries,
                backoff_seconds=self._backoff,
                retry_timeouts=retry_timeouts,
                **kwargs,
            )
        except UpstreamError as exc:
            raise RasaUnavailable(str(exc)) from exc
        if response.status_code >= 400:
            raise RasaUnavailable(f"Rasa {path}: HTTP {response.status_code}")
        return response

    async def send_message(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Post a user message to the REST channel; returns the bot's messages as Rasa sends them.

        ``metadata`` reaches the actions as the message's metadata (channel, client network)."""
        payload: dict[str, Any] = {"sender": sender_id, "message": text}
        if metadata:
            payload["metadata"] = metadata
        response = await self._call("POST", "/webhooks/rest/webhook", retry_timeouts=False, json=payload)
        body = response.json()
        if not isinstance(body, list):
            raise RasaUnavailable("Rasa REST channel returned something other than a list")
        return [m for m in body if isinstance(m, dict)]

    async def tracker(self, sender_id: str, *, include_events: str = "NONE") -> dict[str, Any]:
        response = await self._call(
            "GET",
            f"/conversations/{sender_id}/tracker",
            retry_timeouts=True,
            params={"include_events": include_events, **self._auth},
        )
        body = response.json()
        return body if isinstance(body, dict) else {}

    async def status(self) -> dict[str, Any]:
        response = await self._call("GET", "/status", retry_timeouts=True, params=self._auth)
        body = response.json()
        return body if isinstance(body, dict) else {}
