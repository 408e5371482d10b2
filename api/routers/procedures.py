"""Public search in the catalogue of administrative procedures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status

from api.dependencies import ServicesDep
from api.schemas import (
    ChannelOption,
    DocumentItem,
    ErrorResponse,
    ProcedureDetail,
    ProcedureSearchResult,
    ProcedureSummary,
)
from api.search_provider import SearchNotReady
from search_index.catalogue import Level, Procedure
from search_index.errors import InvalidQuery

router = APIRouter(prefix="/api/v1/procedures", tags=["procedures"])

NOT_READY = "Kho thủ tục đang được chuẩn bị, bạn vui lòng thử lại sau ít phút."


def summary(procedure: Procedure, score: float | None = None) -> ProcedureSummary:
    return ProcedureSummary(
        code=procedure.code,
        name=procedure.name,
        levels=[level.value for level in procedure.levels],
        field=procedure.field,
        agencies=procedure.agencies,
        online_level=procedure.online_level.value,
        source_url=procedure.source_url,
        score=score,
    )


def detail(procedure: Procedure) -> ProcedureDetail:
    return ProcedureDetail(
        **summary(procedure).model_dump(),
        submission_address=procedure.submission_address,
        channels=[
            ChannelOption(kind=c.kind.value, processing_time=c.processing_time, fee=c.fee)
            for c in procedure.channels
        ],
        documents=[DocumentItem(**d.model_dump()) for d in procedure.documents],
        steps=procedure.steps,
        conditions=procedure.conditions,
        legal_basis=[f"{d.number} {d.title}".strip() for d in procedure.legal_basis],
        result=procedure.result,
    )


@router.get(
    "/search",
    response_model=ProcedureSearchResult,
    summary="Tìm thủ tục hành chính",
    responses={
        400: {"model": ErrorResponse, "description": "Câu tìm kiếm không hợp lệ"},
        503: {"model": ErrorResponse, "description": "Chỉ mục tìm kiếm chưa sẵn sàng"},
    },
)
async def search(
    services: ServicesDep,
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=500, description="Câu hỏi, có dấu hoặc không dấu", examples=["khai sinh"]
        ),
    ],
    level: Annotated[Level | None, Query(description="Cấp thực hiện")] = None,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> ProcedureSearchResult:
    try:
        hits = await services.search.search(q, level=level, limit=limit)
    except InvalidQuery as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, exc.message) from exc
    except SearchNotReady as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_READY) from exc
    return ProcedureSearchResult(query=q, results=[summary(h.procedure, h.score) for h in hits])


@router.get(
    "/{code}",
    response_model=ProcedureDetail,
    summary="Chi tiết một thủ tục theo mã",
    responses={
        404: {"model": ErrorResponse, "description": "Không có thủ tục với mã này"},
        503: {"model": ErrorResponse, "description": "Chỉ mục tìm kiếm chưa sẵn sàng"},
    },
)
async def get_procedure(
    services: ServicesDep,
    code: Annotated[str, Path(pattern=r"^[0-9A-Za-z.\-_]{1,32}$", examples=["1.001193"])],
) -> ProcedureDetail:
    try:
        procedure = await services.search.get(code)
    except SearchNotReady as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, NOT_READY) from exc
    if procedure is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Không có thủ tục mã {code} trong danh mục.")
    return detail(procedure)
