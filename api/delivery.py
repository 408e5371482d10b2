"""Sends messages into the conversation's own channel: web (the widget's poll), Zalo OA or Messenger.

Zalo and Messenger replies go through a durable outbox (``assistant.channel_traffic``): written before the
first attempt, marked sent after it; a reply the platform still refuses after the client's retries stays
there and ``redeliver_due`` (the gateway's worker) sends it again, later and later, until it goes through.

The assistant's replies answer a message just received. A person's messages (take-over notices,
operator replies, answers to feedback) may come later: they follow each platform's window
(``api.reply_window``) — tagged HUMAN_AGENT on Messenger after 24 hours, refused there after 7 days
(``OutsideWindow``, which the console explains instead of asking to try again). Status notifications
(author ``notification``) are automated: only within the window where an automated message may go
(Messenger's 24 hours, as an UPDATE; Zalo's 48 hours of replies), ``OutsideWindow`` beyond it. A reply
outside its window is not kept in the outbox: sending it again would be refused again; nor is a send
that timed out (the platform may have delivered it: the citizen would read it twice).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import anyio

from api.channel_text import NumberedChoices, with_numbered_buttons
from api.conversation import platform_user_id, sender_channel
from api.http_retry import UpstreamError, UpstreamTimeout
from api.messenger_client import MessengerClient, MessengerOutsideWindow, fits_quick_replies
from api.reply_window import Window, closed_window_text, messenger_window, zalo_window
from api.schemas import Channel, ChatMessage
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient, ZaloSendError
from assistant.channel_traffic import ChannelOutbox
from assistant.conversations import Conversation, ConversationStore
from assistant.database import DatabaseUnavailable, utcnow

log = logging.getLogger(__name__)

# The author of a status notification: automated, like the assistant's replies, but not an answer.
NOTIFICATION = "notification"
_AUTOMATED = ("bot", NOTIFICATION)


class DeliveryFailed(RuntimeError):
    def __init__(self, message: str, *, queued: bool = False) -> None:
        super().__init__(message)
        self.queued = queued  # kept in the outbox: it will be sent again


def _payload(messages: list[ChatMessage]) -> str:
    return json.dumps([m.model_dump(mode="json") for m in messages], ensure_ascii=False)


def _messages(payload: str) -> list[ChatMessage]:
    return [ChatMessage.model_validate(m) for m in json.loads(payload)]


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
        (``queued`` when the outbox keeps the reply for a later attempt), OutsideWindow when its rules
        forbid the message. ``author`` "bot" is the assistant's reply to the message just received;
        anything else is a person writing, maybe days later."""
        channel = sender_channel(sender_id)
        if channel is Channel.WEB:
            for m in messages:
                await anyio.to_thread.run_sync(self._store.add_outbox, sender_id, m.text, author)
            return
        window = await self._window_for(channel, sender_id, author)
        if window is Window.CLOSED:
            self._telemetry.outbound_failures.labels(channel.value).inc()
            raise OutsideWindow(f"{channel.value}: window closed", closed_window_text(channel.value))
        try:
            reply_id: int | None = await anyio.to_thread.run_sync(
                self._outbox.enqueue, sender_id, _payload(messages), author
            )
        except DatabaseUnavailable as exc:
            log.error("channel outbox unavailable, sending without it: %s", exc)
            reply_id = None
        try:
            await self._send_now(channel, sender_id, messages, window, author)
        except OutsideWindow as exc:
            self._telemetry.outbound_failures.labels(channel.value).inc()
            if reply_id is not None:
                await self._give_up(reply_id, str(exc))
            raise
        except UpstreamTimeout as exc:
            # It may have been delivered: never sent again (the citizen would read it twice).
            self._telemetry.outbound_failures.labels(channel.value).inc()
            if reply_id is not None:
                await self._give_up(reply_id, str(exc))
            raise DeliveryFailed(f"{channel.value}: {exc}") from exc
        except UpstreamError as exc:
            self._telemetry.outbound_failures.labels(channel.value).inc()
            queued = reply_id is not None and await self._failed(reply_id, str(exc), 0)
            raise DeliveryFailed(f"{channel.value}: {exc}", queued=queued) from exc
        if reply_id is not None:
            await self._sent(reply_id)

    async def redeliver_due(self) -> int:
        """Send again the replies whose next attempt is due; how many went through. The platform's
        window is taken again at each attempt; a reply whose window has closed meanwhile is given up."""
        pending = await anyio.to_thread.run_sync(
            lambda: self._outbox.claim_due(max_attempts=self._max_attempts)
        )
        delivered = 0
        for reply in pending:
            channel = sender_channel(reply.sender_id)
            try:
                window = await self._window_for(channel, reply.sender_id, reply.author, later=True)
                if window is Window.CLOSED:
                    raise OutsideWindow(f"{channel.value}: window closed", closed_window_text(channel.value))
                await self._send_now(channel, reply.sender_id, _messages(reply.payload), window, reply.author)
            except (OutsideWindow, UpstreamTimeout) as exc:  # refused again, or maybe delivered
                self._telemetry.outbound_failures.labels(channel.value).inc()
                log.warning("reply %s given up: %s", reply.id, exc)
                await self._give_up(reply.id, str(exc))
                continue
            except UpstreamError as exc:
                self._telemetry.outbound_failures.labels(channel.value).inc()
                await self._failed(reply.id, str(exc), reply.attempts + 1)
                continue
            await self._sent(reply.id)
            delivered += 1
        return delivered

    async def _window_for(
        self, channel: Channel, sender_id: str, author: str, *, later: bool = False
    ) -> Window:
        """The assistant answers the message just received (a normal reply); a person, or any reply sent
        again later, writes in whatever window the platform still leaves. Nothing automated may use the
        HUMAN_AGENT tag: the assistant's reply sent again after 24 hours on Messenger is out of its
        window. A notification is not sent as a paid proactive Zalo message either: it waits for the
        citizen to write."""
        if author == "bot" and not later:
            return Window.STANDARD
        window = await self._window(channel, sender_id)
        if author in _AUTOMATED and window is Window.HUMAN_AGENT:
            return Window.CLOSED
        if author == NOTIFICATION and window is Window.PROACTIVE:
            return Window.CLOSED
        return window

    async def _send_now(
        self, channel: Channel, sender_id: str, messages: list[ChatMessage], window: Window, author: str
    ) -> None:
        try:
            if channel is Channel.ZALO:
                await self._to_zalo(sender_id, messages, window)
            else:
                await self._to_messenger(sender_id, messages, window, update=author == NOTIFICATION)
        except MessengerOutsideWindow as exc:
            raise OutsideWindow(f"{channel.value}: {exc}", closed_window_text("messenger")) from exc

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

    async def _give_up(self, reply_id: int, error: str) -> None:
        try:
            await anyio.to_thread.run_sync(self._outbox.give_up, reply_id, error)
        except DatabaseUnavailable as exc:
            log.error("could not give up reply %s: %s", reply_id, exc)

    async def _conversation(self, sender_id: str) -> Conversation | None:
        try:
            return await anyio.to_thread.run_sync(self._store.get, sender_id)
        except DatabaseUnavailable:
            return None

    async def _window(self, channel: Channel, sender_id: str) -> Window:
        known = await self._conversation(sender_id)
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
        # Within the window of replies, naming the citizen's latest message makes the send a reply to it
        # (free, 8 per message); a send naming no message is a proactive one (Zalo OA's rules).
        known = await self._conversation(sender_id) if window is Window.STANDARD else None
        reply_to = known.last_message_ref if known else None
        for m in messages:
            text = with_numbered_buttons(m.text, m.buttons)
            if not text:
                continue
            try:
                await self._zalo.send_text(platform_user_id(sender_id), text, reply_to=reply_to)
            except ZaloSendError as exc:
                if window is Window.PROACTIVE and exc.code is not None:
                    raise OutsideWindow(f"zalo: {exc}", closed_window_text("zalo")) from exc
                raise

    async def _to_messenger(
        self, sender_id: str, messages: list[ChatMessage], window: Window, *, update: bool
    ) -> None:
        if self._messenger is None:
            raise UpstreamError("Messenger is not configured (MESSENGER_PAGE_ACCESS_TOKEN)")
        if window is Window.CLOSED:
            raise OutsideWindow("messenger: window closed", closed_window_text("messenger"))
        user = platform_user_id(sender_id)
        for m in messages:
            if not (m.text or m.buttons):
                continue
            if fits_quick_replies(m.buttons):
                await self._messenger.send(
                    user, m.text or "Mời bạn chọn:", m.buttons, window=window, update=update
                )
            else:
                # Too many options or titles too long for quick replies: all of them as a numbered list.
                self._choices.remember(sender_id, m.buttons)
                await self._messenger.send(
                    user, with_numbered_buttons(m.text, m.buttons), window=window, update=update
                )
