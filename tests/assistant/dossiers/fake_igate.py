"""A fake province one-stop-shop system: a real HTTP server on a loopback port speaking the JSON
documented in assistant/dossiers/igate_connector.py, with switchable faults."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

CODE_IN_FAKE = "H56.14-240823-0001"
DOSSIERS: dict[str, dict[str, Any]] = {
    CODE_IN_FAKE: {
        "code": "H56.14-240823-0001",
        "procedureCode": "1.001193",
        "procedureName": "Đăng ký khai sinh",
        "agencyName": "UBND phường Hồng Hà",
        "status": {"id": 4, "name": "Đang xử lý"},
        "appliedDate": "2024-08-23T08:00:00+07:00",
        "appointmentDate": "2024-08-28T17:00:00+07:00",
        "completedDate": None,
    }
}


@dataclass
class FakeIGate:
    url: str = ""
    # Faults for the next requests, consumed one per request: "500", "slow", "malformed", "drop".
    faults: list[str] = field(default_factory=list)
    always: str | None = None
    requests: int = 0
    slow_seconds: float = 2.0


@contextmanager
def fake_igate() -> Iterator[FakeIGate]:
    state = FakeIGate()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.requests += 1
            fault = state.faults.pop(0) if state.faults else state.always
            if fault == "slow":
                time.sleep(state.slow_seconds)
            if fault == "500":
                return self._send(500, b'{"error": "internal"}')
            if fault == "malformed":
                return self._send(200, b'{"code": "H56.14-240823-0001", "status": ')
            prefix = "/api/v1/dossiers/"
            code = unquote(self.path.removeprefix(prefix)) if self.path.startswith(prefix) else ""
            if code not in DOSSIERS:
                return self._send(404, b'{"error": "not_found"}')
            return self._send(200, json.dumps(DOSSIERS[code]).encode())

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may have given up already (timeout tests).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
