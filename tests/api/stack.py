"""Starting the API as its own process (as the Procfile does), for the stack tests and `make bench-chat`."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.servers import ROOT, ServerProcess, free_port, start_process


def start_api_server(env: dict[str, str], log_dir: Path, timeout: float = 60) -> ServerProcess:
    """``uvicorn api.main:app`` as the Procfile starts it, on a free port, accepting requests.

    Its search index is built in the background after start: wait for /health when a test needs it.
    """
    port = free_port()
    server = start_process(
        "api",
        [str(ROOT / ".venv" / "bin" / "uvicorn"), "api.main:app", "--host", "127.0.0.1", "--port", str(port)],
        port=port,
        env=env,
        log_dir=log_dir,
    )
    server.wait_ready("/openapi.json", timeout)
    return server


def wait_healthy(url: str, timeout: float) -> dict[str, object]:
    """Poll /health until every component is up; returns the last report either way."""
    deadline = time.monotonic() + timeout
    report: dict[str, object] = {}
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{url}/health", timeout=10)
            report = response.json()
            if response.status_code == 200:
                return report
        except httpx.HTTPError as exc:
            report = {"error": str(exc)}
        time.sleep(0.5)
    return report
