"""The shared, lazily created services of the action server process.

Nothing is created at import time (rasa-sdk imports every module when it starts, and loading torch
there crashes it); each service is built on first use and then reused by every action.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from functools import cached_property
from typing import TYPE_CHECKING

from actions.db import Database
from actions.dossiers.store import DossierStore, open_dossier_store
from actions.feedback_store import FeedbackStore
from actions.handoffs import HandoffStore
from actions.log_redaction import install_redaction
from actions.rate_limit import InMemoryRateLimiter, RateLimiter, RedisRateLimiter
from actions.settings import ActionSettings, get_settings

if TYPE_CHECKING:
    from actions.procedure_lookup import ProcedureFinder

log = logging.getLogger(__name__)


class Services:
    def __init__(self, settings: ActionSettings) -> None:
        self.settings = settings
        self._procedures: ProcedureFinder | None = None
        self._search_lock = threading.Lock()

    @cached_property
    def database(self) -> Database:
        return Database(self.settings.database_url)

    @cached_property
    def dossiers(self) -> DossierStore:
        return open_dossier_store(self.settings, self.database)

    @cached_property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.database)

    @cached_property
    def handoffs(self) -> HandoffStore:
        return HandoffStore(self.database)

    @cached_property
    def lookup_limiter(self) -> RateLimiter:
        s = self.settings
        if s.redis_url:
            return RedisRateLimiter(s.redis_url, s.lookup_rate_limit, s.lookup_rate_window_seconds)
        return InMemoryRateLimiter(s.lookup_rate_limit, s.lookup_rate_window_seconds)

    @property
    def procedures(self) -> ProcedureFinder:
        # A lock, not cached_property: the warm-up thread and the first request may race, and two
        # clients on one local Qdrant folder would collide.
        with self._search_lock:
            if self._procedures is None:
                from actions.procedure_lookup import open_search_service

                self._procedures = open_search_service(self.settings)
            return self._procedures


_services: Services | None = None
_lock = threading.Lock()


def _warm_up() -> None:
    """Load the search model, sync the index and load the address tables before the first citizen asks."""
    started = time.perf_counter()
    try:
        get_services().procedures.search("đăng ký khai sinh", limit=1)
        from underthesea import convert_address

        convert_address("Phường Hồng Hà, Thành phố Hà Nội")
    except Exception:
        log.exception("warm-up failed; the first request will try again")
        return
    log.info("warm-up done in %.1f s", time.perf_counter() - started)


def get_services() -> Services:
    global _services
    with _lock:
        if _services is None:
            # Citizens type phone and ID numbers into the chat: keep them out of this process's logs.
            install_redaction()
            _services = Services(get_settings())
        return _services


# In the Sanic worker that serves requests (not in the parent process, where loading torch breaks
# the worker start, nor in the API that imports the stores): warm up in the background.
if os.environ.get("SANIC_WORKER_NAME", "").startswith("Sanic-Server"):
    # The spawned worker does not inherit the parent's logging setup.
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
    install_redaction()
    if get_settings().warm_up:
        threading.Thread(target=_warm_up, name="actions-warm-up", daemon=True).start()
