"""Facebook Messenger Send API client with timeouts and bounded retries (never after a timeout)."""

from __future__ import annotations

from typing import Any

from api.channel_text import split_text
from api.http_retry import RetryingPoster, UpstreamError
from api.reply_window import Window
from api.schemas import Button

MAX_TEXT = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
# Graph error code 10 (subcode 2018278): "This message is sent outside of allowed window".
OUTSIDE_WINDOW_CODE = 10


class MessengerSendError(UpstreamError):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class MessengerOutsideWindow(MessengerSendError):
    """The Graph API refused the message because the person's messaging window is over."""


def fits_quick_replies(buttons: list[Button]) -> bool:
    """Messenger shows at most 13 quick replies with titles of at most 20 characters; anything more is
    sent as a numbered list instead of being cut."""
    return len(buttons) <= MAX_QUICK_REPLIES and all(len(b.title) <= MAX_QUICK_REPLY_TITLE for b in buttons)


def quick_replies(buttons: list[Button]) -> list[dict[str, str]]:
    return [{"content_type": "text", "title": b.title, "payload": b.payload[:1000]} for b in buttons]


def recipient(psid: str) -> dict[str, str]:
    """A PSID, or ``ref:<user_ref>`` for a guest of the chat plugin (see the webhook)."""
    return {"user_ref": psid[4:]} if psid.startswith("ref:") else {"id": psid}


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

    async def send(
        self,
        psid: str,
        text: str,
        buttons: list[Button] | None = None,
        *,
        window: Window = Window.STANDARD,
        update: bool = False,
    ) -> None:
        """``window``: STANDARD sends a RESPONSE (an UPDATE with ``update``: a message of ours, not an
        answer, such as a status notification); HUMAN_AGENT a person's reply tagged HUMAN_AGENT."""
        if buttons and not fits_quick_replies(buttons):
            raise ValueError("more than 13 quick replies or a title over 20 characters: use a numbered list")
        if window is Window.CLOSED:
            raise MessengerOutsideWindow("the person's messaging window is closed", OUTSIDE_WINDOW_CODE)
        kind: dict[str, str] = (
            {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
            if window is Window.HUMAN_AGENT
            else {"messaging_type": "UPDATE" if update else "RESPONSE"}
        )
        chunks = split_text(text, MAX_TEXT)
        for index, chunk in enumerate(chunks):
            message: dict[str, Any] = {"text": chunk}
            if buttons and index == len(chunks) - 1:  # quick replies belong to the last bubble
                message["quick_replies"] = quick_replies(buttons)
            await self._send({"recipient": recipient(psid), **kind, "message": message})

    async def _send(self, body: dict[str, Any]) -> None:
        # The token in a header, not in the query string: URLs end up in logs (httpx logs each request).
        response = await self._post(headers={"Authorization": f"Bearer {self._token}"}, json=body)
        if response.status_code < 400:
            return
        code: int | None = None
        try:
            raw = (response.json().get("error") or {}).get("code")
            code = int(raw) if raw is not None else None
        except (ValueError, AttributeError, TypeError):
            pass
        message = f"Graph API HTTP {response.status_code} (code {code}): {response.text[:200]}"
        if code == OUTSIDE_WINDOW_CODE:
            raise MessengerOutsideWindow(message, code)
        raise MessengerSendError(message, code)
