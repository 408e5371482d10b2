"""The API's handle on the procedure search: builds/updates its own index in the background at start.

Searching loads the embedding model and Qdrant's local storage, so it runs in a worker thread; until the
index is ready, /health reports the search index as down and degraded answers say they found nothing.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import anyio

if TYPE_CHECKING:
    from search_index.catalogue import Level, Procedure
    from search_index.service import SearchHit, SearchService
    from search_index.settings import SearchSettings

log = logging.getLogger(__name__)


class SearchNotReady(RuntimeError):
    pass


class SearchProvider:
    def __init__(self, settings: SearchSettings):
        self._settings = settings
        self._service: SearchService | None = None
        self._ready = threading.Event()
        self._error: str | None = "the index is being built"

    def start(self) -> None:
        threading.Thread(target=self._prepare, name="search-index", daemon=True).start()

    def _prepare(self) -> None:
        try:
            from search_index.service import SearchService

            service = SearchService.from_settings(self._settings)
            report = service.sync_catalogue()
            service.search("thủ tục", limit=1)  # loads the model now rather than on a citizen's question
            self._service = service
            self._error = None
            self._ready.set()
            log.info("search index ready: %s", report.summary())
        except Exception as exc:  # reported by /health; the API keeps serving
            self._error = f"{type(exc).__name__}: {exc}"
            log.exception("search index could not be prepared")

    def close(self) -> None:
        if self._service is not None:
            self._service.close()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    @property
    def status(self) -> tuple[bool, str]:
        if self._service is None:
            return False, self._error or "not started"
        health = self._service.health()
        if health.get("status") != "ok":
            return False, str(
                health.get("error") or f"index {health.get('status')} at {health.get('qdrant')}"
            )
        return True, f"{health.get('procedures')} procedures in {health.get('qdrant')}"

    @property
    def finder(self) -> SearchService | None:
        """The ready service, or None while the index is being built or could not be."""
        return self._service

    def _require(self) -> SearchService:
        if self._service is None:
            raise SearchNotReady(self._error or "not started")
        return self._service

    def _search_sync(self, query: str, level: Level | None, limit: int) -> list[SearchHit]:
        return self._require().search(query, level=level, limit=limit)

    async def search(self, query: str, *, level: Level | None = None, limit: int = 5) -> list[SearchHit]:
        """Raises SearchNotReady, or search_index.errors.InvalidQuery for queries that cannot be searched."""
        return await anyio.to_thread.run_sync(self._search_sync, query, level, limit)

    async def get(self, code: str) -> Procedure | None:
        service = self._require()
        return await anyio.to_thread.run_sync(service.get, code)
