"""Citizen feedback (phản ánh, kiến nghị): stored first, then the tracking number is returned."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import anyio
from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import BaseModel, Field

from api.conversation import clean_text
from api.dependencies import ServicesDep
from api.schemas import ErrorResponse, FeedbackRequest, FeedbackResponse
from assistant.database import DatabaseUnavailable, utcnow
from assistant.dossiers.answer import rate_limited_text
from assistant.dossiers.guard import client_network
from assistant.feedback import Deadlines, feedback_status_text, may_see_answer

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])


@router.post(
    "",
    response_model=FeedbackResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Gửi phản ánh, kiến nghị",
    responses={503: {"model": ErrorResponse, "description": "Chưa lưu được phản ánh"}},
)
async def submit_feedback(body: FeedbackRequest, services: ServicesDep) -> FeedbackResponse:
    content = clean_text(body.content)
    contact = clean_text(body.contact) if body.contact else None
    if not content:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Bạn vui lòng nhập nội dung phản ánh.")
    store = services.domain.feedback
    try:
        saved = await anyio.to_thread.run_sync(
            lambda: store.submit(
                content=content,
                category=body.category,
                contact=contact or None,
                consent=body.consent,
                channel="web",
                sender_id=body.sender or "api",
            )
        )
    except DatabaseUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Xin lỗi, hệ thống chưa lưu được phản ánh của bạn. Bạn vui lòng thử lại sau ít phút hoặc gọi "
            f"đường dây nóng {services.domain.settings.hotline}.",
        ) from exc
    return FeedbackResponse(
        tracking_number=saved.tracking_number,
        message=f"Cảm ơn bạn đã gửi {saved.category}. Mã theo dõi của bạn là {saved.tracking_number}; "
        "cơ quan sẽ xem xét và phản hồi theo quy định.",
    )


class FeedbackStatusResponse(BaseModel):
    tracking_number: str
    message: str = Field(description="The answer in plain Vietnamese, as the assistant gives it in the chat")
    status: str = Field(description="received, in_progress, answered, transferred")
    status_label: str
    agency: str | None
    received_at: datetime
    due_at: datetime | None = Field(description="Deadline of the current status (working days)")
    overdue: bool
    answered_at: datetime | None
    answer: str | None = Field(description="Only with the last 4 digits of the phone number left with it")


@router.get(
    "/{number}",
    response_model=FeedbackStatusResponse,
    summary="Tra cứu phản ánh, kiến nghị theo mã số",
    responses={404: {"model": ErrorResponse}, 429: {"model": ErrorResponse}},
)
async def feedback_status(
    request: Request,
    services: ServicesDep,
    number: Annotated[str, Path(pattern=r"^PA-\d{8}-\d{4}$", examples=["PA-20261123-0001"])],
    phone_last4: Annotated[str | None, Query(pattern=r"^\d{4}$", description="4 số cuối điện thoại")] = None,
) -> FeedbackStatusResponse:
    settings = services.domain.settings
    # Numbers are sequential: the dossiers' lookup budgets (per client network and per number) keep
    # them from being walked through.
    guard = services.domain.lookup_guard
    guarded = f"feedback:{number}"
    minutes = max(1, settings.lookup_rate_window_seconds // 60)
    network = client_network(request.client.host if request.client else None) or "unknown"
    if not (await guard.admit(guarded, requester=None, network=network)).allowed:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, rate_limited_text(minutes, settings.hotline))
    found = await anyio.to_thread.run_sync(services.domain.feedback.get, number)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, feedback_status_text(None, number, settings.hotline))
    deadlines = Deadlines(
        settings.working_hours(), settings.feedback_received_days, settings.feedback_processing_days
    )
    now = utcnow()
    # No conversation here: only the phone's digits open the answer; locked after too many misses.
    checks_digits = phone_last4 is not None and found.phone_last4 is not None
    locked = checks_digits and await guard.second_factor_locked(guarded)
    verified = checks_digits and not locked and may_see_answer(found, sender_id="", last4=phone_last4)
    if checks_digits and not locked and not verified:
        await guard.record_miss(guarded)
    return FeedbackStatusResponse(
        tracking_number=found.tracking_number,
        message=feedback_status_text(
            found,
            number,
            settings.hotline,
            deadlines=deadlines,
            now=now,
            verified=verified,
            digits_given=phone_last4 is not None,
            locked_minutes=minutes if locked else None,
        ),
        status=found.status.value,
        status_label=found.status.label,
        agency=found.agency,
        received_at=found.created_at,
        due_at=deadlines.due_at(found),
        overdue=deadlines.overdue(found, now),
        answered_at=found.answered_at,
        answer=found.answer if verified else None,
    )
