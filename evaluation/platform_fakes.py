"""Local stand-ins for the platforms' send APIs (Zalo OA, Facebook Graph): real HTTP on loopback.

They record every request (method, path, query, headers, body) so tests and the fault bench can check
what the gateway sent, and answer the way the real APIs do: Zalo {"error": 0, …}, Graph
{"recipient_id", "message_id"}.
They refuse what the platforms refuse, in the platforms' own way:
- Zalo answers HTTP 200 with ``error`` ≠ 0: text over 2,000 characters or no recipient (-201, invalid
  parameter), an access token it did not issue (-216), a proactive message to a user outside the reply
  window when proactive messages are not allowed (-230); its OAuth endpoint renews tokens with a
  refresh token that works once. A send whose ``recipient.message_id`` names the user's message is a
  reply (``data.quota.quota_type`` "reply", at most 8 per message); without it, a proactive message.
- Graph answers HTTP 400 with ``{"error": {"code": …}}``: text over 2,000 characters, more than 13
  quick replies or a title over 20 characters, a ``messaging_type`` other than RESPONSE, UPDATE or
  MESSAGE_TAG, a tag other than HUMAN_AGENT (ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE and
  POST_PURCHASE_UPDATE were withdrawn on 27 April 2026) (code 100), a message outside the person's
  window (code 10, subcode 2018278: after 24 h without the HUMAN_AGENT tag, after 7 days at all).
A test can make the next answers fail (503) to exercise retries, or slow them down (timeouts).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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


Rules = Callable[[RecordedRequest], "tuple[int, dict[str, Any]] | None"]


class FakePlatform:
    def __init__(self, success_body: dict[str, Any], rules: Rules | None = None):
        self.success_body = success_body
        self.requests: list[RecordedRequest] = []
        self.failures_left = 0  # answer 503 to this many requests first
        self.delay_seconds = 0.0  # wait this long before answering (the client times out)
        self._rules = rules
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                body: Any
                if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                else:
                    try:
                        body = json.loads(raw) if raw else None
                    except ValueError:
                        body = raw.decode(errors="replace")
                request = RecordedRequest("POST", parts.path, parse_qs(parts.query), headers, body)
                with fake._lock:
                    failing = fake.failures_left > 0
                    if failing:
                        fake.failures_left -= 1
                    fake.requests.append(request)
                    ruled = None if failing or fake._rules is None else fake._rules(request)
                if fake.delay_seconds:
                    time.sleep(fake.delay_seconds)
                status, answer = (
                    (503, {"error": -1, "message": "busy"}) if failing else ruled or (200, fake.success_body)
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


class ZaloRules:
    """Zalo OA's answers: message API v3 and OAuth v4 token renewal."""

    def __init__(self) -> None:
        # None: any access token is accepted (most tests); a set: only the tokens the fake issued.
        self.valid_tokens: set[str] | None = None
        self.refresh_tokens: set[str] = set()  # each works once
        self.app_secret_key = ""
        self.expires_in = 90000  # seconds, as Zalo says it (a string on the wire)
        self.outside_window: set[str] = set()  # users a proactive message is refused to
        self.replies: dict[str, int] = {}  # replies sent so far per user message (message_id)

    def issue_refresh_token(self) -> str:
        token = f"refresh-{secrets.token_hex(6)}"
        self.refresh_tokens.add(token)
        return token

    def __call__(self, request: RecordedRequest) -> tuple[int, dict[str, Any]] | None:
        if request.path == "/v4/oa/access_token":
            form = request.body if isinstance(request.body, dict) else {}
            if (
                request.headers.get("secret_key") != self.app_secret_key
                or form.get("grant_type") != "refresh_token"
            ):
                return 200, {"error": -14002, "error_name": "Invalid secret key or grant type"}
            refresh = form.get("refresh_token", "")
            if refresh not in self.refresh_tokens:
                return 200, {"error": -14014, "error_description": "Invalid refresh token"}
            self.refresh_tokens.discard(refresh)
            access = f"access-{secrets.token_hex(6)}"
            if self.valid_tokens is not None:
                self.valid_tokens.add(access)
            return 200, {
                "access_token": access,
                "refresh_token": self.issue_refresh_token(),
                "expires_in": str(self.expires_in),
            }
        body = request.body if isinstance(request.body, dict) else {}
        if self.valid_tokens is not None and request.headers.get("access_token") not in self.valid_tokens:
            return 200, {"error": -216, "message": "Access token is invalid"}
        text = str((body.get("message") or {}).get("text") or "")
        if len(text) > 2000:
            return 200, {"error": -201, "message": "text length exceeds 2000"}
        recipient = body.get("recipient") or {}
        user, replied_to = recipient.get("user_id"), recipient.get("message_id")
        if not (user or replied_to):
            return 200, {"error": -201, "message": "recipient is invalid"}
        reply = bool(replied_to) and self.replies.get(str(replied_to), 0) < 8
        if reply:
            self.replies[str(replied_to)] = self.replies.get(str(replied_to), 0) + 1
        elif user in self.outside_window:
            return 200, {"error": -230, "message": "User has not interacted with the OA in the last 7 days"}
        quota = (
            {"quota_type": "reply"}
            if reply
            else {"quota_type": "sub_quota", "remain": "999", "total": "1000"}
        )
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {"message_id": secrets.token_hex(8), "user_id": user, "quota": quota},
        }


class GraphRules:
    """The Send API's answers, with the person's messaging window as Graph knows it."""

    def __init__(self) -> None:
        self.last_message: dict[str, datetime] = {}  # psid → when the person last wrote (default: now)

    def person_wrote(self, psid: str, ago: timedelta) -> None:
        self.last_message[psid] = datetime.now(UTC) - ago

    def __call__(self, request: RecordedRequest) -> tuple[int, dict[str, Any]] | None:
        body = request.body if isinstance(request.body, dict) else {}
        message = body.get("message") or {}
        replies = message.get("quick_replies") or []
        if len(str(message.get("text") or "")) > 2000:
            return _graph_error(
                100, "(#100) Length of param message[text] must be less than or equal to 2000"
            )
        if len(replies) > 13:
            return _graph_error(100, "(#100) param message[quick_replies] must have at most 13 elements")
        if any(len(str(r.get("title") or "")) > 20 for r in replies):
            return _graph_error(100, "(#100) Quick reply title must be at most 20 characters")
        kind = body.get("messaging_type")
        if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return _graph_error(
                100, "(#100) param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}"
            )
        if kind == "MESSAGE_TAG" and body.get("tag") != "HUMAN_AGENT":
            return _graph_error(100, "(#100) Invalid parameter: tag")
        psid = str((body.get("recipient") or {}).get("id") or "")
        age = datetime.now(UTC) - self.last_message.get(psid, datetime.now(UTC))
        tagged = body.get("messaging_type") == "MESSAGE_TAG" and body.get("tag") == "HUMAN_AGENT"
        if age > timedelta(days=7) or (age > timedelta(hours=24) and not tagged):
            return _graph_error(10, "(#10) This message is sent outside of allowed window.", subcode=2018278)
        return None


def _graph_error(code: int, message: str, subcode: int | None = None) -> tuple[int, dict[str, Any]]:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "Afake",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return 400, {"error": error}


def fake_zalo() -> FakePlatform:
    fake = FakePlatform({"error": 0, "message": "Success", "data": {"message_id": "zalo-msg-1"}}, ZaloRules())
    return fake


def fake_graph() -> FakePlatform:
    return FakePlatform({"recipient_id": "psid", "message_id": "m_fake"}, GraphRules())


def zalo_rules(fake: FakePlatform) -> ZaloRules:
    assert isinstance(fake._rules, ZaloRules)
    return fake._rules


def graph_rules(fake: FakePlatform) -> GraphRules:
    assert isinstance(fake._rules, GraphRules)
    return fake._rules
