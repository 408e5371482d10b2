"""The hotline operator console: login, procedure search, live conversations, take-over, analytics."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from pathlib import Path as FsPath
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from api.analytics import Analytics, collect
from api.auth import COOKIE_NAME, OperatorSession
from api.conversation import sender_channel, strip_invisible
from api.delivery import DeliveryFailed, OutsideWindow
from api.dependencies import AdminDep, OperatorDep, Services, ServicesDep, resolve_session
from api.rasa_client import RasaUnavailable
from api.schemas import ChatMessage, DossierStatusResponse, ProcedureDetail
from api.search_provider import SearchNotReady
from assistant.conversations import Conversation
from assistant.database import DatabaseUnavailable, utcnow
from assistant.handoffs import Handoff, HandoffConflict, HandoffState
from assistant.operators import LoginResult
from assistant.procedures.summary import procedure_summary
from search_index.errors import InvalidQuery

from .dossiers import dossier_answer
from .procedures import detail

log = logging.getLogger(__name__)
TEMPLATES = Jinja2Templates(directory=FsPath(__file__).resolve().parent.parent / "templates")
router = APIRouter(prefix="/operator", tags=["operator"])
SenderPath = Annotated[str, Path(max_length=140, pattern=r"^[A-Za-z0-9_\-:]+$")]


class LoginRequest(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class OperatorInfo(BaseModel):
    name: str
    role: str


class ProcedureCard(BaseModel):
    procedure: ProcedureDetail
    summary: str = Field(description="Plain text to copy into a message or read out on the phone")


class ConversationItem(BaseModel):
    sender_id: str
    channel: str
    state: Literal["waiting", "taken"]
    taken_by: str | None
    reason: str
    last_message: str
    updated_at: datetime
    after_hours: bool = Field(default=False, description="Asked outside working hours: listed first")


class HistoryItem(BaseModel):
    author: str
    text: str
    at: datetime | None


class ReplyRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


# ---------------------------------------------------------------------------------------------- pages
@router.get("", response_class=HTMLResponse, include_in_schema=False)
async def console(request: Request, services: ServicesDep) -> Response:
    try:
        session = await anyio.to_thread.run_sync(resolve_session, services, request.cookies.get(COOKIE_NAME))
    except DatabaseUnavailable:
        session = None
    if session is None:
        return RedirectResponse("/operator/login", status_code=status.HTTP_303_SEE_OTHER)
    return TEMPLATES.TemplateResponse(
        request,
        "operator.html",
        {"operator": session, "poll_ms": int(services.settings.operator_poll_seconds * 1000)},
    )


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
async def login_page(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "login.html", {})


# ---------------------------------------------------------------------------------------------- session
@router.post(
    "/login",
    response_model=OperatorInfo,
    summary="Đăng nhập cán bộ",
    responses={
        401: {"description": "Sai tên đăng nhập hoặc mật khẩu"},
        423: {"description": "Tài khoản tạm khoá sau nhiều lần nhập sai"},
        503: {"description": "Chưa kiểm tra được tài khoản"},
    },
)
async def login(body: LoginRequest, response: Response, services: ServicesDep) -> OperatorInfo:
    settings = services.settings
    accounts = services.accounts

    def log_in() -> tuple[LoginResult, str | None]:
        result = accounts.log_in(
            body.name,
            body.password,
            max_failures=settings.operator_login_max_failures,
            lockout=timedelta(minutes=settings.operator_lockout_minutes),
        )
        if result.role is None:
            return result, None
        session_id, _ = accounts.open_session(body.name, services.signer.lifetime_seconds)
        return result, session_id

    try:
        # Fails closed: without the database nobody signs in.
        result, session_id = await anyio.to_thread.run_sync(log_in)
    except DatabaseUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Hệ thống tạm thời chưa kiểm tra được tài khoản, vui lòng thử lại sau ít phút.",
        ) from exc
    if result.locked_until is not None:
        minutes = max(1, math.ceil((result.locked_until - utcnow()).total_seconds() / 60))
        raise HTTPException(
            status.HTTP_423_LOCKED,
            f"Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút "
            "hoặc liên hệ quản trị viên.",
        )
    if result.role is None or session_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Tên đăng nhập hoặc mật khẩu không đúng.")
    response.set_cookie(
        COOKIE_NAME,
        services.signer.issue(body.name, session_id),
        max_age=services.signer.lifetime_seconds,
        httponly=True,
        samesite="strict",
        secure=settings.operator_cookie_secure,
        path="/operator",
    )
    return OperatorInfo(name=body.name, role=result.role.value)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Đăng xuất")
async def logout(request: Request, response: Response, services: ServicesDep) -> Response:
    # The session row goes: a copy of the cookie kept elsewhere is worthless from now on.
    signed = services.signer.read(request.cookies.get(COOKIE_NAME))
    if signed is not None:
        try:
            await anyio.to_thread.run_sync(services.accounts.close_session, signed.session_id)
        except DatabaseUnavailable as exc:
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE, "Chưa đăng xuất được, vui lòng thử lại sau ít phút."
            ) from exc
    response.delete_cookie(COOKIE_NAME, path="/operator")
    response.status_code = status.HTTP_204_NO_CONTENT
    return response


@router.get("/api/me", response_model=OperatorInfo)
async def me(session: OperatorDep) -> OperatorInfo:
    return OperatorInfo(name=session.name, role=session.role.value)


# ---------------------------------------------------------------------------------------------- lookup
@router.get("/api/procedures", response_model=list[ProcedureCard], summary="Tra cứu nhanh thủ tục cho cán bộ")
async def procedures(
    _: OperatorDep,
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=10)] = 5,
) -> list[ProcedureCard]:
    try:
        hits = await services.search.search(q, limit=limit)
    except InvalidQuery as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, exc.message) from exc
    except SearchNotReady as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Kho thủ tục đang được chuẩn bị.") from exc
    return [
        ProcedureCard(procedure=detail(h.procedure), summary=procedure_summary(h.procedure)) for h in hits
    ]


@router.get("/api/dossiers/{code}", response_model=DossierStatusResponse, summary="Tra cứu hồ sơ cho cán bộ")
async def dossier(
    _: OperatorDep,
    services: ServicesDep,
    code: Annotated[str, Path(max_length=64)],
    phone_last4: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
) -> Response:
    # Signed-in operators are not held to the per-address budget: a whole call centre shares one address.
    return await dossier_answer(services, code, phone_last4, network=None)


# ---------------------------------------------------------------------------------------------- conversations
def _item(handoff: Handoff, known: Conversation | None) -> ConversationItem:
    return ConversationItem(
        sender_id=handoff.conversation_id,
        channel=known.channel if known else sender_channel(handoff.conversation_id).value,
        state="taken" if handoff.state is HandoffState.CLAIMED else "waiting",
        taken_by=handoff.operator if handoff.state is HandoffState.CLAIMED else None,
        reason=handoff.reason,
        last_message=(known.last_text if known else "") or handoff.last_message,
        updated_at=max(handoff.updated_at, known.last_message_at) if known else handoff.updated_at,
        after_hours=handoff.after_hours and handoff.state is HandoffState.OPEN,
    )


def _conversations(services: Services) -> list[ConversationItem]:
    try:
        handoffs = services.domain.handoffs.waiting_or_taken()
        known = services.store.summaries([h.conversation_id for h in handoffs])
    except DatabaseUnavailable:
        return []
    items = [_item(h, known.get(h.conversation_id)) for h in handoffs]
    # Questions left outside working hours first, in the order they came (as the store lists them).
    night = [i for i in items if i.after_hours]
    return night + sorted((i for i in items if not i.after_hours), key=lambda i: i.updated_at, reverse=True)


@router.get("/api/conversations", response_model=list[ConversationItem], summary="Hội thoại cần cán bộ")
async def conversations(_: OperatorDep, services: ServicesDep) -> list[ConversationItem]:
    return await anyio.to_thread.run_sync(_conversations, services)


@router.get("/api/conversations/{sender_id}/history", response_model=list[HistoryItem])
async def history(_: OperatorDep, services: ServicesDep, sender_id: SenderPath) -> list[HistoryItem]:
    rows = await anyio.to_thread.run_sync(services.store.history, sender_id)
    if rows:
        return [HistoryItem(author=r.author, text=r.text, at=r.created_at) for r in rows]
    # Conversations from before this gateway kept transcripts: Rasa's tracker still has them.
    try:
        tracker = await services.rasa.tracker(sender_id, include_events="ALL")
    except RasaUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Chưa đọc được lịch sử từ trợ lý.") from exc
    items = []
    for event in tracker.get("events") or []:
        if event.get("event") in ("user", "bot") and event.get("text"):
            at = datetime.fromtimestamp(event["timestamp"]) if event.get("timestamp") else None
            items.append(
                HistoryItem(
                    author="citizen" if event["event"] == "user" else "bot", text=event["text"], at=at
                )
            )
    return items


def _take_over(services: Services, sender_id: str, operator: str) -> ConversationItem | None:
    """None when neither the gateway nor a request for a person knows this conversation; raises
    ``HandoffConflict`` when another operator holds it."""
    known = services.store.summaries([sender_id]).get(sender_id)
    if known is None and services.domain.handoffs.active(sender_id) is None:
        return None
    channel = known.channel if known else sender_channel(sender_id).value
    return _item(services.domain.handoffs.take_over(sender_id, operator, channel=channel), known)


def _hand_back(services: Services, sender_id: str, session: OperatorSession) -> bool:
    """Closes the conversation's request; False when the conversation is unknown; ``HandoffConflict``
    when another operator holds it and ``session`` is not an administrator's."""
    closed = services.domain.handoffs.hand_back(sender_id, session.name, admin=session.is_admin)
    return closed is not None or services.store.get(sender_id) is not None


async def _tell_citizen(services: Services, sender_id: str, text: str, author: str) -> None:
    await services.delivery.deliver(sender_id, [ChatMessage(text=text, source="operator")], author=author)
    await anyio.to_thread.run_sync(services.store.record_replies, sender_id, "operator", [text])


@router.post(
    "/api/conversations/{sender_id}/takeover",
    response_model=ConversationItem,
    summary="Nhận hội thoại",
    responses={409: {"description": "Cán bộ khác đang giữ hội thoại"}},
)
async def take_over(session: OperatorDep, services: ServicesDep, sender_id: SenderPath) -> ConversationItem:
    try:
        item = await anyio.to_thread.run_sync(_take_over, services, sender_id, session.name)
    except HandoffConflict as exc:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"Hội thoại đang do cán bộ {exc.holder} hỗ trợ."
        ) from exc
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có hội thoại này.")
    try:
        await _tell_citizen(
            services,
            sender_id,
            f"Cán bộ {session.name} đã tham gia hội thoại và sẽ hỗ trợ bạn ngay.",
            session.name,
        )
    except DeliveryFailed as exc:
        log.error("take-over notice not delivered: %s", exc)
    return item


@router.post(
    "/api/conversations/{sender_id}/reply",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Trả lời công dân qua đúng kênh của họ",
    responses={
        409: {"description": "Hội thoại chưa được nhận, hoặc ngoài khung nhắn tin của nền tảng"},
        502: {"description": "Kênh không nhận tin"},
    },
)
async def reply(
    body: ReplyRequest, session: OperatorDep, services: ServicesDep, sender_id: SenderPath
) -> dict[str, str]:
    taken_by = await anyio.to_thread.run_sync(services.domain.handoffs.operator_of, sender_id)
    if taken_by is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "Bạn cần nhận hội thoại trước khi trả lời.")
    if taken_by != session.name and not session.is_admin:
        raise HTTPException(status.HTTP_409_CONFLICT, f"Hội thoại đang do cán bộ {taken_by} hỗ trợ.")
    text = strip_invisible(body.text).strip()
    if not text:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Tin nhắn trả lời đang trống.")
    try:
        await _tell_citizen(services, sender_id, text, session.name)
    except OutsideWindow as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, exc.explanation) from exc
    except DeliveryFailed as exc:
        if not exc.queued:
            raise HTTPException(
                status.HTTP_502_BAD_GATEWAY, "Kênh của công dân chưa nhận tin, vui lòng thử lại."
            ) from exc
        # Kept in the outbox: the worker sends it when the platform answers again. Not to be resent.
        await anyio.to_thread.run_sync(services.store.record_replies, sender_id, "operator", [text])
        return {"status": "queued"}
    return {"status": "sent"}


@router.post(
    "/api/conversations/{sender_id}/handback",
    summary="Trả hội thoại cho trợ lý ảo",
    responses={409: {"description": "Cán bộ khác đang giữ hội thoại"}},
)
async def hand_back(session: OperatorDep, services: ServicesDep, sender_id: SenderPath) -> dict[str, str]:
    try:
        known = await anyio.to_thread.run_sync(_hand_back, services, sender_id, session)
    except HandoffConflict as exc:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"Hội thoại đang do cán bộ {exc.holder} hỗ trợ; chỉ người đó hoặc quản trị viên trả lại được.",
        ) from exc
    if not known:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có hội thoại này.")
    try:
        await _tell_citizen(
            services, sender_id, "Trợ lý ảo tiếp tục hỗ trợ bạn. Cảm ơn bạn đã chờ cán bộ.", session.name
        )
    except DeliveryFailed as exc:
        log.error("hand-back notice not delivered: %s", exc)
    return {"status": "bot"}


# ---------------------------------------------------------------------------------------------- analytics
@router.get("/api/analytics", response_model=Analytics, summary="Số liệu tổng hợp (quản trị viên)")
async def analytics(_: AdminDep, services: ServicesDep) -> Analytics:
    return await anyio.to_thread.run_sync(collect, services.store, services.domain)
