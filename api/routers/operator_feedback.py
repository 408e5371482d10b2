"""Feedback in the operator console: the list with overdue marks, one feedback with its history, and
each step of its handling — the answer (or the notice of transfer) goes to the citizen on the channel
they used, within that platform's rules, and is kept whatever happens to the sending."""

from __future__ import annotations

import csv
import io
import logging
from datetime import datetime
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, HTTPException, Path, Query, Response, status
from pydantic import BaseModel, Field

from api.analytics import feedback_figures
from api.conversation import sender_channel
from api.delivery import DeliveryFailed, OutsideWindow
from api.dependencies import AdminDep, OperatorDep, Services, ServicesDep
from api.schemas import Channel, ChatMessage
from assistant.database import DatabaseUnavailable, utcnow
from assistant.feedback import (
    Deadlines,
    Feedback,
    FeedbackNotFound,
    FeedbackStatus,
    InvalidTransition,
    answer_message,
    transferred_message,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/operator/api/feedback", tags=["operator"])
NumberPath = Annotated[str, Path(pattern=r"^PA-\d{8}-\d{4}$")]
StatusName = Literal["received", "in_progress", "answered", "transferred"]
Delivery = Literal["sent", "kept", "queued", "outside_window", "failed", "no_channel"]


class FeedbackItem(BaseModel):
    tracking_number: str
    category: str
    status: StatusName
    status_label: str
    agency: str | None
    channel: str
    excerpt: str
    created_at: datetime
    due_at: datetime | None = Field(description="Deadline of the current status (working days)")
    overdue: bool
    answer_delivery: str | None


class FeedbackStep(BaseModel):
    status: StatusName
    status_label: str
    agency: str | None
    note: str
    operator: str
    at: datetime


class FeedbackDetail(FeedbackItem):
    content: str
    contact: str | None
    consent: bool
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    history: list[FeedbackStep]


class FeedbackChange(BaseModel):
    status: StatusName | None = Field(default=None, description="The new status; none keeps it")
    agency: str | None = Field(default=None, max_length=300, description="The agency handling it")
    answer: str | None = Field(default=None, max_length=4000, description="Needed for 'answered'")
    note: str = Field(default="", max_length=2000, description="Internal note, never sent")


class FeedbackChangeResult(BaseModel):
    feedback: FeedbackDetail
    delivery: Delivery | None = Field(description="How the citizen was told, when they were")
    message: str = Field(description="What the console shows the operator")


def _deadlines(services: Services) -> Deadlines:
    s = services.domain.settings
    return Deadlines(s.working_hours(), s.feedback_received_days, s.feedback_processing_days)


def _item(feedback: Feedback, deadlines: Deadlines, now: datetime) -> FeedbackItem:
    return FeedbackItem(
        tracking_number=feedback.tracking_number,
        category=feedback.category,
        status=feedback.status.value,
        status_label=feedback.status.label,
        agency=feedback.agency,
        # Where it came from, read from the conversation id (the chat reaches Rasa by its REST channel).
        channel="api" if feedback.sender_id in ("", "api") else sender_channel(feedback.sender_id).value,
        excerpt=feedback.content[:160],
        created_at=feedback.created_at,
        due_at=deadlines.due_at(feedback),
        overdue=deadlines.overdue(feedback, now),
        answer_delivery=feedback.answer_delivery,
    )


def _detail(feedback: Feedback, deadlines: Deadlines) -> FeedbackDetail:
    item = _item(feedback, deadlines, utcnow())
    return FeedbackDetail(
        **item.model_dump(),
        content=feedback.content,
        contact=feedback.contact,
        consent=feedback.consent,
        answer=feedback.answer,
        answered_by=feedback.answered_by,
        answered_at=feedback.answered_at,
        history=[
            FeedbackStep(
                status=e.status.value,
                status_label=e.status.label,
                agency=e.agency,
                note=e.note,
                operator=e.operator,
                at=e.created_at,
            )
            for e in feedback.history
        ],
    )


@router.get("", response_model=list[FeedbackItem], summary="Phản ánh, kiến nghị: quá hạn trước")
async def feedback_list(
    _: OperatorDep,
    services: ServicesDep,
    state: Annotated[Literal["open", "closed", "all"], Query(description="open: chưa trả lời xong")] = "open",
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[FeedbackItem]:
    wanted = {
        "open": {FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS},
        "closed": {FeedbackStatus.ANSWERED, FeedbackStatus.TRANSFERRED},
        "all": None,
    }[state]
    try:
        rows = await anyio.to_thread.run_sync(lambda: services.domain.feedback.recent(limit, statuses=wanted))
    except DatabaseUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Chưa đọc được cơ sở dữ liệu.") from exc
    deadlines, now = _deadlines(services), utcnow()
    items = [_item(f, deadlines, now) for f in rows]
    # Overdue first (the most overdue on top), then the newest.
    overdue = sorted((i for i in items if i.overdue), key=lambda i: i.due_at or i.created_at)
    return overdue + [i for i in items if not i.overdue]


@router.get(
    "/report.csv",
    summary="Phản ánh theo cơ quan: tiếp nhận, đã trả lời, quá hạn (CSV, quản trị viên)",
    response_class=Response,
)
async def report_csv(_: AdminDep, services: ServicesDep) -> Response:
    rows = await anyio.to_thread.run_sync(feedback_figures, services.domain)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Cơ quan", "Tiếp nhận", "Đã trả lời hoặc chuyển", "Quá hạn"])
    writer.writerows([r.agency, r.received, r.answered, r.overdue] for r in rows)
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="phan-anh-theo-co-quan.csv"'},
    )


@router.get("/{number}", response_model=FeedbackDetail, summary="Một phản ánh và các bước xử lý")
async def feedback_detail(_: OperatorDep, services: ServicesDep, number: NumberPath) -> FeedbackDetail:
    found = await anyio.to_thread.run_sync(lambda: services.domain.feedback.get(number, with_history=True))
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có phản ánh này.")
    return _detail(found, _deadlines(services))


@router.post(
    "/{number}",
    response_model=FeedbackChangeResult,
    summary="Giao cơ quan, đổi trạng thái, trả lời công dân",
    responses={404: {"description": "Không có phản ánh này"}, 409: {"description": "Bước không hợp lệ"}},
)
async def change_feedback(
    body: FeedbackChange, session: OperatorDep, services: ServicesDep, number: NumberPath
) -> FeedbackChangeResult:
    store = services.domain.feedback
    try:
        changed = await anyio.to_thread.run_sync(
            lambda: store.update(
                number,
                operator=session.name,
                status=FeedbackStatus(body.status) if body.status else None,
                agency=body.agency,
                answer=body.answer,
                note=body.note,
            )
        )
    except FeedbackNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có phản ánh này.") from exc
    except InvalidTransition as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    delivery: Delivery | None = None
    message = "Đã lưu."
    if body.status in ("answered", "transferred"):
        text = (
            answer_message(changed)
            if changed.status is FeedbackStatus.ANSWERED
            else transferred_message(changed)
        )
        delivery, message = await _tell_citizen(services, changed, text, session.name)
        await anyio.to_thread.run_sync(store.record_delivery, number, delivery)
        fetched = await anyio.to_thread.run_sync(lambda: store.get(number, with_history=True))
        changed = fetched or changed
    return FeedbackChangeResult(
        feedback=_detail(changed, _deadlines(services)), delivery=delivery, message=message
    )


async def _tell_citizen(
    services: Services, feedback: Feedback, text: str, author: str
) -> tuple[Delivery, str]:
    """Send on the citizen's own channel; the stored answer stays whatever happens here."""
    sender_id = feedback.sender_id
    lookup = f"Công dân xem được khi hỏi “phản ánh {feedback.tracking_number} đến đâu rồi”."
    if sender_id in ("", "api"):
        return (
            "no_channel",
            f"Đã lưu. Phản ánh gửi không kèm cuộc trò chuyện nên không gửi tin được. {lookup}",
        )
    try:
        await services.delivery.deliver(sender_id, [ChatMessage(text=text, source="operator")], author=author)
    except OutsideWindow as exc:
        return "outside_window", f"{exc.explanation} {lookup}"
    except DeliveryFailed as exc:
        log.error("feedback %s: answer not delivered: %s", feedback.tracking_number, exc)
        if not exc.queued:
            return "failed", f"Đã lưu nhưng kênh của công dân chưa nhận tin. {lookup}"
        # Kept in the outbox: the gateway sends it again by itself while the platform allows it.
        await _record_transcript(services, feedback, sender_id, text)
        return (
            "queued",
            f"Đã lưu; kênh của công dân chưa nhận tin, hệ thống sẽ tự gửi lại. {lookup}",
        )
    await _record_transcript(services, feedback, sender_id, text)
    channel = sender_channel(sender_id)
    if channel is Channel.WEB:
        return "kept", "Đã lưu; khung trò chuyện của công dân hiển thị tin này khi họ quay lại."
    return "sent", f"Đã gửi tới công dân qua {'Zalo' if channel is Channel.ZALO else 'Messenger'}."


async def _record_transcript(services: Services, feedback: Feedback, sender_id: str, text: str) -> None:
    try:
        await anyio.to_thread.run_sync(services.store.record_replies, sender_id, "operator", [text])
    except DatabaseUnavailable as exc:
        log.error("feedback %s: transcript not recorded: %s", feedback.tracking_number, exc)
