"""Sends messages into the conversation's own channel: web (the widget's poll), Zalo OA or Messenger.

The assistant's replies answer a message just received. A person's messages (take-over notices,
operator replies, answers to feedback) may come later: they follow each platform's window
(``api.reply_window``) — tagged HUMAN_AGENT on Messenger after 24 hours, refused there after 7 days
(``OutsideWindow``, which the console explains instead of asking to try again).
"""

from __future__ import annotations

import logging
from datetime import datetime

import anyio

from api.channel_text import NumberedChoices, with_numbered_buttons
from api.conversation import platform_user_id, sender_channel
from api.http_retry import UpstreamError
from api.messenger_client import MessengerClient, MessengerOutsideWindow, fits_quick_replies
from api.reply_window import Window, closed_window_text, messenger_window, zalo_window
from api.schemas import Channel, ChatMessage
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient, ZaloSendError
from assistant.conversations import ConversationStore
from assistant.database import DatabaseUnavailable, utcnow

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    pass


class OutsideWindow(DeliveryFailed):
    """The platform does not let us write to this citizen now; ``explanation`` says why, in Vietnamese."""

    def __init__(self, message: str, explanation: str):
        super().__init__(message)
        self.explanation = explanation


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
        """Raises DeliveryFailed when the platform could not be reached after the client's retries,
        OutsideWindow when its rules forbid the message. ``author`` "bot" is the assistant's reply to
        the message just received; anything else is a person writing, maybe days later."""
        channel = sender_channel(sender_id)
        try:
            if channel is Channel.WEB:
                for m in messages:
                    await anyio.to_thread.run_sync(self._store.add_outbox, sender_id, m.text, author)
                return
            window = Window.STANDARD if author == "bot" else await self._window(channel, sender_id)
            if channel is Channel.ZALO:
                await self._to_zalo(sender_id, messages, window)
            else:
                await self._to_messenger(sender_id, messages, window)
        except UpstreamError as exc:
            self._telemetry.outbound_failures.labels(channel.value).inc()
            if isinstance(exc, MessengerOutsideWindow):
                raise OutsideWindow(f"{channel.value}: {exc}", closed_window_text("messenger")) from exc
            raise DeliveryFailed(f"{channel.value}: {exc}") from exc

    async def _window(self, channel: Channel, sender_id: str) -> Window:
        try:
            known = await anyio.to_thread.run_sync(self._store.get, sender_id)
        except DatabaseUnavailable:
            known = None
        last_inbound: datetime | None = known.last_message_at if known else None
        now = utcnow()
        return (
            messenger_window(last_inbound, now)
            if channel is Channel.MESSENGER
            else zalo_window(last_inbound, now)
        )

    async def _to_zalo(self, sender_id: str, messages: list[ChatMessage], window: Window) -> None:
        if self._zalo is None:
            raise UpstreamError("Zalo OA is not configured (ZALO_ACCESS_TOKEN or ZALO_REFRESH_TOKEN)")
        offered = [b for m in messages for b in m.buttons]
        self._choices.remember(sender_id, offered)
        for m in messages:
            text = with_numbered_buttons(m.text, m.buttons)
            if not text:
                continue
            try:
                await self._zalo.send_text(platform_user_id(sender_id), text)
            except ZaloSendError as exc:
                if window is Window.PROACTIVE and exc.code is not None:
                    raise OutsideWindow(f"zalo: {exc}", closed_window_text("zalo")) from exc
                raise

    async def _to_messenger(self, sender_id: str, messages: list[ChatMessage], window: Window) -> None:
        if self._messenger is None:
            raise UpstreamError("Messenger is not configured (MESSENGER_PAGE_ACCESS_TOKEN)")
        if window is Window.CLOSED:
            raise OutsideWindow("messenger: window closed", closed_window_text("messenger"))
        user = platform_user_id(sender_id)
        for m in messages:
            if not (m.text or m.buttons):
                continue
            if fits_quick_replies(m.buttons):
                await self._messenger.send(user, m.text or "Mời bạn chọn:", m.buttons, window=window)
            else:
                # Too many options or titles too long for quick replies: all of them as a numbered list.
                self._choices.remember(sender_id, m.buttons)
                await self._messenger.send(user, with_numbered_buttons(m.text, m.buttons), window=window)
