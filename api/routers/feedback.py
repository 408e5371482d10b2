"""Citizen feedback (phản ánh, kiến nghị): stored first, then the tracking number is returned."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, HTTPException, status

from api.conversation import clean_text
from api.dependencies import ServicesDep
from api.schemas import ErrorResponse, FeedbackRequest, FeedbackResponse
from assistant.database import DatabaseUnavailable

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
