"""Console sessions: signed, expiring tokens in a cookie; nothing stored server-side."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from assistant.operators import Role, b64, unb64

COOKIE_NAME = "dvc_operator"


@dataclass(frozen=True)
class OperatorSession:
    name: str
    role: Role
    expires_at: float

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class SessionSigner:
    """Session = base64(JSON claims) + "." + HMAC-SHA256 over it; nothing stored server-side."""

    def __init__(self, secret: str, lifetime_seconds: int):
        self._key = hashlib.sha256(("operator-session:" + secret).encode()).digest()
        self.lifetime_seconds = lifetime_seconds

    def issue(self, name: str, role: Role, now: float | None = None) -> str:
        claims = {"sub": name, "role": role.value, "exp": int((now or time.time()) + self.lifetime_seconds)}
        body = b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def read(self, token: str | None, now: float | None = None) -> OperatorSession | None:
        """The session in a valid, unexpired token; None for anything forged, malformed or expired."""
        if not token or token.count(".") != 1:
            return None
        body, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            claims = json.loads(unb64(body))
            session = OperatorSession(str(claims["sub"]), Role(claims["role"]), float(claims["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires_at > (now or time.time()) else None

    def _sign(self, body: str) -> str:
        return b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())
