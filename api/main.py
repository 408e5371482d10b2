"""The FastAPI gateway: `create_app(settings)` builds it; `app` is the instance uvicorn serves."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis
from sqlalchemy.exc import SQLAlchemyError

from api.auth import SessionSigner
from api.channel_text import NumberedChoices
from api.conversation import ConversationService
from api.dedup import MemoryDeduplicator, MessageDeduplicator, RedisDeduplicator
from api.delivery import ChannelDelivery
from api.dependencies import Services
from api.messenger_client import MessengerClient
from api.middleware import BodySizeLimitMiddleware, MetricsMiddleware, RateLimitMiddleware
from api.rasa_client import RasaClient
from api.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from api.routers import (
    chat,
    dossiers,
    feedback,
    health,
    metrics,
    operator,
    procedures,
    webhooks_messenger,
    webhooks_zalo,
    widget,
)
from api.search_provider import SearchProvider
from api.settings import ApiSettings, get_settings
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient
from assistant.conversations import ConversationStore
from assistant.gateway_tables import create_tables, session_factory
from assistant.log_redaction import install_redaction, redact
from assistant.operators import OperatorAccounts
from assistant.procedures.answers import AnswerContext
from assistant.services import Services as DomainServices
from assistant.settings import ActionSettings
from search_index.settings import SearchSettings

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


def build_services(settings: ApiSettings, search_settings: SearchSettings | None = None) -> Services:
    telemetry = Telemetry()
    domain = DomainServices(
        ActionSettings(
            database_url=settings.database_url, redis_url=settings.redis_url, hotline=settings.hotline
        )
    )
    sessions = session_factory(domain.database.engine)
    store = ConversationStore(sessions)
    rasa = RasaClient(
        settings.rasa_url,
        timeout_seconds=settings.rasa_timeout_seconds,
        retries=settings.rasa_retries,
        token=settings.rasa_token,
    )
    search = SearchProvider(search_settings or SearchSettings())
    redis = (
        Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
        if settings.redis_url
        else None
    )
    dedup: MessageDeduplicator
    limiter: RateLimiter
    if redis is not None:
        dedup = RedisDeduplicator(
            redis, settings.dedup_ttl_seconds, prefix=f"{settings.redis_key_prefix}dedup:"
        )
        limiter = RedisRateLimiter(
            redis, settings.rate_limit_per_minute, prefix=f"{settings.redis_key_prefix}rl:"
        )
    else:
        dedup = MemoryDeduplicator(settings.dedup_ttl_seconds)
        limiter = MemoryRateLimiter(settings.rate_limit_per_minute)
    zalo = (
        ZaloClient(
            api_base=settings.zalo_api_base,
            access_token=settings.zalo_access_token,
            timeout_seconds=settings.channel_timeout_seconds,
            retries=settings.channel_retries,
            backoff_seconds=settings.channel_backoff_seconds,
        )
        if settings.zalo_access_token
        else None
    )
    messenger = (
        MessengerClient(
            graph_api_base=settings.graph_api_base,
            graph_api_version=settings.graph_api_version,
            page_access_token=settings.messenger_page_access_token,
            timeout_seconds=settings.channel_timeout_seconds,
            retries=settings.channel_retries,
            backoff_seconds=settings.channel_backoff_seconds,
        )
        if settings.messenger_page_access_token
        else None
    )
    choices = NumberedChoices()
    return Services(
        settings=settings,
        telemetry=telemetry,
        domain=domain,
        store=store,
        accounts=OperatorAccounts(sessions),
        signer=SessionSigner(settings.operator_session_secret, settings.operator_session_minutes * 60),
        rasa=rasa,
        search=search,
        conversation=ConversationService(
            rasa=rasa,
            search=search,
            store=store,
            telemetry=telemetry,
            redact=redact,
            answer_context=AnswerContext(
                domain.settings.hotline,
                domain.settings.portal_url,
                domain.settings.max_message_chars,
            ),
            ambiguity_margin=domain.settings.ambiguity_margin,
            max_input_chars=settings.max_input_chars,
        ),
        delivery=ChannelDelivery(
            store=store, zalo=zalo, messenger=messenger, choices=choices, telemetry=telemetry
        ),
        choices=choices,
        dedup=dedup,
        limiter=limiter,
        redis=redis,
        zalo=zalo,
        messenger=messenger,
    )


def create_app(settings: ApiSettings | None = None, search_settings: SearchSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_redaction()
    services = build_services(settings, search_settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            await anyio.to_thread.run_sync(create_tables, services.domain.database.engine)
        except SQLAlchemyError as exc:
            # Start anyway: chats are answered without transcripts, /health reports the database down.
            log.error("database unavailable at start, gateway tables not checked: %s", type(exc).__name__)
        services.search.start()
        yield
        await services.drain()
        await services.rasa.aclose()
        for client in (services.zalo, services.messenger):
            if client is not None:
                await client.aclose()
        if services.redis is not None:
            await services.redis.aclose()
        services.domain.database.dispose()
        services.search.close()

    app = FastAPI(
        title="Trợ lý ảo dịch vụ công — API",
        version="0.1.0",
        description="Cổng API của trợ lý ảo dịch vụ công: trò chuyện (web, Zalo OA, Messenger), tra cứu "
        "thủ tục hành chính, tra cứu hồ sơ, gửi phản ánh kiến nghị, bảng điều khiển cho cán bộ tổng đài.",
        lifespan=lifespan,
    )
    app.state.services = services

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Keep FastAPI's structured errors for developers, with a sentence a citizen can read on top.
        return JSONResponse(
            status_code=422,
            content={"detail": "Dữ liệu gửi lên không hợp lệ.", "errors": jsonable_errors(exc)},
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            status_code=500,
            content={
                "detail": "Xin lỗi, hệ thống đang gặp sự cố. Bạn vui lòng thử lại sau ít phút hoặc gọi "
                f"đường dây nóng {settings.hotline}."
            },
        )

    for module in (
        chat,
        procedures,
        dossiers,
        feedback,
        webhooks_zalo,
        webhooks_messenger,
        operator,
        health,
        metrics,
        widget,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Added innermost first: metrics see every answer, including the 413s and 429s.
    app.add_middleware(RateLimitMiddleware, limiter=services.limiter, telemetry=services.telemetry)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        max_age=600,
    )
    app.add_middleware(MetricsMiddleware, telemetry=services.telemetry)
    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors()
    ]


def _create_default_app() -> FastAPI:
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return create_app(settings)


app = _create_default_app()
