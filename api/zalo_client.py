"""Zalo Official Account message API (v3.0, customer-service messages) with timeouts and bounded retries."""

from __future__ import annotations

from typing import Any

from api.channel_text import split_text
from api.http_retry import RetryingPoster, UpstreamError

# Zalo refuses longer texts in one consultation message.
MAX_TEXT = 2000


class ZaloSendError(UpstreamError):
    pass


class ZaloClient(RetryingPoster):
    def __init__(
        self,
        *,
        api_base: str,
        access_token: str,
        timeout_seconds: float,
        retries: int,
        backoff_seconds: float,
    ):
        super().__init__(
            f"{api_base.rstrip('/')}/v3.0/oa/message/cs",
            timeout_seconds=timeout_seconds,
            retries=retries,
            backoff_seconds=backoff_seconds,
        )
        self._token = access_token

    async def send_text(self, user_id: str, text: str) -> None:
        for chunk in split_text(text, MAX_TEXT):
            await self._send({"recipient": {"user_id": user_id}, "message": {"text": chunk}})

    async def _send(self, body: dict[str, Any]) -> None:
        response = await self._post(
            headers={"access_token": self._token, "Content-Type": "application/json"}, json=body
        )
        # Zalo answers HTTP 200 with {"error": <non-zero>, "message": …} when it refuses a message.
        if response.status_code >= 400:
            raise ZaloSendError(f"Zalo HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError as exc:
            raise ZaloSendError("Zalo answered with something other than JSON") from exc
        if isinstance(payload, dict) and payload.get("error", 0) != 0:
            raise ZaloSendError(f"Zalo error {payload.get('error')}: {payload.get('message')}")
