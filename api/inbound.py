"""A message from Zalo or Messenger, end to end: assistant (or operator) → reply into the same channel.

Runs after the webhook has answered 200, so the platform does not time out and retry; failures are
logged with the conversation id (redacted) and counted — the delivery clients already retried.
"""

from __future__ import annotations

import logging

import anyio

from api.delivery import DeliveryFailed
from api.dependencies import Services
from api.notifications import send_held
from api.schemas import ChatMessage
from assistant.channel_traffic import InboundEvent
from assistant.database import DatabaseUnavailable

log = logging.getLogger(__name__)

UNSUPPORTED_MESSAGE = ChatMessage(
    text="Dạ, hiện trợ lý chỉ đọc được tin nhắn dạng chữ. Bạn vui lòng gõ câu hỏi về thủ tục hành chính "
    "hoặc mã hồ sơ cần tra cứu."
)
WELCOME_MESSAGE = ChatMessage(
    text="Xin chào! Tôi là trợ lý ảo dịch vụ công. Bạn có thể hỏi giấy tờ, lệ phí, thời hạn, nơi nộp của "
    "thủ tục hành chính, hoặc gửi mã hồ sơ để tra cứu tình trạng."
)


async def accept(services: Services, event: InboundEvent) -> bool:
    """Store a platform event before the webhook answers 200; False when it was seen before (a retry).

    The database is the durable record; without it, the in-memory or Redis de-duplication decides."""
    try:
        return await anyio.to_thread.run_sync(services.inbound.record, event)
    except DatabaseUnavailable as exc:
        log.error("inbound event not stored (answered all the same): %s", exc)
        return await services.dedup.first_time(event.key)


async def process(services: Services, event: InboundEvent) -> None:
    """Answer a stored event, then mark it done (an event left undone is answered again by the worker)."""
    try:
        if event.kind == "text":
            await handle_text(services, event.sender_id, event.text)
        else:
            await send(
                services,
                event.sender_id,
                [WELCOME_MESSAGE if event.kind == "welcome" else UNSUPPORTED_MESSAGE],
            )
    finally:
        try:
            await anyio.to_thread.run_sync(services.inbound.done, event.key)
        except DatabaseUnavailable as exc:
            log.error("inbound event not marked done: %s", exc)


async def replay(services: Services, event: InboundEvent) -> None:
    log.warning("answering an inbound event left unanswered (the process that took it stopped)")
    await process(services, event)


async def handle_text(services: Services, sender_id: str, text: str) -> None:
    # One message at a time per conversation: answers arrive in the order the citizen wrote.
    async with services.sender_locks.hold(sender_id):
        text = services.choices.resolve(sender_id, text)
        result = await services.conversation.handle(sender_id, text)
        if result.mode == "bot":
            services.spawn(
                services.conversation.follow_up(sender_id, text, result.understanding),
                name=f"follow-up {sender_id}",
            )
        if result.messages:
            await send(services, sender_id, result.messages)
        # Writing opened the platform's window again: notifications held for it go now.
        await send_held(services, sender_id)


async def send(services: Services, sender_id: str, messages: list[ChatMessage]) -> None:
    try:
        await services.delivery.deliver(sender_id, messages, author="bot")
    except DeliveryFailed as exc:
        kept = "kept in the outbox for a later attempt" if exc.queued else "lost"
        log.error("reply to %s not delivered (%s): %s", sender_id, kept, exc)
