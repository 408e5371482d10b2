"""Web chat: the widget's endpoint to the assistant, and its poll for operator replies."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, HTTPException, Path, Query, status

from api.conversation import clean_text
from api.dependencies import ServicesDep
from api.schemas import (
    SENDER_ID_PATTERN,
    ChatMessage,
    ChatRequest,
    ChatResponse,
    ChatUpdate,
    ChatUpdates,
    ErrorResponse,
)

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


@router.post(
    "",
    response_model=ChatResponse,
    summary="Gửi một tin nhắn tới trợ lý ảo",
    responses={422: {"model": ErrorResponse, "description": "Tin nhắn rỗng hoặc quá dài"}},
)
async def chat(body: ChatRequest, services: ServicesDep) -> ChatResponse:
    text = clean_text(body.text)
    limit = services.settings.max_input_chars
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Bạn vui lòng nhập nội dung câu hỏi.")
    if len(text) > limit:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"Tin nhắn dài quá {limit} ký tự; bạn vui lòng rút gọn câu hỏi.",
        )
    result = await services.conversation.handle(body.sender, text)
    if result.mode == "bot":
        services.spawn(services.conversation.follow_up(body.sender, text), name=f"follow-up {body.sender}")
    return ChatResponse(sender=body.sender, messages=result.messages, mode=result.mode)


@router.get(
    "/{sender}/updates", response_model=ChatUpdates, summary="Tin nhắn mới của cán bộ (widget hỏi định kỳ)"
)
async def updates(
    services: ServicesDep,
    sender: Annotated[str, Path(pattern=SENDER_ID_PATTERN)],
    after: Annotated[int, Query(ge=0, le=2**62, description="Id of the last update the client has")] = 0,
) -> ChatUpdates:
    rows = await anyio.to_thread.run_sync(services.store.outbox_after, sender, after)
    operator = await anyio.to_thread.run_sync(services.domain.handoffs.operator_of, sender)
    position = await anyio.to_thread.run_sync(services.domain.handoffs.queue_position, sender)
    return ChatUpdates(
        sender=sender,
        updates=[
            ChatUpdate(id=r.id, message=ChatMessage(text=r.text, source="operator"), created_at=r.created_at)
            for r in rows
        ],
        operator_active=operator is not None,
        queue_position=position,
    )
