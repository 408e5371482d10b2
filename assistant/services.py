"""The service container: the stores and the search of one process, each created on first use.

Nothing is created at import time (rasa-sdk imports every module of the action server when it starts,
and loading torch there crashes it); each service is built on first use and then reused. The action
server keeps one container for the process (``actions/runtime.py``); the API builds its own.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from redis.asyncio import Redis

from assistant.database import Database
from assistant.dossiers.guard import LookupGuard
from assistant.dossiers.notifications import NotificationQueue
from assistant.dossiers.store import DossierStore, open_dossier_store
from assistant.dossiers.subscriptions import SubscriptionStore
from assistant.feedback import FeedbackStore
from assistant.handling_ratings import HandlingRatingStore
from assistant.handoffs import HandoffStore
from assistant.rate_limit import RateLimiter, open_rate_limiter
from assistant.settings import Settings
from search_index.settings import SearchSettings

if TYPE_CHECKING:
    from assistant.procedures.lookup import ProcedureFinder

log = logging.getLogger(__name__)


class Services:
    def __init__(self, settings: Settings, search_settings: SearchSettings | None = None) -> None:
        self.settings = settings
        self.search_settings = search_settings or SearchSettings()
        self._procedures: ProcedureFinder | None = None
        self._search_lock = threading.Lock()

    @cached_property
    def database(self) -> Database:
        return Database(self.settings.database_url)

    @cached_property
    def dossiers(self) -> DossierStore:
        return open_dossier_store(self.settings, self.database)

    @cached_property
    def subscriptions(self) -> SubscriptionStore:
        return SubscriptionStore(self.database, first_check_seconds=self.settings.igate_poll_seconds)

    @cached_property
    def notifications(self) -> NotificationQueue:
        return NotificationQueue(self.database)

    @cached_property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.database)

    @cached_property
    def handling_ratings(self) -> HandlingRatingStore:
        return HandlingRatingStore(self.database)

    @cached_property
    def handoffs(self) -> HandoffStore:
        return HandoffStore(self.database)

    @cached_property
    def redis(self) -> Redis | None:
        """The Redis client shared by this process's limits, or None (each process keeps its own)."""
        url = self.settings.redis_url
        return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2) if url else None

    @cached_property
    def lookup_limiter(self) -> RateLimiter:
        """Dossier lookups per sender (chat) or client address (REST API)."""
        s = self.settings
        return open_rate_limiter(
            self.redis,
            s.lookup_rate_limit,
            s.lookup_rate_window_seconds,
            prefix=f"{s.redis_key_prefix}rate:lookup:",
        )

    @cached_property
    def lookup_guard(self) -> LookupGuard:
        """Dossier and feedback lookups per requester, client network and code; second-factor misses."""
        s = self.settings
        window = s.lookup_rate_window_seconds

        def limiter(limit: int, name: str) -> RateLimiter:
            return open_rate_limiter(self.redis, limit, window, prefix=f"{s.redis_key_prefix}rate:{name}:")

        return LookupGuard(
            per_requester=self.lookup_limiter,
            per_network=limiter(s.lookup_network_rate_limit, "lookup-network"),
            per_code=limiter(s.lookup_code_rate_limit, "lookup-code"),
            misses=limiter(s.second_factor_max_misses, "second-factor-misses"),
            max_misses=s.second_factor_max_misses,
        )

    @property
    def procedures(self) -> ProcedureFinder:
        # A lock, not cached_property: the warm-up thread and the first request may race, and two
        # clients on one local Qdrant folder would collide.
        with self._search_lock:
            if self._procedures is None:
                from search_index.service import SearchService

                service = SearchService.from_settings(self.search_settings)
                report = service.sync_catalogue()
                log.info("search index ready: %s", report.summary())
                self._procedures = service
            return self._procedures
