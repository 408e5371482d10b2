"""ASGI middleware of the gateway: request size limit, per-client rate limit, request metrics."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.telemetry import Telemetry
from assistant.dossiers.guard import client_network
from assistant.rate_limit import RateLimiter


async def send_json(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"Nội dung gửi lên quá lớn (tối đa {self.max_bytes // 1024} KB)."
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await send_json(send, 413, detail)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await send_json(send, 413, detail)


class RateLimitMiddleware:
    """Per client network (IPv4 address, IPv6 /64), on the public API and the operator login (webhooks
    come from the platforms' few addresses). The widget's poll for operator replies has a budget of its
    own (``updates_limiter``): it must not eat the citizen's questions, nor go unlimited."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        telemetry: Telemetry,
        updates_limiter: RateLimiter | None = None,
        prefixes: tuple[str, ...] = ("/api/", "/operator/login"),
    ):
        self.app = app
        self.limiter = limiter
        self.updates_limiter = updates_limiter
        self.telemetry = telemetry
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        limiter = self.updates_limiter if path.endswith("/updates") else self.limiter
        if limiter is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client_network(client[0] if client else None) or "unknown"
        verdict = await limiter.hit(key)
        if not verdict.allowed:
            self.telemetry.rate_limited.inc()
            await send_json(
                send,
                429,
                f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {verdict.retry_after} giây.",
                [(b"retry-after", str(verdict.retry_after).encode())],
            )
            return
        await self.app(scope, receive, send)


# Pages are ours alone: scripts only from files we serve (no inline script, so an injected one does
# not run), never framed. Styles may be inline (the demo page has a <style> block); images may come
# from the portals' https addresses in answers.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    """nosniff and a referrer policy on every answer; CSP and no framing on our HTML pages (the API docs
    load their own scripts from a CDN and keep theirs)."""

    def __init__(self, app: ASGIApp, exempt: tuple[str, ...] = ("/docs", "/redoc")):
        self.app = app
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exempt = scope.get("path", "").startswith(self.exempt)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and not exempt:
                    headers += [
                        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                        (b"x-frame-options", b"DENY"),
                    ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class ConsoleOriginMiddleware:
    """Console writes (POST… under /operator) from another site are refused with 403: a browser names the
    page's origin in ``Origin`` (or ``Referer``), which must be this host. SameSite=Strict cookies are the
    first guard; this is the second. Requests naming no origin at all are not from a browser page."""

    def __init__(self, app: ASGIApp, prefix: str = "/operator"):
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") in ("GET", "HEAD", "OPTIONS")
            or not scope.get("path", "").startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        # The host the browser addressed: ours, or the one a reverse proxy forwarded (a page on another
        # site cannot set X-Forwarded-Host on a cross-site request without a CORS preflight we refuse).
        hosts = {headers.get(name, b"").decode("latin-1").lower() for name in (b"host", b"x-forwarded-host")}
        claimed = headers.get(b"origin") or headers.get(b"referer")
        if claimed is not None and claimed != b"null":
            netloc = urlsplit(claimed.decode("latin-1")).netloc.lower()
            if netloc and netloc in hosts:
                await self.app(scope, receive, send)
                return
        elif claimed is None:
            await self.app(scope, receive, send)
            return
        await send_json(send, 403, "Yêu cầu không xuất phát từ bảng điều khiển cán bộ.")


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, telemetry: Telemetry):
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            # The route template, not the raw path: one series per endpoint, not per dossier code.
            label = getattr(route, "path", None) or (
                "static" if scope["path"].startswith("/static") else "unmatched"
            )
            self.telemetry.requests.labels(scope["method"], label, str(status)).inc()
            self.telemetry.latency.labels(label).observe(time.perf_counter() - start)
