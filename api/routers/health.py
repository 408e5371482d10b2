"""/health: each component the assistant needs, up or down; 200 only when all are up.

Public, so it says no more than up or down with a short reason (no internal URLs, paths or hosts: the
details go to the log), and it is cached for HEALTH_CACHE_SECONDS: however often it is called, the
components are asked at most once per period, by one request while the others wait for its answer."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import PurePath

import anyio
import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.dependencies import Services, ServicesDep
from api.rasa_client import RasaUnavailable, split_urls
from api.schemas import ComponentHealth, HealthResponse

router = APIRouter(tags=["operations"])
log = logging.getLogger(__name__)


def _down(component: str, reason: str, detail: str) -> ComponentHealth:
    log.warning("health: %s down: %s", component, detail)
    return ComponentHealth(status="down", detail=reason)


async def _rasa(services: Services) -> ComponentHealth:
    try:
        status = await asyncio.wait_for(services.rasa.status(), services.settings.health_timeout_seconds)
    except TimeoutError:
        return _down("rasa", "timeout", "timeout")
    except RasaUnavailable as exc:
        return _down("rasa", "unreachable", str(exc))
    model = status.get("model_file")
    if not model:
        return _down("rasa", "no model loaded", "Rasa is running without a model")
    replicas = f", {status.get('replicas_up')}/{status.get('replicas')} replicas up"
    return ComponentHealth(status="up", detail=f"model {PurePath(str(model)).name}{replicas}")


async def _action_server(client: httpx.AsyncClient, base: str) -> str | None:
    """None when the action server at ``base`` is up, else what is wrong (for the log only)."""
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
        return _down("actions", "unreachable", "; ".join(down))
    if down:
        log.warning("health: %d of %d action servers down: %s", len(down), len(urls), "; ".join(down))
        return ComponentHealth(status="up", detail=f"{len(urls) - len(down)}/{len(urls)} up")
    return ComponentHealth(status="up", detail="ok")


async def _search(services: Services) -> ComponentHealth:
    ok, detail = await anyio.to_thread.run_sync(lambda: services.search.status)
    return ComponentHealth(status="up", detail="ready") if ok else _down("search_index", "not ready", detail)


def _database_sync(services: Services) -> ComponentHealth:
    engine = services.domain.database.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return _down("database", f"{engine.dialect.name}: {type(exc).__name__}", repr(exc)[:300])
    return ComponentHealth(status="up", detail=engine.dialect.name)


async def _database(services: Services) -> ComponentHealth:
    return await anyio.to_thread.run_sync(_database_sync, services)


async def _report(services: Services) -> HealthResponse:
    rasa, actions, search, database = await asyncio.gather(
        _rasa(services), _actions(services), _search(services), _database(services)
    )
    components = {"rasa": rasa, "actions": actions, "search_index": search, "database": database}
    all_up = all(c.status == "up" for c in components.values())
    return HealthResponse(status="up" if all_up else "down", components=components)


@router.get(
    "/health",
    response_model=HealthResponse,
    summary="Tình trạng các thành phần",
    responses={503: {"model": HealthResponse, "description": "Ít nhất một thành phần không hoạt động"}},
)
async def health(services: ServicesDep) -> JSONResponse:
    cache = services.health_cache
    async with cache.lock:
        now = time.monotonic()
        if cache.report is None or now - cache.at >= services.settings.health_cache_seconds:
            cache.report, cache.at = await _report(services), now
            cache.checks += 1
        body = cache.report
    return JSONResponse(body.model_dump(), status_code=200 if body.status == "up" else 503)
