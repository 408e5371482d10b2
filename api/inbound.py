"""A message from Zalo or Messenger, end to end: assistant (or operator) → reply into the same channel.

Runs after the webhook has answered 200, so the platform does not time out and retry; failures are
logged with the conversation id (redacted) and counted — the delivery clients already retried.
"""

from __future__ import annotations

import logging

from api.delivery import DeliveryFailed
from api.dependencies import Services
from api.schemas import ChatMessage

log = logging.getLogger(__name__)

UNSUPPORTED_MESSAGE = ChatMessage(
    text="Dạ, hiện trợ lý chỉ đọc được tin nhắn dạng chữ. Bạn vui lòng gõ câu hỏi về thủ tục hành chính "
    "hoặc mã hồ sơ cần tra cứu."
)
WELCOME_MESSAGE = ChatMessage(
    text="Xin chào! Tôi là trợ lý ảo dịch vụ công. Bạn có thể hỏi giấy tờ, lệ phí, thời hạn, nơi nộp của "
    "thủ tục hành chính, hoặc gửi mã hồ sơ để tra cứu tình trạng."
)


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


async def send(services: Services, sender_id: str, messages: list[ChatMessage]) -> None:
    try:
        await services.delivery.deliver(sender_id, messages, author="bot")
    except DeliveryFailed as exc:
        log.error("reply to %s not delivered: %s", sender_id, exc)
