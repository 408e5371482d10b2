"""Sends messages into the conversation's own channel: web (the widget's poll), Zalo OA or Messenger.

Zalo and Messenger replies go through a durable outbox (``assistant.channel_traffic``): written before the
first attempt, marked sent after it; a reply the platform still refuses after the client's retries stays
there and ``redeliver_due`` (the gateway's worker) sends it again, later and later, until it goes through.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import anyio

from api.channel_text import NumberedChoices, with_numbered_buttons
from api.conversation import platform_user_id, sender_channel
from api.http_retry import UpstreamError
from api.messenger_client import MessengerClient
from api.schemas import Channel, ChatMessage
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient
from assistant.channel_traffic import ChannelOutbox
from assistant.conversations import ConversationStore
from assistant.database import DatabaseUnavailable

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    def __init__(self, message: str, *, queued: bool = False) -> None:
        super().__init__(message)
        self.queued = queued  # kept in the outbox: it will be sent again


def _payload(messages: list[ChatMessage]) -> str:
    return json.dumps([m.model_dump(mode="json") for m in messages], ensure_ascii=False)


def _messages(payload: str) -> list[ChatMessage]:
    return [ChatMessage.model_validate(m) for m in json.loads(payload)]


class ChannelDelivery:
    def __init__(
        self,
        *,
        store: ConversationStore,
        zalo: ZaloClient | None,
        messenger: MessengerClient | None,
        choices: NumberedChoices,
        telemetry: Telemetry,
        outbox: ChannelOutbox,
        retry_seconds: float = 30.0,
        max_attempts: int = 20,
    ):
        self._outbox = outbox
        self._retry_seconds = retry_seconds
        self._max_attempts = max_attempts
        self._store = store
        self._zalo = zalo
        self._messenger = messenger
        self._choices = choices
        self._telemetry = telemetry

    async def deliver(self, sender_id: str, messages: list[ChatMessage], *, author: str) -> None:
        """Raises DeliveryFailed when the platform could not be reached after the client's retries
        (``queued`` when the outbox keeps the reply for a later attempt)."""
        channel = sender_channel(sender_id)
        if channel is Channel.WEB:
            for m in messages:
                await anyio.to_thread.run_sync(self._store.add_outbox, sender_id, m.text, author)
            return
        try:
            reply_id: int | None = await anyio.to_thread.run_sync(
                self._outbox.enqueue, sender_id, _payload(messages), author
            )
        except DatabaseUnavailable as exc:
            log.error("channel outbox unavailable, sending without it: %s", exc)
            reply_id = None
        try:
            await self._send_now(channel, sender_id, messages)
        except UpstreamError as exc:
            self._telemetry.outbound_failures.labels(channel.value).inc()
            queued = reply_id is not None and await self._failed(reply_id, str(exc), 0)
            raise DeliveryFailed(f"{channel.value}: {exc}", queued=queued) from exc
        if reply_id is not None:
            await self._sent(reply_id)

    async def redeliver_due(self) -> int:
        """Send again the replies whose next attempt is due; how many went through."""
        pending = await anyio.to_thread.run_sync(
            lambda: self._outbox.claim_due(max_attempts=self._max_attempts)
        )
        delivered = 0
        for reply in pending:
            channel = sender_channel(reply.sender_id)
            try:
                await self._send_now(channel, reply.sender_id, _messages(reply.payload))
            except UpstreamError as exc:
                self._telemetry.outbound_failures.labels(channel.value).inc()
                await self._failed(reply.id, str(exc), reply.attempts + 1)
                continue
            await self._sent(reply.id)
            delivered += 1
        return delivered

    async def _send_now(self, channel: Channel, sender_id: str, messages: list[ChatMessage]) -> None:
        if channel is Channel.ZALO:
            await self._to_zalo(sender_id, messages)
        else:
            await self._to_messenger(sender_id, messages)

    async def _sent(self, reply_id: int) -> None:
        try:
            await anyio.to_thread.run_sync(self._outbox.mark_sent, reply_id)
        except DatabaseUnavailable as exc:  # it may be sent once more: better twice than never
            log.error("could not mark reply %s sent: %s", reply_id, exc)

    async def _failed(self, reply_id: int, error: str, attempts: int) -> bool:
        delay = timedelta(seconds=self._retry_seconds * 2 ** min(attempts, 8))
        try:
            await anyio.to_thread.run_sync(self._outbox.mark_failed, reply_id, error, delay)
        except DatabaseUnavailable as exc:
            log.error("could not reschedule reply %s: %s", reply_id, exc)
            return False
        return True

    async def _to_zalo(self, sender_id: str, messages: list[ChatMessage]) -> None:
        if self._zalo is None:
            raise UpstreamError("Zalo OA is not configured (ZALO_ACCESS_TOKEN)")
        offered = [b for m in messages for b in m.buttons]
        self._choices.remember(sender_id, offered)
        for m in messages:
            text = with_numbered_buttons(m.text, m.buttons)
            if text:
                await self._zalo.send_text(platform_user_id(sender_id), text)

    async def _to_messenger(self, sender_id: str, messages: list[ChatMessage]) -> None:
        if self._messenger is None:
            raise UpstreamError("Messenger is not configured (MESSENGER_PAGE_ACCESS_TOKEN)")
        for m in messages:
            if m.text or m.buttons:
                await self._messenger.send(platform_user_id(sender_id), m.text or "Mời bạn chọn:", m.buttons)
