"""Operator accounts of the console: names, roles and scrypt password hashes.

Signing the console's session cookies is the gateway's job (``api/auth.py``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from enum import StrEnum

from sqlalchemy import select

from assistant.database import Database
from assistant.tables import OperatorRow

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


class OperatorAccounts:
    """Raises ``assistant.database.DatabaseUnavailable`` when the database is down."""

    def __init__(self, database: Database):
        self._db = database

    def add(self, name: str, password: str, role: Role) -> None:
        """Creates the operator, or resets their password and role."""
        if not name or not password:
            raise ValueError("name and password are required")
        with self._db.session() as s:
            existing = s.get(OperatorRow, name)
            if existing is None:
                s.add(OperatorRow(name=name, role=role.value, password_hash=hash_password(password)))
            else:
                existing.role = role.value
                existing.password_hash = hash_password(password)

    def authenticate(self, name: str, password: str) -> Role | None:
        with self._db.session() as s:
            operator = s.get(OperatorRow, name)
        if operator is None:
            hash_password(password)  # same work either way: no timing hint of which names exist
            return None
        return Role(operator.role) if verify_password(password, operator.password_hash) else None

    def list(self) -> list[tuple[str, str]]:
        with self._db.session() as s:
            return [(o.name, o.role) for o in s.scalars(select(OperatorRow).order_by(OperatorRow.name))]

    def remove(self, name: str) -> bool:
        with self._db.session() as s:
            operator = s.get(OperatorRow, name)
            if operator is None:
                return False
            s.delete(operator)
            return True
