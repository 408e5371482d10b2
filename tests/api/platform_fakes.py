"""Local stand-ins for the platforms' send APIs (Zalo OA, Facebook Graph): real HTTP on loopback.

They record every request (method, path, query, headers, JSON body) so tests can check what the gateway
sent, and answer the way the real APIs do: Zalo {"error": 0, …}, Graph {"recipient_id", "message_id"}.
A test can make the next answers fail to exercise retries.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


class FakePlatform:
    def __init__(self, success_body: dict[str, Any]):
        self.success_body = success_body
        self.requests: list[RecordedRequest] = []
        self.failures_left = 0  # answer 503 to this many requests first
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
                with fake._lock:
                    failing = fake.failures_left > 0
                    if failing:
                        fake.failures_left -= 1
                    fake.requests.append(
                        RecordedRequest(
                            "POST",
                            parts.path,
                            parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                status, answer = (
                    (503, {"error": -1, "message": "busy"}) if failing else (200, fake.success_body)
                )
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def sent_to(self, predicate: Any = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if predicate is None or predicate(r)]

    def wait_for(self, predicate: Any, count: int = 1, timeout: float = 10.0) -> list[RecordedRequest]:
        """The matching requests once there are ``count`` of them (or whatever arrived by the timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent_to(predicate)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.sent_to(predicate)

    def settled_count(self, predicate: Any, quiet: float = 1.0) -> int:
        """How many matching requests arrived once nothing new came for ``quiet`` seconds."""
        count = -1
        while (current := len(self.sent_to(predicate))) != count:
            count = current
            time.sleep(quiet)
        return count

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def fake_zalo() -> FakePlatform:
    return FakePlatform({"error": 0, "message": "Success", "data": {"message_id": "zalo-msg-1"}})


def fake_graph() -> FakePlatform:
    return FakePlatform({"recipient_id": "psid", "message_id": "m_fake"})
