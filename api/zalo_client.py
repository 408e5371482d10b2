"""Zalo Official Account message API (v3.0, customer-service messages) and its access token.

A send within 48 hours of the citizen's message names it (``recipient.message_id``, the ``msg_id`` of
the webhook event): Zalo OA's help centre says a message sent through the API with a ``user_id`` and no
``message_id`` counts as a proactive message (tin chủ động: a verified OA's quota, refused otherwise),
while a reply names the message — up to 8 free replies within 48 hours of it.

The OA access token lives about 25 hours; it is renewed with the refresh token (OAuth v4,
``/v4/oa/access_token``, ``grant_type=refresh_token``, the app's secret key in the ``secret_key`` header)
an hour before it expires, and once more when Zalo says it is invalid. Zalo answers HTTP 200 with
``{"error": <non-zero>, "message": …}`` when it refuses a call. Sends are never repeated after a timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import anyio
import httpx

from api.channel_text import split_text
from api.http_retry import RetryingPoster, UpstreamError
from assistant.channel_tokens import ChannelToken, ChannelTokenStore
from assistant.database import DatabaseUnavailable, utcnow

log = logging.getLogger(__name__)

# Zalo refuses longer texts in one consultation message.
MAX_TEXT = 2000
# "Access token is invalid" / "expired": renew once and send again (Zalo did not take the message).
INVALID_TOKEN_ERRORS = {-216, -124}
TOKEN_NAME = "zalo_oa"
RENEW_BEFORE = timedelta(hours=1)


class ZaloSendError(UpstreamError):
    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class ZaloTokenError(UpstreamError):
    pass


class ZaloTokens:
    """The OA access token: renewed with the refresh token before it expires, kept in the database."""

    def __init__(
        self,
        *,
        store: ChannelTokenStore,
        oauth_base: str,
        app_id: str,
        app_secret_key: str,
        access_token: str,
        refresh_token: str,
        timeout_seconds: float,
    ):
        self._store = store
        self._url = f"{oauth_base.rstrip('/')}/v4/oa/access_token"
        self._app_id = app_id
        self._secret = app_secret_key
        # The configured pair is a starting point: it is renewed at once, as its age is unknown.
        self._initial = ChannelToken(access_token, refresh_token, utcnow())
        self._timeout = timeout_seconds
        self._lock = asyncio.Lock()

    async def access_token(self, *, force_renewal: bool = False) -> str:
        async with self._lock:
            try:
                token = await anyio.to_thread.run_sync(self._current, force_renewal)
            except DatabaseUnavailable as exc:
                raise ZaloTokenError(f"token store unavailable: {exc}") from exc
            return token.access_token

    def _current(self, force: bool) -> ChannelToken:
        try:
            return self._store.current(
                TOKEN_NAME, initial=self._initial, renew_before=RENEW_BEFORE, renew=self._renew, force=force
            )
        except ZaloTokenError as exc:
            stored = self._store.get(TOKEN_NAME) or self._initial
            if stored.access_token and stored.expires_at > utcnow() and not force:
                log.error("Zalo token renewal failed, the current token is used until it expires: %s", exc)
                return stored
            raise

    def _renew(self, refresh_token: str) -> ChannelToken:
        if not refresh_token:
            raise ZaloTokenError("no Zalo refresh token (ZALO_REFRESH_TOKEN)")
        try:
            response = httpx.post(
                self._url,
                headers={"secret_key": self._secret},
                data={"app_id": self._app_id, "grant_type": "refresh_token", "refresh_token": refresh_token},
                timeout=self._timeout,
            )
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ZaloTokenError(f"Zalo token renewal failed: {type(exc).__name__}") from exc
        if not isinstance(payload, dict) or not payload.get("access_token"):
            detail = (
                payload.get("error_description") or payload.get("error") if isinstance(payload, dict) else ""
            )
            raise ZaloTokenError(f"Zalo refused the refresh token: {detail}")
        expires_in = int(payload.get("expires_in") or 0)  # seconds, sent as a string
        log.info("Zalo OA access token renewed, valid %d s", expires_in)
        return ChannelToken(
            str(payload["access_token"]),
            str(payload.get("refresh_token") or refresh_token),
            utcnow() + timedelta(seconds=expires_in),
        )


def static_token(token: str) -> Callable[..., Awaitable[str]]:
    """The access token as configured, never renewed (no refresh token configured)."""

    async def provide(*, force_renewal: bool = False) -> str:
        return token

    return provide


class ZaloClient(RetryingPoster):
    def __init__(
        self,
        *,
        api_base: str,
        access_token: str | Callable[..., Awaitable[str]],
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
        self._token = static_token(access_token) if isinstance(access_token, str) else access_token

    async def send_text(self, user_id: str, text: str, *, reply_to: str | None = None) -> None:
        """``reply_to``: the id of the citizen's message this answers (``recipient.message_id``); Zalo
        counts a send without it as a proactive message, whenever it is sent."""
        recipient = {"user_id": user_id, "message_id": reply_to} if reply_to else {"user_id": user_id}
        for chunk in split_text(text, MAX_TEXT):
            await self._send({"recipient": recipient, "message": {"text": chunk}})

    async def _send(self, body: dict[str, Any]) -> None:
        try:
            await self._send_once(body, await self._token())
        except ZaloSendError as exc:
            if exc.code not in INVALID_TOKEN_ERRORS:
                raise
            log.warning("Zalo says the access token is invalid (%s): renewing it", exc.code)
            await self._send_once(body, await self._token(force_renewal=True))

    async def _send_once(self, body: dict[str, Any], token: str) -> None:
        response = await self._post(
            headers={"access_token": token, "Content-Type": "application/json"}, json=body
        )
        if response.status_code >= 400:
            raise ZaloSendError(f"Zalo HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError as exc:
            raise ZaloSendError("Zalo answered with something other than JSON") from exc
        if isinstance(payload, dict) and payload.get("error", 0) != 0:
            code = payload.get("error")
            raise ZaloSendError(
                f"Zalo error {code}: {payload.get('message')}", int(code) if isinstance(code, int) else None
            )
