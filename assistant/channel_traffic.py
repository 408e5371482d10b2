"""Durable channel traffic of the gateway: the outbox of Zalo/Messenger replies and the log of inbound
platform events. Both are claimed with conditional UPDATEs (a lease), so that several gateway processes
never send one reply twice at the same time. Raises ``DatabaseUnavailable`` when the database is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from assistant.database import Database, DatabaseUnavailable, utcnow
from assistant.tables import ChannelOutboxRow, InboundEventRow


@dataclass(frozen=True)
class PendingReply:
    id: int
    sender_id: str
    payload: str
    author: str
    attempts: int


@dataclass(frozen=True)
class InboundEvent:
    key: str
    sender_id: str
    kind: str
    text: str


# ``attempts`` of a reply given up: above any CHANNEL_OUTBOX_MAX_ATTEMPTS, so never claimed again.
GIVEN_UP = 1_000_000


class ChannelOutbox:
    def __init__(self, database: Database, *, lease_seconds: float = 120) -> None:
        self._db = database
        self._lease = timedelta(seconds=lease_seconds)

    def enqueue(self, sender_id: str, payload: str, author: str) -> int:
        """Written before the first attempt, leased to it: the worker leaves it alone meanwhile."""
        now = utcnow()
        with self._db.session() as s:
            row = ChannelOutboxRow(
                sender_id=sender_id,
                payload=payload,
                author=author,
                attempts=0,
                next_attempt_at=now + self._lease,
                created_at=now,
            )
            s.add(row)
            s.flush()
            return row.id

    def mark_sent(self, reply_id: int) -> None:
        with self._db.session() as s:
            # Sent: the text is no longer needed here (the transcript keeps what retention allows).
            s.execute(
                update(ChannelOutboxRow)
                .where(ChannelOutboxRow.id == reply_id)
                .values(sent_at=utcnow(), payload="[]")
            )

    def mark_failed(self, reply_id: int, error: str, retry_in: timedelta) -> None:
        with self._db.session() as s:
            s.execute(
                update(ChannelOutboxRow)
                .where(ChannelOutboxRow.id == reply_id)
                .values(
                    attempts=ChannelOutboxRow.attempts + 1,
                    next_attempt_at=utcnow() + retry_in,
                    last_error=error[:500],
                )
            )

    def give_up(self, reply_id: int, error: str) -> None:
        """Never sent again (the platform's window is over: it would refuse it again); the row stays."""
        with self._db.session() as s:
            s.execute(
                update(ChannelOutboxRow)
                .where(ChannelOutboxRow.id == reply_id)
                .values(attempts=GIVEN_UP, last_error=error[:500])
            )

    def claim_due(self, *, max_attempts: int, limit: int = 20) -> list[PendingReply]:
        """Unsent replies whose time has come (fewer than ``max_attempts`` tries), each leased to us."""
        now = utcnow()
        claimed = []
        with self._db.session() as s:
            rows = s.scalars(
                select(ChannelOutboxRow)
                .where(
                    ChannelOutboxRow.sent_at.is_(None),
                    ChannelOutboxRow.next_attempt_at <= now,
                    ChannelOutboxRow.attempts < max_attempts,
                )
                .order_by(ChannelOutboxRow.id)
                .limit(limit)
            ).all()
            for row in rows:
                taken = s.execute(
                    update(ChannelOutboxRow)
                    .where(
                        ChannelOutboxRow.id == row.id, ChannelOutboxRow.next_attempt_at == row.next_attempt_at
                    )
                    .values(next_attempt_at=now + self._lease)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount:  # type: ignore[attr-defined]
                    claimed.append(PendingReply(row.id, row.sender_id, row.payload, row.author, row.attempts))
        return claimed

    def unsent(self) -> int:
        with self._db.session() as s:
            query = select(func.count(ChannelOutboxRow.id)).where(ChannelOutboxRow.sent_at.is_(None))
            return int(s.scalar(query) or 0)


class InboundLog:
    def __init__(self, database: Database, *, replay_after_seconds: float = 120) -> None:
        self._db = database
        self._replay_after = timedelta(seconds=replay_after_seconds)

    def record(self, event: InboundEvent) -> bool:
        """Store the event, claimed by the caller; False when its key was stored before (a retry)."""
        now = utcnow()
        try:
            with self._db.session() as s:
                s.add(
                    InboundEventRow(
                        key=event.key,
                        sender_id=event.sender_id,
                        kind=event.kind,
                        text=event.text,
                        received_at=now,
                        claimed_at=now,
                    )
                )
        except DatabaseUnavailable as exc:
            if isinstance(exc.__cause__, IntegrityError):
                return False
            raise
        return True

    def done(self, key: str) -> None:
        with self._db.session() as s:
            # Answered: only the key is still needed (de-duplication); the citizen's text goes.
            s.execute(
                update(InboundEventRow).where(InboundEventRow.key == key).values(done_at=utcnow(), text="")
            )

    def claim_stale(self, limit: int = 20) -> list[InboundEvent]:
        """Events nobody finished within the replay delay (their process died), each claimed anew."""
        now = utcnow()
        stale = now - self._replay_after
        claimed = []
        with self._db.session() as s:
            rows = s.scalars(
                select(InboundEventRow)
                .where(InboundEventRow.done_at.is_(None), InboundEventRow.claimed_at < stale)
                .order_by(InboundEventRow.id)
                .limit(limit)
            ).all()
            for row in rows:
                taken = s.execute(
                    update(InboundEventRow)
                    .where(InboundEventRow.id == row.id, InboundEventRow.claimed_at == row.claimed_at)
                    .values(claimed_at=now)
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount:  # type: ignore[attr-defined]
                    claimed.append(InboundEvent(row.key, row.sender_id, row.kind, row.text))
        return claimed
