"""Dossier status by receipt code; personal fields only with the second factor (phone's last 4 digits)."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import JSONResponse

from api.dependencies import Services, ServicesDep
from api.schemas import DossierStatusResponse
from assistant.database import utcnow
from assistant.dossiers.answer import (
    dossier_status_text,
    malformed_code_text,
    not_found_text,
    rate_limited_text,
    second_factor_locked_text,
    unavailable_text,
)
from assistant.dossiers.guard import client_network
from assistant.dossiers.store import DossierLookupUnavailable
from vntext.dossier_codes import canonical_dossier_code

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])


def _answer(code: str, http_status: int, message: str) -> JSONResponse:
    body = DossierStatusResponse(code=code, found=False, message=message)
    return JSONResponse(body.model_dump(mode="json"), status_code=http_status)


@router.get(
    "/{code}",
    response_model=DossierStatusResponse,
    summary="Tra cứu tình trạng hồ sơ",
    responses={
        400: {"model": DossierStatusResponse, "description": "Mã hồ sơ sai định dạng"},
        404: {"model": DossierStatusResponse, "description": "Không có hồ sơ với mã này"},
        429: {"model": DossierStatusResponse, "description": "Tra cứu quá nhiều lần"},
        503: {"model": DossierStatusResponse, "description": "Hệ thống hồ sơ tạm thời không trả lời"},
    },
)
async def dossier_status(
    request: Request,
    services: ServicesDep,
    code: Annotated[str, Path(max_length=64, examples=["H56.14-240823-0001"])],
    phone_last4: Annotated[
        str | None,
        Query(pattern=r"^\d{4}$", description="4 số cuối điện thoại đăng ký"),
    ] = None,
) -> JSONResponse:
    # The same budgets as in the chat: per client network and per code, so that receipt codes and
    # their second factor cannot be enumerated through the API either.
    network = client_network(request.client.host if request.client else None) or "unknown"
    return await dossier_answer(services, code, phone_last4, network=network)


async def dossier_answer(
    services: Services, code: str, phone_last4: str | None, *, network: str | None
) -> JSONResponse:
    """The status of one dossier as the public API and the operator console give it.

    ``network`` None skips the lookup budgets (signed-in operators answering the hotline).
    """
    settings = services.domain.settings
    guard = services.domain.lookup_guard
    minutes = max(1, settings.lookup_rate_window_seconds // 60)
    canonical = canonical_dossier_code(code)
    if canonical is None:
        return _answer(code, status.HTTP_400_BAD_REQUEST, malformed_code_text(code))
    if network is not None and not (await guard.admit(canonical, requester=None, network=network)).allowed:
        return _answer(
            canonical, status.HTTP_429_TOO_MANY_REQUESTS, rate_limited_text(minutes, settings.hotline)
        )
    try:
        record = await anyio.to_thread.run_sync(services.domain.dossiers.lookup, canonical)
    except DossierLookupUnavailable:
        return _answer(
            canonical,
            status.HTTP_503_SERVICE_UNAVAILABLE,
            unavailable_text(settings.hotline, settings.portal_url),
        )
    if record is None:
        return _answer(
            canonical,
            status.HTTP_404_NOT_FOUND,
            not_found_text(canonical, settings.hotline, settings.portal_url),
        )
    now = utcnow()
    locked = phone_last4 is not None and network is not None and await guard.second_factor_locked(canonical)
    verified = (
        phone_last4 is not None
        and not locked
        and record.phone_matches(phone_last4, settings.phone_hash_secret)
    )
    if phone_last4 is not None and network is not None and not locked and not verified:
        await guard.record_miss(canonical)
    message = dossier_status_text(
        record,
        now=now,
        due_soon_days=settings.due_soon_days,
        hotline=settings.hotline,
        personal_shown=verified,
        phone_mismatch=phone_last4 is not None and not verified and not locked,
    )
    if locked:
        message += "\n" + second_factor_locked_text(minutes, settings.hotline)
    body = DossierStatusResponse(
        code=record.code,
        found=True,
        message=message,
        status=record.status.info.label,
        next_step=record.status.info.next_step,
        procedure_name=record.procedure_name,
        agency=record.agency or None,
        received_at=record.received_at,
        due_at=record.due_at,
        finished_at=record.finished_at,
        timeliness=record.timeliness(now, settings.due_soon_days).value,
        verified=verified,
        applicant=record.applicant_masked if verified else None,
    )
    return JSONResponse(body.model_dump(mode="json"))
