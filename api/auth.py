"""Operator accounts: scrypt password hashes, signed expiring session tokens, role checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.db import Operator

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
COOKIE_NAME = "dvc_operator"


class Role(StrEnum):
    OPERATOR = "operator"
    ADMIN = "admin"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(_unb64(digest))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, _unb64(digest))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


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
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def read(self, token: str | None, now: float | None = None) -> OperatorSession | None:
        """The session in a valid, unexpired token; None for anything forged, malformed or expired."""
        if not token or token.count(".") != 1:
            return None
        body, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            claims = json.loads(_unb64(body))
            session = OperatorSession(str(claims["sub"]), Role(claims["role"]), float(claims["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        return session if session.expires_at > (now or time.time()) else None

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())


class OperatorAccounts:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    def add(self, name: str, password: str, role: Role) -> None:
        """Creates the operator, or resets their password and role."""
        if not name or not password:
            raise ValueError("name and password are required")
        with self._sessions.begin() as s:
            existing = s.get(Operator, name)
            if existing is None:
                s.add(Operator(name=name, role=role.value, password_hash=hash_password(password)))
            else:
                existing.role = role.value
                existing.password_hash = hash_password(password)

    def authenticate(self, name: str, password: str) -> Role | None:
        with self._sessions() as s:
            operator = s.get(Operator, name)
        if operator is None:
            hash_password(password)  # same work either way: no timing hint of which names exist
            return None
        return Role(operator.role) if verify_password(password, operator.password_hash) else None

    def list(self) -> list[tuple[str, str]]:
        with self._sessions() as s:
            return [(o.name, o.role) for o in s.scalars(select(Operator).order_by(Operator.name))]

    def remove(self, name: str) -> bool:
        with self._sessions.begin() as s:
            operator = s.get(Operator, name)
            if operator is None:
                return False
            s.delete(operator)
            return True
