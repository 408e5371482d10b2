"""/health: each component the assistant needs, up or down with a detail; 200 only when all are up."""

from __future__ import annotations

import asyncio

import anyio
import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.dependencies import Services, ServicesDep
from api.rasa_client import RasaUnavailable, split_urls
from api.schemas import ComponentHealth, HealthResponse

router = APIRouter(tags=["operations"])


async def _rasa(services: Services) -> ComponentHealth:
    try:
        status = await asyncio.wait_for(services.rasa.status(), services.settings.health_timeout_seconds)
    except (RasaUnavailable, TimeoutError) as exc:
        return ComponentHealth(status="down", detail=str(exc) or "timeout")
    model = status.get("model_file")
    if not model:
        return ComponentHealth(status="down", detail="Rasa is running without a model")
    replicas = f", {status.get('replicas_up')}/{status.get('replicas')} replicas up"
    return ComponentHealth(status="up", detail=f"model {model}{replicas}")


async def _action_server(client: httpx.AsyncClient, base: str) -> str | None:
    """None when the action server at ``base`` is up, else what is wrong."""
    url = base + "/health"
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return f"{url}: {type(exc).__name__}"
    return None if response.status_code == 200 else f"{url}: HTTP {response.status_code}"


async def _actions(services: Services) -> ComponentHealth:
    """Up while one action server answers (with replicas, each Rasa replica has its own or a shared one)."""
    urls = split_urls(services.settings.action_server_url)
    async with httpx.AsyncClient(timeout=services.settings.health_timeout_seconds) as client:
        problems = await asyncio.gather(*(_action_server(client, url) for url in urls))
    down = [p for p in problems if p is not None]
    if len(down) == len(urls):
        return ComponentHealth(status="down", detail="; ".join(down))
    detail = ", ".join(urls) if not down else f"{len(urls) - len(down)}/{len(urls)} up; " + "; ".join(down)
    return ComponentHealth(status="up", detail=detail)


async def _search(services: Services) -> ComponentHealth:
    ok, detail = await anyio.to_thread.run_sync(lambda: services.search.status)
    return ComponentHealth(status="up" if ok else "down", detail=detail)


def _database_sync(services: Services) -> ComponentHealth:
    engine = services.domain.database.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return ComponentHealth(status="down", detail=f"{engine.dialect.name}: {type(exc).__name__}")
    return ComponentHealth(status="up", detail=engine.dialect.name)


async def _database(services: Services) -> ComponentHealth:
    return await anyio.to_thread.run_sync(_database_sync, services)


@router.get(
    "/health",
    response_model=HealthResponse,
    summary="Tình trạng các thành phần",
    responses={503: {"model": HealthResponse, "description": "Ít nhất một thành phần không hoạt động"}},
)
async def health(services: ServicesDep) -> JSONResponse:
    rasa, actions, search, database = await asyncio.gather(
        _rasa(services), _actions(services), _search(services), _database(services)
    )
    components = {"rasa": rasa, "actions": actions, "search_index": search, "database": database}
    all_up = all(c.status == "up" for c in components.values())
    body = HealthResponse(status="up" if all_up else "down", components=components)
    return JSONResponse(body.model_dump(), status_code=200 if all_up else 503)
