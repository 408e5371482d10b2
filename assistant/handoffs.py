"""Requests to talk to a person (hotline operator), recorded for the operator console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from assistant.database import Database, as_utc, utcnow
from assistant.tables import HandoffRow


class HandoffState(StrEnum):
    OPEN = "open"  # waiting for an operator
    CLAIMED = "claimed"  # an operator took it
    CLOSED = "closed"


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    channel: str
    sender_id: str
    reason: str
    last_message: str
    state: HandoffState
    operator: str | None
    created_at: datetime
    updated_at: datetime


class HandoffStore:
    """Raises ``assistant.database.DatabaseUnavailable`` when the database is down."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def request(
        self, *, conversation_id: str, channel: str, sender_id: str, reason: str, last_message: str = ""
    ) -> Handoff:
        """Record a request; a conversation that already waits keeps its one open request."""
        now = utcnow()
        with self._db.session() as session:
            row = session.scalar(
                select(HandoffRow).where(
                    HandoffRow.conversation_id == conversation_id, HandoffRow.state != HandoffState.CLOSED
                )
            )
            if row is None:
                row = HandoffRow(
                    conversation_id=conversation_id,
                    channel=channel,
                    sender_id=sender_id,
                    state=HandoffState.OPEN,
                    created_at=now,
                )
                session.add(row)
            row.reason = reason
            row.last_message = last_message
            row.updated_at = now
            session.flush()
            return _handoff(row)

    def list_requests(
        self, state: HandoffState | None = HandoffState.OPEN, limit: int = 100
    ) -> list[Handoff]:
        with self._db.session() as session:
            query = select(HandoffRow).order_by(HandoffRow.created_at).limit(limit)
            if state is not None:
                query = query.where(HandoffRow.state == state)
            return [_handoff(r) for r in session.scalars(query)]

    def get(self, handoff_id: int) -> Handoff | None:
        with self._db.session() as session:
            row = session.get(HandoffRow, handoff_id)
            return None if row is None else _handoff(row)

    def set_state(self, handoff_id: int, state: HandoffState, operator: str | None = None) -> Handoff | None:
        with self._db.session() as session:
            row = session.get(HandoffRow, handoff_id)
            if row is None:
                return None
            row.state = state
            row.operator = operator or row.operator
            row.updated_at = utcnow()
            session.flush()
            return _handoff(row)


def _handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        id=row.id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        sender_id=row.sender_id,
        reason=row.reason,
        last_message=row.last_message,
        state=HandoffState(row.state),
        operator=row.operator,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )
