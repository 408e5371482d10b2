"""Sends messages into the conversation's own channel: web (the widget's poll), Zalo OA or Messenger."""

from __future__ import annotations

import logging

import anyio

from api.channel_text import NumberedChoices, with_numbered_buttons
from api.conversation import platform_user_id, sender_channel
from api.http_retry import UpstreamError
from api.messenger_client import MessengerClient
from api.schemas import Channel, ChatMessage
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient
from assistant.conversations import ConversationStore

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    pass


class ChannelDelivery:
    def __init__(
        self,
        *,
        store: ConversationStore,
        zalo: ZaloClient | None,
        messenger: MessengerClient | None,
        choices: NumberedChoices,
        telemetry: Telemetry,
    ):
        self._store = store
        self._zalo = zalo
        self._messenger = messenger
        self._choices = choices
        self._telemetry = telemetry

    async def deliver(self, sender_id: str, messages: list[ChatMessage], *, author: str) -> None:
        """Raises DeliveryFailed when the platform could not be reached after the client's retries."""
        channel = sender_channel(sender_id)
        try:
            if channel is Channel.WEB:
                for m in messages:
                    await anyio.to_thread.run_sync(self._store.add_outbox, sender_id, m.text, author)
            elif channel is Channel.ZALO:
                await self._to_zalo(sender_id, messages)
            else:
                await self._to_messenger(sender_id, messages)
        except UpstreamError as exc:
            self._telemetry.outbound_failures.labels(channel.value).inc()
            raise DeliveryFailed(f"{channel.value}: {exc}") from exc

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
