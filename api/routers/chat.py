"""Web chat: the widget's endpoint to the assistant, and its poll for operator replies."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, status

from api.conversation import clean_text
from api.delivery import NOTIFICATION
from api.dependencies import ServicesDep
from api.schemas import (
    SENDER_ID_PATTERN,
    Channel,
    ChatMessage,
    ChatRequest,
    ChatResponse,
    ChatUpdate,
    ChatUpdates,
    ErrorResponse,
)
from assistant.database import DatabaseUnavailable
from assistant.dossiers.guard import client_network
from assistant.retention import forget

router = APIRouter(prefix="/api/v1/chat", tags=["chat"])


@router.post(
    "",
    response_model=ChatResponse,
    summary="Gửi một tin nhắn tới trợ lý ảo",
    responses={422: {"model": ErrorResponse, "description": "Tin nhắn rỗng hoặc quá dài"}},
)
async def chat(body: ChatRequest, request: Request, services: ServicesDep) -> ChatResponse:
    text = clean_text(body.text)
    limit = services.settings.max_input_chars
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Bạn vui lòng nhập nội dung câu hỏi.")
    if len(text) > limit:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"Tin nhắn dài quá {limit} ký tự; bạn vui lòng rút gọn câu hỏi.",
        )
    try:
        # The conversation's secret, issued on its first message only (None on later ones).
        token = await anyio.to_thread.run_sync(services.store.issue_secret, body.sender, Channel.WEB.value)
    except DatabaseUnavailable:
        token = None  # no transcript and no operator replies to read either: answer all the same
    network = client_network(request.client.host if request.client else None) or "unknown"
    result = await services.conversation.handle(body.sender, text, network)
    if result.mode == "bot":
        services.spawn(
            services.conversation.follow_up(body.sender, text, result.understanding),
            name=f"follow-up {body.sender}",
        )
    return ChatResponse(
        sender=body.sender, messages=result.messages, mode=result.mode, conversation_token=token
    )


@router.delete(
    "/{sender}",
    summary="Xóa dữ liệu của tôi: lịch sử trò chuyện, đánh giá, liên hệ để lại",
    responses={403: {"model": ErrorResponse, "description": "Thiếu hoặc sai mã bí mật của hội thoại"}},
)
async def forget_me(
    services: ServicesDep,
    sender: Annotated[str, Path(pattern=SENDER_ID_PATTERN)],
    token: Annotated[str | None, Header(alias="X-Conversation-Token", max_length=128)] = None,
) -> dict[str, str]:
    try:
        if not await anyio.to_thread.run_sync(services.store.secret_matches, sender, token):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền xóa hội thoại này.")
        await anyio.to_thread.run_sync(forget, services.domain.database, sender)
    except DatabaseUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "Chưa xóa được dữ liệu, bạn vui lòng thử lại sau ít phút."
        ) from exc
    return {"detail": "Đã xóa dữ liệu cuộc trò chuyện của bạn."}


@router.get(
    "/{sender}/updates",
    response_model=ChatUpdates,
    summary="Tin nhắn mới của cán bộ (widget hỏi định kỳ)",
    responses={403: {"model": ErrorResponse, "description": "Thiếu hoặc sai mã bí mật của hội thoại"}},
)
async def updates(
    services: ServicesDep,
    sender: Annotated[str, Path(pattern=SENDER_ID_PATTERN)],
    token: Annotated[
        str | None,
        Header(
            alias="X-Conversation-Token",
            max_length=128,
            description="The conversation_token POST /api/v1/chat returned on the first message",
        ),
    ] = None,
    after: Annotated[int, Query(ge=0, le=2**62, description="Id of the last update the client has")] = 0,
) -> ChatUpdates:
    try:
        allowed = await anyio.to_thread.run_sync(services.store.secret_matches, sender, token)
    except DatabaseUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "Chưa đọc được tin nhắn của cán bộ, vui lòng chờ giây lát."
        ) from exc
    if not allowed:
        # Operator replies may hold personal data: the sender id alone (it travels in URLs) reads nothing.
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền xem hội thoại này.")
    rows = await anyio.to_thread.run_sync(services.store.outbox_after, sender, after)
    operator = await anyio.to_thread.run_sync(services.domain.handoffs.operator_of, sender)
    position = await anyio.to_thread.run_sync(services.domain.handoffs.queue_position, sender)
    return ChatUpdates(
        sender=sender,
        updates=[
            ChatUpdate(
                id=r.id,
                # A status notification is the assistant's; everything else here a person wrote.
                message=ChatMessage(text=r.text, source="bot" if r.author == NOTIFICATION else "operator"),
                created_at=r.created_at,
            )
            for r in rows
        ],
        operator_active=operator is not None,
        queue_position=position,
    )
