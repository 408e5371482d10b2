"""Webhook signature checks of the platforms we receive messages from (constant-time comparisons)."""

from __future__ import annotations

import hashlib
import hmac


def zalo_signature(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """Zalo OA: hex SHA-256 of app_id + raw body + timestamp (the body's) + OA secret key."""
    payload = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return hashlib.sha256(payload).hexdigest()


def verify_zalo(
    header: str | None, *, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str
) -> bool:
    if not header or not oa_secret_key or not app_id:
        return False
    supplied = header.strip()
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:].strip()
    expected = zalo_signature(app_id, raw_body, timestamp, oa_secret_key)
    return _same(supplied.lower(), expected)


def messenger_signature(app_secret: str, raw_body: bytes) -> str:
    """Meta: "sha256=" + hex HMAC-SHA256 of the raw body keyed with the app secret."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify_messenger(header: str | None, *, app_secret: str, raw_body: bytes) -> bool:
    if not header or not app_secret:
        return False
    return _same(header.strip().lower(), messenger_signature(app_secret, raw_body))


def _same(supplied: str, expected: str) -> bool:
    """Constant-time, and False (not TypeError) for a header with non-ASCII characters."""
    return hmac.compare_digest(supplied.encode("utf-8", "surrogateescape"), expected.encode())
