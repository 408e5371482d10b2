"""The FastAPI gateway: `create_app` assembles routes, middleware and error handlers around the services
of ``api/wiring.py``; `app` is the instance uvicorn serves."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api import wiring
from api.middleware import (
    BodySizeLimitMiddleware,
    ConsoleOriginMiddleware,
    MetricsMiddleware,
    RateLimitMiddleware,
    SecurityHeadersMiddleware,
)
from api.routers import (
    chat,
    dossiers,
    feedback,
    handling_ratings,
    health,
    metrics,
    operator,
    operator_feedback,
    operator_reports,
    procedures,
    webhooks_messenger,
    webhooks_zalo,
    widget,
)
from api.settings import ApiSettings, get_settings
from assistant.log_redaction import install_redaction
from assistant.settings import Settings, refuse_unsafe_defaults
from assistant.settings import get_settings as get_domain_settings
from search_index.settings import SearchSettings

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


def create_app(
    settings: ApiSettings | None = None,
    domain_settings: Settings | None = None,
    search_settings: SearchSettings | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    domain_settings = domain_settings or get_domain_settings()
    install_redaction()
    refuse_unsafe_defaults(
        domain_settings,
        []
        if settings.operator_session_secret
        else [
            "OPERATOR_SESSION_SECRET is unset (a random key per process: operators are logged out at each "
            "restart, and by each other worker)"
        ],
    )
    services = wiring.build_services(settings, domain_settings, search_settings or SearchSettings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await wiring.start(services)
        yield
        await wiring.stop(services)

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
                f"đường dây nóng {domain_settings.hotline}."
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
        operator_feedback,
        operator_reports,
        handling_ratings,
        health,
        metrics,
        widget,
    ):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Added innermost first: metrics see every answer, including the 413s and 429s.
    app.add_middleware(
        RateLimitMiddleware,
        limiter=services.limiter,
        updates_limiter=services.updates_limiter,
        telemetry=services.telemetry,
    )
    app.add_middleware(ConsoleOriginMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Content-Type", "X-Conversation-Token"],
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware)
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
