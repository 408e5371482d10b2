"""Console sessions: a signed, expiring cookie that names a server-side session row.

The signature keeps forged cookies from costing a database query; the row (``assistant.operators``)
makes sessions revocable: logout, removing the account or resetting its password deletes it, and the
role is read from the account at every request, never from the cookie."""

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


@dataclass(frozen=True)
class SignedSession:
    """What a valid cookie says: whose session, which row, until when."""

    name: str
    session_id: str
    expires_at: float


class SessionSigner:
    """Cookie = base64(JSON claims) + "." + HMAC-SHA256 over it."""

    def __init__(self, secret: str, lifetime_seconds: int):
        self._key = hashlib.sha256(("operator-session:" + secret).encode()).digest()
        self.lifetime_seconds = lifetime_seconds

    def issue(self, name: str, session_id: str, now: float | None = None) -> str:
        claims = {"sub": name, "sid": session_id, "exp": int((now or time.time()) + self.lifetime_seconds)}
        body = b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def read(self, token: str | None, now: float | None = None) -> SignedSession | None:
        """The claims of a valid, unexpired cookie; None for anything forged, malformed or expired
        (non-ASCII bytes included: they must give 401, not an exception)."""
        if not token or token.count(".") != 1 or not token.isascii():
            return None
        body, signature = token.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(body).encode()):
            return None
        try:
            claims = json.loads(unb64(body))
            session = SignedSession(str(claims["sub"]), str(claims["sid"]), float(claims["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires_at > (now or time.time()) else None

    def _sign(self, body: str) -> str:
        return b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())
