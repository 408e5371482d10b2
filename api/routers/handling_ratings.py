"""Satisfaction with the handling of a dossier: the page the citizen's link opens, the rating itself,
and the administrators' figures per agency (no citizen identity anywhere)."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from api.dependencies import AdminDep, ServicesDep
from assistant.dossiers.store import DossierLookupUnavailable
from assistant.handling_ratings import CRITERIA, OVERALL, RATEABLE, token_matches
from vntext.dossier_codes import canonical_dossier_code

TEMPLATES = Jinja2Templates(directory=FsPath(__file__).resolve().parent.parent / "templates")
router = APIRouter(tags=["ratings"])
CodePath = Annotated[str, Path(max_length=64)]
Overall = Literal["rat_hai_long", "hai_long", "khong_hai_long"]


class HandlingRatingRequest(BaseModel):
    token: str = Field(min_length=1, max_length=64, description="From the link the citizen was given")
    overall: Overall
    criteria: dict[Literal["staff_attitude", "on_time", "guidance", "fees"], bool | None] = Field(
        default_factory=dict, description="Each criterion met (true), not met (false) or unanswered"
    )
    comment: str = Field(default="", max_length=2000)


class HandlingRatingResponse(BaseModel):
    dossier_code: str
    overall: Overall
    message: str


class AgencySatisfactionItem(BaseModel):
    agency: str
    ratings: int
    satisfied_share: float = Field(description="Share of 'rất hài lòng' and 'hài lòng'")
    overall: dict[str, int]
    criteria_met_share: dict[str, float | None]


def _checked_code(services: ServicesDep, code: str, token: str) -> str:
    canonical = canonical_dossier_code(code)
    secret = services.domain.settings.phone_hash_secret
    if canonical is None or not token_matches(canonical, token, secret):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Đường dẫn đánh giá không hợp lệ.")
    return canonical


@router.get("/danh-gia/{code}", response_class=HTMLResponse, include_in_schema=False)
async def rating_page(
    request: Request, services: ServicesDep, code: CodePath, t: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    canonical = _checked_code(services, code, t)
    existing = await anyio.to_thread.run_sync(services.domain.handling_ratings.get, canonical)
    return TEMPLATES.TemplateResponse(
        request,
        "rating.html",
        {"code": canonical, "token": t, "overall": OVERALL, "criteria": CRITERIA, "existing": existing},
    )


@router.post(
    "/api/v1/dossier-ratings/{code}",
    response_model=HandlingRatingResponse,
    summary="Đánh giá mức độ hài lòng về việc giải quyết hồ sơ",
    responses={
        403: {"description": "Đường dẫn đánh giá không hợp lệ"},
        404: {"description": "Không có hồ sơ này"},
        409: {"description": "Hồ sơ chưa giải quyết xong"},
    },
)
async def rate_handling(
    body: HandlingRatingRequest, services: ServicesDep, code: CodePath
) -> HandlingRatingResponse:
    canonical = _checked_code(services, code, body.token)
    try:
        record = await anyio.to_thread.run_sync(services.domain.dossiers.lookup, canonical)
    except DossierLookupUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "Chưa tra được hồ sơ, bạn thử lại sau."
        ) from exc
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có hồ sơ này.")
    if record.status not in RATEABLE:
        raise HTTPException(status.HTTP_409_CONFLICT, "Hồ sơ chưa giải quyết xong nên chưa đánh giá được.")
    had = await anyio.to_thread.run_sync(services.domain.handling_ratings.get, canonical)
    await anyio.to_thread.run_sync(
        lambda: services.domain.handling_ratings.rate(
            dossier_code=canonical,
            agency=record.agency,
            procedure_code=record.procedure_code,
            overall=body.overall,
            criteria={str(k): v for k, v in body.criteria.items()},
            comment=body.comment,
        )
    )
    verb = "cập nhật" if had else "ghi nhận"
    return HandlingRatingResponse(
        dossier_code=canonical,
        overall=body.overall,
        message=f"Cảm ơn bạn! Đánh giá cho hồ sơ {canonical} đã được {verb}. Bạn có thể đổi đánh giá bằng "
        "chính đường dẫn này.",
    )


@router.get(
    "/operator/api/handling-ratings",
    response_model=list[AgencySatisfactionItem],
    summary="Mức độ hài lòng về giải quyết hồ sơ theo cơ quan (quản trị viên)",
)
async def by_agency(_: AdminDep, services: ServicesDep) -> list[AgencySatisfactionItem]:
    rows = await anyio.to_thread.run_sync(services.domain.handling_ratings.by_agency)
    return [
        AgencySatisfactionItem(
            agency=a.agency,
            ratings=a.ratings,
            satisfied_share=a.satisfied_share,
            overall=a.overall,
            criteria_met_share=a.criteria_met_share,
        )
        for a in rows
    ]
