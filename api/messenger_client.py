"""Facebook Messenger Send API client with timeouts and bounded retries."""

from __future__ import annotations

from typing import Any

from api.channel_text import split_text
from api.http_retry import RetryingPoster, UpstreamError
from api.schemas import Button

MAX_TEXT = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20


class MessengerSendError(UpstreamError):
    pass


def quick_replies(buttons: list[Button]) -> list[dict[str, str]]:
    return [
        {"content_type": "text", "title": b.title[:MAX_QUICK_REPLY_TITLE], "payload": b.payload[:1000]}
        for b in buttons[:MAX_QUICK_REPLIES]
    ]


class MessengerClient(RetryingPoster):
    def __init__(
        self,
        *,
        graph_api_base: str,
        graph_api_version: str,
        page_access_token: str,
        timeout_seconds: float,
        retries: int,
        backoff_seconds: float,
    ):
        super().__init__(
            f"{graph_api_base.rstrip('/')}/{graph_api_version}/me/messages",
            timeout_seconds=timeout_seconds,
            retries=retries,
            backoff_seconds=backoff_seconds,
        )
        self._token = page_access_token

    async def send(self, psid: str, text: str, buttons: list[Button] | None = None) -> None:
        chunks = split_text(text, MAX_TEXT)
        for index, chunk in enumerate(chunks):
            message: dict[str, Any] = {"text": chunk}
            if buttons and index == len(chunks) - 1:  # quick replies belong to the last bubble
                message["quick_replies"] = quick_replies(buttons)
            await self._send({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": message})

    async def _send(self, body: dict[str, Any]) -> None:
        # The token in a header, not in the query string: URLs end up in logs (httpx logs each request).
        response = await self._post(headers={"Authorization": f"Bearer {self._token}"}, json=body)
        if response.status_code >= 400:
            raise MessengerSendError(f"Graph API HTTP {response.status_code}: {response.text[:200]}")
