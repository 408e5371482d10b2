"""The action server process: its one service container, log redaction, and the warm-up.

rasa-sdk imports this module (as every module of the package) in its parent process and in the Sanic
worker that serves requests; the warm-up thread only starts in the worker (loading torch in the parent
breaks the worker start).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from assistant.log_redaction import install_redaction
from assistant.services import Services
from assistant.settings import get_settings, refuse_unsafe_defaults

log = logging.getLogger(__name__)

_services: Services | None = None
_lock = threading.Lock()


def get_services() -> Services:
    global _services
    with _lock:
        if _services is None:
            # Citizens type phone and ID numbers into the chat: keep them out of this process's logs.
            install_redaction()
            refuse_unsafe_defaults(get_settings())
            _services = Services(get_settings())
        return _services


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


if os.environ.get("SANIC_WORKER_NAME", "").startswith("Sanic-Server"):
    # The spawned worker does not inherit the parent's logging setup.
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
    install_redaction()
    refuse_unsafe_defaults(get_settings())  # production with a default secret: the worker does not start
    if get_settings().warm_up:
        threading.Thread(target=_warm_up, name="actions-warm-up", daemon=True).start()
