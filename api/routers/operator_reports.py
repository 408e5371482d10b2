"""What the console's reports leave out: conversations staff mark as tests (trying the assistant, a
demonstration), beside the evaluation tools' own conversations."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, HTTPException, Path, status
from pydantic import BaseModel

from api.dependencies import OperatorDep, ServicesDep

router = APIRouter(prefix="/operator/api", tags=["operator"])
SenderPath = Annotated[str, Path(max_length=140, pattern=r"^[A-Za-z0-9_\-:]+$")]


class TestMark(BaseModel):
    is_test: bool = True


@router.post(
    "/conversations/{sender_id}/test",
    response_model=TestMark,
    summary="Đánh dấu hội thoại thử nghiệm (không tính vào báo cáo)",
    responses={404: {"description": "Không có hội thoại này"}},
)
async def mark_test(body: TestMark, _: OperatorDep, services: ServicesDep, sender_id: SenderPath) -> TestMark:
    if not await anyio.to_thread.run_sync(services.store.mark_test, sender_id, body.is_test):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có hội thoại này.")
    return body
