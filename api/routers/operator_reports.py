"""The console's reports beyond the analytics: what they leave out — conversations staff mark as tests
(trying the assistant, a demonstration), beside the evaluation tools' own conversations — and the
waiting times for a person as CSV."""

from __future__ import annotations

import csv
import io
from typing import Annotated

import anyio
from fastapi import APIRouter, HTTPException, Path, Response, status
from pydantic import BaseModel

from api.analytics import handoff_waits
from api.dependencies import AdminDep, OperatorDep, ServicesDep

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


@router.get(
    "/handoffs/waiting.csv",
    summary="Thời gian chờ cán bộ nhận hội thoại theo ngày (CSV, quản trị viên)",
    response_class=Response,
)
async def waiting_csv(_: AdminDep, services: ServicesDep) -> Response:
    rows = await anyio.to_thread.run_sync(handoff_waits, services.domain)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Ngày", "Yêu cầu được nhận", "Chờ trung bình (phút)", "Chờ lâu nhất (phút)"])
    writer.writerows([w.day, w.taken, w.average_minutes, w.longest_minutes] for w in rows)
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="thoi-gian-cho-can-bo.csv"'},
    )
