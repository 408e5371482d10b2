"""Operator accounts of the console: names, roles, scrypt password hashes, failed-login lockout, and the
server-side rows of console sessions.

Signing the console's session cookies is the gateway's job (``api/auth.py``); a signed cookie is only
honoured while its session row exists here, so logging out, removing an account or resetting its
password ends its sessions at once, and a role change applies at the next request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update

from assistant.database import Database, as_utc, utcnow
from assistant.tables import OperatorRow, OperatorSessionRow

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class Role(StrEnum):
    OPERATOR = "operator"
    ADMIN = "admin"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            password.encode(), salt=unb64(salt), n=int(n), r=int(r), p=int(p), dklen=len(unb64(digest))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, unb64(digest))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class LoginResult:
    role: Role | None = None  # set when the password was right
    locked_until: datetime | None = None  # set when the account refuses logins for now


@dataclass(frozen=True)
class LiveSession:
    name: str
    role: Role
    expires_at: datetime


def session_key(session_id: str) -> str:
    """What the table stores of a session id (its hash: a database dump opens no session)."""
    return hashlib.sha256(session_id.encode()).hexdigest()


class OperatorAccounts:
    """Raises ``assistant.database.DatabaseUnavailable`` when the database is down."""

    def __init__(self, database: Database):
        self._db = database

    def add(self, name: str, password: str, role: Role) -> None:
        """Creates the operator, or resets their password and role (their open sessions end)."""
        if not name or not password:
            raise ValueError("name and password are required")
        with self._db.session() as s:
            existing = s.get(OperatorRow, name)
            if existing is None:
                s.add(OperatorRow(name=name, role=role.value, password_hash=hash_password(password)))
            else:
                existing.role = role.value
                existing.password_hash = hash_password(password)
                existing.failed_logins = 0
                existing.locked_until = None
                s.execute(delete(OperatorSessionRow).where(OperatorSessionRow.operator == name))

    def authenticate(self, name: str, password: str) -> Role | None:
        return self.log_in(name, password, max_failures=0, lockout=timedelta(0)).role

    def log_in(self, name: str, password: str, *, max_failures: int, lockout: timedelta) -> LoginResult:
        """Check a password, counting failures per account: after ``max_failures`` wrong ones in a row
        the account refuses every login (the right password too, checked or not) for ``lockout``.
        ``max_failures`` 0 counts nothing. Raises ``DatabaseUnavailable``: no database, no login."""
        with self._db.session() as s:
            operator = s.get(OperatorRow, name)
            locked_until = as_utc(operator.locked_until) if operator and operator.locked_until else None
        if locked_until is not None and locked_until > utcnow():
            return LoginResult(locked_until=locked_until)
        if operator is None:
            hash_password(password)  # same work either way: no timing hint of which names exist
            return LoginResult()
        if verify_password(password, operator.password_hash):
            if operator.failed_logins or operator.locked_until:
                with self._db.session() as s:
                    s.execute(
                        update(OperatorRow)
                        .where(OperatorRow.name == name)
                        .values(failed_logins=0, locked_until=None)
                    )
            return LoginResult(role=Role(operator.role))
        if max_failures <= 0:
            return LoginResult()
        with self._db.session() as s:
            # One atomic increment: parallel guesses cannot slip past the count.
            s.execute(
                update(OperatorRow)
                .where(OperatorRow.name == name)
                .values(failed_logins=OperatorRow.failed_logins + 1)
            )
            failures = s.scalar(select(OperatorRow.failed_logins).where(OperatorRow.name == name)) or 0
            if failures >= max_failures:
                until = utcnow() + lockout
                s.execute(
                    update(OperatorRow)
                    .where(OperatorRow.name == name)
                    .values(failed_logins=0, locked_until=until)
                )
                return LoginResult(locked_until=until)
        return LoginResult()

    # ------------------------------------------------------------------ sessions
    def open_session(self, name: str, lifetime_seconds: int) -> tuple[str, datetime]:
        """A new session of ``name``: its id (for the signed cookie) and when it expires."""
        session_id = secrets.token_urlsafe(24)
        now = utcnow()
        expires = now + timedelta(seconds=lifetime_seconds)
        with self._db.session() as s:
            s.execute(delete(OperatorSessionRow).where(OperatorSessionRow.expires_at < now))
            s.add(
                OperatorSessionRow(
                    id=session_key(session_id), operator=name, created_at=now, expires_at=expires
                )
            )
        return session_id, expires

    def live_session(self, name: str, session_id: str) -> LiveSession | None:
        """The session if it is still open, unexpired and its operator still exists, with their role now."""
        with self._db.session() as s:
            row = s.execute(
                select(OperatorRow.role, OperatorSessionRow.expires_at)
                .join(OperatorSessionRow, OperatorSessionRow.operator == OperatorRow.name)
                .where(OperatorSessionRow.id == session_key(session_id), OperatorRow.name == name)
            ).first()
        if row is None:
            return None
        expires = as_utc(row.expires_at)
        return LiveSession(name, Role(row.role), expires) if expires > utcnow() else None

    def close_session(self, session_id: str) -> None:
        with self._db.session() as s:
            s.execute(delete(OperatorSessionRow).where(OperatorSessionRow.id == session_key(session_id)))

    def list(self) -> list[tuple[str, str]]:
        with self._db.session() as s:
            return [(o.name, o.role) for o in s.scalars(select(OperatorRow).order_by(OperatorRow.name))]

    def remove(self, name: str) -> bool:
        with self._db.session() as s:
            operator = s.get(OperatorRow, name)
            if operator is None:
                return False
            s.delete(operator)
            s.execute(delete(OperatorSessionRow).where(OperatorSessionRow.operator == name))
            return True
