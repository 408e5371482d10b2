"""/metrics in the Prometheus text format: with ``Authorization: Bearer METRICS_TOKEN``, or from loopback when
no token is set (the metrics count what citizens ask: not for everyone)."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, HTTPException, Request, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.dependencies import ServicesDep

router = APIRouter(tags=["operations"])


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@router.get(
    "/metrics",
    summary="Số liệu Prometheus",
    response_class=Response,
    responses={401: {"description": "Thiếu hoặc sai METRICS_TOKEN"}},
)
async def metrics(request: Request, services: ServicesDep) -> Response:
    token = services.settings.metrics_token
    if token:
        supplied = request.headers.get("authorization", "")
        expected = f"Bearer {token}"
        if not hmac.compare_digest(supplied.encode("utf-8", "surrogateescape"), expected.encode()):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "Cần METRICS_TOKEN.", {"WWW-Authenticate": "Bearer"}
            )
    elif not _loopback(request.client.host if request.client else None):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Cần METRICS_TOKEN.", {"WWW-Authenticate": "Bearer"}
        )
    return Response(generate_latest(services.telemetry.registry), media_type=CONTENT_TYPE_LATEST)
