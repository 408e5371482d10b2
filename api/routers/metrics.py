"""/metrics in the Prometheus text format."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.dependencies import ServicesDep

router = APIRouter(tags=["operations"])


@router.get("/metrics", summary="Số liệu Prometheus", response_class=Response)
async def metrics(services: ServicesDep) -> Response:
    return Response(generate_latest(services.telemetry.registry), media_type=CONTENT_TYPE_LATEST)
