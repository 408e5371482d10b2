"""Access tokens a channel renews itself, kept in the database so every process and every restart
uses the newest one (a Zalo refresh token works once: a lost one means asking the OA admin again)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.database import Database, as_utc, to_utc, utcnow
from assistant.tables import ChannelTokenRow


@dataclass(frozen=True)
class ChannelToken:
    access_token: str
    refresh_token: str
    expires_at: datetime


class ChannelTokenStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def get(self, name: str) -> ChannelToken | None:
        with self._db.session() as session:
            row = session.get(ChannelTokenRow, name)
            return None if row is None else _token(row)

    def put(self, name: str, token: ChannelToken) -> None:
        with self._db.session() as session:
            _write(session.get(ChannelTokenRow, name), session, name, token)

    def current(
        self,
        name: str,
        *,
        initial: ChannelToken,
        renew_before: timedelta,
        renew: Callable[[str], ChannelToken],
        force: bool = False,
    ) -> ChannelToken:
        """The stored token, renewed first (``renew(refresh_token)``) when it expires within
        ``renew_before`` or ``force``. On PostgreSQL the row is locked meanwhile, so two processes never
        spend the same refresh token (SQLite, one process in development, does not lock it). ``initial`` is
        stored when there is none yet (the configured tokens)."""
        with self._db.session() as session:
            row = session.scalar(
                select(ChannelTokenRow).where(ChannelTokenRow.name == name).with_for_update()
            )
            token = initial if row is None else _token(row)
            if force or token.expires_at - renew_before <= utcnow():
                token = renew(token.refresh_token)
            if row is None or token != _token(row):
                _write(row, session, name, token)
            return token


def _write(row: ChannelTokenRow | None, session: Session, name: str, token: ChannelToken) -> None:
    now = utcnow()
    if row is None:
        session.add(
            ChannelTokenRow(
                name=name,
                access_token=token.access_token,
                refresh_token=token.refresh_token,
                expires_at=to_utc(token.expires_at),
                updated_at=now,
            )
        )
        return
    row.access_token = token.access_token
    row.refresh_token = token.refresh_token
    row.expires_at = to_utc(token.expires_at)
    row.updated_at = now


def _token(row: ChannelTokenRow) -> ChannelToken:
    return ChannelToken(row.access_token, row.refresh_token, as_utc(row.expires_at))
