"""The gateway's services, built once per app, and the FastAPI dependencies that hand them to routes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status

from api.auth import COOKIE_NAME, OperatorSession, SessionSigner
from api.channel_text import NumberedChoices
from api.conversation import ConversationService
from api.dedup import MessageDeduplicator
from api.delivery import ChannelDelivery
from api.messenger_client import MessengerClient
from api.rasa_client import RasaClient
from api.schemas import HealthResponse
from api.search_provider import SearchProvider
from api.settings import ApiSettings
from api.telemetry import Telemetry
from api.zalo_client import ZaloClient
from assistant.channel_traffic import InboundLog
from assistant.conversations import ConversationStore
from assistant.database import DatabaseUnavailable
from assistant.operators import OperatorAccounts
from assistant.rate_limit import RateLimiter
from assistant.services import Services as DomainServices

log = logging.getLogger(__name__)


class SenderLocks:
    """An asyncio lock per conversation, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class HealthCache:
    """The last /health report, when it was made, and the lock under which one request remakes it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    report: HealthResponse | None = None
    at: float = 0.0
    checks: int = 0  # how many times the components were asked (tests read it)


@dataclass
class Services:
    settings: ApiSettings
    telemetry: Telemetry
    domain: DomainServices
    store: ConversationStore
    accounts: OperatorAccounts
    signer: SessionSigner
    rasa: RasaClient
    search: SearchProvider
    conversation: ConversationService
    delivery: ChannelDelivery
    choices: NumberedChoices
    dedup: MessageDeduplicator
    limiter: RateLimiter
    updates_limiter: RateLimiter
    zalo: ZaloClient | None
    messenger: MessengerClient | None
    inbound: InboundLog
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    sender_locks: SenderLocks = field(default_factory=lambda: SenderLocks())
    health_cache: HealthCache = field(default_factory=HealthCache)
    worker: asyncio.Task[None] | None = None
    notifier: asyncio.Task[None] | None = None

    def spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        """Run work after the HTTP answer went out; kept referenced and awaited at shutdown."""
        task = asyncio.create_task(coroutine, name=name)
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed: %r", task.get_name(), task.exception())

    async def drain(self, timeout: float = 10.0) -> None:
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=timeout)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def resolve_session(services: Services, token: str | None) -> OperatorSession | None:
    """The operator of a console cookie while its session row is open; their role as it is now.

    Blocking (a database query); raises ``DatabaseUnavailable``."""
    signed = services.signer.read(token)
    if signed is None:
        return None
    live = services.accounts.live_session(signed.name, signed.session_id)
    if live is None:
        return None
    return OperatorSession(live.name, live.role, min(signed.expires_at, live.expires_at.timestamp()))


def current_operator(request: Request, services: ServicesDep) -> OperatorSession:
    # A plain def: FastAPI runs it in its thread pool, so the query does not block the event loop.
    try:
        session = resolve_session(services, request.cookies.get(COOKIE_NAME))
    except DatabaseUnavailable as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Hệ thống tạm thời không kiểm tra được phiên đăng nhập, vui lòng thử lại sau ít phút.",
        ) from exc
    if session is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."
        )
    return session


def admin_operator(session: Annotated[OperatorSession, Depends(current_operator)]) -> OperatorSession:
    if not session.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Chức năng này chỉ dành cho quản trị viên.")
    return session


OperatorDep = Annotated[OperatorSession, Depends(current_operator)]
AdminDep = Annotated[OperatorSession, Depends(admin_operator)]
